package workflows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/deadline"
)

// Calendar changes and lawful pauses: a running case follows the holiday calendar an administrator
// keeps (DESIGN §3 rule 4), and a statutory clock stops only for the grounds its track allows.

// calendarAction applies changed calendar years: every deadline of the case is counted again on the
// new calendar, each clock that moves is a timeline event, and the case's timer moves with it.
var calendarAction = action[CalendarArgs]{
	name:   UpdateCalendar,
	system: true,
	state:  whileOpen,
	check: func(s *caseState, now time.Time, a Actor, in CalendarArgs) error {
		if a.Username != "system" && a.Role != fengqiao.RoleAdmin {
			return forbid("only the system or an administrator changes a case's calendar")
		}
		if len(in.Years) == 0 {
			return invalid("years", "must list at least one year")
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in CalendarArgs) {
		if s.lawPeriods == 2 { // the update is newer than "law-periods"; kept behind it all the same
			s.applyCalendar(now, a, in)
		}
	},
}

// applyCalendar merges the years into the case's calendar (counting years it does not list on the
// statutory holidays from now on) and recomputes the deadlines the case stored.
func (s *caseState) applyCalendar(now time.Time, a Actor, in CalendarArgs) {
	before := map[string]time.Time{}
	var order []string
	for _, c := range s.runningClocks(now) {
		if c.DueAt != nil {
			before[c.Kind] = *c.DueAt
			order = append(order, c.Kind)
		}
	}
	cal := s.Calendar.Merge(&deadline.Calendar{Years: in.Years})
	cal.Fallback = deadline.FallbackStatutory
	s.Calendar = cal
	if ag := s.Agreement; ag != nil {
		if !ag.ApplyBy.IsZero() {
			ag.ApplyBy = s.Calendar.Due(ag.At, s.Policy.Confirmation.Apply)
		}
		if ag.Performed == nil && !ag.PerformBy.IsZero() {
			ag.PerformBy = s.Calendar.Due(ag.At, s.Policy.PerformanceCheck)
		}
	}
	if c := s.Confirmation; c != nil && c.Result == "" {
		c.AcceptBy = s.Calendar.Due(c.AppliedAt, s.Policy.Confirmation.Accept)
		if c.AcceptedAt != nil {
			d := s.Calendar.Due(*c.AcceptedAt, s.Policy.Confirmation.Decide)
			if c.Extended {
				d = s.Calendar.ExtendDue(d, s.Policy.Confirmation.DecideExtension)
			}
			c.DecideBy = &d
		}
	}
	if p := s.Petition; p != nil && p.RequestBy != nil && s.Status == fengqiao.StatusAnswered {
		from := p.RequestFrom
		if from == nil && p.ReviewLevel == "" {
			from = p.AnsweredAt
		}
		if from != nil {
			by := s.Calendar.Due(*from, s.Policy.Petition.ReviewRequest)
			p.RequestBy = &by
		}
	}
	var years []string
	for _, y := range in.Years {
		years = append(years, strconv.Itoa(y.Year))
	}
	after := map[string]time.Time{}
	for _, c := range s.runningClocks(now) {
		if c.DueAt != nil {
			after[c.Kind] = *c.DueAt
		}
	}
	by := Actor{Username: "system", Node: s.node().Code}
	if a.Username != "" {
		by = Actor{Username: a.Username, Role: a.Role, Node: s.node().Code}
	}
	for _, k := range order {
		old, ok := after[k]
		if !ok || old.Equal(before[k]) {
			continue
		}
		s.eventWith(now, "deadline_recomputed", by, "", facts{"clock": k, "years": strings.Join(years, "、"),
			"was": before[k].Format(time.RFC3339), "due": old.Format(time.RFC3339)})
	}
}

// LastDayText shows the end of a period as its last day: "2027年1月4日（24:00）". The stored instant is
// 00:00 China time of the next day; the zero Time is "—".
func LastDayText(due time.Time) string {
	if due.IsZero() {
		return "—"
	}
	d := deadline.LastDate(due)
	return fmt.Sprintf("%d年%d月%d日（24:00）", d.Year(), int(d.Month()), d.Day())
}

// clockLabel names a clock kind in Chinese.
func clockLabel(kind string) string {
	switch kind {
	case "tier":
		return "层级办理期限"
	case "mediation":
		return "调解期限"
	case "labour_mediation":
		return "劳动争议调解期限"
	case "court_referral":
		return "委派调解期限"
	case "route":
		return "登记转送期限"
	case "handle":
		return "办理期限"
	case "review_reply":
		return "复查（复核）答复期限"
	case "confirmation_apply":
		return "司法确认申请期限"
	case "court_accept":
		return "法院受理期限"
	case "court_decide":
		return "法院确认决定期限"
	case "performance_check":
		return "履行回访期限"
	case "review_request":
		return "申请复查（复核）期限"
	case "accept_notice":
		return "受理告知期限"
	case "objection":
		return "转送异议期限"
	case "report_back":
		return "交办反馈期限"
	}
	return kind
}

// track is the case's kind as the policy's pause grounds name it.
func (s *caseState) track() string {
	if s.Kind == fengqiao.KindPetition {
		return "petition"
	}
	return "dispute"
}

// reviewLevel is the level of the review under way (复查 or 复核), "" outside review.
func (s *caseState) reviewLevel() string {
	if s.Petition != nil && s.Status == fengqiao.StatusUnderReview {
		return s.Petition.ReviewLevel
	}
	return ""
}

// lawfulPause finds the ground that allows stopping the clock of kind for ground.
func (s *caseState) lawfulPause(kind, ground string) (deadline.PauseGround, bool) {
	if ground == "" {
		return deadline.PauseGround{}, false
	}
	if kind == "labour_mediation" || kind == "court_referral" {
		kind = "mediation" // a mediation's clock, whatever its length
	}
	return s.Policy.AllowedPause(s.track(), kind, s.reviewLevel(), ground)
}

// groundsText lists the grounds that may stop the clock of kind, with their articles ("无" if none).
func (s *caseState) groundsText(kind string) string {
	var out []string
	for _, g := range s.Policy.PauseGrounds() {
		if g.Track == s.track() && g.Clock == kind && (g.Level == "" || g.Level == s.reviewLevel()) {
			out = append(out, fmt.Sprintf("%s（%s）", g.Label, g.Basis))
		}
	}
	if len(out) == 0 {
		return "无可扣除事由"
	}
	return strings.Join(out, "、")
}
