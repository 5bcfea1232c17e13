package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/store"
	"fengqiao/workflows"

	"github.com/gin-gonic/gin"
)

// caseParty is a party as staff see it: names, and identifiers only masked (rule 7).
// An organisation shows its credit code and representative (public registration data); a person's
// other identity (gender, ethnicity, birth date, address) is printed on documents only.
type caseParty struct {
	Role           fengqiao.PartyRole `json:"role"`
	Kind           fengqiao.PartyKind `json:"kind"`
	Name           string             `json:"name"`
	IDNumberMasked string             `json:"id_number_masked,omitempty"`
	PhoneMasked    string             `json:"phone_masked,omitempty"`
	CreditCode     string             `json:"credit_code,omitempty"`
	Representative string             `json:"representative,omitempty"`
	RepTitle       string             `json:"representative_title,omitempty"`
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
		out.Parties[i] = caseParty{Role: p.Role, Kind: fengqiao.PartyPerson, Name: p.Name}
		if p.Organization() {
			out.Parties[i].Kind, out.Parties[i].CreditCode = p.Kind, p.CreditCode
			out.Parties[i].Representative, out.Parties[i].RepTitle = p.Representative, p.RepresentativeTitle
		}
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
	out.AllowedActions, err = s.Cases.AllowedActions(username, v)
	return out, err
}

// openCase is the intake (rule 1): any clerk anywhere, a grid worker in their grid.
func (s *Server) openCase(c *gin.Context) {
	var req cases.OpenRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	v, created, err := s.Cases.Intake(c.Request.Context(), caller(c).Username, req)
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respondIntake(c, status, v, req)
}

// respondCase answers with the case as the caller sees it, or with err.
func (s *Server) respondCase(c *gin.Context, status int, v cases.View, err error) {
	var out caseResponse
	if err == nil {
		out, err = s.caseJSON(caller(c).Username, v)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, out)
}

// getCase returns the full record; every such read is audited (PIPL 51).
func (s *Server) getCase(c *gin.Context) {
	v, err := s.Cases.Read(c.Request.Context(), caller(c).Username, c.Param("id"))
	s.respondCase(c, http.StatusOK, v, err)
}

type timelineEvent struct {
	Seq    int64           `json:"seq"`
	At     string          `json:"at"`
	Type   string          `json:"type"`
	Actor  string          `json:"actor"`
	Node   string          `json:"node"`
	Detail json.RawMessage `json:"detail"`
	// Args are the facts the event names (its body, tier, dates, decision), null on an event stored
	// before facts existed; Text is its sentence in the request's language, as the case page writes it.
	Args map[string]string `json:"args"`
	Text string            `json:"text,omitempty"`
}

func (s *Server) caseTimeline(c *gin.Context) {
	events, err := s.Cases.ReadTimeline(c.Request.Context(), caller(c).Username, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]timelineEvent, len(events))
	for i, e := range events {
		detail := json.RawMessage(e.Detail)
		if !json.Valid(detail) {
			detail, _ = json.Marshal(e.Detail)
		}
		items[i] = timelineEvent{Seq: e.Seq, At: e.OccurredAt.Format(time.RFC3339), Type: e.Type, Actor: e.Actor, Node: e.Node, Detail: detail}
		structured := e.Args != ""
		if structured {
			items[i].Args = e.ArgMap()
		}
		if s.Pages != nil {
			items[i].Text = s.Pages.EventText(c.Request, e.Type, structured, e.ArgMap(), e.Detail)
		}
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
	after, err := s.Cases.Perform(c.Request.Context(), caller(c).Username, c.Param("id"), c.Param("action"),
		jsonArgs(raw), c.GetHeader("Idempotency-Key"))
	s.respondCase(c, http.StatusOK, after, err)
}

// jsonArgs decodes an action's arguments strictly from raw; actions without arguments may send no body.
func jsonArgs(raw []byte) func(any) error {
	return func(args any) error {
		if len(bytes.TrimSpace(raw)) == 0 {
			raw = []byte("{}")
		}
		return decodeBytes(raw, args)
	}
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
	rows, err := s.Cases.List(c.Request.Context(), user, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows, next := page(rows, limit, func(r store.CaseRow) string { return r.ID })
	c.JSON(http.StatusOK, gin.H{"items": summaries(rows), "next_cursor": next})
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
	NextDueAt      *time.Time `json:"next_due_at,omitempty"`
	NextDueKind    string     `json:"next_due_kind,omitempty"`
	AtRisk         bool       `json:"at_risk"`
	Overdue        bool       `json:"overdue"`
	Unacknowledged bool       `json:"unacknowledged"`
	OpenedAt       time.Time  `json:"opened_at"`
}

func summarize(r store.CaseRow) caseSummary {
	out := caseSummary{ID: r.ID, Number: r.Number, Kind: r.Kind, Category: r.Category, Summary: r.Summary,
		Status: r.Status, Tier: r.Tier, HandlingNode: r.HandlingNode, Location: r.Location, Visits: r.Visits,
		OneVisitBreach: r.OneVisitBreach, TierDueAt: r.TierDueAt, StatutoryDueAt: r.StatutoryDueAt,
		NextDueAt: r.NextDueAt, NextDueKind: r.NextDueKind,
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
	rows, err := s.Cases.Lookup(c.Request.Context(), caller(c).Username, req.IDNumber)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": summaries(rows)})
}
