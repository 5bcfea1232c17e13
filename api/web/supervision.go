package web

import (
	"errors"
	"net/http"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/policy"
	"fengqiao/store"
)

// boardData is the supervision board: three queues of the caller's subtree (or of one node in it).
type boardData struct {
	Node     string
	Nodes    []nodeOption
	Sections []section
	Results  []bulkResult
	Actions  []cases.Option
}

// bulkResult is the outcome of a bulk action on one case.
type bulkResult struct {
	ID, Number string
	OK         bool
	Message    string
}

// supervisableNodes lists the nodes under the caller's supervision.read grants (for the filter).
func (h *handler) supervisableNodes(r *http.Request, user, selected string) ([]nodeOption, error) {
	nodes, err := h.DB.AllNodes(r.Context())
	if err != nil {
		return nil, err
	}
	var out []nodeOption
	for _, n := range nodes {
		if n.Tier == fengqiao.TierGrid || n.Tier == fengqiao.TierCourt {
			continue
		}
		ok, err := h.Policy.Can(user, policy.ActionSupervisionRead, n.Code)
		if err != nil {
			return nil, err
		}
		if ok {
			depth := len(store.PathCodes(n.Path)) - 1
			out = append(out, nodeOption{Code: n.Code, Label: indent(depth) + n.Name, Selected: n.Code == selected})
		}
	}
	return out, nil
}

func indent(depth int) string {
	s := ""
	for i := 0; i < depth; i++ {
		s += "\u3000"
	}
	return s
}

// supervision shows the overdue, at-risk and unacknowledged cases of the caller's subtree, filtered
// by ?node= (which the caller must supervise). Only supervisors may see it.
func (h *handler) supervision(w http.ResponseWriter, r *http.Request) {
	h.showBoard(w, r, http.StatusOK, r.URL.Query().Get("node"), nil)
}

func (h *handler) showBoard(w http.ResponseWriter, r *http.Request, status int, node string, results []bulkResult) {
	user := sessionOf(r).user.Username
	q, err := h.Cases.Board(r.Context(), user, node, 200)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "nav.supervision")
	p.Nav = "supervision"
	names := h.names(r.Context())
	d := boardData{Node: node, Results: results}
	for _, name := range cases.BulkActions() {
		d.Actions = append(d.Actions, cases.Option{Value: name, Label: "act." + name})
	}
	if d.Nodes, err = h.supervisableNodes(r, user, node); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, l := range []struct {
		key  string
		rows []store.CaseRow
	}{{"board.overdue", q.Overdue}, {"board.at_risk", q.AtRisk}, {"board.unacknowledged", q.Unacknowledged}} {
		rows := []caseRowView{}
		for _, row := range l.rows {
			rows = append(rows, h.rowView(p, names, row))
		}
		h.markRows(r.Context(), rows)
		d.Sections = append(d.Sections, section{Key: l.key, Rows: rows})
	}
	p.Data = d
	h.render(w, r, status, "supervision", p)
}

// bulkResults are the outcomes of a bulk action as the board shows them, one line per case.
func (h *handler) bulkResults(p *page, outcomes []cases.BulkOutcome, action string) []bulkResult {
	var results []bulkResult
	for _, o := range outcomes {
		res := bulkResult{ID: o.ID, Number: o.ID}
		var fe *fengqiao.Error
		switch {
		case o.Err == nil:
			res.Number, res.OK, res.Message = o.Case.Number, true, p.T("flash.done", p.T("act."+action))
		case errors.As(o.Err, &fe):
			res.Message = h.errorText(p, fe)
		default:
			h.log.Error("bulk action", "case", o.ID, "action", action, "error", o.Err)
			res.Message = p.T("err.internal_error")
		}
		results = append(results, res)
	}
	return results
}

// bulk applies one action to the chosen cases (cases.Service.Bulk: each authorized on its own as the
// single-case action is) and shows a result per case.
func (h *handler) bulk(w http.ResponseWriter, r *http.Request) {
	user := sessionOf(r).user.Username
	outcomes, err := h.Cases.Bulk(r.Context(), user, r.PostForm["case_ids"], r.PostFormValue("action"),
		formArgs(r.PostForm), r.PostFormValue("idem"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "nav.supervision")
	results := h.bulkResults(p, outcomes, r.PostFormValue("action"))
	h.showBoard(w, r, http.StatusOK, r.PostFormValue("node"), results)
}
