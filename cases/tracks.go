package cases

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/workflows"
)

// The use cases of the dispute track on bodies (DESIGN.md §2, rule 5): the bodies an action names are
// looked up here and passed to the workflow as a fengqiao.BodyRef (the workflow does no lookups); the
// court a confirmation goes to must be a competent one (民事诉讼法 2023 art. 205); a court officer opens a
// court referral at their court (委派调解); a labour dispute carries its arbitration body.

// bodies is where bodies are looked up: Bodies, else the database.
func (s *Service) bodies() fengqiao.BodyDirectory {
	if s.Bodies != nil {
		return s.Bodies
	}
	return s.DB
}

func fieldErr(field, message string) error {
	return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: field + ": " + message,
		Fields: []fengqiao.FieldError{{Field: field, Message: message}}}
}

// bodyRef resolves the body a user named by code; an unknown code is the zero BodyRef (the workflow
// refuses it naming the field).
func (s *Service) bodyRef(ctx context.Context, code string) (fengqiao.BodyRef, error) {
	if strings.TrimSpace(code) == "" {
		return fengqiao.BodyRef{}, nil
	}
	b, err := s.bodies().Body(ctx, code)
	if errors.Is(err, store.ErrNotFound) || fengqiao.ErrorCode(err) == fengqiao.ECodeNotFound {
		return fengqiao.BodyRef{}, nil
	}
	if err != nil {
		return fengqiao.BodyRef{}, fmt.Errorf("cases: body %s: %w", code, err)
	}
	return b.Ref(), nil
}

// trackArgs completes the arguments of the dispute track's actions before they go to the workflow:
// the bodies they name, resolved; a co-body's mediator, checked; the court of a confirmation, checked
// to be competent.
func (s *Service) trackArgs(ctx context.Context, id string, args any) error {
	var err error
	switch a := args.(type) {
	case *workflows.CoBodyArgs:
		a.BodyRef, err = s.bodyRef(ctx, a.Body)
	case *workflows.HandOffArgs:
		a.BodyRef, err = s.bodyRef(ctx, a.Body)
	case *workflows.AlternativeArgs:
		a.BodyRef, err = s.bodyRef(ctx, a.Body)
	case *workflows.CoMediatorArgs:
		var b fengqiao.BodyRef
		if b, err = s.bodyRef(ctx, a.Body); err == nil && b.Code != "" && a.Mediator != "" && !s.MediatesFor(a.Mediator, b) {
			return fieldErr("mediator", "holds no mediator role at "+b.Name+" ("+b.Code+")")
		}
	case *workflows.ConfirmationArgs:
		if a.Court == "" {
			return nil // the workflow names the missing field
		}
		v, gerr := s.Get(ctx, id)
		if gerr != nil {
			return gerr
		}
		courts, cerr := s.CompetentCourts(ctx, v)
		if cerr != nil {
			return cerr
		}
		var names []string
		for _, c := range courts {
			if c.Code == a.Court {
				return nil
			}
			names = append(names, c.Name+"（"+c.Code+"）")
		}
		if len(names) == 0 {
			names = []string{"无"}
		}
		if r := v.Referral; r != nil { // 委派调解: the entrusting court alone (CPL 205(一))
			return fieldErr("court", fmt.Sprintf("%s 对本协议的司法确认没有管辖权：本案系%s委派调解，调解协议应向%s（%s）申请司法确认（民事诉讼法第二百零五条第一项） / %s is not competent: the dispute was entrusted to mediation by %s, which alone confirms the agreement (CPL 205(1))",
				a.Court, r.Court.Name, r.Court.Name, r.Court.Code, a.Court, r.Court.Code))
		}
		return fieldErr("court", fmt.Sprintf("%s 对本协议的司法确认没有管辖权：应向委派调解的人民法院，或当事人住所地、标的物所在地、调解组织所在地的基层人民法院申请（民事诉讼法第二百零五条），可选：%s / %s is not competent: apply to the court that invited the mediation, or a basic court where a party lives, the subject matter lies or the committee sits (CPL 205)",
			a.Court, strings.Join(names, "、"), a.Court))
	}
	return err
}

func refAt(node string) policy.CaseRef { return policy.CaseRef{HandlingNode: node} }

// MediatesFor reports whether username may be named the mediator of body b in a joint mediation: they
// hold a mediator role at the body itself, or at its seat or above (a node grant covers the bodies
// seated in its subtree). The co-mediator action checks it; the case page lists whom it allows.
func (s *Service) MediatesFor(username string, b fengqiao.BodyRef) bool {
	return s.Authz.CanBeAssigned(username, refAt(b.Code)) || b.Node != "" && s.Authz.CanBeAssigned(username, refAt(b.Node))
}

// CompetentCourts are the courts a mediated agreement of the case may be confirmed by (民事诉讼法 2023
// art. 205): the court that entrusted the mediation for a court referral; else the basic courts
// (seated at a county, and their tribunals at a township) on the chain of the case's location, where
// the subject matter lies and the committee sits (the handling node and the body the case was handed to
// are on it). The parties' domiciles are not known to the case: a court of a party's domicile off that
// chain is not offered.
func (s *Service) CompetentCourts(ctx context.Context, v View) ([]fengqiao.BodyRef, error) {
	if v.Referral != nil {
		return []fengqiao.BodyRef{v.Referral.Court}, nil
	}
	chain, err := activities.ResolveChain(ctx, s.DB, v.Location)
	if err != nil {
		return nil, fmt.Errorf("cases: chain of %s: %w", v.Location, err)
	}
	basic := map[string]bool{}
	var codes []string
	for _, n := range chain {
		if n.Tier == fengqiao.TierCounty || n.Tier == fengqiao.TierTownship {
			basic[n.Code] = true
			codes = append(codes, n.Code)
		}
	}
	if v.HandedTo != nil && v.HandedTo.Node != "" && !basic[v.HandedTo.Node] {
		if seat, err := activities.ResolveChain(ctx, s.DB, v.HandedTo.Node); err == nil && len(seat) > 0 {
			if n := seat[len(seat)-1]; n.Tier == fengqiao.TierCounty || n.Tier == fengqiao.TierTownship {
				basic[n.Code] = true
				codes = append(codes, n.Code)
			}
		}
	}
	var out []fengqiao.BodyRef
	seen := map[string]bool{}
	bodies, err := s.DB.BodiesAt(ctx, codes)
	if err != nil {
		return nil, err
	}
	for _, b := range bodies {
		if b.Type == fengqiao.BodyCourt && !seen[b.Code] {
			seen[b.Code] = true
			out = append(out, b.Ref())
		}
	}
	// court nodes made after the bodies migration that have no body yet hang under their seat
	nodes, err := s.DB.AllNodes(ctx)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		if n.Tier == fengqiao.TierCourt && basic[n.ParentCode] && !seen[n.Code] {
			seen[n.Code] = true
			out = append(out, fengqiao.BodyRef{Code: n.Code, Name: n.Name, Type: fengqiao.BodyCourt, Node: n.ParentCode})
		}
	}
	return out, nil
}

// arbitrationFor is the labour arbitration body of a labour dispute at the location: the one seated
// nearest above it (the county's 劳动人事争议仲裁委员会); nil for other categories or when none is.
func (s *Service) arbitrationFor(ctx context.Context, category string, chain []fengqiao.ChainNode) (*fengqiao.BodyRef, error) {
	if !workflows.ArbitrationFits(category) {
		return nil, nil
	}
	codes := make([]string, len(chain))
	for i, n := range chain {
		codes[i] = n.Code
	}
	bodies, err := s.DB.BodiesAt(ctx, codes)
	if err != nil {
		return nil, err
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, b := range bodies {
			if b.Type == fengqiao.BodyArbitration && b.Node == chain[i].Code {
				r := b.Ref()
				return &r, nil
			}
		}
	}
	return nil, nil
}

// referralCourt checks a court referral's court: a court body (or court node) the officer acts for.
func (s *Service) referralCourt(ctx context.Context, code string) (fengqiao.BodyRef, error) {
	if strings.TrimSpace(code) == "" {
		return fengqiao.BodyRef{}, fieldErr("court", "is required: the court that entrusts the dispute to mediation")
	}
	b, err := s.bodyRef(ctx, code)
	if err != nil {
		return b, err
	}
	if b.Code == "" {
		if n, nerr := s.DB.Node(ctx, code); nerr == nil && n.Tier == fengqiao.TierCourt {
			return fengqiao.BodyRef{Code: n.Code, Name: n.Name, Type: fengqiao.BodyCourt, Node: n.ParentCode}, nil
		}
		return b, fieldErr("court", "names no court: "+code)
	}
	if b.Type != fengqiao.BodyCourt {
		return fengqiao.BodyRef{}, fieldErr("court", code+" is not a court")
	}
	return b, nil
}

// refer opens a court referral (委派调解) for a court officer: they must hold case.refer at the court
// they name; the case is routed like a dispute, and the court is its first contact.
func (s *Service) refer(ctx context.Context, user string, req OpenRequest) (View, bool, error) {
	ok, err := s.Authz.Can(user, policy.ActionCaseRefer, req.Court)
	if err != nil {
		return View{}, false, err
	}
	if !ok {
		s.audit(ctx, user, string(policy.ActionCaseRefer), req.Court, "cases", auditDenied, "not an officer of the court")
		return View{}, false, fengqiao.Errorf(fengqiao.ECodeForbidden, "only an officer of the court %s may entrust a dispute to mediation for it", req.Court)
	}
	actor := actorFor(s.Authz, user, policy.ActionCaseRefer, req.Court)
	v, created, err := s.Open(ctx, actor, req)
	if err != nil {
		return View{}, false, err
	}
	s.audit(ctx, user, string(policy.ActionCaseRefer), v.HandlingNode, "case/"+v.ID, auditOK, "opened court_referral "+v.Number)
	return s.shown(user, v), created, nil
}

// ReferralCourts are the courts user may entrust a dispute to mediation for (委派调解): each court
// (a court body, or a court node without one) where they hold a court officer's grant, in the order of
// their grants. The intake page offers them by name.
func (s *Service) ReferralCourts(ctx context.Context, user string) ([]fengqiao.BodyRef, error) {
	var out []fengqiao.BodyRef
	for _, g := range s.Authz.Grants(user) {
		if g.Role != fengqiao.RoleCourtOfficer || g.Node == policy.Global ||
			slices.ContainsFunc(out, func(b fengqiao.BodyRef) bool { return b.Code == g.Node }) {
			continue
		}
		ok, err := s.Authz.Can(user, policy.ActionCaseRefer, g.Node)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		b, err := s.referralCourt(ctx, g.Node)
		if fengqiao.ErrorCode(err) == fengqiao.ECodeInvalid {
			continue // a grant at a node that is no court entrusts nothing
		}
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
