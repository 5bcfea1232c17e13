package workflows

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"fengqiao"
	"fengqiao/activities"
)

// Tiers and clocks: escalation and return along the chain (rule 2), acknowledgement of an escalation
// (rule 4), pausing and extending the clocks, repeat visits (rule 3), and moving a case to a new policy.

// escalate moves the case one tier up its chain (rule 2): (b) by the assigned mediator after a recorded
// failed attempt, or (c) by a supervisor of an ancestor node, with a written reason. Skipping a tier or
// leaving the chain is refused (tier_skip_refused). (a), the tier clock, escalates in tick.
var escalateAction = action[ReasonArgs]{
	name: UpdateEscalate,
	state: func(s *caseState, now time.Time) error {
		if err := all(mediates(s, "escalate"),
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
		if err := all(mediates(s, "return"),
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
		s.eventWith(now, "acknowledged", a, in.Reason, facts{})
	},
}

// suspend pauses the clocks with a recorded reason. A statutory clock stops only for a ground the law
// allows on its track (policy pauses: appraisal in mediation, 在线调解规则 26; the hearing in 复核, XGTL 36);
// any other reason is refused while a petition's statutory clock runs, and on a dispute stops the tier
// clock only (rule 4).
var suspendAction = action[ReasonArgs]{
	name: UpdateSuspend,
	state: func(s *caseState, now time.Time) error {
		return statusIn(s, "suspend", fengqiao.StatusRegistered, fengqiao.StatusMediating, fengqiao.StatusUnderReview)
	},
	check: func(s *caseState, now time.Time, a Actor, in ReasonArgs) error {
		if err := all(required("reason", in.Reason), s.assigneeOrSupervisor(a, "suspend")); err != nil {
			return err
		}
		c := s.statutoryClock(now)
		if !c.ok {
			return nil
		}
		if _, ok := s.lawfulPause(c.kind, in.Ground); ok {
			return nil
		}
		if in.Ground != "" || s.Kind == fengqiao.KindPetition {
			what := in.Ground
			if what == "" {
				what = in.Reason
			}
			return refuse(fengqiao.ECodeNotAllowed, "「%s」不是法定可以扣除的事由：%s期限只能因%s中止计时 / %q is not a ground the law allows for stopping the %s clock",
				what, clockLabel(c.kind), s.groundsText(c.kind), what, c.kind)
		}
		return nil // a dispute: the tier clock pauses, the statutory clock runs on
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReasonArgs) {
		tierOnly := false
		if c := s.statutoryClock(now); s.lawPeriods == 2 && c.ok {
			_, lawful := s.lawfulPause(c.kind, in.Ground)
			tierOnly = !lawful
		}
		s.PausedSince, s.PauseReason, s.PauseGround, s.PauseTierOnly = &now, in.Reason, in.Ground, tierOnly
		s.SuspendedFrom, s.Status = s.Status, fengqiao.StatusSuspended
		if tierOnly {
			s.eventWith(now, "suspended", a, in.Reason, facts{"variant": "tier_only"})
			return
		}
		s.eventWith(now, "suspended", a, in.Reason, facts{})
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
		s.Pauses = append(s.Pauses, PauseRecord{From: from, To: now, Reason: s.PauseReason, Ground: s.PauseGround, TierOnly: s.PauseTierOnly})
		s.PausedSince, s.PauseReason, s.PauseGround, s.PauseTierOnly = nil, "", "", false
		s.Status, s.SuspendedFrom = s.SuspendedFrom, ""
		s.eventWith(now, "resumed", a, in.Reason, facts{"paused_at": from.Format(time.RFC3339), "paused_days": pausedDays(now.Sub(from))})
	},
}

// extend lengthens the statutory deadline with a reason: a mediation on both parties' request (NMR 27);
// a petition with a supervisor's approval, at most 30 days in all, and the petitioner is told why
// (XGTL 34).
var extendAction = action[ExtendArgs]{
	name: UpdateExtend,
	state: func(s *caseState, now time.Time) error {
		if c := s.statutoryClock(now); !c.ok || (c.kind != "mediation" && c.kind != "handle" && c.kind != "court_referral" && c.kind != "labour_mediation") {
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
			if !s.isSupervisorOver(a) && !(s.organs() && a.Role == fengqiao.RoleSupervisor && s.coversBody(a, s.Petition.Organ)) {
				return forbid("a petition's deadline is extended only with a supervisor's approval (XGTL 34)")
			}
			max := s.Policy.Petition.ExtendMax.Days + s.Policy.Petition.ExtendMax.WorkingDays
			if s.Petition.ExtendedDays+in.Days > max {
				return refuse(fengqiao.ECodeNotAllowed, "a petition may be extended by at most %d days in all (XGTL 34)", max)
			}
			return nil
		}
		if !in.BothPartiesRequested {
			if s.Kind == fengqiao.KindCourtReferral {
				return refuse(fengqiao.ECodeNotAllowed, "委派调解期限须经双方当事人同意方可延长 / an entrusted mediation is extended only on both parties' consent (SPC 2016 art. 27)")
			}
			return refuse(fengqiao.ECodeNotAllowed, "a mediation is extended only when both parties request it (NMR 27)")
		}
		return s.assigneeOrSupervisor(a, "extend")
	},
	apply: func(s *caseState, now time.Time, a Actor, in ExtendArgs) {
		if s.organs() {
			s.Petition.ExtendedDays += in.Days
			due := s.statutoryClock(now).due
			s.eventWith(now, "extended", a, in.Reason, s.petitionArgs("days", strconv.Itoa(in.Days),
				"extended_days", strconv.Itoa(s.Petition.ExtendedDays), "due", lastDayText(due), "variant", "petition"))
			s.notify("extended", false, "信访事项延期办理告知 "+s.Number,
				fmt.Sprintf("经批准，办理期限延长%d日，至%s；延期理由：%s", in.Days, lastDayText(due), in.Reason), s.applicants()...)
			return
		}
		if s.Kind == fengqiao.KindPetition {
			s.Petition.ExtendedDays += in.Days
			s.eventWith(now, "extended", a, in.Reason, facts{"days": strconv.Itoa(in.Days), "by": a.Username,
				"extended_days": strconv.Itoa(s.Petition.ExtendedDays), "variant": "petition"})
			s.notify("extended", false, "信访事项延期办理 "+s.Number, "延期理由："+in.Reason, s.applicants()...)
			return
		}
		s.StatExtendDays += in.Days
		s.TierExtendDays += in.Days
		if s.Kind == fengqiao.KindCourtReferral {
			s.eventWith(now, "referral_extended", a, in.Reason, map[string]string{"days": strconv.Itoa(in.Days),
				"court": s.Referral.Court.Code, "court_name": s.Referral.Court.Name})
			s.notify("extended", false, "委派调解延期 "+s.Number, fmt.Sprintf("经双方当事人同意，委派调解期限延长%d日", in.Days),
				activities.Recipient{Role: fengqiao.RoleCourtOfficer, Node: s.Referral.Court.Code})
			return
		}
		s.eventWith(now, "extended", a, in.Reason, facts{"days": strconv.Itoa(in.Days)})
	},
}

// visits records a repeat contact on the same matter; the second in-person visit is a one-visit breach
// supervisors see (rule 3).
var visitAction = action[VisitArgs]{
	name:  UpdateVisit,
	state: whileOpen,
	check: func(s *caseState, now time.Time, a Actor, in VisitArgs) error {
		if !in.Channel.Valid() {
			return invalid("channel", "must be one of visit, letter, phone, online, patrol, referral")
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in VisitArgs) {
		s.Visits = append(s.Visits, Visit{At: now, Channel: in.Channel, By: a.Username, Node: a.Node, Note: in.Note})
		s.eventWith(now, "visit", a, "", facts{"channel": string(in.Channel)})
		s.visitRisks(now, a, in)
		if !s.Breach && SecondVisitBreach(s.Visits) {
			s.Breach = true
			s.eventWith(now, "one_visit_breach", a, "", facts{})
			s.notify("one_visit_breach", true, "最多跑一次未达成 "+s.Number, "当事人第二次来访", s.supervisors(s.node().Code))
		}
	},
}

// migrate-policy moves a running case to a new policy version; running cases otherwise keep the
// policy they started with.
var migratePolicyAction = action[MigratePolicyArgs]{
	name:  UpdateMigratePolicy,
	state: whileOpen,
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
		s.eventWith(now, "policy_migrated", a, "", facts{"was": old, "version": in.Policy.Version})
	},
}

// pausedDays is how long a pause lasted, in days rounded to one decimal ("2", "0.5").
func pausedDays(d time.Duration) string {
	return strconv.FormatFloat(math.Round(d.Hours()/24*10)/10, 'f', -1, 64)
}
