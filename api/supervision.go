package api

import (
	"encoding/json"
	"net/http"
	"time"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/workflows"

	"github.com/gin-gonic/gin"
)

// supervisionScope is the subtree a supervisor's board covers: ?node= (which the caller must supervise)
// or every node where the caller holds supervision.read.
func (s *Server) supervisionScope(c *gin.Context) (store.ReadScope, bool) {
	user := caller(c).Username
	scope := store.ReadScope{User: user}
	if node := c.Query("node"); node != "" {
		path, ok := s.Policy.PathOf(node)
		if !ok {
			s.fail(c, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "node: no such jurisdiction",
				Fields: []fengqiao.FieldError{{Field: "node", Message: "no such jurisdiction " + node}}})
			return scope, false
		}
		if !s.allow(c, policy.ActionSupervisionRead, node) {
			return scope, false
		}
		scope.Subtrees = []string{path}
		return scope, true
	}
	for _, g := range s.Policy.Grants(user) {
		ok, err := s.Policy.Can(user, policy.ActionSupervisionRead, g.Node)
		if err != nil {
			s.fail(c, err)
			return scope, false
		}
		if !ok {
			continue
		}
		if g.Node == policy.Global {
			scope.Subtrees = []string{"/"}
			break
		}
		if path, known := s.Policy.PathOf(g.Node); known {
			scope.Subtrees = append(scope.Subtrees, path)
		}
	}
	if len(scope.Subtrees) == 0 {
		s.audit(c, string(policy.ActionSupervisionRead), "", "supervision/queue", auditDenied, "no supervising role")
		s.fail(c, errForbidden)
		return scope, false
	}
	return scope, true
}

// supervisionQueue is the board of DESIGN.md rule 4: overdue, at risk, unacknowledged, most urgent first.
func (s *Server) supervisionQueue(c *gin.Context) {
	limit, err := pageLimit(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	scope, ok := s.supervisionScope(c)
	if !ok {
		return
	}
	q, err := s.DB.Supervision(c.Request.Context(), scope, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	list := func(rows []store.CaseRow) []caseSummary {
		out := make([]caseSummary, len(rows))
		for i, r := range rows {
			out[i] = summarize(r)
		}
		return out
	}
	c.JSON(http.StatusOK, gin.H{"overdue": list(q.Overdue), "at_risk": list(q.AtRisk), "unacknowledged": list(q.Unacknowledged)})
}

type bulkRequest struct {
	CaseIDs []string        `json:"case_ids"`
	Action  string          `json:"action"`
	Args    json.RawMessage `json:"args"`
}

type bulkResult struct {
	CaseID string        `json:"case_id"`
	OK     bool          `json:"ok"`
	Status int           `json:"status"`
	Case   *caseResponse `json:"case,omitempty"`
	Error  any           `json:"error,omitempty"`
}

// bulkActions are the actions a supervisor may apply to many cases at once.
var bulkActions = map[string]bool{workflows.UpdateAssign: true, workflows.UpdateEscalate: true,
	workflows.UpdateExtend: true, workflows.UpdateAcknowledge: true}

// supervisionBulk applies one action to up to 100 cases, each exactly as POST /cases/{id}/{action}
// would (same authorization, same workflow validation), and reports per case.
func (s *Server) supervisionBulk(c *gin.Context) {
	var req bulkRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var v fengqiao.Validation
	v.Check(bulkActions[req.Action], "action", "must be assign, escalate, extend or acknowledge")
	v.Check(len(req.CaseIDs) > 0 && len(req.CaseIDs) <= 100, "case_ids", "must list 1 to 100 cases")
	if err := v.Err(); err != nil {
		s.fail(c, err)
		return
	}
	if len(req.Args) == 0 {
		req.Args = json.RawMessage("{}")
	}
	results := make([]bulkResult, len(req.CaseIDs))
	for i, id := range req.CaseIDs {
		results[i] = s.bulkOne(c, id, req.Action, req.Args)
	}
	c.JSON(http.StatusOK, gin.H{"results": results})
}

// bulkOne runs one case's action exactly as the single-case endpoint does.
func (s *Server) bulkOne(c *gin.Context, id, action string, args json.RawMessage) bulkResult {
	out, err := s.actOnCase(c, id, action, args)
	if err != nil {
		status, body := s.problem(c, err)
		return bulkResult{CaseID: id, Status: status, Error: body}
	}
	return bulkResult{CaseID: id, OK: true, Status: http.StatusOK, Case: &out}
}

// stats are the figures of DESIGN.md for a subtree and period, computed in SQL on the projection.
func (s *Server) stats(c *gin.Context) {
	node := c.Query("node")
	path := "/"
	if node != "" {
		p, ok := s.Policy.PathOf(node)
		if !ok {
			s.fail(c, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "node: no such jurisdiction",
				Fields: []fengqiao.FieldError{{Field: "node", Message: "no such jurisdiction " + node}}})
			return
		}
		path = p
	} else {
		node = policy.Global
	}
	var v fengqiao.Validation
	to := time.Now().UTC()
	from := to.AddDate(0, 0, -30)
	if raw := c.Query("from"); raw != "" {
		t, err := parseDay(raw)
		v.Check(err == nil, "from", "must be a date (2026-01-31) or an RFC 3339 time")
		from = t
	}
	if raw := c.Query("to"); raw != "" {
		t, err := parseDay(raw)
		v.Check(err == nil, "to", "must be a date (2026-01-31) or an RFC 3339 time")
		to = t
	}
	v.Check(!to.Before(from), "to", "must not be before from")
	if err := v.Err(); err != nil {
		s.fail(c, err)
		return
	}
	if !s.allow(c, policy.ActionStatsRead, node) {
		return
	}
	st, err := s.DB.CaseStats(c.Request.Context(), path, from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"node": c.Query("node"), "from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339), "stats": st})
}

// parseDay reads a date (the whole day in China time) or an RFC 3339 time.
func parseDay(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.FixedZone("CST", 8*3600))
	return t.UTC(), err
}
