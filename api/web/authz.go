package web

import (
	"net/http"
	"strings"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/policy"
	"fengqiao/workflows"
)

// The maps and helpers below restate api/cases.go's caseActions, actingRoles, actorFor and caseRef,
// which are unexported there. They must stay equal; the lead should export them from one place (e.g.
// package policy or api) and delete these copies.

// caseActions maps each case action (a workflow update name) to the permission it needs.
func caseActions() map[string]policy.Action {
	return map[string]policy.Action{
		workflows.UpdateAssign:        policy.ActionCaseAssign,
		workflows.UpdateAccept:        policy.ActionCaseAccept,
		workflows.UpdateConsent:       policy.ActionCaseSession,
		workflows.UpdateSession:       policy.ActionCaseSession,
		workflows.UpdateAgreement:     policy.ActionCaseAgreement,
		workflows.UpdateEscalate:      policy.ActionCaseEscalate,
		workflows.UpdateReturn:        policy.ActionCaseReturn,
		workflows.UpdateAcknowledge:   policy.ActionSupervisionAcknowledge,
		workflows.UpdateSuspend:       policy.ActionCaseSuspend,
		workflows.UpdateResume:        policy.ActionCaseResume,
		workflows.UpdateExtend:        policy.ActionCaseExtend,
		workflows.UpdateVisit:         policy.ActionCaseVisit,
		workflows.UpdateConfirmation:  policy.ActionCaseConfirmation,
		workflows.UpdateCourtAccept:   policy.ActionCaseCourtDecision,
		workflows.UpdateCourtDecision: policy.ActionCaseCourtDecision,
		workflows.UpdateAlternative:   policy.ActionCaseConfirmation,
		workflows.UpdatePerformance:   policy.ActionCasePerformance,
		workflows.UpdateClose:         policy.ActionCaseClose,
		workflows.UpdateRouteDecision: policy.ActionCaseAssign,
		workflows.UpdateAnswer:        policy.ActionCaseAnswer,
		workflows.UpdateReview:        policy.ActionCaseReview,
		workflows.UpdateReviewReply:   policy.ActionCaseAnswer,
		workflows.UpdateFollowUp:      policy.ActionCaseFollowUp,
	}
}

// actingRoles says, for a permission, which of a user's roles acts (most fitting first).
func actingRoles(a policy.Action) []fengqiao.Role {
	switch a {
	case policy.ActionCaseOpen:
		return []fengqiao.Role{fengqiao.RoleClerk, fengqiao.RoleGridWorker}
	case policy.ActionCaseResolveOnSpot:
		return []fengqiao.Role{fengqiao.RoleGridWorker, fengqiao.RoleClerk}
	case policy.ActionCaseAssign:
		return []fengqiao.Role{fengqiao.RoleSupervisor, fengqiao.RoleClerk}
	case policy.ActionCaseReturn, policy.ActionCaseExtend:
		return []fengqiao.Role{fengqiao.RoleSupervisor}
	case policy.ActionSupervisionAcknowledge:
		return []fengqiao.Role{fengqiao.RoleSupervisor, fengqiao.RoleClerk}
	case policy.ActionCaseReview:
		return []fengqiao.Role{fengqiao.RoleClerk, fengqiao.RoleSupervisor}
	case policy.ActionCaseVisit:
		return []fengqiao.Role{fengqiao.RoleClerk}
	case policy.ActionCaseFollowUp:
		return []fengqiao.Role{fengqiao.RoleClerk, fengqiao.RoleGridWorker}
	case policy.ActionCaseCourtDecision:
		return []fengqiao.Role{fengqiao.RoleCourtOfficer}
	case policy.ActionCaseEscalate, policy.ActionCaseSuspend, policy.ActionCaseResume, policy.ActionCaseClose:
		return []fengqiao.Role{fengqiao.RoleMediator, fengqiao.RoleSupervisor}
	}
	return []fengqiao.Role{fengqiao.RoleMediator}
}

// actorFor picks the grant under which username acts on nodes (the handling node first).
func (h *handler) actorFor(username string, action policy.Action, nodes ...string) workflows.Actor {
	grants := h.Policy.Grants(username)
	roles := actingRoles(action)
	covers := func(g fengqiao.Grant, node string) bool {
		if g.Node == policy.Global {
			return true
		}
		gp, ok1 := h.Policy.PathOf(g.Node)
		np, ok2 := h.Policy.PathOf(node)
		return ok1 && ok2 && strings.HasPrefix(np, gp)
	}
	for _, role := range roles {
		for _, node := range nodes {
			for _, g := range grants {
				if g.Role == role && node != "" && covers(g, node) {
					return workflows.Actor{Username: username, Role: role, Node: g.Node}
				}
			}
		}
	}
	for _, role := range roles {
		for _, g := range grants {
			if g.Role == role {
				return workflows.Actor{Username: username, Role: role, Node: g.Node}
			}
		}
	}
	if len(grants) > 0 {
		return workflows.Actor{Username: username, Role: grants[0].Role, Node: grants[0].Node}
	}
	return workflows.Actor{Username: username}
}

// caseRef is what the authorizer needs to know of a case.
func caseRef(v cases.View) policy.CaseRef {
	ref := policy.CaseRef{Location: v.Location, HandlingNode: v.HandlingNode,
		FirstContactUser: v.FirstContact.User, FirstContactNode: v.FirstContact.Node}
	if v.Assignee != nil {
		ref.Assignee = *v.Assignee
	}
	if v.Confirmation != nil {
		ref.Court = v.Confirmation.Court
	}
	return ref
}

// allowedActions are the actions the workflow's state allows now and the caller's roles allow: the
// API's allowed_actions.
func (h *handler) allowedActions(username string, v cases.View) ([]string, error) {
	allowed, err := h.Policy.AllowedCaseActions(username, caseRef(v))
	if err != nil {
		return nil, err
	}
	may := map[policy.Action]bool{}
	for _, a := range allowed {
		may[a] = true
	}
	perms := caseActions()
	var out []string
	for _, next := range v.NextActions {
		if a, ok := perms[next]; ok && may[a] {
			out = append(out, next)
		}
	}
	return out, nil
}

// loadCase fetches a case and checks that the caller may do action on it, as the API's loadCase: 404
// when the caller may not know it exists, 403 when they may see it but not act. Denials are audited.
func (h *handler) loadCase(w http.ResponseWriter, r *http.Request, id string, action policy.Action) (cases.View, bool) {
	notFound := fengqiao.Errorf(fengqiao.ECodeNotFound, "no case %s", id)
	if !validCaseID(id) {
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
	d, err := h.Policy.CanOnCase(sessionOf(r).user.Username, action, caseRef(v))
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

func validCaseID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
