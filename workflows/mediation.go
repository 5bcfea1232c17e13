package workflows

import (
	"strings"
	"time"

	"fengqiao"
)

// Mediation, on both tracks: a mediator is assigned and accepts, the parties consent, sessions are held,
// and the mediation ends in an agreement or is closed (PML 17-31; NMR; XGTL 33 inside a petition).

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
		s.eventWith(now, "assigned", a, "", facts{"mediator": in.Mediator})
		if s.Unack {
			s.Unack, s.AckedAt = false, &now
			s.eventWith(now, "acknowledged", a, "", facts{"by_assignment": "1"})
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
		if r := s.refusing(); s.RefusalHold && len(r) > 0 {
			return refuse(fengqiao.ECodeNotAllowed, "当事人（%s）拒绝调解的意思表示仍然有效，须重新征得其同意方可调解 / the refusal of %s is on record: record their new consent first (PML 17)",
				r[0], r[0])
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
			s.eventWith(now, "mediation_resumed", a, "", facts{})
			return
		}
		s.eventWith(now, "mediation_started", a, "", facts{"user": a.Username})
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
			s.eventWith(now, "consent", a, strings.TrimSpace(in.Note), facts{"party": string(in.Party)})
			return
		}
		s.eventWith(now, "consent_refused", a, strings.TrimSpace(in.Note), facts{"party": string(in.Party)})
		if s.Kind == fengqiao.KindCourtReferral && s.Referral != nil {
			s.returnForFiling(now, a, "refused", in.Note)
			return
		}
		if s.Kind == fengqiao.KindDispute {
			s.close(now, a, "mediation_refused", "", s.tier())
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
		s.eventWith(now, "session", a, in.Notes, facts{"held_at": held.Format(time.RFC3339), "session": in.Outcome})
		if in.Outcome == "failed" {
			s.FailedAttempt = true
			s.eventWith(now, "mediation_failed", a, "", facts{"node": s.node().Code, "body_name": s.bodyName()})
			if s.mediationEnded(now, a, "failed", in.Notes) {
				return
			}
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
		if s.Kind == fengqiao.KindPetition && in.Form != "written" {
			return invalid("form", "must be written: mediation inside a petition ends in a written agreement (调解协议书, XGTL 33)")
		}
		return all(s.onlyAssignee(a, "record an agreement"), AgreementEffective(in))
	},
	apply: func(s *caseState, now time.Time, a Actor, in AgreementArgs) {
		s.Agreement = &Agreement{Terms: in.Terms, Form: in.Form, SignedByAll: in.SignedByAll, At: now,
			PaymentObligation: in.PaymentObligation,
			ApplyBy:           s.Calendar.Due(now, s.Policy.Confirmation.Apply),
			PerformBy:         s.Calendar.Due(now, s.Policy.PerformanceCheck)}
		s.PerformReminded = false
		s.Status = fengqiao.StatusAgreement
		s.ResolvedTier = s.tier()
		s.eventWith(now, "agreement", a, "", facts{"form": in.Form, "node": s.node().Code, "body_name": s.bodyName(),
			"apply_by": s.Agreement.ApplyBy.Format(time.RFC3339)})
		s.notify("agreement", false, "调解达成协议 "+s.Number, "可在30日内共同申请司法确认", s.applicants()...)
	},
}

// close closes a dispute: after an agreement, a confirmation or a rejection (court route), or by
// terminating mediation with a written notice of the other routes (PML 26; NMR 23, 27).
var closeAction = action[CloseArgs]{
	name: UpdateClose,
	state: func(s *caseState, now time.Time) error {
		return all(mediates(s, "close"), statusIn(s, "close", fengqiao.StatusRegistered,
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
			s.eventWith(now, "mediation_terminated", a, "", facts{})
			if s.mediationEnded(now, a, "terminated", in.Note) {
				return
			}
		}
		s.close(now, a, in.Outcome, in.Note, s.tier())
	},
}
