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

// NewJurisdiction is a node to add to the tree (the body of POST /api/v1/jurisdictions).
type NewJurisdiction struct {
	Code       string        `json:"code"`
	Name       string        `json:"name"`
	Tier       fengqiao.Tier `json:"tier"`
	ParentCode string        `json:"parent_code"`
}

// CreateJurisdiction adds a node under its parent and tells the authorizer. A root city needs
// admin.jurisdictions city-wide; any other node, admin.jurisdictions at its parent. Division codes are
// public, so naming an unknown parent is answered before authorizing: it leaks nothing.
func (s *Service) CreateJurisdiction(ctx context.Context, actor string, in NewJurisdiction) (fengqiao.Node, error) {
	n := fengqiao.Node{Code: strings.TrimSpace(in.Code), Name: strings.TrimSpace(in.Name), Tier: in.Tier,
		ParentCode: strings.TrimSpace(in.ParentCode)}
	if err := store.ValidateNode(n); err != nil {
		return fengqiao.Node{}, err
	}
	scope := policy.Global
	if n.ParentCode != "" {
		_, err := s.db.Node(ctx, n.ParentCode)
		if errors.Is(err, store.ErrNotFound) {
			var v fengqiao.Validation
			v.Add("parent_code", "no such jurisdiction %s", n.ParentCode)
			return fengqiao.Node{}, v.Err()
		}
		if err != nil {
			return fengqiao.Node{}, fmt.Errorf("accounts: parent jurisdiction: %w", err)
		}
		scope = n.ParentCode
	}
	return adminCreate(ctx, s, actor, scope, n.Code, "jurisdiction/"+n.Code, "created "+string(n.Tier), s.db.CreateNode, n, s.policy.NodeAdded)
}

// adminCreate is the end every addition to the tree and the bodies shares: it authorizes the actor
// for admin.jurisdictions at scope, creates v, tells the authorizer (added) and audits the creation
// at node.
func adminCreate[T any](ctx context.Context, s *Service, actor, scope, node, object, detail string,
	create func(context.Context, T) (T, error), v T, added func(context.Context, T) error) (T, error) {
	var none T
	if err := s.authorize(ctx, actor, policy.ActionAdminJurisdictions, scope, object); err != nil {
		return none, err
	}
	created, err := create(ctx, v)
	if err != nil {
		return none, err
	}
	if err := added(ctx, created); err != nil {
		return none, err
	}
	s.audit(ctx, actor, policy.ActionAdminJurisdictions, node, object, auditOK, detail)
	return created, nil
}

// MaxImportBytes is the largest jurisdiction file ImportJurisdictions reads.
const MaxImportBytes = 32 << 20

// ImportJurisdictions imports a CSV file (code,name,tier,parent_code) and tells the authorizer the tree
// changed; it needs admin.jurisdictions city-wide. It imports all of the file or, when any row is bad,
// nothing: a validation error with a field "line N" for every bad row. A file over MaxImportBytes is
// request_too_large. It returns how many nodes were imported.
func (s *Service) ImportJurisdictions(ctx context.Context, actor string, file io.Reader) (int, error) {
	if err := s.authorize(ctx, actor, policy.ActionAdminJurisdictions, policy.Global, "jurisdictions/import"); err != nil {
		return 0, err
	}
	nodes, err := importFile(file, "辖区", func(l store.LineError) string { return "line " + strconv.Itoa(l.Line) },
		func(r io.Reader) ([]fengqiao.Node, error) { return s.db.ImportNodes(ctx, r) })
	if err != nil {
		return 0, err
	}
	if err := s.policy.TreeChanged(ctx); err != nil {
		return 0, err
	}
	s.audit(ctx, actor, policy.ActionAdminJurisdictions, "", "jurisdictions/import", auditOK, "imported "+strconv.Itoa(len(nodes))+" nodes")
	return len(nodes), nil
}

// importFile runs an import (run) on file cut at MaxImportBytes: a longer file is request_too_large,
// and a file with bad lines a validation error with one field per problem, named by field (the line
// and, where the import names it, the column), its message Chinese first. what names the rows in it.
func importFile[T any](file io.Reader, what string, field func(store.LineError) string, run func(io.Reader) (T, error)) (T, error) {
	var none T
	lr := &capped{r: file, left: MaxImportBytes}
	out, err := run(lr)
	if lr.over {
		return none, fengqiao.Errorf(fengqiao.ECodeTooLarge, "文件超过 %d MiB (the file is larger than %d MiB)", MaxImportBytes>>20, MaxImportBytes>>20)
	}
	var ie *store.ImportError
	if errors.As(err, &ie) {
		fields := make([]fengqiao.FieldError, len(ie.Lines))
		for i, l := range ie.Lines {
			fields[i] = fengqiao.FieldError{Field: field(l), Message: l.Message, Format: l.Format, Args: l.Args}
		}
		msg := fmt.Sprintf("导入失败，%d 处错误，未导入任何%s (%d problems, nothing imported)", len(fields), what, len(fields))
		if len(fields) > 0 {
			msg += "：" + fields[0].Field + "：" + fields[0].Message
		}
		return none, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: msg, Fields: fields}
	}
	if err != nil {
		return none, err
	}
	return out, nil
}

// capped reads at most left bytes of r and then fails, remembering that the file was too long.
type capped struct {
	r    io.Reader
	left int64
	over bool
}

var errTooLong = errors.New("accounts: the file is too long")

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// Is there more? One more byte tells a file of exactly the limit from a longer one.
		var b [1]byte
		if n, _ := io.ReadFull(c.r, b[:]); n == 0 {
			return 0, io.EOF
		}
		c.over = true
		return 0, errTooLong
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// Jurisdiction returns the node with the code; any staff member may read the tree.
func (s *Service) Jurisdiction(ctx context.Context, code string) (fengqiao.Node, error) {
	n, err := s.db.Node(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return fengqiao.Node{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no jurisdiction %s", code)
	}
	if err != nil {
		return fengqiao.Node{}, fmt.Errorf("accounts: jurisdiction: %w", err)
	}
	return n, nil
}

// Jurisdictions lists the nodes directly under parent ("" lists the roots) by code, limit (1..MaxPage)
// after the cursor; any staff member may read the tree.
func (s *Service) Jurisdictions(ctx context.Context, parent, cursor string, limit int) (Page[fengqiao.Node], error) {
	if err := checkLimit(limit); err != nil {
		return Page[fengqiao.Node]{}, err
	}
	nodes, err := s.db.Children(ctx, parent, cursor, limit+1)
	if err != nil {
		return Page[fengqiao.Node]{}, err
	}
	return cut(nodes, limit, func(n fengqiao.Node) string { return n.Code }), nil
}
