package workflows

import (
	"strconv"
	"time"

	"fengqiao"
	"fengqiao/activities"
)

// After a mediated agreement: judicial confirmation by a court, or notarisation or arbitration
// confirmation instead, and the check that the agreement is performed (rule 5; PML 31, 33; SPC 2011).

// confirmation sends the agreement to a court on the parties' joint application within 30 days of the
// agreement (PML 33); the court must accept within 3 days (SPC 2011 art. 4).
var confirmationAction = action[ConfirmationArgs]{
	name: UpdateConfirmation,
	state: func(s *caseState, now time.Time) error {
		if err := all(mediates(s, "confirmation"),
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
		if r := s.Referral; r != nil && in.Court != r.Court.Code {
			return invalidf("court", "委派调解达成的协议应向委派的人民法院（%[1]s）申请司法确认 / an agreement reached in a court referral goes to the court that entrusted it, %[2]s (民事诉讼法 第二百零五条第一项)",
				r.Court.Name, r.Court.Code)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in ConfirmationArgs) {
		s.Confirmation = &Confirmation{Court: in.Court, AppliedAt: now, AcceptBy: s.Calendar.Due(now, s.Policy.Confirmation.Accept)}
		s.Status = fengqiao.StatusConfirmationPending
		if r := s.Referral; r != nil {
			r.Returned, r.ReturnedAt = "confirmation", &now
		}
		s.eventWith(now, "confirmation_applied", a, "", facts{"court": in.Court, "apply_by": s.Agreement.ApplyBy.Format(time.RFC3339)})
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
		s.eventWith(now, "court_accepted", a, "", facts{"court": s.Confirmation.Court, "case_no": in.CaseNo})
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
			if s.lawPeriods == 2 {
				// SPC 2011 art. 5: the 10 days run from the original last day, not from the stored
				// 00:00 after it (which dropped one more day as a starting day).
				d = s.Calendar.ExtendDue(*c.DecideBy, s.Policy.Confirmation.DecideExtension)
			}
			c.DecideBy, c.Extended, c.CourtOverdue = &d, true, false
			s.eventWith(now, "court_extended", a, "", facts{"court": c.Court, "due": d.Format(time.RFC3339)})
			return
		}
		if c.AcceptedAt == nil {
			s.courtAccepted(now)
		}
		c.Result, c.RulingNo = in.Result, in.RulingNo
		if in.Result == "confirmed" {
			s.Status = fengqiao.StatusConfirmed
			s.eventWith(now, "court_confirmed", a, "", facts{"court": c.Court, "ruling_no": in.RulingNo})
		} else {
			s.Status = fengqiao.StatusRejectedByCourt
			s.eventWith(now, "court_rejected", a, in.Note, facts{"court": c.Court, "ruling_no": in.RulingNo})
		}
		result := "人民法院裁定调解协议有效"
		if in.Result != "confirmed" {
			result = "人民法院裁定驳回申请，调解协议不予确认"
		}
		s.notify("court_decision", false, "司法确认结果 "+s.Number, result, s.assignee())
		s.notify("court_decision", false, "司法确认结果 "+s.Number, result, s.applicants()...)
	},
}

// alternative sends the agreement to notarisation with enforcement effect (payment obligations,
// 公证法 37) or to arbitration confirmation (labour disputes, 劳动争议调解仲裁法 14-16) instead of a court.
var alternativeAction = action[AlternativeArgs]{
	name: UpdateAlternative,
	state: func(s *caseState, now time.Time) error {
		if err := all(mediates(s, "alternative"),
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
			if !s.Agreement.PaymentObligation {
				return invalid("route", "赋予强制执行效力的公证只适用于追偿债款、物品的债权文书，本协议未载明给付义务 / notarisation with enforcement effect is only for an agreement that is a payment obligation (公证法 第三十七条)")
			}
			if in.Body != "" && in.BodyRef.Type != fengqiao.BodyNotary {
				return invalid("body", "is not a notary office (公证处)")
			}
		case "withdrawal":
			if s.Referral == nil {
				return invalid("route", "a claim is withdrawn only from the court that entrusted the mediation (SPC 2016 art. 20)")
			}
		case "arbitration":
			if !ArbitrationFits(s.Category) {
				return refuse(fengqiao.ECodeNotAllowed, "arbitration confirmation is for labour disputes, not %s", s.Category)
			}
		default:
			return invalid("route", "must be notarisation, arbitration or withdrawal")
		}
		if in.Body != "" && in.BodyRef.Code != in.Body {
			return invalidf("body", "names no body: %s", in.Body)
		}
		return s.onlyAssignee(a, "choose an alternative")
	},
	apply: func(s *caseState, now time.Time, a Actor, in AlternativeArgs) {
		s.Agreement.Alternative = in.Route
		if in.BodyRef.Code != "" {
			b := in.BodyRef
			s.Agreement.AlternativeBody = &b
		}
		if in.Route == "withdrawal" {
			r := s.Referral
			r.Returned, r.ReturnedAt = "withdrawal", &now
			s.eventWith(now, "referral_withdrawal", a, in.Note, map[string]string{"court": r.Court.Code, "court_name": r.Court.Name})
			s.notify("referral_withdrawal", false, "委派调解达成协议 "+s.Number, "当事人达成调解协议，申请撤回起诉（特邀调解规定第二十条）",
				activities.Recipient{Role: fengqiao.RoleCourtOfficer, Node: r.Court.Code})
			return
		}
		if in.BodyRef.Code != "" {
			args := bodyArgs(in.BodyRef)
			args["route"], args["variant"] = in.Route, "body"
			s.eventWith(now, "alternative", a, in.Note, args)
			return
		}
		s.eventWith(now, "alternative", a, in.Note, facts{"route": in.Route})
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
		s.eventWith(now, "performance", a, in.Note, facts{"performed": strconv.FormatBool(p)})
	},
}
