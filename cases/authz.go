package cases

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
)

// actingRoles says, for a permission, which of a user's roles acts (most fitting first): the workflow
// records the actor's role and node.
var actingRoles = map[policy.Action][]fengqiao.Role{
	policy.ActionCaseOpen:               {fengqiao.RoleClerk, fengqiao.RoleGridWorker},
	policy.ActionCaseResolveOnSpot:      {fengqiao.RoleGridWorker, fengqiao.RoleClerk},
	policy.ActionCaseAssign:             {fengqiao.RoleSupervisor, fengqiao.RoleClerk},
	policy.ActionCaseReturn:             {fengqiao.RoleSupervisor},
	policy.ActionCaseExtend:             {fengqiao.RoleSupervisor},
	policy.ActionSupervisionAcknowledge: {fengqiao.RoleSupervisor, fengqiao.RoleClerk},
	policy.ActionCaseReview:             {fengqiao.RoleClerk, fengqiao.RoleSupervisor},
	policy.ActionCaseVisit:              {fengqiao.RoleClerk},
	policy.ActionCaseFollowUp:           {fengqiao.RoleClerk, fengqiao.RoleGridWorker},
	policy.ActionCaseCourtDecision:      {fengqiao.RoleCourtOfficer},
	policy.ActionCaseRefer:              {fengqiao.RoleCourtOfficer},
	policy.ActionCaseJoint:              {fengqiao.RoleSupervisor, fengqiao.RoleMediator},
	policy.ActionCaseHandOff:            {fengqiao.RoleSupervisor},
	policy.ActionCaseAccept:             {fengqiao.RoleMediator, fengqiao.RoleHandler},
	policy.ActionCaseEscalate:           {fengqiao.RoleMediator, fengqiao.RoleSupervisor},
	policy.ActionCaseSuspend:            {fengqiao.RoleMediator, fengqiao.RoleSupervisor},
	policy.ActionCaseResume:             {fengqiao.RoleMediator, fengqiao.RoleSupervisor},
	policy.ActionCaseClose:              {fengqiao.RoleMediator, fengqiao.RoleSupervisor},
	policy.ActionAdminPolicy:            {fengqiao.RoleAdmin},
	policy.ActionCaseRoute:              {fengqiao.RoleClerk, fengqiao.RoleSupervisor},
	policy.ActionCaseSupervise:          {fengqiao.RoleClerk, fengqiao.RoleSupervisor},
	policy.ActionCaseHandle:             {fengqiao.RoleHandler, fengqiao.RoleSupervisor},
	policy.ActionCaseAnswer:             {fengqiao.RoleHandler, fengqiao.RoleMediator, fengqiao.RoleSupervisor},
}

// actorFor picks the grant under which username acts on nodes (the case's handling node first): the
// most fitting role for the action whose node covers one of them, else that role anywhere.
func actorFor(pol *policy.Authorizer, username string, action policy.Action, nodes ...string) Actor {
	grants := pol.Grants(username)
	roles := actingRoles[action]
	if roles == nil {
		roles = []fengqiao.Role{fengqiao.RoleMediator}
	}
	covers := func(g fengqiao.Grant, node string) bool {
		if g.Node == policy.Global {
			return true
		}
		gp, ok1 := pol.PathOf(g.Node)
		np, ok2 := pol.PathOf(node)
		return ok1 && ok2 && strings.HasPrefix(np, gp)
	}
	for _, role := range roles {
		for _, node := range nodes {
			for _, g := range grants {
				if g.Role == role && node != "" && covers(g, node) {
					return Actor{Username: username, Role: role, Node: g.Node}
				}
			}
		}
	}
	for _, role := range roles {
		for _, g := range grants {
			if g.Role == role {
				return Actor{Username: username, Role: role, Node: g.Node}
			}
		}
	}
	if len(grants) > 0 {
		return Actor{Username: username, Role: grants[0].Role, Node: grants[0].Node}
	}
	return Actor{Username: username}
}

// Ref is what the authorizer needs to know of a case.
func Ref(v View) policy.CaseRef {
	ref := policy.CaseRef{Location: v.Location, HandlingNode: v.HandlingNode,
		FirstContactUser: v.FirstContact.User, FirstContactNode: v.FirstContact.Node, Kind: string(v.Kind)}
	if v.HandlingBody != nil {
		ref.HandlingBody = v.HandlingBody.Code
	}
	for _, b := range v.CoBodies {
		if b.RemovedAt == nil {
			ref.CoBodies += "," + b.Body.Code
		}
	}
	// a petition on organs is handled by the organ it was forwarded to, its petition office following
	// as a co-body: as its projection row says (RefOf), so that the organ's handlers granted at the organ
	// read and act on it
	if organ, office := v.Petition.Bodies(); organ != nil {
		ref.HandlingBody = organ.Code
		if office != nil {
			ref.CoBodies += "," + office.Code
		}
	}
	if ref.CoBodies != "" {
		ref.CoBodies += ","
	}
	if v.Assignee != nil {
		ref.Assignee = *v.Assignee
	}
	if v.Confirmation != nil {
		ref.Court = v.Confirmation.Court
	} else if v.Referral != nil {
		ref.Court = v.Referral.Court.Code // the entrusting court reads the case throughout
	}
	return ref
}

// RefOf reads what the authorizer needs to know of a case from its projection row, without a round
// trip to the workflow. A case whose workflow has not yet written its row (the moment between the
// intake's transaction and its first step) is asked of the workflow.
func (s *Service) RefOf(ctx context.Context, caseID string) (policy.CaseRef, error) {
	row, err := s.DB.Case(ctx, caseID)
	if errors.Is(err, store.ErrNotFound) {
		return policy.CaseRef{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no case %s", caseID)
	}
	if err != nil {
		return policy.CaseRef{}, fmt.Errorf("cases: case %s: %w", caseID, err)
	}
	if row.UpdatedSeq == 0 {
		v, err := s.Get(ctx, caseID)
		return Ref(v), err
	}
	return policy.CaseRef{Location: row.Location, HandlingNode: row.HandlingNode, Assignee: row.Assignee,
		Court: row.Court, FirstContactUser: row.FirstContactUser, FirstContactNode: row.FirstContactNode,
		Kind: row.Kind, HandlingBody: row.HandlingBody, CoBodies: row.CoBodies}, nil
}

// ValidID reports whether id can be a case id (letters, digits, '-' and '_', at most 64): anything
// else is answered as an unknown case without a lookup.
func ValidID(id string) bool {
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
