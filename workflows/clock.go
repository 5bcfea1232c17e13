package workflows

import (
	"time"

	"fengqiao"
	"fengqiao/deadline"
)

// PauseRecord is a pause of the clocks with its reason (XGTL 36: hearings do not count; online mediation
// rules 26: appraisal). Pauses lengthen both deadlines and stay in the case history.
type PauseRecord struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Reason string    `json:"reason"`
}

// clock is one computed clock: which deadline it counts, when it is at risk and when it is due.
type clock struct {
	kind        string
	atRisk, due time.Time
	ok, paused  bool
}

// running reports whether the clock counts: it applies to the case now and is not paused.
func (c clock) running() bool { return c.ok && !c.paused }

// pausesSince lists the pauses after start; the open one is counted until now, so that a paused case
// shows the deadline it would have if it resumed now.
func (s *caseState) pausesSince(start, now time.Time) []deadline.Pause {
	var ps []deadline.Pause
	for _, p := range s.Pauses {
		if p.To.After(start) {
			ps = append(ps, deadline.Pause{From: later(p.From, start), To: p.To})
		}
	}
	if s.PausedSince != nil {
		ps = append(ps, deadline.Pause{From: later(*s.PausedSince, start), To: now})
	}
	return ps
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (s *caseState) makeClock(kind string, start time.Time, d deadline.Duration, extraDays int, now time.Time) clock {
	if d.IsZero() {
		return clock{}
	}
	if extraDays > 0 && d.Days > 0 {
		d.Days += extraDays // an extension in days lengthens a day period (NMR 27, XGTL 34)
		extraDays = 0
	}
	due := s.Calendar.DueWithPauses(start, d, s.pausesSince(start, now))
	if extraDays > 0 {
		due = due.AddDate(0, 0, extraDays)
	}
	return clock{kind: kind, due: due, atRisk: deadline.AtRiskAt(start, due, s.Policy.AtRisk),
		ok: true, paused: s.PausedSince != nil}
}

// tierClockRuns reports whether the tier clock runs: a dispute being handled at a tier, before an
// agreement (rule 4).
func (s *caseState) tierClockRuns() bool {
	if s.Kind != fengqiao.KindDispute {
		return false
	}
	switch s.Status {
	case fengqiao.StatusRegistered, fengqiao.StatusMediating:
		return true
	case fengqiao.StatusSuspended:
		return s.SuspendedFrom == fengqiao.StatusRegistered || s.SuspendedFrom == fengqiao.StatusMediating
	}
	return false
}

// tierClock is the time a case may stay at its current tier (policy `tiers`); it restarts on every
// tier change (rule 4).
func (s *caseState) tierClock(now time.Time) clock {
	if !s.tierClockRuns() {
		return clock{}
	}
	d, ok := s.Policy.TierClock(s.tier())
	if !ok {
		return clock{}
	}
	return s.makeClock("tier", s.TierStart, d, s.TierExtendDays, now)
}

// statutoryClock is the legal deadline of the current phase; it never restarts on a tier change
// (rule 4):
//   - a dispute: one mediation within a month, extendable on both parties' request (NMR 27);
//   - a petition before the route decision: 15 days (XGTL 22, 24);
//   - a petition being handled: 60 days from acceptance, +≤30 approved (XGTL 34);
//   - a petition under 复查/复核: 30 days from the request (XGTL 35, 36).
func (s *caseState) statutoryClock(now time.Time) clock {
	status := s.Status
	if status == fengqiao.StatusSuspended {
		status = s.SuspendedFrom
	}
	if s.Kind == fengqiao.KindDispute {
		switch status {
		case fengqiao.StatusRegistered, fengqiao.StatusMediating:
			return s.makeClock("mediation", s.StatStart, s.Policy.Mediation, s.StatExtendDays, now)
		}
		return clock{}
	}
	p := s.Petition
	switch {
	case p == nil:
		return clock{}
	case status == fengqiao.StatusUnderReview && p.ReviewRequestedAt != nil:
		return s.makeClock("review_reply", *p.ReviewRequestedAt, s.Policy.Petition.ReviewReply, 0, now)
	case !p.Accepted && status == fengqiao.StatusRegistered:
		return s.makeClock("route", s.StatStart, s.Policy.Petition.Route, 0, now)
	case p.Accepted && p.AcceptedAt != nil && (status == fengqiao.StatusRegistered || status == fengqiao.StatusMediating || status == fengqiao.StatusAgreement):
		return s.makeClock("handle", *p.AcceptedAt, s.Policy.Petition.Handle, p.ExtendedDays, now)
	}
	return clock{}
}

func (s *caseState) clockView(c clock, atRisk, overdue bool) Clock {
	if !c.ok {
		return Clock{}
	}
	due := c.due
	return Clock{Kind: c.kind, DueAt: &due, Paused: c.paused, AtRisk: atRisk, Overdue: overdue}
}
