package api

import (
	"encoding/json"
	"net/http"
	"time"

	"fengqiao"
	"fengqiao/store"

	"github.com/gin-gonic/gin"
)

// supervisionQueue is the board of DESIGN.md rule 4: overdue, at risk, unacknowledged, most urgent first.
func (s *Server) supervisionQueue(c *gin.Context) {
	limit, err := pageLimit(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q, err := s.Cases.Board(c.Request.Context(), caller(c).Username, c.Query("node"), limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"overdue": summaries(q.Overdue), "at_risk": summaries(q.AtRisk),
		"unacknowledged": summaries(q.Unacknowledged)})
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

// supervisionBulk applies one action to up to 100 cases, each exactly as POST /cases/{id}/{action}
// would (same authorization, same workflow validation), and reports per case.
func (s *Server) supervisionBulk(c *gin.Context) {
	var req bulkRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	user := caller(c).Username
	outcomes, err := s.Cases.Bulk(c.Request.Context(), user, req.CaseIDs, req.Action, jsonArgs(req.Args),
		c.GetHeader("Idempotency-Key"))
	if err != nil {
		s.fail(c, err)
		return
	}
	results := make([]bulkResult, len(outcomes))
	for i, o := range outcomes {
		results[i] = bulkResult{CaseID: o.ID, OK: o.Err == nil, Status: http.StatusOK}
		if o.Err == nil {
			out, err := s.caseJSON(user, *o.Case)
			if err == nil {
				results[i].Case = &out
				continue
			}
			o.Err = err
			results[i].OK = false
		}
		results[i].Status, results[i].Error = s.problem(c, o.Err)
	}
	c.JSON(http.StatusOK, gin.H{"results": results})
}

// stats are the figures of DESIGN.md for a subtree and period, computed in SQL on the projection: by
// default this month in China time; ?from= and ?to= are dates (both days counted whole, in China time)
// or RFC 3339 instants (to exclusive).
func (s *Server) stats(c *gin.Context) {
	from, to, err := StatsPeriod(time.Now(), c.Query("from"), c.Query("to"))
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.Cases.Stats(c.Request.Context(), caller(c).Username, c.Query("node"), from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"node": c.Query("node"), "from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339), "stats": st})
}

// StatsPeriod reads a statistics period [from, to): from defaults to the first day of now's month and
// to to the end of now's day, in China time. A date stands for its whole day in China time (to
// included); an RFC 3339 time is taken as it is. A bad value is a validation error naming its field.
func StatsPeriod(now time.Time, rawFrom, rawTo string) (from, to time.Time, err error) {
	day := now.In(china)
	from = time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, china)
	to = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, china)
	var v fengqiao.Validation
	if rawFrom != "" {
		t, perr := ParseDay(rawFrom)
		v.Check(perr == nil, "from", "must be a date (2026-01-31) or an RFC 3339 time")
		from = t
	}
	if rawTo != "" {
		t, perr := ParseDay(rawTo)
		v.Check(perr == nil, "to", "must be a date (2026-01-31) or an RFC 3339 time")
		if _, dateErr := time.Parse("2006-01-02", rawTo); dateErr == nil {
			t = t.AddDate(0, 0, 1) // the whole last day
		}
		to = t
	}
	if err := v.Err(); err != nil {
		return time.Time{}, time.Time{}, err
	}
	return from.UTC(), to.UTC(), nil
}

// china is China time (deadline.China, fixed at UTC+8).
var china = time.FixedZone("CST", 8*3600)

// ParseDay reads a date (the whole day in China time) or an RFC 3339 time.
func ParseDay(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, china)
	return t.UTC(), err
}

// summaries are rows as lists show them.
func summaries(rows []store.CaseRow) []caseSummary {
	out := make([]caseSummary, len(rows))
	for i, r := range rows {
		out[i] = summarize(r)
	}
	return out
}
