package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/store"
	"fengqiao/workflows"
)

// The case page's bodies (issue #17): who handles the case, the co-bodies of a joint mediation at the
// county centre (联合调解) with their mediators and parts, the court that entrusted a referral (委派调解)
// and the court that confirms; and the choices by name that replace typed codes — a co-body, its
// mediator, the mediator of the case, the node a case is escalated or returned to.

// formField is one input of an action's form as the case page shows it: the application's field, and
// the type-ahead that chooses its value by name (static/typeahead.js; the select stays the field
// without JavaScript).
type formField struct {
	cases.Field
	Typeahead string
}

// coBodyView is a co-body of a joint mediation.
type coBodyView struct {
	Code, Name, Type string
	Mediator         string // the login of its mediator, "" until one is named
	Removed          bool
	Parts            []partView
	// CanName says the user may name the body's mediator; Mediators are whom (the select without
	// JavaScript), Typeahead the staff type-ahead of the same people.
	CanName   bool
	Mediators []cases.Option
	Typeahead string
}

// partView is one part a co-body's mediator recorded.
type partView struct {
	HeldAt, By, Notes string
}

// bodiesView is what the case page says of the bodies on the case.
type bodiesView struct {
	// Handling is the handling body (or the body the case was handed to), Type its type in words.
	Handling, HandlingType string
	CoBodies               []coBodyView
	// Court is the court that entrusted a referral, CourtCaseNo its pre-filing number, FilingNo the
	// number it filed the case under once it came back.
	Court, CourtCaseNo, FilingNo string
	// Confirming is the court that confirms (or confirmed) the agreement: the one it was sent to, else
	// the entrusting court of a referral (CPL 205(一)).
	Confirming string
}

// statusKey is the message key of the case's status: a referral returned to its court for filing reads
// 退回委派法院立案 (and 委派法院已立案 once filed), not the petition's 已导入法定途径.
func statusKey(kind fengqiao.Kind, status fengqiao.Status, ref *workflows.Referral) string {
	if kind == fengqiao.KindCourtReferral && status == fengqiao.StatusReferredOut {
		if ref != nil && ref.FiledAt != nil {
			return "status.court_filed"
		}
		return "status.returned_for_filing"
	}
	return "status." + string(status)
}

// bodies builds the bodies block of the case page; mayName says the user may name co-bodies' mediators.
func (h *handler) bodies(r *http.Request, p *page, names *nodeNames, v cases.View, mayName bool) (bodiesView, error) {
	var b bodiesView
	if hb := cmp.Or(v.HandedTo, v.HandlingBody); hb != nil && hb.Name != "" {
		b.Handling, b.HandlingType = hb.Name, p.TOr("body."+string(hb.Type), string(hb.Type))
	}
	for _, c := range v.CoBodies {
		cv := coBodyView{Code: c.Body.Code, Name: c.Body.Name, Type: p.TOr("body."+string(c.Body.Type), string(c.Body.Type)),
			Mediator: c.Mediator, Removed: !c.Active()}
		for _, part := range c.Parts {
			cv.Parts = append(cv.Parts, partView{HeldAt: part.HeldAt.In(deadline.China).Format("2006-01-02 15:04"),
				By: p.Name(part.By), Notes: part.Notes})
		}
		if mayName && c.Active() {
			var err error
			cv.CanName = true
			if cv.Mediators, err = h.coMediatorOptions(r, c.Body); err != nil {
				return b, err
			}
			cv.Typeahead = "/typeahead/staff?role=mediator&enabled=1&body=" + url.QueryEscape(c.Body.Code)
		}
		b.CoBodies = append(b.CoBodies, cv)
	}
	if ref := v.Referral; ref != nil {
		b.Court, b.CourtCaseNo, b.FilingNo = ref.Court.Name, ref.CourtCaseNo, ref.FilingNo
		b.Confirming = ref.Court.Name
	}
	if v.Confirmation != nil && v.Confirmation.Court != "" {
		b.Confirming = names.label(v.Confirmation.Court)
	}
	return b, nil
}

// staffOptions are the usernames as a select offers them, "周督办（鼓楼街道） · sup-town", leaving
// disabled accounts out.
func (h *handler) staffOptions(r *http.Request, usernames []string) ([]cases.Option, error) {
	var out []cases.Option
	for _, u := range usernames {
		row, err := h.DB.User(r.Context(), u)
		if err != nil {
			continue // removed meanwhile
		}
		if row.Disabled {
			continue
		}
		label := u
		if row.DisplayName != "" {
			label = row.DisplayName + " · " + u
		}
		out = append(out, cases.Option{Value: u, Label: label})
	}
	return out, nil
}

// coMediatorOptions are the mediators who may be named the mediator of body b in a joint mediation
// (cases.Service.MediatesFor): those granted at the body first, then those granted at its seat or above.
func (h *handler) coMediatorOptions(r *http.Request, b fengqiao.BodyRef) ([]cases.Option, error) {
	codes := []string{b.Code}
	if body, err := h.DB.Body(r.Context(), b.Code); err == nil {
		codes = append(codes, store.PathCodes(body.NodePath)...)
	}
	own := h.Policy.Holders(fengqiao.RoleMediator, b.Code) // the body's own mediators first
	names := slices.Clone(own)
	for _, u := range h.Policy.Holders(fengqiao.RoleMediator, codes...) {
		if !slices.Contains(own, u) && h.Cases.MediatesFor(u, b) {
			names = append(names, u)
		}
	}
	return h.staffOptions(r, names)
}

// coBodyChoices are the bodies the co-body form offers: the active co-bodies first (to remove), then
// the committees, professional committees and agencies seated on the case's chain that may join
// (the lead body left out), each by name.
func (h *handler) coBodyChoices(r *http.Request, p *page, v cases.View) ([]cases.Option, error) {
	out := []cases.Option{{Value: "", Label: "choice.none"}}
	active := map[string]bool{}
	for _, c := range v.CoBodies {
		if c.Active() {
			active[c.Body.Code] = true
			out = append(out, cases.Option{Value: c.Body.Code, Label: p.T("joint.taking_part", c.Body.Name)})
		}
	}
	more, err := h.chainBodies(r, p, v, active, fengqiao.BodyCommittee, fengqiao.BodyProfessional, fengqiao.BodyAgency)
	return append(out, more...), err
}

// chainBodies are the bodies of the types seated on the case's chain, the nearest tier first, by name
// and type — the lead body and those in skip left out: the bodies a form may name (a co-body, the body
// a case is handed to, the notary or arbitration body of an alternative route).
func (h *handler) chainBodies(r *http.Request, p *page, v cases.View, skip map[string]bool, types ...fengqiao.BodyType) ([]cases.Option, error) {
	bodies, err := h.DB.BodiesAt(r.Context(), store.PathCodes(v.LocationPath))
	if err != nil {
		return nil, err
	}
	lead := ""
	if v.HandlingBody != nil {
		lead = v.HandlingBody.Code
	}
	slices.SortStableFunc(bodies, func(a, b fengqiao.Body) int { return len(b.NodePath) - len(a.NodePath) })
	var out []cases.Option
	for _, b := range bodies {
		if !slices.Contains(types, b.Type) || skip[b.Code] || b.Code == lead || b.Code == v.HandlingNode {
			continue
		}
		out = append(out, cases.Option{Value: b.Code, Label: b.Name + "（" + p.TOr("body."+string(b.Type), string(b.Type)) + "）"})
	}
	return out, nil
}

// partBodies are the co-bodies whose mediator user is: the joint-part form records the part of one of
// them (a hidden field when there is one).
func partBodies(v cases.View, user string) []cases.Option {
	var out []cases.Option
	for _, c := range v.CoBodies {
		if c.Active() && c.Mediator == user {
			out = append(out, cases.Option{Value: c.Body.Code, Label: c.Body.Name})
		}
	}
	return out
}

// ladderChoices are the nodes of the case's own chain an escalation or a return may name, by name:
// for an escalation the next tier up (the only one rule 2 allows), for a return every tier below the
// handling node that mediates.
func (h *handler) ladderChoices(p *page, names *nodeNames, v cases.View, up bool) []cases.Option {
	chain := store.PathCodes(v.LocationPath)
	at := slices.Index(chain, v.HandlingNode)
	if at < 0 {
		return nil
	}
	label := func(n fengqiao.Node) string { return n.Name + " · " + p.T("route.tier."+string(n.Tier)) }
	if up {
		for i := at - 1; i >= 0; i-- {
			if n := names.node(chain[i]); n.Tier.HasMediationPower() {
				return []cases.Option{{Value: n.Code, Label: p.T("ladder.up", label(n))}}
			}
		}
		return nil
	}
	out := []cases.Option{{Value: "", Label: "choice.none"}}
	for i := at + 1; i < len(chain); i++ {
		if n := names.node(chain[i]); n.Tier.HasMediationPower() {
			out = append(out, cases.Option{Value: n.Code, Label: label(n)})
		}
	}
	return out
}

// jointRows are the open cases mediated jointly with a body where the user holds a mediator's grant
// (a bureau's mediator): the workbench lists them, before and after the centre names the mediator, as
// their assigned cases are listed. A mediator granted at nodes only has none.
func (h *handler) jointRows(r *http.Request, p *page, names *nodeNames) ([]caseRowView, error) {
	var mine []string
	for _, g := range p.Roles {
		if _, body := h.Policy.IsBody(g.Node); g.Role == fengqiao.RoleMediator && body {
			mine = append(mine, ","+g.Node+",")
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	rows, err := h.Cases.List(r.Context(), p.User.Username, store.CaseFilter{OpenOnly: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	var out []caseRowView
	for _, row := range rows {
		if slices.ContainsFunc(mine, func(b string) bool { return strings.Contains(row.CoBodies, b) }) {
			out = append(out, h.rowView(p, names, row))
		}
	}
	h.markRows(r.Context(), out)
	return out, nil
}
