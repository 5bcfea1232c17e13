package workflows

import (
	"time"

	"fengqiao"
	"fengqiao/activities"
)

// The timed rules: what happens by itself when a moment comes, with nobody acting. The case's loop
// applies every rule whose moment has come (tick) and sleeps until the earliest moment still ahead
// (nextWake); both read timedRules, so a new timed rule is one entry there.

// A timedRule is a rule that applies when a moment comes.
type timedRule struct {
	name  string
	basis string // the rule of DESIGN.md §3 or the article it applies
	// due is the moment the rule applies at, given the case as it stands; false when it awaits none.
	due func(s *caseState, now time.Time) (time.Time, bool)
	// after: the rule applies once its moment has passed, not at it; the case wakes a second later.
	after bool
	// flag, if set, is where the case records that the rule has applied at its moment (the clocks' flags
	// are also what the case shows as at risk and overdue). The flag is lowered when the moment moves
	// back into the future (an extension, a pause, a new policy), so the rule applies again then.
	flag func(s *caseState) *bool
	// apply does what the rule says; by is the system acting at the node that handled the case when the
	// moment came. A rule without apply changes nothing: its moment wakes the case, and the loop then
	// finds the case over (finished).
	apply func(s *caseState, now time.Time, by Actor)
}

// timedRules are applied in this order when several are due at once.
var timedRules = []timedRule{
	{
		name:  "tier_at_risk",
		basis: "rule 4: the tier deadline is near (policy at_risk, 80 %)",
		due:   atRiskOf((*caseState).tierClock),
		flag:  func(s *caseState) *bool { return &s.TierAtRisk },
		apply: func(s *caseState, now time.Time, by Actor) {
			due := s.tierClock(now).due
			s.eventWith(now, "tier_at_risk", by, "", facts{"due": due.Format(time.RFC3339)})
			s.notify("at_risk", false, "案件 "+s.Number+" 临期", "层级期限将至", s.assignee(), s.supervisors(s.node().Code))
		},
	},
	{
		name:  "tier_overdue",
		basis: "rules 2 (a) and 4: at the tier deadline the case rises one tier and waits to be acknowledged",
		due:   dueOf((*caseState).tierClock),
		flag:  func(s *caseState) *bool { return &s.TierOverdue },
		apply: func(s *caseState, now time.Time, by Actor) {
			due := s.tierClock(now).due
			next, ok := NextTierUp(s.Chain, s.Handling)
			if !ok {
				s.eventWith(now, "tier_overdue", by, "", facts{})
				s.notify("overdue", true, "案件 "+s.Number+" 超期", "已在最高层级", s.assignee(), s.supervisors(s.node().Code))
				return
			}
			s.moveTo(now, by, next, "escalated", "", "variant", "tier_overdue", "due", due.Format(time.RFC3339))
			s.Unack, s.Reported = true, false
			s.EscalatedAt, s.AckedAt = &now, nil
		},
	},
	{
		name:  "statutory_at_risk",
		basis: "rule 4: the statutory deadline is near (policy at_risk, 80 %)",
		due:   atRiskOf((*caseState).statutoryClock),
		flag:  func(s *caseState) *bool { return &s.StatAtRisk },
		apply: func(s *caseState, now time.Time, by Actor) {
			c := s.statutoryClock(now)
			s.eventWith(now, "statutory_at_risk", by, "", facts{"clock": c.kind, "due": c.due.Format(time.RFC3339)})
			s.notify("at_risk", false, "案件 "+s.Number+" 法定期限临期", c.kind, s.assignee(), s.supervisors(s.node().Code))
		},
	},
	{
		name:  "statutory_overdue",
		basis: "rule 4: the statutory deadline passed (NMR 27; XGTL 22, 34-36)",
		due:   dueOf((*caseState).statutoryClock),
		flag:  func(s *caseState) *bool { return &s.StatOverdue },
		apply: func(s *caseState, now time.Time, by Actor) {
			c := s.statutoryClock(now)
			if s.organs() {
				s.eventWith(now, "statutory_overdue", by, "", s.petitionArgs("clock", c.kind, "due", lastDayText(c.due)))
				s.notify("overdue", true, "信访事项超过法定期限 "+s.Number, clockLabel(c.kind), s.assignee(), s.supervisors(s.node().Code))
				if !s.Petition.OverdueReported {
					s.reportOverdue(now, by, c.kind, c.due) // XGTL 40: reported up, not only notified
				}
				return
			}
			s.eventWith(now, "statutory_overdue", by, "", facts{"clock": c.kind, "due": c.due.Format(time.RFC3339)})
			s.notify("overdue", true, "案件 "+s.Number+" 超过法定期限", c.kind, s.assignee(), s.supervisors(s.node().Code))
		},
	},
	{
		name:  "supervision_reported",
		basis: "rule 4: an escalation left unacknowledged (policy acknowledge) goes to the next supervisor up (督办, XGTL 40)",
		due: func(s *caseState, now time.Time) (time.Time, bool) {
			if !s.Unack || s.Reported || s.EscalatedAt == nil {
				return time.Time{}, false
			}
			return s.Calendar.Due(*s.EscalatedAt, s.Policy.Acknowledge), true
		},
		apply: func(s *caseState, now time.Time, _ Actor) {
			s.Reported = true
			up := s.node().Code
			if i, ok := NextTierUp(s.Chain, s.Handling); ok {
				up = s.Chain[i].Code
			}
			s.eventWith(now, "supervision_reported", Actor{Username: "system", Node: up}, "",
				facts{"at": s.node().Code, "at_name": s.node().Name, "reported_to": up})
			s.notify("supervision", true, "督办 "+s.Number, "逾期升级未签收", s.supervisors(up))
		},
	},
	{
		name:  "court_overdue",
		basis: "rule 5: the court accepts within 3 days and decides within 15 (+10) days (SPC 2011 arts. 4-5)",
		due: func(s *caseState, now time.Time) (time.Time, bool) {
			switch c := s.Confirmation; {
			case c == nil || c.Result != "" || c.CourtOverdue:
			case c.AcceptedAt == nil:
				return c.AcceptBy, true
			case c.DecideBy != nil:
				return *c.DecideBy, true
			}
			return time.Time{}, false
		},
		after: true,
		apply: func(s *caseState, now time.Time, by Actor) {
			c := s.Confirmation
			c.CourtOverdue = true
			s.eventWith(now, "court_overdue", by, "", facts{})
			s.notify("court_overdue", true, "司法确认逾期 "+s.Number, c.Court, s.supervisors(s.node().Code),
				activities.Recipient{Role: fengqiao.RoleCourtOfficer, Node: c.Court})
		},
	},
	{
		name:  "performance_check_due",
		basis: "PML 31: the mediator checks that the agreement is performed (policy performance_check)",
		due: func(s *caseState, now time.Time) (time.Time, bool) {
			a := s.Agreement
			if a == nil || a.Performed != nil || s.PerformReminded ||
				(s.Status != fengqiao.StatusAgreement && s.Status != fengqiao.StatusConfirmed) {
				return time.Time{}, false
			}
			return a.PerformBy, true
		},
		apply: func(s *caseState, now time.Time, by Actor) {
			s.PerformReminded = true
			s.eventWith(now, "performance_check_due", by, "", facts{"due": s.Agreement.PerformBy.Format(time.RFC3339)})
			s.notify("performance_check", false, "履行回访 "+s.Number, "请回访调解协议履行情况", s.assignee())
		},
	},
	{
		name:  "review_window_closed",
		basis: "XGTL 35, 36: no 复查/复核 requested within 30 days of the answer, so the answer stands",
		due: func(s *caseState, now time.Time) (time.Time, bool) {
			if p := s.Petition; p != nil && s.Status == fengqiao.StatusAnswered && p.RequestBy != nil {
				return *p.RequestBy, true
			}
			return time.Time{}, false
		},
		apply: func(s *caseState, now time.Time, by Actor) {
			if s.organs() {
				s.closeAnsweredOrgans(now, by)
				return
			}
			s.close(now, by, "answered", "", s.tier())
		},
	},
	reportBackRule,
	labourExpiredRule,
	referralExpiredRule,
	staleRule,
	leaderReportRule,
	{
		name:  "satisfaction_window_closed",
		basis: "rule 8: after the satisfaction window (policy satisfaction) a closed case can no longer be rated, and its workflow ends",
		due: func(s *caseState, now time.Time) (time.Time, bool) {
			if s.RateBy == nil || s.Status.Open() {
				return time.Time{}, false
			}
			return *s.RateBy, true
		},
	},
}

// atRiskOf is the moment a running clock is at risk.
func atRiskOf(clockOf func(*caseState, time.Time) clock) func(*caseState, time.Time) (time.Time, bool) {
	return func(s *caseState, now time.Time) (time.Time, bool) {
		c := clockOf(s, now)
		return c.atRisk, c.running()
	}
}

// dueOf is the moment a running clock is due.
func dueOf(clockOf func(*caseState, time.Time) clock) func(*caseState, time.Time) (time.Time, bool) {
	return func(s *caseState, now time.Time) (time.Time, bool) {
		c := clockOf(s, now)
		return c.due, c.running()
	}
}

// come reports whether the rule's moment at has come by now.
func (r timedRule) come(now, at time.Time) bool {
	if r.after {
		return now.After(at)
	}
	return !now.Before(at)
}

// tick applies every timed rule whose moment has come; it reports whether anything changed.
func (s *caseState) tick(now time.Time) bool {
	seq := s.Seq
	by := Actor{Username: "system", Node: s.node().Code}
	for _, r := range timedRules {
		at, ok := r.due(s, now)
		if !ok {
			continue
		}
		come := r.come(now, at)
		if r.flag != nil {
			applied := r.flag(s)
			if *applied && come {
				continue
			}
			*applied = come
		}
		if come && r.apply != nil {
			r.apply(s, now, by)
		}
	}
	return s.Seq != seq
}

// nextWake is the earliest moment after now at which a timed rule applies (zero: none).
func (s *caseState) nextWake(now time.Time) time.Time {
	var next time.Time
	for _, r := range timedRules {
		at, ok := r.due(s, now)
		if !ok || (r.flag != nil && *r.flag(s)) {
			continue
		}
		if r.after {
			at = at.Add(time.Second)
		}
		if at.After(now) && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	return next
}
