package accounts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
)

// Bodies (机构) are administered with admin.jurisdictions, at the body's seat: the people who keep the
// tree (块) keep the bodies on it (条), a county's administrator those seated in the county. A separate
// admin.bodies action would split one job between two grants and change nothing a county needs.

// NewBody is a body to add (the body of POST /api/v1/bodies).
type NewBody struct {
	Code string            `json:"code"`
	Name string            `json:"name"`
	Type fengqiao.BodyType `json:"type"`
	// Node is the seat: the node of the tree the body sits at.
	Node   string   `json:"node"`
	Fields []string `json:"fields"`
	// Superior is, for an agency, the code of its superior organ (复查 and 复核 follow it).
	Superior string `json:"superior"`
}

// CreateBody adds a body seated at a node and tells the authorizer; it needs admin.jurisdictions at
// the seat. Bad fields are named (Chinese first); a taken code is a conflict. The seat is checked
// before authorizing: division codes are public, so naming an unknown one leaks nothing.
func (s *Service) CreateBody(ctx context.Context, actor string, in NewBody) (fengqiao.Body, error) {
	b := fengqiao.Body{Code: strings.TrimSpace(in.Code), Name: strings.TrimSpace(in.Name), Type: in.Type,
		Node: strings.TrimSpace(in.Node), Fields: in.Fields, Superior: strings.TrimSpace(in.Superior)}
	if err := store.ValidateBody(b); err != nil {
		return fengqiao.Body{}, err
	}
	if _, err := s.db.Node(ctx, b.Node); errors.Is(err, store.ErrNotFound) {
		var v fengqiao.Validation
		v.Add("node", "没有辖区 %s (no such jurisdiction %s)", b.Node, b.Node)
		return fengqiao.Body{}, v.Err()
	} else if err != nil {
		return fengqiao.Body{}, fmt.Errorf("accounts: body seat: %w", err)
	}
	return adminCreate(ctx, s, actor, b.Node, b.Node, "body/"+b.Code, "created "+string(b.Type), s.db.CreateBody, b, s.policy.BodyAdded)
}

// Body returns the body with the code; any staff member may read the bodies, as the tree.
func (s *Service) Body(ctx context.Context, code string) (fengqiao.Body, error) {
	b, err := s.db.Body(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return fengqiao.Body{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "没有机构 %s (no body %s)", code, code)
	}
	if err != nil {
		return fengqiao.Body{}, fmt.Errorf("accounts: body: %w", err)
	}
	return b, nil
}

// Bodies lists the bodies matching the filter (seat node, type, field) by code, limit (1..MaxPage)
// after the cursor; any staff member may read them. An unknown type or field is a validation error
// naming it.
func (s *Service) Bodies(ctx context.Context, f fengqiao.BodyFilter, cursor string, limit int) (Page[fengqiao.Body], error) {
	var v fengqiao.Validation
	v.Check(f.Type == "" || f.Type.Valid(), "type", "类型须为 committee、professional、center、agency、petition_office、court、arbitration、notary、police 之一 (unknown body type)")
	v.Check(f.Field == "" || fengqiao.ValidCategory(f.Field), "field", "“%s”不是已知的纠纷类别 (unknown field)", f.Field)
	if err := v.Err(); err != nil {
		return Page[fengqiao.Body]{}, err
	}
	if err := checkLimit(limit); err != nil {
		return Page[fengqiao.Body]{}, err
	}
	bodies, err := s.db.BodiesPage(ctx, f, cursor, limit+1)
	if err != nil {
		return Page[fengqiao.Body]{}, err
	}
	return cut(bodies, limit, func(b fengqiao.Body) string { return b.Code }), nil
}

// ImportBodies imports a body file (code,name,type,node,fields,superior; the fields of a row separated
// by "|" inside their cell, store.FieldSeparator) and tells the authorizer. It imports all of the file
// or, when any row is bad, nothing: a validation error with a field "第N行 column" for every problem,
// its message Chinese first. The actor needs admin.jurisdictions at the seat of every body in the
// file. A file over MaxImportBytes is request_too_large. It returns the bodies imported.
func (s *Service) ImportBodies(ctx context.Context, actor string, file io.Reader) ([]fengqiao.Body, error) {
	if !s.policy.HasAnywhere(actor, policy.ActionAdminJurisdictions) {
		s.audit(ctx, actor, policy.ActionAdminJurisdictions, "", "bodies/import", auditDenied, "")
		return nil, errForbidden
	}
	bodies, err := importFile(file, "机构", bodyLine, func(r io.Reader) ([]fengqiao.Body, error) {
		return s.db.ImportBodies(ctx, r, func(b fengqiao.Body) error {
			ok, err := s.policy.Can(actor, policy.ActionAdminJurisdictions, b.Node)
			if err != nil {
				return err
			}
			if !ok {
				s.audit(ctx, actor, policy.ActionAdminJurisdictions, b.Node, "body/"+b.Code, auditDenied, "import")
				return errForbidden
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if len(bodies) > 0 {
		if err := s.policy.TreeChanged(ctx); err != nil {
			return nil, err
		}
	}
	s.audit(ctx, actor, policy.ActionAdminJurisdictions, "", "bodies/import", auditOK, "imported "+strconv.Itoa(len(bodies))+" bodies")
	return bodies, nil
}

// bodyLine names a problem of a body file by its line and column: "第3行 type".
func bodyLine(l store.LineError) string {
	if l.Field == "" {
		return "第" + strconv.Itoa(l.Line) + "行"
	}
	return "第" + strconv.Itoa(l.Line) + "行 " + l.Field
}
