package policy

import (
	"fmt"
	"sort"
	"strings"

	"fengqiao"
)

// CaseRef is what an object-level decision needs to know of a case: node codes and user names, as
// the case projection holds them. Location is where the dispute arose (or a party lives),
// HandlingNode the node currently handling it, FirstContact* the person and node that received it,
// Assignee the mediator it is assigned to ("" when none) and Court the court node a confirmation was
// sent to ("" when none). HandlingBody is the code of the body handling the case and CoBodies the
// co-handling bodies of a joint mediation, comma-wrapped as the projection keeps them (",a,b,"); both
// empty on a case opened before bodies. Kind is the case's track (fengqiao.Kind). For case.open and
// case.resolve_on_spot only Location matters.
type CaseRef struct {
	Location         string
	HandlingNode     string
	FirstContactUser string
	FirstContactNode string
	Assignee         string
	Court            string
	// Kind is the case's track: a petition is read through its handling node, never through its location
	// alone (see CanOnCase).
	Kind         string
	HandlingBody string
	CoBodies     string
}

// coBodies returns the codes of the co-handling bodies.
func (c CaseRef) coBodies() []string {
	return strings.FieldsFunc(c.CoBodies, func(r rune) bool { return r == ',' })
}

// Decision is the answer of CanOnCase. Visible=false means the caller may not even learn that the
// case exists: the API answers 404. Visible && !Allowed is a 403. Reason says why, in a few words fit
// for the audit log of a denial (it names no person).
type Decision struct {
	Allowed bool
	Visible bool
	Reason  string
}

// Reasons of decisions (constants: a decision allocates nothing).
const (
	reasonRoleLocation   = "a role covering the case's location"
	reasonRoleHandling   = "a role covering the case's handling node"
	reasonCourt          = "court officer of the case's court"
	reasonRoleBody       = "a role at the case's handling body"
	reasonRoleCoBody     = "a role at one of the case's co-handling bodies"
	reasonHandler        = "handler of the agency handling the petition"
	reasonFirstContact   = "first-contact owner of the case"
	reasonFirstNode      = "clerk covering the case's first-contact node"
	reasonAssignee       = "mediator the case is assigned to"
	reasonCoMediator     = "a mediator reading the case (a co-body's mediator)"
	reasonOpenAnywhere   = "a clerk may open a case for any location (first contact)"
	reasonOpenInSubtree  = "the location is inside the grant's subtree"
	reasonNotVisible     = "no role covering the case's location, handling node or court, none at its handling body or co-bodies, and neither its first-contact owner nor its assignee"
	reasonUnknownNode    = "unknown location"
	reasonNoRole         = "no role holding this action"
	reasonNotAssignee    = "only the mediator the case is assigned to may do this, at the handling node or body, or a handler of the agency handling a petition"
	reasonNotAtHandling  = "this action needs a role covering the case's handling node"
	reasonNotCourt       = "only a court officer of the case's court may do this"
	reasonNotCaseAction  = "not an action on a case"
	reasonAdminReadsNone = "the admin role does not read cases"
)

// CanOnCase decides whether username may do action on the case. The rules (DESIGN.md §4), where
// "covering N" means holding the role at N, at an ancestor of N, or at Global:
//
// Reading (Visible; case.read is exactly this): a clerk, mediator, supervisor or auditor role covering
// the case's Location or HandlingNode, and a grid_worker role covering them (the cases of their grid);
// a petition (Kind "petition") only through its HandlingNode — the petition office or the organ handling
// it — so that the staff of the village it is located in, a village mediator say, never read a
// complaint that may be about them (XGTL 30);
// a role held at the case's HandlingBody or at one of its CoBodies (a grant at that body itself; a court
// officer's only at a court); a court officer role covering the case's Court; being its
// FirstContactUser or its Assignee while holding some case role (grid_worker, clerk, mediator or
// supervisor) anywhere, so that revoking a person's last case role ends that access too; a clerk role
// covering its FirstContactNode (the first-contact owner is a person and a node, DESIGN §3 rule 1: the
// window that received the matter keeps following it when the person is away or gone). The admin
// role alone reads nothing. A mediator of township A therefore never sees a case of township B, unless it was
// assigned to them (use CanBeAssigned when assigning).
//
// Acting (every action below also needs Visible, else the answer is 404):
//   - case.open, case.resolve_on_spot: a clerk anywhere, a grid_worker covering Location; Location
//     must be a known node. Visible is true (the case does not exist yet).
//   - case.assign: a supervisor or clerk covering HandlingNode.
//   - case.accept, case.session, case.agreement, case.confirmation, case.performance, case.answer: the
//     Assignee only, holding a mediator role covering HandlingNode or HandlingBody (a case escalated
//     away from the mediator's node or body is out of their hands until reassigned). case.accept and
//     case.answer also: a handler covering HandlingBody (a grant at the agency, or at its seat or
//     above), on a petition only.
//
// "Covering HandlingNode" below always also reads "or covering HandlingBody": a grant at a node covers
// the bodies seated in its subtree, a grant at a body covers that body.
//   - case.escalate, case.suspend, case.resume, case.close: that assignee, or a supervisor covering
//     HandlingNode. (The workflow, not this package, refuses tier skips and checks that an ordered
//     escalation goes to an ancestor.)
//   - case.return, case.extend: a supervisor covering HandlingNode.
//   - case.visit, case.follow_up: a clerk covering Location, HandlingNode or FirstContactNode (a
//     repeat visit usually comes to a window near the dispute or to the one first reached); also the
//     FirstContactUser, who does the follow-up visit (DESIGN §3 rule 1) and, if a clerk, records
//     repeat visits on the case they received.
//   - case.review: a clerk covering HandlingNode.
//   - case.court_decision: a court officer covering Court (Court must be set).
//   - supervision.read, supervision.acknowledge, supervision.bulk: a supervisor covering HandlingNode.
//   - audit.read: an auditor covering Location or HandlingNode.
//   - stats.read, admin.*: not case actions; always refused (use Can).
//
// Which node and role each rule asks about is chosen here; whether the role may do the action there
// is Casbin's answer (see Authorizer). The error is for an unknown action (a bug), an enforcer failure
// and ErrStale: answer 500.
func (a *Authorizer) CanOnCase(username string, action Action, c CaseRef) (Decision, error) {
	if err := a.fresh(); err != nil {
		return Decision{}, err
	}
	if !action.Valid() {
		return Decision{}, fmt.Errorf("policy: unknown action %q", action)
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	q := a.ask(username)
	var d Decision
	if action == ActionCaseOpen || action == ActionCaseResolveOnSpot {
		d = q.open(action, c.Location)
	} else if vis, why := q.visible(c); !vis {
		d = Decision{Reason: why}
	} else {
		d = q.act(action, c, why)
	}
	if q.err != nil {
		return Decision{}, q.err
	}
	return d, nil
}

// open decides case.open and case.resolve_on_spot: the case does not exist yet, only its location.
func (q *asker) open(action Action, location string) Decision {
	if q.st.rm.nodes[location] == nil {
		return Decision{Visible: true, Reason: reasonUnknownNode}
	}
	switch v := q.roles(action, location); {
	case v.anywhere != 0:
		return Decision{Allowed: true, Visible: true, Reason: reasonOpenAnywhere}
	case v.allow != 0:
		return Decision{Allowed: true, Visible: true, Reason: reasonOpenInSubtree}
	}
	return Decision{Visible: true, Reason: reasonNoRole}
}

// visible applies the read rule and says why. Court officers read through the case's court, the
// other roles holding case.read through its location or handling node; any reading role held at the
// case's handling body or a co-body reads through it (a court officer's only at a court).
func (q *asker) visible(c CaseRef) (bool, string) {
	switch {
	case q.at(ActionCaseRead, c.HandlingNode)&^maskCourtOfficer != 0:
		return true, reasonRoleHandling
	case c.Kind != "petition" && q.at(ActionCaseRead, c.Location)&^maskCourtOfficer != 0:
		return true, reasonRoleLocation
	case q.atBodyItself(ActionCaseRead, c.HandlingBody) != 0:
		return true, reasonRoleBody
	case q.atCoBody(ActionCaseRead, c) != 0:
		return true, reasonRoleCoBody
	case q.at(ActionCaseRead, c.Court)&maskCourtOfficer != 0:
		return true, reasonCourt
	case c.Assignee == q.user && q.staff():
		return true, reasonAssignee
	case c.FirstContactUser == q.user && q.staff():
		return true, reasonFirstContact
	case q.at(ActionCaseRead, c.FirstContactNode)&maskClerk != 0:
		return true, reasonFirstNode
	case q.holdsCovering(maskAdmin, c.Location) || q.holdsCovering(maskAdmin, c.HandlingNode):
		return false, reasonAdminReadsNone
	}
	return false, reasonNotVisible
}

// atBodyItself returns the roles, held at the body itself (not at its seat or above), in which the
// user may do act there; a court officer's counts only at a court. This is what a body grant reads
// through, and exactly what ReadScope's Bodies restate in SQL: grants at nodes reach a case through
// its location and handling node.
func (q *asker) atBodyItself(act Action, code string) roleMask {
	if q.u == nil || code == "" {
		return 0
	}
	b := q.st.rm.lookup(code)
	if b == nil || b.body == "" {
		return 0
	}
	m := q.u.rolesAt(code)
	if m == 0 {
		return 0
	}
	m &= q.roles(act, code).allow
	if b.body != fengqiao.BodyCourt {
		m &^= maskCourtOfficer
	}
	return m
}

// atCoBody is atBodyItself over the case's co-handling bodies, together.
func (q *asker) atCoBody(act Action, c CaseRef) roleMask {
	if c.CoBodies == "" || q.u == nil {
		return 0
	}
	var m roleMask
	for _, code := range c.coBodies() {
		m |= q.atBodyItself(act, code)
	}
	return m
}

// act decides an action on a case the user may read (why says how).
func (q *asker) act(action Action, c CaseRef, why string) Decision {
	allow := func(ok bool, reason, denied string) Decision {
		if ok {
			return Decision{Allowed: true, Visible: true, Reason: reason}
		}
		return Decision{Visible: true, Reason: denied}
	}
	// a role covering the handling node, or the handling body (a grant at it, at its seat or above)
	atHandling := func(roles roleMask) bool {
		return (q.at(action, c.HandlingNode)|q.at(action, c.HandlingBody))&roles != 0
	}
	// the assignee acting as mediator at the handling node or body
	assigneeActs := func() bool { return c.Assignee == q.user && q.staff() && atHandling(maskMediator) }
	// a handler of the agency handling a petition
	handlerActs := func() bool {
		return c.Kind == string(fengqiao.KindPetition) && c.HandlingBody != "" && q.at(action, c.HandlingBody)&maskHandler != 0
	}
	switch action {
	case ActionCaseRead:
		return Decision{Allowed: true, Visible: true, Reason: why}
	case ActionCaseAssign, ActionCaseReturn, ActionCaseExtend, ActionCaseReview,
		ActionSupervisionRead, ActionSupervisionAcknowledge, ActionSupervisionBulk:
		return allow(atHandling(maskSupervisor|maskClerk), reasonRoleHandling, reasonNotAtHandling)
	case ActionCaseAccept:
		if handlerActs() {
			return allow(true, reasonHandler, "")
		}
		return allow(assigneeActs(), reasonAssignee, reasonNotAssignee)
	case ActionCaseSession, ActionCaseAgreement, ActionCaseConfirmation, ActionCasePerformance:
		return allow(assigneeActs(), reasonAssignee, reasonNotAssignee)
	case ActionCaseAnswer:
		if assigneeActs() {
			return allow(true, reasonAssignee, "")
		}
		if handlerActs() {
			return allow(true, reasonHandler, "")
		}
		return allow(atHandling(maskHandler|maskSupervisor), reasonRoleHandling, reasonNotAtHandling)
	case ActionCaseRoute, ActionCaseSupervise:
		return allow(atHandling(maskSupervisor|maskClerk), reasonRoleHandling, reasonNotAtHandling)
	case ActionCaseHandle:
		return allow(atHandling(maskHandler|maskSupervisor), reasonRoleHandling, reasonNotAtHandling)
	case ActionCaseEscalate, ActionCaseSuspend, ActionCaseResume, ActionCaseClose:
		if assigneeActs() {
			return allow(true, reasonAssignee, "")
		}
		return allow(atHandling(maskSupervisor), reasonRoleHandling, reasonNotAtHandling)
	case ActionCaseVisit, ActionCaseFollowUp:
		switch {
		case atHandling(maskClerk):
			return allow(true, reasonRoleHandling, "")
		case q.at(action, c.Location)&maskClerk != 0:
			return allow(true, reasonRoleLocation, "")
		case q.at(action, c.FirstContactNode)&maskClerk != 0:
			return allow(true, reasonFirstNode, "")
		case c.FirstContactUser == q.user && q.staff() && (action == ActionCaseFollowUp || q.u.anywhere&maskClerk != 0):
			return allow(true, reasonFirstContact, "")
		}
		return allow(false, "", reasonNoRole)
	case ActionCaseCourtDecision:
		return allow(q.at(action, c.Court)&maskCourtOfficer != 0, reasonCourt, reasonNotCourt)
	case ActionCaseJoint:
		if assigneeActs() {
			return allow(true, reasonAssignee, "")
		}
		return allow(atHandling(maskSupervisor), reasonRoleHandling, reasonNotAtHandling)
	case ActionCaseHandOff:
		return allow(atHandling(maskSupervisor), reasonRoleHandling, reasonNotAtHandling)
	case ActionCaseJointPart:
		// a mediator who reads the case (through a co-body's grant); the workflow lets only the
		// mediator a co-body named record that body's part
		return allow(q.u != nil && q.u.anywhere&maskMediator != 0, reasonCoMediator, reasonNoRole)
	case ActionAuditRead:
		return allow((q.at(action, c.Location)|q.at(action, c.HandlingNode))&maskAuditor != 0, reasonRoleLocation, reasonNoRole)
	}
	return Decision{Visible: true, Reason: reasonNotCaseAction}
}

// AllowedCaseActions lists the case actions (other than case.open, case.resolve_on_spot and
// case.read) username may do on the case, for the "allowed_actions" of a case response; nil when the
// case is not visible. Whether the case's state admits them is the workflow's business.
func (a *Authorizer) AllowedCaseActions(username string, c CaseRef) ([]Action, error) {
	if err := a.fresh(); err != nil {
		return nil, err
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	q := a.ask(username)
	vis, why := q.visible(c)
	if !vis {
		return nil, q.err
	}
	var out []Action
	for _, act := range Actions() {
		if act == ActionCaseOpen || act == ActionCaseResolveOnSpot || act == ActionCaseRead {
			continue
		}
		if q.act(act, c, why).Allowed {
			out = append(out, act)
		}
	}
	if q.err != nil {
		return nil, q.err
	}
	return out, nil
}

// CanBeAssigned reports whether username may be assigned the case: they hold a mediator role covering
// its handling node or its handling body (a grant, g, not a permission). The assign endpoint checks it for the named
// mediator, so that assignee access never reaches across the tree.
func (a *Authorizer) CanBeAssigned(username string, c CaseRef) bool {
	if a.fresh() != nil {
		return false
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	q := a.ask(username)
	return q.holdsCovering(maskMediator, c.HandlingNode) || c.HandlingBody != "" && q.holdsCovering(maskMediator, c.HandlingBody)
}

// MaySeeComplainant reports whether username may see who complained (applicants' names, ID and phone
// numbers) on the case. It is exactly "may read the case" (CanOnCase(...case.read).Visible): in this
// model every person who reads a case does so as staff of the handling or location chain, as its
// court, or as its first-contact owner or assignee; a respondent party or unit is never a user with a
// grant on its own case, so staff access that comes only from being on the respondent side cannot
// arise here. What XGTL 30 then asks of the API (this function cannot see it): public endpoints
// (query code) never show applicants' identities, only masked names to the holder of the query code
// and phone digits; a party's own view never shows the other side's applicants; and when a petition
// is lodged against a unit of the tree, the workflow must route it above that unit, since staff of the
// unit would otherwise cover it.
func (a *Authorizer) MaySeeComplainant(username string, c CaseRef) bool {
	d, err := a.CanOnCase(username, ActionCaseRead, c)
	return err == nil && d.Visible
}

// ReadScope says which cases a user may read, for filtering lists in SQL (never after fetching a
// page): a case is readable when its location_path or handling_path starts with one of Subtrees, or
// its handling body is one of Bodies or its co-bodies contain one, or its court node's path starts
// with one of Courts, or its first-contact node's path starts with one of FirstContactSubtrees, or
// FirstContact and its first-contact user is the user, or Assigned and its assignee is the user. It is
// CanOnCase's read rule restated for SQL; every list is minimal and sorted, and "/" stands for the
// whole tree.
type ReadScope struct {
	Subtrees             []string
	Bodies               []string
	Courts               []string
	FirstContactSubtrees []string
	FirstContact         bool
	Assigned             bool
}

// ReadScope returns the read scope of username (zero when they may read nothing). For each grant it
// asks Casbin whether the role may read cases at the grant's node: its subtree is then readable.
func (a *Authorizer) ReadScope(username string) ReadScope {
	if a.fresh() != nil {
		return ReadScope{}
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	q := a.ask(username)
	s := q.readScope()
	if q.err != nil {
		return ReadScope{}
	}
	return s
}

func (q *asker) readScope() ReadScope {
	var s ReadScope
	if q.u == nil {
		return s
	}
	var subtrees, courts, fcNodes []string
	add := func(node, path string, held roleMask) {
		v := q.roles(ActionCaseRead, node)
		if v.anywhere&held != 0 {
			path = "/" // a rule that reads anywhere reads the whole tree
		}
		m := v.allow & held
		if m&^maskCourtOfficer != 0 {
			subtrees = append(subtrees, path)
		}
		if m&maskCourtOfficer != 0 {
			courts = append(courts, path)
		}
		if m&maskClerk != 0 {
			fcNodes = append(fcNodes, path)
		}
	}
	if q.u.global != 0 {
		add(Global, "/", q.u.global)
	}
	var bodies []string
	for _, h := range q.u.at {
		if n := q.st.rm.nodes[h.node]; n != nil { // a grant at a node this process does not know yet covers nothing
			add(h.node, n.path, h.roles)
		}
		// a grant at a body (or at a court node that is a court body) reads that body's cases
		if q.atBodyItself(ActionCaseRead, h.node) != 0 {
			bodies = append(bodies, h.node)
		}
	}
	sort.Strings(bodies)
	s.Bodies = bodies
	s.Subtrees, s.Courts, s.FirstContactSubtrees = minimalPaths(subtrees), minimalPaths(courts), minimalPaths(fcNodes)
	s.FirstContact = q.staff()
	s.Assigned = s.FirstContact
	return s
}

// ReadableSubtrees returns the node paths under which username may read cases by role (the minimal
// set, sorted; []string{"/"} for a reading role at Global; nil for none). The API filters with
// `location_path LIKE p || '%' OR handling_path LIKE p || '%'` for each; ReadScope adds court
// officers' courts and the user's own first-contact and assigned cases.
func (a *Authorizer) ReadableSubtrees(username string) []string {
	return a.ReadScope(username).Subtrees
}
