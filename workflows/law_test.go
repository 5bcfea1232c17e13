package workflows_test

import (
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/workflows"
)

// TestSPC2011Art5ExtensionRunsFromTheLastDay: accepted 2026-03-02, the decision is due at 24:00 on
// 17 March; the president's 10-day extension makes it 24:00 on 27 March (not 30 March).
func TestSPC2011Art5ExtensionRunsFromTheLastDay(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "赔偿 2000 元", Form: "written", SignedByAll: true}),
		h.check(func(v view) {
			if !hasClock(v, "confirmation_apply", "2026-04-01") {
				t.Errorf("while the parties may apply, the 30-day window must show: %+v", v.Deadlines.Running)
			}
		}),
		h.ok(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: court, Joint: true}),
		h.check(func(v view) {
			if !hasClock(v, "court_accept", "2026-03-05") {
				t.Errorf("the court's 3-day acceptance clock must show: %+v", v.Deadlines.Running)
			}
		}),
		h.ok(workflows.UpdateCourtAccept, courtOfficer, workflows.CourtAcceptArgs{CaseNo: "(2026)浙0203民特1号"}),
		h.check(func(v view) {
			if !hasClock(v, "court_decide", "2026-03-17") {
				t.Errorf("the court's 15-day decision clock must show: %+v", v.Deadlines.Running)
			}
		}),
		h.ok(workflows.UpdateCourtDecision, courtOfficer, workflows.CourtDecisionArgs{Result: "extended"}),
		h.check(func(v view) {
			if got := deadline.LastDate(*v.Confirmation.DecideBy).Format("2006-01-02"); got != "2026-03-27" {
				t.Errorf("extended decision due on %s, want 2026-03-27 (SPC 2011 art. 5)", got)
			}
		}),
	)
	h.run(dispute(), time.Hour)
}

func hasClock(v view, kind, lastDay string) bool {
	for _, c := range v.Deadlines.Running {
		if c.Kind == kind && c.LastDay == lastDay {
			return true
		}
	}
	return false
}

// TestXGTL36OnlyLawfulGroundsStopAPetitionsStatutoryClock: a petition's statutory clock stops for the
// 复核 hearing only; any other reason is refused, naming the reason, before it reaches history.
func TestXGTL36OnlyLawfulGroundsStopAPetitionsStatutoryClock(t *testing.T) {
	h := newHarness(t).legacyPetition() // a petition started before the organs track
	var r *result
	h.at(time.Minute,
		h.ok(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: true}),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		func() {
			r = h.do(workflows.UpdateSuspend, villageSup, workflows.ReasonArgs{Reason: "领导出差"}, fengqiao.ECodeNotAllowed)
		},
		func() {
			if r.err == nil || !strings.Contains(r.err.Error(), "领导出差") || !strings.Contains(r.err.Error(), "信访工作条例") && !strings.Contains(r.err.Error(), "无可扣除事由") {
				t.Errorf("the refusal must name the reason and the lawful grounds: %v", r.err)
			}
		},
		h.refused(workflows.UpdateSuspend, villageSup, workflows.ReasonArgs{Reason: "听证", Ground: "hearing"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateAnswer, villageMed, workflows.AnswerArgs{Decision: "not_support", Text: "缺乏事实根据"}),
		h.ok(workflows.UpdateReview, countyClerk, workflows.ReviewArgs{Level: workflows.LevelReexamine, Reason: "不服"}),
		h.refused(workflows.UpdateSuspend, townshipSup, workflows.ReasonArgs{Reason: "听证", Ground: "hearing"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateReviewReply, townshipSup, workflows.ReviewReplyArgs{Decision: "explain", Text: "维持"}),
		h.check(func(v view) {
			if !hasClockKind(v, "review_request") {
				t.Errorf("after the 复查 opinion the 30-day 复核 request window must show: %+v", v.Deadlines.Running)
			}
		}),
		h.ok(workflows.UpdateReview, countyClerk, workflows.ReviewArgs{Level: workflows.LevelReview, Reason: "仍不服"}),
		h.ok(workflows.UpdateSuspend, countySup, workflows.ReasonArgs{Reason: "复核听证", Ground: "hearing"}),
		h.check(func(v view) {
			if !v.Deadlines.Statutory.Paused {
				t.Errorf("the 复核 hearing stops the statutory clock (XGTL 36): %+v", v.Deadlines.Statutory)
			}
		}),
	)
	h.run(petition(), time.Hour)
}

func hasClockKind(v view, kind string) bool {
	for _, c := range v.Deadlines.Running {
		if c.Kind == kind {
			return true
		}
	}
	return false
}

// TestRule4FreeReasonPausesOnlyTheTierClock: a dispute paused for a reason the law does not list keeps
// its statutory (mediation) clock running; the tier clock stands still as before.
func TestRule4FreeReasonPausesOnlyTheTierClock(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateSuspend, villageSup, workflows.ReasonArgs{Reason: "当事人外出"}),
		h.check(func(v view) {
			if !v.Deadlines.Tier.Paused || v.Deadlines.Statutory.Paused {
				t.Errorf("tier paused %v, statutory paused %v; want the tier clock only", v.Deadlines.Tier.Paused, v.Deadlines.Statutory.Paused)
			}
		}),
		h.refused(workflows.UpdateResume, party, workflows.ReasonArgs{Reason: "x"}, fengqiao.ECodeForbidden),
	)
	h.at(10*day, h.ok(workflows.UpdateResume, villageSup, workflows.ReasonArgs{Reason: "回来了"}),
		h.check(func(v view) {
			// one month from 2 March: 24:00 on 2 April, not lengthened by the 10 days.
			if got := deadline.LastDate(*v.Deadlines.Statutory.DueAt).Format("2006-01-02"); got != "2026-04-02" {
				t.Errorf("mediation due %s, want 2026-04-02", got)
			}
		}))
	h.run(dispute(), 11*day)
}

// TestCalendarChangeMovesARunningCasesDeadlines: a petition answered on 2 December 2026 on a calendar
// without 2027 has its 复查 window end on 1 January 2027 (a public holiday); when the 2027 notice
// arrives the window moves to 4 January, the timeline says so, and the case does not close on 1 January.
func TestCalendarChangeMovesARunningCasesDeadlines(t *testing.T) {
	h := newHarness(t).legacyPetition() // a petition started before the organs track
	h.env.SetStartTime(china("2026-12-02 09:00"))
	in := petition()
	in.Calendar = &deadline.Calendar{Years: deadline.DefaultCalendar().Years[:2]} // as recorded before 2027
	h.at(time.Minute,
		h.ok(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: true}),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAnswer, villageMed, workflows.AnswerArgs{Decision: "not_support", Text: "缺乏事实根据"}),
		h.check(func(v view) {
			if got := deadline.LastDate(*v.Petition.RequestBy).Format("2006-01-02"); got != "2027-01-01" {
				t.Errorf("before the notice the window ends %s", got)
			}
		}),
		h.refused(workflows.UpdateCalendar, villageSup, workflows.CalendarArgs{Years: deadline.DefaultCalendar().Years[2:]}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateCalendar, workflows.Actor{Username: "system"}, workflows.CalendarArgs{Years: deadline.DefaultCalendar().Years[2:]}),
		h.check(func(v view) {
			if got := deadline.LastDate(*v.Petition.RequestBy).Format("2006-01-02"); got != "2027-01-04" {
				t.Errorf("after the 2027 notice the window ends %s, want 2027-01-04", got)
			}
		}),
	)
	h.at(31*day, h.check(func(v view) { // 2 January 2027: still open
		if v.Status != fengqiao.StatusAnswered {
			t.Errorf("on 2 January 2027 the case is %s; the window runs to 4 January", v.Status)
		}
	}))
	h.run(in, 34*day)
	found := false
	for _, p := range h.proj {
		for _, e := range p.Events {
			if e.Type == "deadline_recomputed" && e.Detail == "" && e.Args["years"] == "2027" &&
				workflows.LastDayText(mustTime(t, e.Args["was"])) == "2027年1月1日（24:00）" && workflows.LastDayText(mustTime(t, e.Args["due"])) == "2027年1月4日（24:00）" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no timeline event for the moved window: %v", h.events())
	}
	if !contains(h.events(), "closed") {
		t.Error("the case must close when the moved window ends")
	}
}

// mustTime parses an event's RFC 3339 fact.
func mustTime(t *testing.T, v string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t.Fatalf("fact %q is not a time: %v", v, err)
	}
	return at
}
