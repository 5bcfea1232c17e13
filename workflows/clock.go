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
	// Ground is the legal ground (policy pauses) that stopped the statutory clock too; empty on a pause
	// of the tier clock only (TierOnly) and on pauses recorded before grounds existed.
	Ground string `json:"ground,omitempty"`
	// TierOnly: the pause stopped the tier clock only; the statutory clock ran on (rule 4).
	TierOnly bool `json:"tier_only,omitempty"`
}

// clock is one computed clock: which deadline it counts, when it is at risk and when it is due.
type clock struct {
	kind        string
	atRisk, due time.Time
	ok, paused  bool
	// What it is counted from, for the explanation: start, the period (extension days in a day period
	// already added) and extension days added after counting (a non-day period).
	start time.Time
	d     deadline.Duration
	extra int
}

// running reports whether the clock counts: it applies to the case now and is not paused.
func (c clock) running() bool { return c.ok && !c.paused }

// pausesSince lists the pauses after start; the open one is counted until now, so that a paused case
// shows the deadline it would have if it resumed now.
func (s *caseState) pausesSince(start, now time.Time, statutory bool) []deadline.Pause {
	var ps []deadline.Pause
	for _, p := range s.Pauses {
		if p.To.After(start) && !(statutory && p.TierOnly) {
			ps = append(ps, deadline.Pause{From: later(p.From, start), To: p.To})
		}
	}
	if s.PausedSince != nil && !(statutory && s.PauseTierOnly) {
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
	statutory := kind != "tier"
	if extraDays > 0 && d.Days > 0 {
		d.Days += extraDays // an extension in days lengthens a day period (NMR 27, XGTL 34)
		extraDays = 0
	}
	due := s.Calendar.DueWithPauses(start, d, s.pausesSince(start, now, statutory))
	if extraDays > 0 {
		due = due.AddDate(0, 0, extraDays)
	}
	return clock{kind: kind, due: due, atRisk: deadline.AtRiskAt(start, due, s.Policy.AtRisk),
		ok: true, paused: s.PausedSince != nil && !(statutory && s.PauseTierOnly),
		start: start, d: d, extra: extraDays}
}

// tierClockRuns reports whether the tier clock runs: a dispute being handled at a tier, before an
// agreement (rule 4).
func (s *caseState) tierClockRuns() bool {
	if !s.Kind.Mediates() {
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
//   - a dispute: one mediation within a month, extendable on both parties' request (NMR 27); a labour
//     dispute within 15 days (劳动争议调解仲裁法 14); a court referral within 30 days, extendable on
//     both parties' consent (SPC 2016 art. 27);
//   - a petition before the route decision: 15 days (XGTL 22, 24);
//   - a petition being handled: 60 days from acceptance, +≤30 approved (XGTL 34);
//   - a petition under 复查/复核: 30 days from the request (XGTL 35, 36).
func (s *caseState) statutoryClock(now time.Time) clock {
	status := s.Status
	if status == fengqiao.StatusSuspended {
		status = s.SuspendedFrom
	}
	if s.Kind.Mediates() {
		switch status {
		case fengqiao.StatusRegistered, fengqiao.StatusMediating:
			switch {
			case s.Kind == fengqiao.KindCourtReferral && !s.Policy.CourtReferral.IsZero():
				return s.makeClock("court_referral", s.StatStart, s.Policy.CourtReferral, s.StatExtendDays, now)
			case s.labourMediation():
				return s.makeClock("labour_mediation", s.StatStart, s.Policy.LabourMediation, s.StatExtendDays, now)
			}
			return s.makeClock("mediation", s.StatStart, s.Policy.Mediation, s.StatExtendDays, now)
		}
		return clock{}
	}
	if s.organs() {
		return s.organClock(now)
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

// clockBasis is the article behind each clock kind.
var clockBasis = map[string]string{
	"tier":               "“枫桥经验”分级化解政策时限（本地政策文件规定）",
	"mediation":          "宁波市人民调解条例 第二十七条",
	"labour_mediation":   "劳动争议调解仲裁法 第十四条",
	"court_referral":     "最高人民法院关于人民法院特邀调解的规定 第二十七条",
	"route":              "信访工作条例 第二十二条、第二十三条",
	"handle":             "信访工作条例 第三十四条",
	"review_reply":       "信访工作条例 第三十五条、第三十六条",
	"confirmation_apply": "人民调解法 第三十三条",
	"court_accept":       "最高人民法院关于人民调解协议司法确认程序的若干规定 第四条",
	"court_decide":       "最高人民法院关于人民调解协议司法确认程序的若干规定 第五条",
	"performance_check":  "人民调解法 第三十一条（政策时限）",
	"review_request":     "信访工作条例 第三十五条、第三十六条",
	"accept_notice":      "信访工作条例 第二十三条",
	"objection":          "信访工作条例 第二十三条",
	"report_back":        "信访工作条例 第二十二条第（三）项",
}

// detail is a computed clock as the view lists it.
func (s *caseState) detail(c clock, atRisk, overdue bool, now time.Time) ClockDetail {
	due := c.due
	d := ClockDetail{Kind: c.kind, Start: c.start, Duration: c.d, ExtraDays: c.extra, DueAt: &due,
		Basis: clockBasis[c.kind], Paused: c.paused, AtRisk: atRisk, Overdue: overdue,
		Pauses: s.pausesSince(c.start, now, c.kind != "tier")}
	return s.finishDetail(d)
}

// stored is a clock whose end the case stored when it started (the court's, the application window,
// the performance check, the review-request window).
func (s *caseState) stored(kind string, start time.Time, dur deadline.Duration, due time.Time) ClockDetail {
	return s.finishDetail(ClockDetail{Kind: kind, Start: start, Duration: dur, DueAt: &due, Basis: clockBasis[kind]})
}

func (s *caseState) finishDetail(d ClockDetail) ClockDetail {
	if d.DueAt != nil && !d.DueAt.IsZero() {
		d.LastDay = deadline.LastDate(*d.DueAt).Format("2006-01-02")
		for y := d.Start.In(deadline.China).Year(); y <= d.DueAt.In(deadline.China).Year(); y++ {
			if s.Calendar.Provisional(y) {
				d.Provisional = true
			}
		}
	}
	return d
}

// runningClocks lists every clock that runs at the case's status (the two clocks of rule 4 first).
func (s *caseState) runningClocks(now time.Time) []ClockDetail {
	var out []ClockDetail
	if c := s.tierClock(now); c.ok {
		out = append(out, s.detail(c, s.TierAtRisk, s.TierOverdue, now))
	}
	if c := s.statutoryClock(now); c.ok {
		out = append(out, s.detail(c, s.StatAtRisk, s.StatOverdue, now))
	}
	if a := s.Agreement; a != nil {
		if s.Status == fengqiao.StatusAgreement && a.Alternative == "" && s.Confirmation == nil && !a.ApplyBy.IsZero() {
			out = append(out, s.stored("confirmation_apply", a.At, s.Policy.Confirmation.Apply, a.ApplyBy))
		}
		if a.Performed == nil && !a.PerformBy.IsZero() && (s.Status == fengqiao.StatusAgreement || s.Status == fengqiao.StatusConfirmed) {
			out = append(out, s.stored("performance_check", a.At, s.Policy.PerformanceCheck, a.PerformBy))
		}
	}
	if c := s.Confirmation; c != nil && c.Result == "" && s.Status == fengqiao.StatusConfirmationPending {
		if c.AcceptedAt == nil {
			d := s.stored("court_accept", c.AppliedAt, s.Policy.Confirmation.Accept, c.AcceptBy)
			d.Overdue = c.CourtOverdue
			out = append(out, d)
		} else if c.DecideBy != nil {
			d := s.stored("court_decide", *c.AcceptedAt, s.Policy.Confirmation.Decide, *c.DecideBy)
			if c.Extended {
				d.Extension = s.Policy.Confirmation.DecideExtension
			}
			d.Overdue = c.CourtOverdue
			out = append(out, d)
		}
	}
	if p := s.Petition; p != nil && s.Status == fengqiao.StatusAnswered && p.RequestBy != nil {
		from := p.RequestFrom
		if from == nil && p.ReviewLevel == "" {
			from = p.AnsweredAt
		}
		if from != nil {
			out = append(out, s.stored("review_request", *from, s.Policy.Petition.ReviewRequest, *p.RequestBy))
		}
	}
	if s.organs() {
		out = append(out, s.organClocks(now)...)
	}
	return out
}
