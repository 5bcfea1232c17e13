package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/workflows"

	"github.com/gin-gonic/gin"
)

// caseParty is a party as staff see it: names, and identifiers only masked (rule 7).
type caseParty struct {
	Role           fengqiao.PartyRole `json:"role"`
	Name           string             `json:"name"`
	IDNumberMasked string             `json:"id_number_masked,omitempty"`
	PhoneMasked    string             `json:"phone_masked,omitempty"`
}

// caseResponse is the case of API.md: the workflow's view with parties masked and the actions this
// caller may take now (the workflow's state and the caller's roles both allow them).
type caseResponse struct {
	workflows.CaseView
	Parties        []caseParty `json:"parties"`
	AllowedActions []string    `json:"allowed_actions"`
}

func (s *Server) caseJSON(username string, v cases.View) (caseResponse, error) {
	out := caseResponse{CaseView: v, Parties: make([]caseParty, len(v.Parties)), AllowedActions: []string{}}
	out.CaseView.Parties = nil
	for i, p := range v.Parties {
		out.Parties[i] = caseParty{Role: p.Role, Name: p.Name}
		if p.IDNumber != "" {
			out.Parties[i].IDNumberMasked = fengqiao.MaskIDNumber(p.IDNumber)
		}
		if p.Phone != "" {
			out.Parties[i].PhoneMasked = fengqiao.MaskPhone(p.Phone)
		}
	}
	if out.NextActions == nil {
		out.NextActions = []string{}
	}
	var err error
	out.AllowedActions, err = cases.AllowedActions(s.Policy, username, v)
	return out, err
}

// loadCase fetches a case and checks that the caller may do action on it, answering the request
// itself when not.
func (s *Server) loadCase(c *gin.Context, action policy.Action) (cases.View, bool) {
	v, err := s.authorizedCase(c, c.Param("id"), action)
	if err != nil {
		s.fail(c, err)
		return cases.View{}, false
	}
	return v, true
}

// authorizedCase fetches a case for an action: not_found when the caller may not know it exists (or
// it does not), forbidden when they may see it but not act. Denials are audited.
func (s *Server) authorizedCase(c *gin.Context, id string, action policy.Action) (cases.View, error) {
	if !cases.ValidID(id) {
		return cases.View{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no case %s", id)
	}
	v, err := s.Cases.Get(c.Request.Context(), id)
	if err != nil {
		return cases.View{}, s.decide(c, id, action, policy.CaseRef{}, err)
	}
	return v, s.decide(c, id, action, cases.Ref(v), nil)
}

// authorizedRef is authorizedCase for an action on the case, which needs only what the authorizer
// needs: it reads the case's projection row, so that an action costs the engine its update and no
// query. The row is as fresh as the case's last step (each step writes it before it answers).
func (s *Server) authorizedRef(c *gin.Context, id string, action policy.Action) (policy.CaseRef, error) {
	if !cases.ValidID(id) {
		return policy.CaseRef{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no case %s", id)
	}
	ref, err := s.Cases.RefOf(c.Request.Context(), id)
	return ref, s.decide(c, id, action, ref, err)
}

// decide answers whether the caller may do action on the case whose lookup gave ref (or err).
func (s *Server) decide(c *gin.Context, id string, action policy.Action, ref policy.CaseRef, err error) error {
	notFound := fengqiao.Errorf(fengqiao.ECodeNotFound, "no case %s", id)
	if fengqiao.ErrorCode(err) == fengqiao.ECodeNotFound {
		s.audit(c, string(action), "", "case/"+id, auditDenied, "no such case")
		return notFound
	}
	if err != nil {
		return err
	}
	d, err := s.Policy.CanOnCase(caller(c).Username, action, ref)
	if err != nil {
		return err
	}
	if !d.Allowed {
		s.audit(c, string(action), ref.HandlingNode, "case/"+id, auditDenied, d.Reason)
		if !d.Visible {
			return notFound
		}
		return errForbidden
	}
	return nil
}

// openCase is the intake (rule 1): any clerk anywhere, a grid worker in their grid.
func (s *Server) openCase(c *gin.Context) {
	var req cases.OpenRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if err := req.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	user := caller(c).Username
	action := policy.ActionCaseOpen
	if req.ResolvedOnSpot != nil {
		action = policy.ActionCaseResolveOnSpot
	}
	for _, a := range []policy.Action{policy.ActionCaseOpen, action} {
		d, err := s.Policy.CanOnCase(user, a, policy.CaseRef{Location: req.Location})
		if err != nil {
			s.fail(c, err)
			return
		}
		if !d.Allowed {
			s.audit(c, string(a), req.Location, "cases", auditDenied, d.Reason)
			if d.Reason != "" && strings.Contains(d.Reason, "unknown") {
				s.fail(c, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "location: no such jurisdiction",
					Fields: []fengqiao.FieldError{{Field: "location", Message: "no such jurisdiction " + req.Location}}})
				return
			}
			s.fail(c, errForbidden)
			return
		}
	}
	actor := cases.ActorFor(s.Policy, user, action, req.Location)
	v, created, err := s.Cases.Open(c.Request.Context(), actor, req)
	if err != nil {
		var fe *fengqiao.Error
		if errors.As(err, &fe) && fe.Code == fengqiao.ECodeDuplicateCase {
			s.audit(c, string(policy.ActionCaseOpen), req.Location, "case/"+fe.Details["existing_case_id"], auditOK, "duplicate intake of an open matter")
		}
		s.fail(c, err)
		return
	}
	s.audit(c, string(action), v.HandlingNode, "case/"+v.ID, auditOK, "opened "+string(v.Kind)+" "+v.Number)
	out, err := s.caseJSON(user, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	c.JSON(status, out)
}

// getCase returns the full record; every such read is audited (PIPL 51).
func (s *Server) getCase(c *gin.Context) {
	v, ok := s.loadCase(c, policy.ActionCaseRead)
	if !ok {
		return
	}
	out, err := s.caseJSON(caller(c).Username, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, string(policy.ActionCaseRead), v.HandlingNode, "case/"+v.ID, auditRead, "")
	c.JSON(http.StatusOK, out)
}

type timelineEvent struct {
	Seq    int64           `json:"seq"`
	At     string          `json:"at"`
	Type   string          `json:"type"`
	Actor  string          `json:"actor"`
	Node   string          `json:"node"`
	Detail json.RawMessage `json:"detail"`
}

func (s *Server) caseTimeline(c *gin.Context) {
	v, ok := s.loadCase(c, policy.ActionCaseRead)
	if !ok {
		return
	}
	events, err := s.Cases.Timeline(c.Request.Context(), v.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, string(policy.ActionCaseRead), v.HandlingNode, "case/"+v.ID+"/timeline", auditRead, "")
	items := make([]timelineEvent, len(events))
	for i, e := range events {
		detail := json.RawMessage(e.Detail)
		if !json.Valid(detail) {
			detail, _ = json.Marshal(e.Detail)
		}
		items[i] = timelineEvent{Seq: e.Seq, At: e.OccurredAt.Format(time.RFC3339), Type: e.Type, Actor: e.Actor, Node: e.Node, Detail: detail}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// caseAction performs one action on a case through the workflow's update and returns the case as the
// update left it; a refusal by the workflow changes nothing and is 409 with the workflow's reason.
func (s *Server) caseAction(c *gin.Context) {
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
	if err != nil {
		s.fail(c, fengqiao.Errorf(fengqiao.ECodeTooLarge, "the request body is larger than %d bytes", maxBody))
		return
	}
	out, err := s.actOnCase(c, c.Param("id"), c.Param("action"), raw)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// actOnCase decodes an action's arguments strictly, authorizes the caller on the case, and sends the
// workflow update. The single-case endpoint and the supervisor's bulk action both come here.
func (s *Server) actOnCase(c *gin.Context, id, name string, raw []byte) (caseResponse, error) {
	action, known := cases.Permission(name)
	if !known {
		return caseResponse{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no case action %q", name)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = []byte("{}") // actions without arguments may send no body
	}
	args := workflows.NewArgs(name)
	if err := decodeBytes(raw, args); err != nil {
		return caseResponse{}, err
	}
	ref, err := s.authorizedRef(c, id, action)
	if err != nil {
		return caseResponse{}, err
	}
	user := caller(c).Username
	if name == workflows.UpdateAssign {
		mediator := args.(*workflows.AssignArgs).Mediator
		if !s.Policy.CanBeAssigned(mediator, ref) {
			return caseResponse{}, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "mediator: holds no mediator role covering the handling node",
				Fields: []fengqiao.FieldError{{Field: "mediator", Message: "holds no mediator role covering " + ref.HandlingNode}}}
		}
	}
	actor := cases.ActorFor(s.Policy, user, action, ref.HandlingNode, ref.Location)
	after, err := s.Cases.ActOnce(c.Request.Context(), actor, id, name, args, updateID(c, user))
	if err != nil {
		return caseResponse{}, err
	}
	s.audit(c, string(action), after.HandlingNode, "case/"+id, auditOK, name)
	return s.caseJSON(user, after)
}

// updateID derives the workflow update id from the request's Idempotency-Key (per user), so that a
// retried action is applied once even when its first answer was lost; "" without a key.
func updateID(c *gin.Context, user string) string {
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(user + "\x00" + key))
	return "idem-" + hex.EncodeToString(sum[:16])
}

// listCases lists the cases the caller may read, filtered in SQL by the caller's read scope.
func (s *Server) listCases(c *gin.Context) {
	limit, err := pageLimit(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	user := caller(c).Username
	f := store.CaseFilter{Status: c.Query("status"), Tier: c.Query("tier"), After: c.Query("cursor"), Limit: limit + 1}
	var v fengqiao.Validation
	if f.Status != "" {
		v.Check(fengqiao.Status(f.Status).Valid(), "status", "is not a known status")
	}
	if f.Tier != "" {
		v.Check(fengqiao.Tier(f.Tier).Valid(), "tier", "is not a known tier")
	}
	for _, b := range []struct {
		name string
		dst  **bool
	}{{"overdue", &f.Overdue}, {"at_risk", &f.AtRisk}, {"unacknowledged", &f.Unacknowledged}} {
		if raw := c.Query(b.name); raw != "" {
			val, err := strconv.ParseBool(raw)
			v.Check(err == nil, b.name, "must be true or false")
			*b.dst = &val
		}
	}
	switch c.Query("assignee") {
	case "":
	case "me":
		f.Assignee = user
	default:
		f.Assignee = c.Query("assignee")
	}
	if node := c.Query("node"); node != "" {
		path, ok := s.Policy.PathOf(node)
		v.Check(ok, "node", "no such jurisdiction")
		f.Under = path
	}
	if err := v.Err(); err != nil {
		s.fail(c, err)
		return
	}
	scope := s.Policy.ReadScope(user)
	f.Scope = &store.ReadScope{User: user, Subtrees: scope.Subtrees, Courts: scope.Courts,
		FirstContactSubtrees: scope.FirstContactSubtrees, FirstContact: scope.FirstContact, Assigned: scope.Assigned}
	rows, err := s.DB.ListCases(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows, next := page(rows, limit, func(r store.CaseRow) string { return r.ID })
	items := make([]caseSummary, len(rows))
	for i, r := range rows {
		items[i] = summarize(r)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

// caseSummary is a case in a list: what a workbench row shows, no personal data.
type caseSummary struct {
	ID             string     `json:"id"`
	Number         string     `json:"number"`
	Kind           string     `json:"kind"`
	Category       string     `json:"category"`
	Summary        string     `json:"summary"`
	Status         string     `json:"status"`
	Tier           string     `json:"tier"`
	HandlingNode   string     `json:"handling_node"`
	Location       string     `json:"location"`
	Assignee       *string    `json:"assignee"`
	Visits         int        `json:"visits"`
	OneVisitBreach bool       `json:"one_visit_breach"`
	TierDueAt      *time.Time `json:"tier_due_at"`
	StatutoryDueAt *time.Time `json:"statutory_due_at"`
	AtRisk         bool       `json:"at_risk"`
	Overdue        bool       `json:"overdue"`
	Unacknowledged bool       `json:"unacknowledged"`
	OpenedAt       time.Time  `json:"opened_at"`
}

func summarize(r store.CaseRow) caseSummary {
	out := caseSummary{ID: r.ID, Number: r.Number, Kind: r.Kind, Category: r.Category, Summary: r.Summary,
		Status: r.Status, Tier: r.Tier, HandlingNode: r.HandlingNode, Location: r.Location, Visits: r.Visits,
		OneVisitBreach: r.OneVisitBreach, TierDueAt: r.TierDueAt, StatutoryDueAt: r.StatutoryDueAt,
		AtRisk: r.AtRisk, Overdue: r.Overdue, Unacknowledged: r.Unacknowledged, OpenedAt: r.OpenedAt}
	if r.Assignee != "" {
		a := r.Assignee
		out.Assignee = &a
	}
	return out
}

type lookupRequest struct {
	IDNumber string `json:"id_number"`
}

// lookupCases finds a person's open cases by ID number, among those the caller may read: the clerk's
// check before an intake (rule 3, 最多跑一次). The number travels in the body, never in a URL that
// proxies would log, and is matched by its keyed hash; the search is audited.
func (s *Server) lookupCases(c *gin.Context) {
	var req lookupRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id := fengqiao.NormalizeIDNumber(req.IDNumber)
	if !fengqiao.ValidIDNumber(id) {
		s.fail(c, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "id_number must be a valid 18-digit resident ID number",
			Fields: []fengqiao.FieldError{{Field: "id_number", Message: "must be a valid 18-digit resident ID number"}}})
		return
	}
	user := caller(c).Username
	scope := s.Policy.ReadScope(user)
	rows, err := s.DB.ListCases(c.Request.Context(), store.CaseFilter{Limit: 100, OpenOnly: true,
		PartyIDHashes: s.Cases.Keys.HashAll("id_number", id),
		Scope: &store.ReadScope{User: user, Subtrees: scope.Subtrees, Courts: scope.Courts,
			FirstContactSubtrees: scope.FirstContactSubtrees, FirstContact: scope.FirstContact, Assigned: scope.Assigned}})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, string(policy.ActionCaseRead), "", "cases/lookup", auditRead, fmt.Sprintf("%d open cases found", len(rows)))
	items := make([]caseSummary, len(rows))
	for i, r := range rows {
		items[i] = summarize(r)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
