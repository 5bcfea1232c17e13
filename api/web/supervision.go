package web

import (
	"errors"
	"net/http"
	"strings"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/workflows"
)

// boardData is the supervision board: three queues of the caller's subtree (or of one node in it).
type boardData struct {
	Node     string
	Nodes    []nodeOption
	Sections []section
	Results  []bulkResult
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
	if !h.Policy.HasAnywhere(user, policy.ActionSupervisionRead) {
		h.audit(r, string(policy.ActionSupervisionRead), "", "supervision", auditDenied, "")
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "only supervisors see the supervision board"))
		return
	}
	under := ""
	if node != "" {
		ok, err := h.Policy.Can(user, policy.ActionSupervisionRead, node)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		path, known := h.Policy.PathOf(node)
		if !ok || !known {
			h.audit(r, string(policy.ActionSupervisionRead), node, "supervision", auditDenied, "")
			h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "you do not supervise %s", node))
			return
		}
		under = path
	}
	p := h.newPage(r, "nav.supervision")
	p.Nav = "supervision"
	names := h.names(r.Context())
	d := boardData{Node: node, Results: results}
	var err error
	if d.Nodes, err = h.supervisableNodes(r, user, node); err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := h.DB.Supervision(r.Context(), *h.scope(user), 200)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, l := range []struct {
		key  string
		rows []store.CaseRow
	}{{"board.overdue", q.Overdue}, {"board.at_risk", q.AtRisk}, {"board.unacknowledged", q.Unacknowledged}} {
		rows := []caseRowView{}
		for _, row := range l.rows {
			if under == "" || strings.HasPrefix(row.HandlingPath, under) || strings.HasPrefix(row.LocationPath, under) {
				rows = append(rows, h.rowView(p, names, row))
			}
		}
		d.Sections = append(d.Sections, section{Key: l.key, Rows: rows})
	}
	p.Data = d
	h.render(w, r, status, "supervision", p)
}

// bulk assigns, escalates or extends the chosen cases one by one, each authorized on its own as
// the single-case action is, and shows a result per case.
func (h *handler) bulk(w http.ResponseWriter, r *http.Request) {
	user := sessionOf(r).user.Username
	if !h.Policy.HasAnywhere(user, policy.ActionSupervisionBulk) {
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "only supervisors take bulk actions"))
		return
	}
	name := r.PostFormValue("action")
	switch name {
	case workflows.UpdateAssign, workflows.UpdateEscalate, workflows.UpdateExtend:
	default:
		h.fail(w, r, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "action must be assign, escalate or extend",
			Fields: []fengqiao.FieldError{{Field: "action", Message: "must be assign, escalate or extend"}}})
		return
	}
	perm, _ := cases.Permission(name)
	ids := r.PostForm["case_ids"]
	if len(ids) == 0 || len(ids) > 100 {
		h.fail(w, r, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "choose 1 to 100 cases",
			Fields: []fengqiao.FieldError{{Field: "case_ids", Message: "choose 1 to 100 cases"}}})
		return
	}
	p := h.newPage(r, "nav.supervision")
	var results []bulkResult
	for _, id := range ids {
		res := bulkResult{ID: id, Number: id}
		v, err := h.Cases.Get(r.Context(), id)
		var d policy.Decision
		if err == nil && cases.ValidID(id) {
			d, err = h.Policy.CanOnCase(user, perm, cases.Ref(v))
		}
		switch {
		case fengqiao.ErrorCode(err) == fengqiao.ECodeNotFound || (err == nil && !d.Visible):
			h.audit(r, string(perm), "", "case/"+id, auditDenied, "bulk: not visible")
			res.Message = p.T("err.not_found")
		case err != nil:
			h.log.Error("bulk: load case", "case", id, "error", err)
			res.Message = p.T("err.internal_error")
		case !d.Allowed:
			h.audit(r, string(perm), v.HandlingNode, "case/"+id, auditDenied, "bulk: "+d.Reason)
			res.Number, res.Message = v.Number, p.T("err.forbidden")
		default:
			res.Number = v.Number
			_, err := h.act(r, v, name, perm, r.PostForm)
			var fe *fengqiao.Error
			if err == nil {
				res.OK, res.Message = true, p.T("flash.done", p.T("act."+name))
			} else if errors.As(err, &fe) {
				res.Message = h.errorText(p, fe)
			} else {
				h.log.Error("bulk: act", "case", id, "error", err)
				res.Message = p.T("err.internal_error")
			}
		}
		results = append(results, res)
	}
	h.showBoard(w, r, http.StatusOK, r.PostFormValue("node"), results)
}
