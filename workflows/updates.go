package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"fengqiao"
	"fengqiao/activities"
)

// An action is one update: when the case may take it (state, which also yields NextActions), who may
// take it with which arguments (check), and what it does (apply). state and check run in the update's
// validator, so a refused action never reaches the history; apply runs in the handler.
type action[T any] struct {
	name  string
	state func(s *caseState, now time.Time) error
	check func(s *caseState, now time.Time, a Actor, args T) error
	apply func(s *caseState, now time.Time, a Actor, args T)
}

type stateRule struct {
	name  string
	state func(s *caseState, now time.Time) error
}

func on[T any](ctx workflow.Context, s *caseState, rules *[]stateRule, act action[T]) error {
	*rules = append(*rules, stateRule{act.name, act.state})
	return workflow.SetUpdateHandlerWithOptions(ctx, act.name,
		func(ctx workflow.Context, a Actor, args T) (CaseView, error) {
			act.apply(s, workflow.Now(ctx), a, args)
			s.dirty = true
			s.flush(ctx)
			return s.view(workflow.Now(ctx)), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, a Actor, args T) error {
			now := workflow.Now(ctx)
			if err := act.state(s, now); err != nil {
				return err
			}
			if act.check != nil {
				return act.check(s, now, a, args)
			}
			return nil
		}})
}

// nextActions lists the actions the case's state allows now (the API narrows them to the caller).
func (s *caseState) nextActions(now time.Time) []string {
	var out []string
	for _, r := range s.rules {
		if r.state(s, now) == nil {
			out = append(out, r.name)
		}
	}
	return out
}

// register installs the query and every update.
func (s *caseState) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CaseView, error) {
		return s.view(workflow.Now(ctx)), nil
	}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandler(ctx, UpdateView, func(ctx workflow.Context) (CaseView, error) {
		return s.view(workflow.Now(ctx)), nil
	}); err != nil {
		return err
	}
	r := &s.rules
	for _, err := range []error{
		on(ctx, s, r, assignAction), on(ctx, s, r, acceptAction), on(ctx, s, r, consentAction),
		on(ctx, s, r, sessionAction), on(ctx, s, r, agreementAction), on(ctx, s, r, escalateAction),
		on(ctx, s, r, returnAction), on(ctx, s, r, acknowledgeAction), on(ctx, s, r, suspendAction),
		on(ctx, s, r, resumeAction), on(ctx, s, r, extendAction), on(ctx, s, r, visitAction),
		on(ctx, s, r, confirmationAction), on(ctx, s, r, courtAcceptAction), on(ctx, s, r, courtDecisionAction),
		on(ctx, s, r, alternativeAction), on(ctx, s, r, performanceAction), on(ctx, s, r, closeAction),
		on(ctx, s, r, routeDecisionAction), on(ctx, s, r, answerAction), on(ctx, s, r, reviewAction),
		on(ctx, s, r, reviewReplyAction), on(ctx, s, r, followUpAction), on(ctx, s, r, ratingAction),
		on(ctx, s, r, migratePolicyAction),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// --- state and actor helpers ---

func statusIn(s *caseState, name string, ok ...fengqiao.Status) error {
	for _, st := range ok {
		if s.Status == st {
			return nil
		}
	}
	return refuse(fengqiao.ECodeNotAllowed, "%s is not allowed while the case is %s", name, s.Status)
}

func kindIs(s *caseState, name string, k fengqiao.Kind) error {
	if s.Kind != k {
		return refuse(fengqiao.ECodeNotAllowed, "%s applies to a %s, not to a %s", name, k, s.Kind)
	}
	return nil
}

func all(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func forbid(format string, args ...any) error {
	return refuse(fengqiao.ECodeForbidden, format, args...)
}

func (s *caseState) isAssignee(a Actor) bool { return s.Assignee != "" && a.Username == s.Assignee }

// isSupervisorOver reports whether a is a supervisor at or above the handling node (DESIGN.md §4).
func (s *caseState) isSupervisorOver(a Actor) bool {
	return a.Role == fengqiao.RoleSupervisor && covers(s.Chain, s.Handling, a.Node)
}

func (s *caseState) assigneeOrSupervisor(a Actor, what string) error {
	if s.isAssignee(a) || s.isSupervisorOver(a) {
		return nil
	}
	return forbid("only the assigned mediator or a supervisor over %s may %s", s.node().Code, what)
}

func (s *caseState) onlyAssignee(a Actor, what string) error {
	if s.isAssignee(a) {
		return nil
	}
	if s.Assignee == "" {
		return refuse(fengqiao.ECodeNotAllowed, "no mediator is assigned: assign one before %s", what)
	}
	return forbid("only the assigned mediator %s may %s", s.Assignee, what)
}

func required(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return invalid(field, "is required")
	}
	return nil
}

// --- the actions ---

// assign: a supervisor over the handling node, or a clerk at it, assigns a mediator; assigning
// acknowledges an escalation (rule 4).
var assignAction = action[AssignArgs]{
	name: UpdateAssign,
	state: func(s *caseState, now time.Time) error {
		return statusIn(s, "assign", fengqiao.StatusRegistered, fengqiao.StatusMediating, fengqiao.StatusAgreement,
			fengqiao.StatusConfirmed, fengqiao.StatusRejectedByCourt, fengqiao.StatusSuspended)
	},
	check: func(s *caseState, now time.Time, a Actor, in AssignArgs) error {
		if err := required("mediator", in.Mediator); err != nil {
			return err
		}
		if s.isSupervisorOver(a) || (a.Role == fengqiao.RoleClerk && a.Node == s.node().Code) {
			return nil
		}
		return forbid("only a supervisor over %s or a clerk at it may assign", s.node().Code)
	},
	apply: func(s *caseState, now time.Time, a Actor, in AssignArgs) {
		if s.Assignee != in.Mediator && s.Status == fengqiao.StatusMediating {
			s.Status = fengqiao.StatusRegistered // the new mediator accepts before mediating
		}
		s.Assignee = in.Mediator
		s.event(now, "assigned", a, "assigned to "+in.Mediator)
		if s.Unack {
			s.Unack, s.AckedAt = false, &now
			s.event(now, "acknowledged", a, "escalation acknowledged by assignment")
		}
		s.notify("assigned", false, "新案件 "+s.Number, "您被指派办理该案件", s.assignee())
	},
}

// accept: the assigned mediator starts mediation (PML 17: by application or on the committee's own
// initiative, unless a party refuses). Inside a petition, mediation needs both parties' consent (XGTL 33).
// After a court's rejection, accepting goes back to mediation (rule 5).
var acceptAction = action[NoArgs]{
	name: UpdateAccept,
	state: func(s *caseState, now time.Time) error {
		if err := statusIn(s, "accept", fengqiao.StatusRegistered, fengqiao.StatusRejectedByCourt); err != nil {
			return err
		}
		if s.Assignee == "" {
			return refuse(fengqiao.ECodeNotAllowed, "no mediator is assigned")
		}
		if p := s.Petition; p != nil {
			if !p.Accepted {
				return refuse(fengqiao.ECodeNotAllowed, "the petition has not been accepted yet (XGTL 22)")
			}
			if !s.Consent[string(fengqiao.PartyApplicant)] || !s.Consent[string(fengqiao.PartyRespondent)] {
				return refuse(fengqiao.ECodeNotAllowed, "mediation inside a petition needs both parties' consent (XGTL 33)")
			}
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, _ NoArgs) error { return s.onlyAssignee(a, "accept") },
	apply: func(s *caseState, now time.Time, a Actor, _ NoArgs) {
		from := s.Status
		s.Status = fengqiao.StatusMediating
		s.FailedAttempt = false
		if from == fengqiao.StatusRejectedByCourt {
			s.Agreement, s.PerformReminded = nil, false
			s.event(now, "mediation_resumed", a, "back to mediation after the court's rejection (SPC 2011 art. 7)")
			return
		}
		s.event(now, "mediation_started", a, "mediation accepted by "+a.Username)
	},
}

// consent records a party's consent or refusal. A party's explicit refusal ends mediation, and the
// parties are told of the arbitration, administrative and judicial routes (PML 17, 26).
var consentAction = action[ConsentArgs]{
	name: UpdateConsent,
	state: func(s *caseState, now time.Time) error {
		return statusIn(s, "consent", fengqiao.StatusRegistered, fengqiao.StatusMediating)
	},
	check: func(s *caseState, now time.Time, a Actor, in ConsentArgs) error {
		if in.Party != fengqiao.PartyApplicant && in.Party != fengqiao.PartyRespondent {
			return invalid("party", "must be applicant or respondent")
		}
		if s.isAssignee(a) || s.isSupervisorOver(a) || (a.Role == fengqiao.RoleClerk && covers(s.Chain, s.Handling, a.Node)) {
			return nil
		}
		return forbid("only the assigned mediator, a clerk or a supervisor over %s may record consent", s.node().Code)
	},
	apply: func(s *caseState, now time.Time, a Actor, in ConsentArgs) {
		if s.Consent == nil {
			s.Consent = map[string]bool{}
		}
		s.Consent[string(in.Party)] = in.Agrees
		if in.Agrees {
			s.event(now, "consent", a, string(in.Party)+" consents to mediation")
			return
		}
		s.event(now, "consent_refused", a, string(in.Party)+" refuses mediation (PML 17)")
		if s.Kind == fengqiao.KindDispute {
			s.close(now, a, "mediation_refused",
				"a party refused mediation (PML 17); the parties are told they may use arbitration, administrative or judicial routes (PML 26)", s.tier())
			return
		}
		if s.Status == fengqiao.StatusMediating {
			s.Status = fengqiao.StatusRegistered
		}
	},
}

// sessions records a mediation session; a failed outcome is the recorded failed attempt that lets the
// mediator escalate (rule 2 (b)).
var sessionAction = action[SessionArgs]{
	name:  UpdateSession,
	state: func(s *caseState, now time.Time) error { return statusIn(s, "sessions", fengqiao.StatusMediating) },
	check: func(s *caseState, now time.Time, a Actor, in SessionArgs) error {
		switch in.Outcome {
		case "continue", "agreement", "failed":
		default:
			return invalid("outcome", "must be continue, agreement or failed")
		}
		return s.onlyAssignee(a, "record sessions")
	},
	apply: func(s *caseState, now time.Time, a Actor, in SessionArgs) {
		held := in.HeldAt
		if held.IsZero() {
			held = now
		}
		s.event(now, "session", a, fmt.Sprintf("session held %s: %s (%s)", held.Format(time.RFC3339), in.Outcome, in.Notes))
		if in.Outcome == "failed" {
			s.FailedAttempt = true
			s.event(now, "mediation_failed", a, "mediation attempt failed at "+s.node().Code)
			s.notify("mediation_failed", false, "调解未成 "+s.Number, "可上报上一层级", s.supervisors(s.node().Code))
		}
	},
}

// agreement records a mediated agreement: written and signed by all (PML 29) or oral (PML 28, 30).
// The joint application window for judicial confirmation (30 days, PML 33) and the performance check
// (PML 31) start now.
var agreementAction = action[AgreementArgs]{
	name:  UpdateAgreement,
	state: func(s *caseState, now time.Time) error { return statusIn(s, "agreement", fengqiao.StatusMediating) },
	check: func(s *caseState, now time.Time, a Actor, in AgreementArgs) error {
		return all(s.onlyAssignee(a, "record an agreement"), AgreementEffective(in))
	},
	apply: func(s *caseState, now time.Time, a Actor, in AgreementArgs) {
		s.Agreement = &Agreement{Terms: in.Terms, Form: in.Form, SignedByAll: in.SignedByAll, At: now,
			ApplyBy:   s.Calendar.Due(now, s.Policy.Confirmation.Apply),
			PerformBy: s.Calendar.Due(now, s.Policy.PerformanceCheck)}
		s.PerformReminded = false
		s.Status = fengqiao.StatusAgreement
		s.ResolvedTier = s.tier()
		s.event(now, "agreement", a, fmt.Sprintf("%s agreement reached at %s", in.Form, s.node().Code))
		s.notify("agreement", false, "调解达成协议 "+s.Number, "可在30日内共同申请司法确认", s.applicants()...)
	},
}

// escalate moves the case one tier up its chain (rule 2): (b) by the assigned mediator after a recorded
// failed attempt, or (c) by a supervisor of an ancestor node, with a written reason. Skipping a tier or
// leaving the chain is refused (tier_skip_refused). (a), the tier clock, escalates in tick.
var escalateAction = action[ReasonArgs]{
	name: UpdateEscalate,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "escalate", fengqiao.KindDispute),
			statusIn(s, "escalate", fengqiao.StatusRegistered, fengqiao.StatusMediating)); err != nil {
			return err
		}
		if _, ok := NextTierUp(s.Chain, s.Handling); !ok {
			return refuse(fengqiao.ECodeNotAllowed, "the case is already at the top of its chain")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in ReasonArgs) error {
		if err := required("reason", in.Reason); err != nil {
			return err
		}
		if _, err := EscalationTarget(s.Chain, s.Handling, in.To); err != nil {
			return err
		}
		if i := chainIndex(s.Chain, a.Node); a.Role == fengqiao.RoleSupervisor && i >= 0 && i < s.Handling {
			return nil // (c) a supervisor of an ancestor node orders it
		}
		if s.isAssignee(a) {
			if s.FailedAttempt {
				return nil // (b) after a recorded failed attempt
			}
			return refuse(fengqiao.ECodeNotAllowed, "a mediator escalates only after a failed attempt is recorded (rule 2)")
		}
		return forbid("only the assigned mediator after a failed attempt, or a supervisor of an ancestor node, may escalate")
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReasonArgs) {
		next, _ := NextTierUp(s.Chain, s.Handling)
		ordered := a.Role == fengqiao.RoleSupervisor && chainIndex(s.Chain, a.Node) < s.Handling
		s.moveTo(now, a, next, "escalated", in.Reason)
		if !ordered { // nobody above has taken it yet: it waits in their queue
			s.Unack, s.Reported, s.EscalatedAt, s.AckedAt = true, false, &now, nil
		} else {
			s.Unack, s.EscalatedAt, s.AckedAt = false, &now, &now
		}
	},
}

// return sends a case down within its chain (下沉): a supervisor over the handling node, with a reason.
var returnAction = action[ReturnArgs]{
	name: UpdateReturn,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "return", fengqiao.KindDispute),
			statusIn(s, "return", fengqiao.StatusRegistered, fengqiao.StatusMediating)); err != nil {
			return err
		}
		if low, _ := LowestMediationTier(s.Chain); low <= s.Handling {
			return refuse(fengqiao.ECodeNotAllowed, "the case is already at the lowest tier of its chain")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in ReturnArgs) error {
		if err := all(required("to", in.To), required("reason", in.Reason)); err != nil {
			return err
		}
		if _, err := ReturnTarget(s.Chain, s.Handling, in.To); err != nil {
			return err
		}
		if !s.isSupervisorOver(a) {
			return forbid("only a supervisor over %s may send the case down", s.node().Code)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReturnArgs) {
		to, _ := ReturnTarget(s.Chain, s.Handling, in.To)
		s.moveTo(now, a, to, "returned", in.Reason)
		s.Unack = false
	},
}

// acknowledge: a supervisor over the handling node takes an escalated case out of the unacknowledged
// queue (rule 4).
var acknowledgeAction = action[ReasonArgs]{
	name: UpdateAcknowledge,
	state: func(s *caseState, now time.Time) error {
		if !s.Unack {
			return refuse(fengqiao.ECodeNotAllowed, "the case has no unacknowledged escalation")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in ReasonArgs) error {
		if !s.isSupervisorOver(a) {
			return forbid("only a supervisor over %s may acknowledge", s.node().Code)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReasonArgs) {
		s.Unack, s.AckedAt = false, &now
		s.event(now, "acknowledged", a, "escalation acknowledged: "+in.Reason)
	},
}

// suspend pauses both clocks with a recorded reason (appraisal, hearing: XGTL 36 — hearing time does
// not count; online mediation rules 26 — appraisal).
var suspendAction = action[ReasonArgs]{
	name: UpdateSuspend,
	state: func(s *caseState, now time.Time) error {
		return statusIn(s, "suspend", fengqiao.StatusRegistered, fengqiao.StatusMediating, fengqiao.StatusUnderReview)
	},
	check: func(s *caseState, now time.Time, a Actor, in ReasonArgs) error {
		return all(required("reason", in.Reason), s.assigneeOrSupervisor(a, "suspend"))
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReasonArgs) {
		s.PausedSince, s.PauseReason = &now, in.Reason
		s.SuspendedFrom, s.Status = s.Status, fengqiao.StatusSuspended
		s.event(now, "suspended", a, "clocks paused: "+in.Reason)
	},
}

// resume restarts the clocks; the pause lengthens both deadlines (rule 4).
var resumeAction = action[ReasonArgs]{
	name:  UpdateResume,
	state: func(s *caseState, now time.Time) error { return statusIn(s, "resume", fengqiao.StatusSuspended) },
	check: func(s *caseState, now time.Time, a Actor, in ReasonArgs) error {
		return s.assigneeOrSupervisor(a, "resume")
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReasonArgs) {
		from := *s.PausedSince
		s.Pauses = append(s.Pauses, PauseRecord{From: from, To: now, Reason: s.PauseReason})
		s.PausedSince, s.PauseReason = nil, ""
		s.Status, s.SuspendedFrom = s.SuspendedFrom, ""
		s.event(now, "resumed", a, fmt.Sprintf("clocks resumed after %s: %s", now.Sub(from).Round(time.Minute), in.Reason))
	},
}

// extend lengthens the statutory deadline with a reason: a mediation on both parties' request (NMR 27);
// a petition with a supervisor's approval, at most 30 days in all, and the petitioner is told why
// (XGTL 34).
var extendAction = action[ExtendArgs]{
	name: UpdateExtend,
	state: func(s *caseState, now time.Time) error {
		if c := s.statutoryClock(now); !c.ok || (c.kind != "mediation" && c.kind != "handle") {
			return refuse(fengqiao.ECodeNotAllowed, "no extendable deadline runs while the case is %s", s.Status)
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in ExtendArgs) error {
		if in.Days < 1 {
			return invalid("days", "must be at least 1")
		}
		if err := required("reason", in.Reason); err != nil {
			return err
		}
		if s.Kind == fengqiao.KindPetition {
			if !s.isSupervisorOver(a) {
				return forbid("a petition's deadline is extended only with a supervisor's approval (XGTL 34)")
			}
			max := s.Policy.Petition.ExtendMax.Days + s.Policy.Petition.ExtendMax.WorkingDays
			if s.Petition.ExtendedDays+in.Days > max {
				return refuse(fengqiao.ECodeNotAllowed, "a petition may be extended by at most %d days in all (XGTL 34)", max)
			}
			return nil
		}
		if !in.BothPartiesRequested {
			return refuse(fengqiao.ECodeNotAllowed, "a mediation is extended only when both parties request it (NMR 27)")
		}
		return s.assigneeOrSupervisor(a, "extend")
	},
	apply: func(s *caseState, now time.Time, a Actor, in ExtendArgs) {
		if s.Kind == fengqiao.KindPetition {
			s.Petition.ExtendedDays += in.Days
			s.event(now, "extended", a, fmt.Sprintf("handling extended by %d days, approved by %s: %s (XGTL 34)", in.Days, a.Username, in.Reason))
			s.notify("extended", false, "信访事项延期办理 "+s.Number, "延期理由："+in.Reason, s.applicants()...)
			return
		}
		s.StatExtendDays += in.Days
		s.TierExtendDays += in.Days
		s.event(now, "extended", a, fmt.Sprintf("mediation extended by %d days on both parties' request: %s (NMR 27)", in.Days, in.Reason))
	},
}

// visits records a repeat contact on the same matter; the second in-person visit is a one-visit breach
// supervisors see (rule 3).
var visitAction = action[VisitArgs]{
	name: UpdateVisit,
	state: func(s *caseState, now time.Time) error {
		if !s.Status.Open() {
			return refuse(fengqiao.ECodeNotAllowed, "the case is %s", s.Status)
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in VisitArgs) error {
		if !in.Channel.Valid() {
			return invalid("channel", "must be one of visit, letter, phone, online, patrol, referral")
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in VisitArgs) {
		s.Visits = append(s.Visits, Visit{At: now, Channel: in.Channel, By: a.Username, Node: a.Node, Note: in.Note})
		s.event(now, "visit", a, fmt.Sprintf("repeat contact by %s at %s", in.Channel, a.Node))
		if !s.Breach && SecondVisitBreach(s.Visits) {
			s.Breach = true
			s.event(now, "one_visit_breach", a, "second in-person visit on the same matter (最多跑一次)")
			s.notify("one_visit_breach", true, "最多跑一次未达成 "+s.Number, "当事人第二次来访", s.supervisors(s.node().Code))
		}
	},
}

// confirmation sends the agreement to a court on the parties' joint application within 30 days of the
// agreement (PML 33); the court must accept within 3 days (SPC 2011 art. 4).
var confirmationAction = action[ConfirmationArgs]{
	name: UpdateConfirmation,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "confirmation", fengqiao.KindDispute),
			statusIn(s, "confirmation", fengqiao.StatusAgreement)); err != nil {
			return err
		}
		if s.Agreement.Alternative != "" {
			return refuse(fengqiao.ECodeNotAllowed, "the agreement went to %s instead", s.Agreement.Alternative)
		}
		if !ConfirmationWindowOpen(now, s.Agreement.ApplyBy) {
			return refuse(fengqiao.ECodeNotAllowed, "the 30-day window for judicial confirmation closed on %s (PML 33)", s.Agreement.ApplyBy.Format("2006-01-02"))
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in ConfirmationArgs) error {
		if err := all(required("court", in.Court), s.onlyAssignee(a, "send the agreement to a court")); err != nil {
			return err
		}
		if !in.Joint {
			return refuse(fengqiao.ECodeNotAllowed, "judicial confirmation needs the parties' joint application (PML 33)")
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in ConfirmationArgs) {
		s.Confirmation = &Confirmation{Court: in.Court, AppliedAt: now, AcceptBy: s.Calendar.Due(now, s.Policy.Confirmation.Accept)}
		s.Status = fengqiao.StatusConfirmationPending
		s.event(now, "confirmation_applied", a, "joint application for judicial confirmation sent to "+in.Court+" (PML 33)")
		s.notify("confirmation_request", false, "司法确认申请 "+s.Number, "请在3日内决定是否受理",
			activities.Recipient{Role: fengqiao.RoleCourtOfficer, Node: in.Court})
		s.pendingCourt = &activities.CourtRequest{CaseID: s.CaseID, Number: s.Number, Court: in.Court,
			Terms: s.Agreement.Terms, Form: s.Agreement.Form, AppliedAt: now}
	},
}

func (s *caseState) courtOfficer(a Actor) error {
	if a.Role != fengqiao.RoleCourtOfficer || s.Confirmation == nil || a.Node != s.Confirmation.Court {
		return forbid("only an officer of the court the application was sent to may act on it")
	}
	return nil
}

// court-accept records the court's acceptance; the decision is due within 15 days (SPC 2011 arts. 4-5).
var courtAcceptAction = action[CourtAcceptArgs]{
	name: UpdateCourtAccept,
	state: func(s *caseState, now time.Time) error {
		if err := statusIn(s, "court-accept", fengqiao.StatusConfirmationPending); err != nil {
			return err
		}
		if s.Confirmation.AcceptedAt != nil {
			return refuse(fengqiao.ECodeNotAllowed, "the court has already accepted the application")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in CourtAcceptArgs) error { return s.courtOfficer(a) },
	apply: func(s *caseState, now time.Time, a Actor, in CourtAcceptArgs) {
		s.courtAccepted(now)
		s.event(now, "court_accepted", a, "accepted by the court "+in.CaseNo+" (SPC 2011 art. 4)")
	},
}

func (s *caseState) courtAccepted(now time.Time) {
	c := s.Confirmation
	decide := s.Calendar.Due(now, s.Policy.Confirmation.Decide)
	c.AcceptedAt, c.DecideBy, c.CourtOverdue = &now, &decide, false
}

// court-decision records the court's decision: confirmed (the agreement is enforceable, SPC 2011 art. 9)
// or rejected (back to mediation, or the court route, SPC 2011 art. 7); or the court president's
// approved extension of 10 days (SPC 2011 art. 5).
var courtDecisionAction = action[CourtDecisionArgs]{
	name: UpdateCourtDecision,
	state: func(s *caseState, now time.Time) error {
		return statusIn(s, "court-decision", fengqiao.StatusConfirmationPending)
	},
	check: func(s *caseState, now time.Time, a Actor, in CourtDecisionArgs) error {
		if err := s.courtOfficer(a); err != nil {
			return err
		}
		switch in.Result {
		case "confirmed", "rejected":
		case "extended":
			if s.Confirmation.AcceptedAt == nil || s.Confirmation.Extended {
				return refuse(fengqiao.ECodeNotAllowed, "the decision can be extended once, after acceptance (SPC 2011 art. 5)")
			}
		default:
			return invalid("result", "must be confirmed, rejected or extended")
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in CourtDecisionArgs) {
		c := s.Confirmation
		if in.Result == "extended" {
			d := s.Calendar.Due(*c.DecideBy, s.Policy.Confirmation.DecideExtension)
			c.DecideBy, c.Extended, c.CourtOverdue = &d, true, false
			s.event(now, "court_extended", a, "decision period extended with the president's approval (SPC 2011 art. 5)")
			return
		}
		if c.AcceptedAt == nil {
			s.courtAccepted(now)
		}
		c.Result, c.RulingNo = in.Result, in.RulingNo
		if in.Result == "confirmed" {
			s.Status = fengqiao.StatusConfirmed
			s.event(now, "court_confirmed", a, "agreement confirmed, ruling "+in.RulingNo+": enforceable (SPC 2011 arts. 8-9)")
		} else {
			s.Status = fengqiao.StatusRejectedByCourt
			s.event(now, "court_rejected", a, "agreement not confirmed, ruling "+in.RulingNo+": "+in.Note+" (SPC 2011 art. 7)")
		}
		s.notify("court_decision", false, "司法确认结果 "+s.Number, in.Result, s.assignee())
		s.notify("court_decision", false, "司法确认结果 "+s.Number, in.Result, s.applicants()...)
	},
}

// alternative sends the agreement to notarisation with enforcement effect (payment obligations,
// 公证法 37) or to arbitration confirmation (labour disputes, 劳动争议调解仲裁法 14-16) instead of a court.
var alternativeAction = action[AlternativeArgs]{
	name: UpdateAlternative,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "alternative", fengqiao.KindDispute),
			statusIn(s, "alternative", fengqiao.StatusAgreement)); err != nil {
			return err
		}
		if s.Agreement.Alternative != "" {
			return refuse(fengqiao.ECodeNotAllowed, "the agreement already went to %s", s.Agreement.Alternative)
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in AlternativeArgs) error {
		switch in.Route {
		case "notarisation":
		case "arbitration":
			if !ArbitrationFits(s.Category) {
				return refuse(fengqiao.ECodeNotAllowed, "arbitration confirmation is for labour disputes, not %s", s.Category)
			}
		default:
			return invalid("route", "must be notarisation or arbitration")
		}
		return s.onlyAssignee(a, "choose an alternative")
	},
	apply: func(s *caseState, now time.Time, a Actor, in AlternativeArgs) {
		s.Agreement.Alternative = in.Route
		s.event(now, "alternative", a, in.Route+": "+in.Note)
	},
}

// performance records the check that the agreement is performed (PML 31); a confirmed agreement that is
// not performed can be enforced by the court (SPC 2011 art. 9).
var performanceAction = action[PerformanceArgs]{
	name: UpdatePerformance,
	state: func(s *caseState, now time.Time) error {
		return statusIn(s, "performance", fengqiao.StatusAgreement, fengqiao.StatusConfirmed)
	},
	check: func(s *caseState, now time.Time, a Actor, in PerformanceArgs) error {
		return s.assigneeOrSupervisor(a, "record performance")
	},
	apply: func(s *caseState, now time.Time, a Actor, in PerformanceArgs) {
		p := in.Performed
		s.Agreement.Performed = &p
		s.event(now, "performance", a, fmt.Sprintf("performed=%t: %s (PML 31)", p, in.Note))
	},
}

// close closes a dispute: after an agreement, a confirmation or a rejection (court route), or by
// terminating mediation with a written notice of the other routes (PML 26; NMR 23, 27).
var closeAction = action[CloseArgs]{
	name: UpdateClose,
	state: func(s *caseState, now time.Time) error {
		return all(kindIs(s, "close", fengqiao.KindDispute), statusIn(s, "close", fengqiao.StatusRegistered,
			fengqiao.StatusMediating, fengqiao.StatusAgreement, fengqiao.StatusConfirmed, fengqiao.StatusRejectedByCourt))
	},
	check: func(s *caseState, now time.Time, a Actor, in CloseArgs) error {
		if err := required("outcome", in.Outcome); err != nil {
			return err
		}
		if (s.Status == fengqiao.StatusRegistered || s.Status == fengqiao.StatusMediating) && strings.TrimSpace(in.Note) == "" {
			return invalid("note", "is required to terminate a mediation: the termination notice (PML 26, NMR 23)")
		}
		return s.assigneeOrSupervisor(a, "close")
	},
	apply: func(s *caseState, now time.Time, a Actor, in CloseArgs) {
		if s.Status == fengqiao.StatusRegistered || s.Status == fengqiao.StatusMediating {
			s.event(now, "mediation_terminated", a, "mediation terminated; parties told of other routes (PML 26, NMR 23)")
		}
		s.close(now, a, in.Outcome, in.Note, s.tier())
	},
}

// route-decision accepts a petition (XGTL 22, 31(六)) or refers it to the lawful channel it belongs to —
// litigation, arbitration, administrative review — and closes it with a notice naming that channel
// (诉访分离, XGTL 31(一)-(四), rule 6).
var routeDecisionAction = action[RouteDecisionArgs]{
	name: UpdateRouteDecision,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "route-decision", fengqiao.KindPetition),
			statusIn(s, "route-decision", fengqiao.StatusRegistered)); err != nil {
			return err
		}
		if s.Petition.Accepted {
			return refuse(fengqiao.ECodeNotAllowed, "the petition is already accepted")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in RouteDecisionArgs) error {
		if !in.Accept && !lawfulChannel(in.Channel) {
			return invalid("channel", "must name the lawful channel: "+strings.Join(LawfulChannels, ", "))
		}
		if s.isSupervisorOver(a) || (a.Role == fengqiao.RoleClerk && covers(s.Chain, s.Handling, a.Node)) {
			return nil
		}
		return forbid("only a clerk or supervisor over %s may decide", s.node().Code)
	},
	apply: func(s *caseState, now time.Time, a Actor, in RouteDecisionArgs) {
		if in.Accept {
			s.Petition.Accepted, s.Petition.AcceptedAt = true, &now
			s.StatAtRisk, s.StatOverdue = false, false
			s.event(now, "petition_accepted", a, "accepted for handling (XGTL 22, 31)")
			s.notify("petition_accepted", false, "信访事项受理告知 "+s.Number, "已受理，60日内办结", s.applicants()...)
			return
		}
		s.Petition.ReferredTo = in.Channel
		s.Status, s.Outcome, s.ClosedAt = fengqiao.StatusReferredOut, "referred_out: "+in.Channel, &now
		s.closeCommon(now)
		s.event(now, "referred_out", a, "not accepted as a petition: belongs to "+in.Channel+" (XGTL 31, 诉访分离)")
		s.notify("referred_out", false, "信访事项不予受理告知 "+s.Number, "请通过 "+in.Channel+" 途径解决："+in.Note, s.applicants()...)
		s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访当事人", s.firstContact())
	},
}

// answer gives the written answer to a petition: support, explain or not support (XGTL 32), within 60
// days (+extension) of acceptance (XGTL 34). The petitioner may ask for 复查 within 30 days (XGTL 35).
var answerAction = action[AnswerArgs]{
	name: UpdateAnswer,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "answer", fengqiao.KindPetition), statusIn(s, "answer",
			fengqiao.StatusRegistered, fengqiao.StatusMediating, fengqiao.StatusAgreement)); err != nil {
			return err
		}
		if !s.Petition.Accepted {
			return refuse(fengqiao.ECodeNotAllowed, "the petition has not been accepted")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in AnswerArgs) error {
		if !answerDecision(in.Decision) {
			return invalid("decision", "must be support, explain or not_support (XGTL 32)")
		}
		return all(required("text", in.Text), s.assigneeOrSupervisor(a, "answer"))
	},
	apply: func(s *caseState, now time.Time, a Actor, in AnswerArgs) {
		p := s.Petition
		by := s.Calendar.Due(now, s.Policy.Petition.ReviewRequest)
		p.Answer, p.AnsweredAt, p.RequestBy = in.Decision, &now, &by
		s.Status = fengqiao.StatusAnswered
		s.ResolvedTier = s.tier()
		s.event(now, "answered", a, in.Decision+" (XGTL 32)")
		s.notify("answered", false, "信访处理意见书 "+s.Number, in.Decision, s.applicants()...)
	},
}

func expectedLevel(p *Petition) string {
	if p.ReviewLevel == "" {
		return LevelReexamine
	}
	if p.ReviewLevel == LevelReexamine && p.ReviewReplied {
		return LevelReview
	}
	return ""
}

// review opens 复查 at the next level up (XGTL 35) or 复核 at the level above that (XGTL 36), on the
// petitioner's request within 30 days of the written answer.
var reviewAction = action[ReviewArgs]{
	name: UpdateReview,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "review", fengqiao.KindPetition), statusIn(s, "review", fengqiao.StatusAnswered)); err != nil {
			return err
		}
		p := s.Petition
		if p.RequestBy == nil || now.After(*p.RequestBy) {
			return refuse(fengqiao.ECodeNotAllowed, "the 30-day window for a review request has closed (XGTL 35, 36)")
		}
		if expectedLevel(p) == "" {
			return refuse(fengqiao.ECodeFinalAfterReview, "the matter was reviewed (复核) and is final (XGTL 36)")
		}
		if _, ok := NextTierUp(s.Chain, s.Handling); !ok {
			return refuse(fengqiao.ECodeNotAllowed, "there is no level above %s to review the answer", s.node().Code)
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in ReviewArgs) error {
		if want := expectedLevel(s.Petition); in.Level != want {
			return invalid("level", "must be "+want+" now (XGTL 35, 36)")
		}
		return required("reason", in.Reason)
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReviewArgs) { s.startReview(now, a, in.Level, in.Reason) },
}

func (s *caseState) startReview(now time.Time, a Actor, level, reason string) {
	p := s.Petition
	up, _ := NextTierUp(s.Chain, s.Handling)
	from := s.node()
	s.Handling = up
	p.ReviewLevel, p.ReviewNode, p.ReviewRequestedAt, p.ReviewReplied, p.RequestBy = level, s.node().Code, &now, false, nil
	s.Status = fengqiao.StatusUnderReview
	s.StatAtRisk, s.StatOverdue = false, false
	s.event(now, "review_requested", a, fmt.Sprintf("%s requested: %s → %s: %s", level, from.Code, s.node().Code, reason))
	s.notify("review_requested", true, level+" "+s.Number, reason, s.supervisors(s.node().Code), s.firstContact())
}

// review-reply is the reviewing level's written opinion within 30 days (XGTL 35, 36); after 复核 the
// matter is final: the same facts and reasons are not accepted again (XGTL 36).
var reviewReplyAction = action[ReviewReplyArgs]{
	name: UpdateReviewReply,
	state: func(s *caseState, now time.Time) error {
		return statusIn(s, "review-reply", fengqiao.StatusUnderReview)
	},
	check: func(s *caseState, now time.Time, a Actor, in ReviewReplyArgs) error {
		if !answerDecision(in.Decision) {
			return invalid("decision", "must be support, explain or not_support (XGTL 32)")
		}
		if err := required("text", in.Text); err != nil {
			return err
		}
		if a.Node != s.Petition.ReviewNode || (a.Role != fengqiao.RoleSupervisor && a.Role != fengqiao.RoleClerk && a.Role != fengqiao.RoleMediator) {
			return forbid("only staff of the reviewing organ %s may reply", s.Petition.ReviewNode)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReviewReplyArgs) {
		p := s.Petition
		p.ReviewReplied, p.Answer = true, in.Decision
		if p.ReviewLevel == LevelReview {
			s.Status, s.Final, s.ClosedAt = fengqiao.StatusFinal, true, &now
			s.Outcome = "final_after_review: " + in.Decision
			s.closeCommon(now)
			s.final = true
			s.event(now, "review_replied", a, "复核 opinion: "+in.Decision+"; the matter is final (XGTL 36)")
			s.notify("final", false, "复核意见书 "+s.Number, in.Decision, s.applicants()...)
			s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访信访人", s.firstContact())
			return
		}
		by := s.Calendar.Due(now, s.Policy.Petition.ReviewRequest)
		p.RequestBy = &by
		s.Status = fengqiao.StatusAnswered
		s.event(now, "review_replied", a, "复查 opinion: "+in.Decision+" (XGTL 35); 复核 may be requested within 30 days")
		s.notify("review_replied", false, "复查意见书 "+s.Number, in.Decision, s.applicants()...)
	},
}

// follow-up is the first-contact owner's follow-up visit after closure (回访, rule 1).
var followUpAction = action[FollowUpArgs]{
	name: UpdateFollowUp,
	state: func(s *caseState, now time.Time) error {
		if s.Status.Open() || s.FollowUpDone {
			return refuse(fengqiao.ECodeNotAllowed, "a follow-up is due once, after closure")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in FollowUpArgs) error {
		if a.Username != s.FirstContact.Username {
			return forbid("the follow-up is the first-contact owner's (%s) task (首问负责)", s.FirstContact.Username)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in FollowUpArgs) {
		s.FollowUpDone = true
		s.event(now, "follow_up", a, in.Note)
	},
}

// rating is the party's rating through the query code within the satisfaction window; an unsatisfied
// rating reopens a dispute on the same number, or starts 复查 for an answered petition (rule 8).
var ratingAction = action[RatingArgs]{
	name: UpdateRating,
	state: func(s *caseState, now time.Time) error {
		if s.Satisfaction != nil {
			return refuse(fengqiao.ECodeNotAllowed, "the case has been rated")
		}
		if s.Status == fengqiao.StatusAnswered && s.Kind == fengqiao.KindPetition {
			return nil
		}
		if s.Status == fengqiao.StatusClosed && s.RateBy != nil && now.Before(*s.RateBy) {
			return nil
		}
		return refuse(fengqiao.ECodeNotAllowed, "the case cannot be rated now")
	},
	check: func(s *caseState, now time.Time, a Actor, in RatingArgs) error {
		if in.Score < 1 || in.Score > 5 {
			return invalid("score", "must be 1 to 5")
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in RatingArgs) {
		score := in.Score
		s.event(now, "rated", a, fmt.Sprintf("score %d: %s", score, in.Comment))
		if !Unsatisfied(score) {
			s.Satisfaction = &score
			return
		}
		if s.Kind == fengqiao.KindPetition {
			s.Satisfaction = &score
			if s.Status == fengqiao.StatusAnswered && expectedLevel(s.Petition) != "" {
				if _, ok := NextTierUp(s.Chain, s.Handling); ok {
					s.startReview(now, a, expectedLevel(s.Petition), "unsatisfied rating (rule 8)")
				}
			}
			return
		}
		// A dispute reopens on the same number at the tier that closed it.
		s.Status, s.Outcome, s.ResolvedTier, s.ClosedAt, s.RateBy = fengqiao.StatusRegistered, "", "", nil, nil
		s.Agreement, s.Confirmation, s.PerformReminded, s.FollowUpDone = nil, nil, false, false
		s.TierStart, s.StatStart, s.TierExtendDays, s.StatExtendDays = now, now, 0, 0
		s.TierAtRisk, s.TierOverdue, s.StatAtRisk, s.StatOverdue = false, false, false, false
		s.reserve = true
		s.event(now, "reopened", a, "unsatisfied rating: the case reopens on the same number (rule 8)")
		s.notify("reopened", true, "案件重新办理 "+s.Number, "当事人不满意", s.firstContact(), s.assignee(), s.supervisors(s.node().Code))
	},
}

// migrate-policy moves a running case to a new policy version; running cases otherwise keep the
// policy they started with.
var migratePolicyAction = action[MigratePolicyArgs]{
	name: UpdateMigratePolicy,
	state: func(s *caseState, now time.Time) error {
		if !s.Status.Open() {
			return refuse(fengqiao.ECodeNotAllowed, "the case is %s", s.Status)
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in MigratePolicyArgs) error {
		if a.Role != fengqiao.RoleAdmin {
			return forbid("only an administrator migrates a case's policy")
		}
		if in.Policy.Version == "" || in.Policy.Version == s.Policy.Version {
			return invalid("policy.version", "must name a different policy version")
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in MigratePolicyArgs) {
		old := s.Policy.Version
		s.Policy = in.Policy
		s.event(now, "policy_migrated", a, fmt.Sprintf("policy %s → %s", old, in.Policy.Version))
	},
}
