package web

import (
	"net/http"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/policy"
)

// allowedActions are the actions the workflow's state allows now and the caller's roles allow.
func (h *handler) allowedActions(username string, v cases.View) ([]string, error) {
	return cases.AllowedActions(h.Policy, username, v)
}

// loadCase fetches a case and checks that the caller may do action on it, as the API's loadCase: 404
// when the caller may not know it exists, 403 when they may see it but not act. Denials are audited.
func (h *handler) loadCase(w http.ResponseWriter, r *http.Request, id string, action policy.Action) (cases.View, bool) {
	notFound := fengqiao.Errorf(fengqiao.ECodeNotFound, "no case %s", id)
	if !cases.ValidID(id) {
		h.fail(w, r, notFound)
		return cases.View{}, false
	}
	v, err := h.Cases.Get(r.Context(), id)
	if fengqiao.ErrorCode(err) == fengqiao.ECodeNotFound {
		h.audit(r, string(action), "", "case/"+id, auditDenied, "no such case")
		h.fail(w, r, notFound)
		return cases.View{}, false
	}
	if err != nil {
		h.fail(w, r, err)
		return cases.View{}, false
	}
	d, err := h.Policy.CanOnCase(sessionOf(r).user.Username, action, cases.Ref(v))
	if err != nil {
		h.fail(w, r, err)
		return cases.View{}, false
	}
	if !d.Allowed {
		h.audit(r, string(action), v.HandlingNode, "case/"+id, auditDenied, d.Reason)
		if !d.Visible {
			h.fail(w, r, notFound)
		} else {
			h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow this"))
		}
		return cases.View{}, false
	}
	return v, true
}
