package policy

import "fengqiao"

// Action is something a staff member asks to do; the HTTP layer names one per endpoint.
type Action string

// The actions of API.md. Case actions are checked on a case with CanOnCase; the others are
// function-level and checked at a node with Can.
const (
	ActionCaseOpen          Action = "case.open"
	ActionCaseRead          Action = "case.read"
	ActionCaseAssign        Action = "case.assign"
	ActionCaseAccept        Action = "case.accept"
	ActionCaseSession       Action = "case.session"
	ActionCaseAgreement     Action = "case.agreement"
	ActionCaseEscalate      Action = "case.escalate"
	ActionCaseReturn        Action = "case.return"
	ActionCaseSuspend       Action = "case.suspend"
	ActionCaseResume        Action = "case.resume"
	ActionCaseExtend        Action = "case.extend"
	ActionCaseVisit         Action = "case.visit"
	ActionCaseConfirmation  Action = "case.confirmation"
	ActionCaseCourtDecision Action = "case.court_decision"
	ActionCasePerformance   Action = "case.performance"
	ActionCaseClose         Action = "case.close"
	ActionCaseAnswer        Action = "case.answer"
	ActionCaseReview        Action = "case.review"
	ActionCaseResolveOnSpot Action = "case.resolve_on_spot"
	ActionCaseFollowUp      Action = "case.follow_up"
	// ActionCaseRoute is the petition office's routing of a petition: forward or assign to the competent
	// agency, refer out, not accept; and the common superior's decision after an objection (XGTL 22-24).
	ActionCaseRoute Action = "case.route"
	// ActionCaseHandle is the competent agency's taking of a petition: accept it or object (XGTL 23).
	ActionCaseHandle Action = "case.handle"
	// ActionCaseSupervise is the petition office's 督办 of the organ handling a petition (XGTL 40).
	ActionCaseSupervise Action = "case.supervise"
	// ActionCaseJoint adds or removes a co-body of a joint mediation and names its mediator (联合调解).
	ActionCaseJoint Action = "case.joint"
	// ActionCaseJointPart is a co-body's mediator recording their part of a joint mediation.
	ActionCaseJointPart Action = "case.joint_part"
	// ActionCaseHandOff hands a case at the county centre to a professional committee or an agency.
	ActionCaseHandOff Action = "case.hand_off"
	// ActionCaseRefer is a court officer entrusting a dispute to mediation before filing (委派调解); it
	// is checked at the court with Can.
	ActionCaseRefer Action = "case.refer"

	ActionSupervisionRead        Action = "supervision.read"
	ActionSupervisionAcknowledge Action = "supervision.acknowledge"
	ActionSupervisionBulk        Action = "supervision.bulk"
	ActionAuditRead              Action = "audit.read"
	ActionStatsRead              Action = "stats.read"

	ActionAdminJurisdictions Action = "admin.jurisdictions"
	ActionAdminUsers         Action = "admin.users"
	ActionAdminGrants        Action = "admin.grants"
	ActionAdminCalendar      Action = "admin.calendar"
	ActionAdminPolicy        Action = "admin.policy"
)

// Actions returns every action in a stable order (a new slice on each call).
func Actions() []Action {
	return []Action{
		ActionCaseOpen, ActionCaseRead, ActionCaseAssign, ActionCaseAccept, ActionCaseSession,
		ActionCaseAgreement, ActionCaseEscalate, ActionCaseReturn, ActionCaseSuspend, ActionCaseResume,
		ActionCaseExtend, ActionCaseVisit, ActionCaseConfirmation, ActionCaseCourtDecision,
		ActionCasePerformance, ActionCaseClose, ActionCaseAnswer, ActionCaseReview,
		ActionCaseResolveOnSpot, ActionCaseFollowUp, ActionCaseRoute, ActionCaseHandle, ActionCaseSupervise,
		ActionCaseJoint, ActionCaseJointPart, ActionCaseHandOff, ActionCaseRefer,
		ActionSupervisionRead, ActionSupervisionAcknowledge, ActionSupervisionBulk, ActionAuditRead,
		ActionStatsRead,
		ActionAdminJurisdictions, ActionAdminUsers, ActionAdminGrants, ActionAdminCalendar, ActionAdminPolicy,
	}
}

// Valid reports whether a is one of the actions above.
func (a Action) Valid() bool {
	for _, v := range Actions() {
		if v == a {
			return true
		}
	}
	return false
}

// The scopes of a permission (the third field of a p rule).
const (
	// scopeSubtree: the user holds the role at the node asked about or at one of its ancestors.
	scopeSubtree = "subtree"
	// scopeAnywhere: the user holds the role at some node; the node asked about only has to exist.
	scopeAnywhere = "anywhere"
)

// permission is one p rule: a role may do an action within a scope.
type permission struct {
	role   fengqiao.Role
	action Action
	scope  string
}

// permissions is the role table of DESIGN.md §4 and API.md, seeded into casbin_rule as p rules by
// New. These are function-level rights; CanOnCase adds the object-level conditions (assignee,
// first-contact owner, court, handling node) documented there.
//
// Choices made here:
//   - grid_worker opens cases, resolves on the spot and reads cases only inside the subtree of their
//     grant (their grid): the grid worker is the first to go back to a dispute of the grid, to add a
//     note, a photo or a location from the field (issue 14). Outside the grid they read only the
//     cases they received, as their first-contact owner.
//   - clerk opens (and, DESIGN §3 rule 1, resolves on the spot) anywhere: first contact is responsible
//     and no window may turn a citizen away. Reading, recording visits and follow-ups, assigning and
//     registering a 复查/复核 request are bound to the clerk's subtree (see CanOnCase for which node).
//   - mediator holds the case actions of the mediation track at their subtree; CanOnCase only lets
//     them act on cases assigned to them. case.extend is the supervisor's (API.md): a mediator's
//     extension request is a note, not this action.
//   - supervisor reads, assigns, orders escalations, sends down, extends, suspends, resumes, closes,
//     and works the supervision queue and statistics of their subtree; as an organ's 负责人 they also
//     route, take, answer and supervise petitions.
//   - clerk, at a petition office, routes petitions (转送/交办, refer out, not accept) and supervises
//     (督办) them.
//   - handler (承办人) reads the cases its grant covers and, on a petition handled by an agency its
//     grant covers (normally a grant at that agency, a body), takes it (accepts or objects), and answers
//     it in writing (XGTL 22-36; the workflow checks the organ); it holds no mediation step (sessions,
//     agreements, escalation): those are the mediator's.
//   - court_officer reads and rules on cases sent to a court their grant covers.
//   - auditor reads cases, the audit log and statistics of their subtree.
//   - admin manages jurisdictions, users, grants, calendars and tier policy, and nothing else: the
//     admin role alone reads no case.
func permissions() []permission {
	var ps []permission
	add := func(r fengqiao.Role, scope string, actions ...Action) {
		for _, a := range actions {
			ps = append(ps, permission{r, a, scope})
		}
	}
	add(fengqiao.RoleGridWorker, scopeSubtree, ActionCaseOpen, ActionCaseResolveOnSpot, ActionCaseRead)
	add(fengqiao.RoleClerk, scopeAnywhere, ActionCaseOpen, ActionCaseResolveOnSpot)
	add(fengqiao.RoleClerk, scopeSubtree, ActionCaseRead, ActionCaseVisit, ActionCaseFollowUp,
		ActionCaseReview, ActionCaseAssign, ActionCaseRoute, ActionCaseSupervise)
	add(fengqiao.RoleMediator, scopeSubtree, ActionCaseRead, ActionCaseAccept, ActionCaseSession,
		ActionCaseAgreement, ActionCaseEscalate, ActionCaseSuspend, ActionCaseResume,
		ActionCaseConfirmation, ActionCasePerformance, ActionCaseClose, ActionCaseAnswer)
	add(fengqiao.RoleHandler, scopeSubtree, ActionCaseRead, ActionCaseAccept, ActionCaseHandle, ActionCaseAnswer)
	add(fengqiao.RoleSupervisor, scopeSubtree, ActionCaseRead, ActionCaseAssign, ActionCaseEscalate,
		ActionCaseReturn, ActionCaseExtend, ActionCaseSuspend, ActionCaseResume, ActionCaseClose,
		ActionSupervisionRead, ActionSupervisionAcknowledge, ActionSupervisionBulk, ActionStatsRead,
		ActionCaseRoute, ActionCaseSupervise, ActionCaseHandle, ActionCaseAnswer)
	add(fengqiao.RoleCourtOfficer, scopeSubtree, ActionCaseRead, ActionCaseCourtDecision)
	// the dispute track on bodies: the lead mediator and a supervisor run a joint mediation, a
	// co-body's mediator records their part, a supervisor hands the case over, a court officer
	// entrusts a dispute to mediation at their court (委派调解)
	add(fengqiao.RoleMediator, scopeSubtree, ActionCaseJoint, ActionCaseJointPart)
	add(fengqiao.RoleSupervisor, scopeSubtree, ActionCaseJoint, ActionCaseHandOff)
	add(fengqiao.RoleCourtOfficer, scopeSubtree, ActionCaseRefer)
	add(fengqiao.RoleAuditor, scopeSubtree, ActionCaseRead, ActionAuditRead, ActionStatsRead)
	add(fengqiao.RoleAdmin, scopeSubtree, ActionAdminJurisdictions, ActionAdminUsers, ActionAdminGrants,
		ActionAdminCalendar, ActionAdminPolicy)
	return ps
}

// roleMask is a set of roles, one bit per role.
type roleMask uint8

// roleBit returns the bit of a role, 0 for an unknown one.
func roleBit(r fengqiao.Role) roleMask {
	switch r {
	case fengqiao.RoleGridWorker:
		return 1 << 0
	case fengqiao.RoleClerk:
		return 1 << 1
	case fengqiao.RoleMediator:
		return 1 << 2
	case fengqiao.RoleSupervisor:
		return 1 << 3
	case fengqiao.RoleCourtOfficer:
		return 1 << 4
	case fengqiao.RoleAuditor:
		return 1 << 5
	case fengqiao.RoleAdmin:
		return 1 << 6
	case fengqiao.RoleHandler:
		return 1 << 7
	}
	return 0
}

// Shorthands for the masks CanOnCase uses.
const (
	maskGridWorker   = roleMask(1 << 0)
	maskClerk        = roleMask(1 << 1)
	maskMediator     = roleMask(1 << 2)
	maskSupervisor   = roleMask(1 << 3)
	maskCourtOfficer = roleMask(1 << 4)
	maskAuditor      = roleMask(1 << 5)
	maskAdmin        = roleMask(1 << 6)
	maskHandler      = roleMask(1 << 7)

	// maskCaseStaff are the roles whose holders may be a case's first-contact owner or assignee.
	maskCaseStaff = maskGridWorker | maskClerk | maskMediator | maskSupervisor | maskHandler
)
