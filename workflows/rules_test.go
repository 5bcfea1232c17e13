package workflows_test

import (
	"testing"
	"time"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/deadline"
	"fengqiao/workflows"
)

type view = workflows.CaseView

func TestRule2RoutesToLowestMediationTierEvenWhenReceivedAtCounty(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute, h.check(func(v view) {
		if v.HandlingNode != village || v.Tier != fengqiao.TierVillage {
			t.Errorf("routed to %s (%s), want the village committee %s", v.HandlingNode, v.Tier, village)
		}
		if v.FirstContact.User != countyClerk.Username || v.FirstContact.Node != county {
			t.Errorf("first contact = %+v, want the county clerk", v.FirstContact)
		}
		if v.Status != fengqiao.StatusRegistered || v.Visits != 1 || v.Number == "" || v.QueryCode == "" {
			t.Errorf("view = %+v", v)
		}
		if v.Deadlines.Tier.DueAt == nil || v.Deadlines.Statutory.DueAt == nil {
			t.Errorf("both clocks must run: %+v", v.Deadlines)
		}
	}))
	h.run(dispute(), time.Hour)
	if ev := h.events(); len(ev) < 2 || ev[0] != "registered" || ev[1] != "routed" {
		t.Errorf("events = %v", ev)
	}
}

func TestRule2EscalatesOneTierAtATimeAlongTheChainOnly(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		// (c) a supervisor of an ancestor node may order it, but never past the next tier or out of the chain
		h.refused(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "major risk", To: county}, fengqiao.ECodeTierSkip),
		h.refused(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "major risk", To: "330204"}, fengqiao.ECodeTierSkip),
		h.refused(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{}, fengqiao.ECodeInvalid),
		// a supervisor of the handling node itself is not an ancestor
		h.refused(workflows.UpdateEscalate, villageSup, workflows.ReasonArgs{Reason: "x"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		// (b) a mediator escalates only after a recorded failed attempt
		h.refused(workflows.UpdateEscalate, villageMed, workflows.ReasonArgs{Reason: "hard"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateSession, villageMed, workflows.SessionArgs{Notes: "no", Outcome: "failed"}),
		h.ok(workflows.UpdateEscalate, villageMed, workflows.ReasonArgs{Reason: "mediation failed"}),
		h.check(func(v view) {
			if v.HandlingNode != township || v.Assignee != nil || v.Status != fengqiao.StatusRegistered || !v.Unacknowledged {
				t.Errorf("after a failed attempt: node=%s assignee=%v status=%s unack=%t", v.HandlingNode, v.Assignee, v.Status, v.Unacknowledged)
			}
		}),
		h.ok(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "包案: major risk", To: county}),
		h.check(func(v view) {
			if v.HandlingNode != county || v.Unacknowledged {
				t.Errorf("ordered escalation: node=%s unack=%t", v.HandlingNode, v.Unacknowledged)
			}
		}),
	)
	h.run(dispute(), time.Hour)
}

func TestRule2SupervisorSendsCaseDownWithinTheChain(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.refused(workflows.UpdateReturn, countySup, workflows.ReturnArgs{To: village, Reason: "x"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "risk"}),
		h.ok(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "risk"}),
		h.check(func(v view) {
			if v.HandlingNode != county {
				t.Errorf("at %s, want county", v.HandlingNode)
			}
		}),
		h.refused(workflows.UpdateReturn, countySup, workflows.ReturnArgs{To: "330203002001", Reason: "x"}, fengqiao.ECodeTierSkip),
		h.refused(workflows.UpdateReturn, countySup, workflows.ReturnArgs{To: grid, Reason: "x"}, fengqiao.ECodeTierSkip),
		h.refused(workflows.UpdateReturn, townshipSup, workflows.ReturnArgs{To: village, Reason: "x"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateReturn, countySup, workflows.ReturnArgs{To: village, Reason: "小事不出村"}),
		h.check(func(v view) {
			if v.HandlingNode != village {
				t.Errorf("returned to %s, want village", v.HandlingNode)
			}
		}),
	)
	h.run(dispute(), time.Hour)
}

func TestRule1FirstContactIsToldOfEveryRoutingAndTierChange(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "risk"}),
		h.ok(workflows.UpdateReturn, countySup, workflows.ReturnArgs{To: village, Reason: "back"}),
	)
	h.run(dispute(), time.Hour)
	kinds := map[string]int{}
	for _, n := range h.notices() {
		if n.To.User == countyClerk.Username {
			kinds[n.Kind]++
		}
	}
	if kinds["routed"] != 1 || kinds["escalated"] != 1 || kinds["returned"] != 1 {
		t.Errorf("first-contact notices = %v", kinds)
	}
}

func TestRule1OnSpotResolutionRegistersAndClosesInOneStep(t *testing.T) {
	h := newHarness(t)
	in := dispute()
	in.FirstContact = gridWorker
	in.ResolvedOnSpot = &workflows.OnSpot{Outcome: "reconciled", Note: "当场化解"}
	h.at(time.Minute,
		h.check(func(v view) {
			if v.Status != fengqiao.StatusClosed || v.ResolvedTier != fengqiao.TierGrid || v.ClosedAt == nil {
				t.Errorf("on the spot: status=%s resolved_tier=%s", v.Status, v.ResolvedTier)
			}
		}),
		h.refused(workflows.UpdateFollowUp, countyClerk, workflows.FollowUpArgs{Note: "x"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateFollowUp, gridWorker, workflows.FollowUpArgs{Note: "回访满意"}),
		h.ok(workflows.UpdateRating, party, workflows.RatingArgs{Score: 5}),
	)
	h.run(in, 0) // finishes by itself when the satisfaction window ends
	ev := h.events()
	if !contains(ev, "closed") || contains(ev, "routed") {
		t.Errorf("events = %v", ev)
	}
	if !h.noticed("follow_up_task", func(r activities.Recipient) bool { return r.User == gridWorker.Username }) {
		t.Error("closure must give the first-contact owner the follow-up task")
	}
	var v view
	if err := h.env.GetWorkflowResult(&v); err != nil || !v.FollowUpDone || v.Satisfaction == nil {
		t.Errorf("result = %+v, %v", v, err)
	}
}

func TestRule3SecondInPersonVisitIsAOneVisitBreach(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.refused(workflows.UpdateVisit, countyClerk, workflows.VisitArgs{Channel: "pigeon"}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateVisit, countyClerk, workflows.VisitArgs{Channel: fengqiao.ChannelPhone}),
		h.check(func(v view) {
			if v.Visits != 2 || v.OneVisitBreach {
				t.Errorf("after a phone call: visits=%d breach=%t", v.Visits, v.OneVisitBreach)
			}
		}),
		h.ok(workflows.UpdateVisit, countyClerk, workflows.VisitArgs{Channel: fengqiao.ChannelVisit, Note: "came again"}),
		h.check(func(v view) {
			if v.Visits != 3 || !v.OneVisitBreach {
				t.Errorf("after a second visit: visits=%d breach=%t", v.Visits, v.OneVisitBreach)
			}
		}),
	)
	h.run(dispute(), time.Hour)
	if !contains(h.events(), "one_visit_breach") {
		t.Error("no one_visit_breach event")
	}
}

func TestRule4TierDeadlineEscalatesAndUnacknowledgedIsReportedUp(t *testing.T) {
	h := newHarness(t)
	var firstStatDue time.Time
	h.at(time.Minute, h.check(func(v view) { firstStatDue = *v.Deadlines.Statutory.DueAt }))
	h.at(6*day+12*time.Hour, h.check(func(v view) { // past 80 % of 7 days
		if !v.Deadlines.Tier.AtRisk || v.Deadlines.Tier.Overdue || v.HandlingNode != village {
			t.Errorf("day 6.5: %+v at %s", v.Deadlines.Tier, v.HandlingNode)
		}
	}))
	h.at(9*day, h.check(func(v view) { // 7 days ran out: at the township, waiting for acknowledgement
		if v.HandlingNode != township || !v.Unacknowledged || v.Reported {
			t.Errorf("day 9: node=%s unack=%t reported=%t", v.HandlingNode, v.Unacknowledged, v.Reported)
		}
		if !v.Deadlines.Statutory.DueAt.Equal(firstStatDue) {
			t.Errorf("the statutory clock restarted: %s → %s", firstStatDue, v.Deadlines.Statutory.DueAt)
		}
	}))
	h.at(14*day, // 2 working days later: reported to the county (督办)
		h.check(func(v view) {
			if !v.Reported || !v.Unacknowledged {
				t.Errorf("day 14: reported=%t", v.Reported)
			}
		}),
		h.refused(workflows.UpdateAcknowledge, villageSup, workflows.ReasonArgs{}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateAcknowledge, townshipSup, workflows.ReasonArgs{Reason: "收到"}),
		h.check(func(v view) {
			if v.Unacknowledged || v.AcknowledgedAt == nil {
				t.Errorf("after acknowledge: unack=%t", v.Unacknowledged)
			}
		}),
	)
	h.run(dispute(), 15*day)
	if !h.noticed("supervision", func(r activities.Recipient) bool { return r.Role == fengqiao.RoleSupervisor && r.Node == county }) {
		t.Error("the unacknowledged escalation was not reported to the county supervisors")
	}
	h.wantEvents("tier_at_risk", "escalated", "supervision_reported", "acknowledged")
}

func TestRule4SixtyDayPetitionDeadlineFiresInSimulatedTime(t *testing.T) {
	h := newHarness(t).legacyPetition() // a petition started before the organs track
	h.at(time.Minute, h.ok(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: true}))
	// 60 days from Monday 2 March 2026 end on 1 May, a holiday: the period runs to the end of the
	// next working day, Wednesday 6 May (民法典 203; the 2026 Labour Day holiday is 1-5 May).
	h.at(65*day, h.check(func(v view) {
		if v.Deadlines.Statutory.Overdue || !v.Deadlines.Statutory.AtRisk || !v.Deadlines.Statutory.DueAt.Equal(china("2026-05-07 00:00")) {
			t.Errorf("day 65: %+v", v.Deadlines.Statutory)
		}
	}))
	h.at(67*day, h.check(func(v view) {
		if !v.Deadlines.Statutory.Overdue || v.Deadlines.Statutory.Kind != "handle" {
			t.Errorf("day 67: %+v", v.Deadlines.Statutory)
		}
	}))
	start := time.Now()
	h.run(petition(), 68*day)
	if !contains(h.events(), "statutory_overdue") {
		t.Error("no statutory_overdue event")
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("simulated 63 days took %s", time.Since(start))
	}
}

func TestRule4PauseLengthensBothDeadlinesAndStopsEscalation(t *testing.T) {
	h := newHarness(t)
	var tierDue, statDue time.Time
	h.at(time.Minute,
		h.check(func(v view) { tierDue, statDue = *v.Deadlines.Tier.DueAt, *v.Deadlines.Statutory.DueAt }),
		h.refused(workflows.UpdateSuspend, villageSup, workflows.ReasonArgs{}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateSuspend, villageSup, workflows.ReasonArgs{Reason: "鉴定 appraisal", Ground: "appraisal"}),
	)
	h.at(12*day, // paused beyond the 7-day tier clock: no escalation
		h.check(func(v view) {
			if v.HandlingNode != village || v.Status != fengqiao.StatusSuspended || !v.Deadlines.Tier.Paused {
				t.Errorf("paused: node=%s status=%s", v.HandlingNode, v.Status)
			}
		}),
		h.ok(workflows.UpdateResume, villageSup, workflows.ReasonArgs{Reason: "appraisal done"}),
		h.check(func(v view) {
			if v.Deadlines.Tier.DueAt.Before(tierDue.Add(10*day)) || v.Deadlines.Statutory.DueAt.Before(statDue.Add(10*day)) {
				t.Errorf("pause did not lengthen: tier %s → %s, statutory %s → %s", tierDue, v.Deadlines.Tier.DueAt, statDue, v.Deadlines.Statutory.DueAt)
			}
			if v.Status != fengqiao.StatusRegistered || v.HandlingNode != village {
				t.Errorf("after resume: %s at %s", v.Status, v.HandlingNode)
			}
		}),
	)
	h.at(22*day, h.check(func(v view) {
		if v.HandlingNode != township {
			t.Errorf("after the lengthened deadline: at %s, want township", v.HandlingNode)
		}
	}))
	h.run(dispute(), 23*day)
	if !contains(h.events(), "suspended") || !contains(h.events(), "resumed") {
		t.Error("the pause must be kept in the case history")
	}
}

func TestRule4FiveWorkingDaysAcrossSpringFestival2026(t *testing.T) {
	h := newHarness(t)
	// Friday 13 Feb 2026, 10:00. Working days: Sat 14 Feb (调休), then the festival 15-23 Feb, then
	// Tue 24, Wed 25, Thu 26, Fri 27 Feb: the 5th working day ends at 24:00 on 27 Feb.
	start := china("2026-02-13 10:00")
	h.env.SetStartTime(start)
	in := dispute()
	in.Policy.Tiers = map[fengqiao.Tier]deadline.Duration{fengqiao.TierVillage: deadline.WorkingDays(5),
		fengqiao.TierTownship: deadline.Days(15), fengqiao.TierCounty: deadline.Days(30), fengqiao.TierCity: deadline.Days(30)}
	want := china("2026-02-28 00:00")
	h.at(time.Minute, h.check(func(v view) {
		if got := v.Deadlines.Tier.DueAt; got == nil || !got.Equal(want) {
			t.Errorf("tier due = %v, want %s", got, want)
		}
	}))
	h.at(china("2026-02-27 23:00").Sub(start), h.check(func(v view) {
		if v.HandlingNode != village {
			t.Errorf("27 Feb 23:00: escalated too early to %s", v.HandlingNode)
		}
	}))
	h.at(china("2026-02-28 00:30").Sub(start), h.check(func(v view) {
		if v.HandlingNode != township {
			t.Errorf("28 Feb 00:30: at %s, want township", v.HandlingNode)
		}
	}))
	h.run(in, 16*day)
}

func TestNMR27MediationExtensionNeedsBothPartiesRequest(t *testing.T) {
	h := newHarness(t)
	var before time.Time
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.check(func(v view) { before = *v.Deadlines.Statutory.DueAt }),
		h.refused(workflows.UpdateExtend, villageMed, workflows.ExtendArgs{Days: 10, Reason: "complex"}, fengqiao.ECodeNotAllowed),
		h.refused(workflows.UpdateExtend, villageMed, workflows.ExtendArgs{Days: 10, BothPartiesRequested: true}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateExtend, villageMed, workflows.ExtendArgs{Days: 10, Reason: "complex", BothPartiesRequested: true}),
		h.check(func(v view) {
			if got := v.Deadlines.Statutory.DueAt.Sub(before); got < 10*day || got > 12*day {
				t.Errorf("extension moved the deadline by %s", got)
			}
		}),
	)
	h.run(dispute(), time.Hour)
}

func TestPML17PartyRefusalEndsMediationWithNoticeOfOtherRoutes(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateConsent, villageMed, workflows.ConsentArgs{Party: fengqiao.PartyApplicant, Agrees: true}),
		h.ok(workflows.UpdateConsent, villageMed, workflows.ConsentArgs{Party: fengqiao.PartyRespondent, Agrees: false}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusClosed || v.Outcome != "mediation_refused" {
				t.Errorf("after refusal: %s %s", v.Status, v.Outcome)
			}
		}),
		h.refused(workflows.UpdateAccept, villageMed, workflows.NoArgs{}, fengqiao.ECodeNotAllowed),
	)
	h.run(dispute(), time.Hour)
}

func TestRule5JudicialConfirmationFromAgreementToEnforceableAndClosed(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.refused(workflows.UpdateAccept, townshipMed, workflows.NoArgs{}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateSession, villageMed, workflows.SessionArgs{Notes: "first", Outcome: "continue"}),
		h.refused(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "赔偿 2000 元", Form: "written"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "赔偿 2000 元", Form: "written", SignedByAll: true}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusAgreement || v.ResolvedTier != fengqiao.TierVillage || v.Deadlines.Tier.DueAt != nil {
				t.Errorf("agreement: %s resolved at %s, tier clock %v", v.Status, v.ResolvedTier, v.Deadlines.Tier.DueAt)
			}
		}),
		h.refused(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: court}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: court, Joint: true}),
	)
	h.at(5*day, // the court did not accept within 3 days (SPC 2011 art. 4)
		h.check(func(v view) {
			if v.Status != fengqiao.StatusConfirmationPending || v.Confirmation == nil || !v.Confirmation.CourtOverdue {
				t.Errorf("day 5: %s %+v", v.Status, v.Confirmation)
			}
		}),
		h.refused(workflows.UpdateCourtDecision, otherCourt, workflows.CourtDecisionArgs{Result: "confirmed"}, fengqiao.ECodeForbidden),
		h.refused(workflows.UpdateCourtDecision, courtOfficer, workflows.CourtDecisionArgs{Result: "maybe"}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateCourtAccept, courtOfficer, workflows.CourtAcceptArgs{CaseNo: "(2026)浙0203民特1号"}),
		h.ok(workflows.UpdateCourtDecision, courtOfficer, workflows.CourtDecisionArgs{Result: "extended"}),
		h.refused(workflows.UpdateCourtDecision, courtOfficer, workflows.CourtDecisionArgs{Result: "extended"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateCourtDecision, courtOfficer, workflows.CourtDecisionArgs{Result: "confirmed", RulingNo: "R-1"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusConfirmed || v.Confirmation.Result != "confirmed" {
				t.Errorf("after decision: %s", v.Status)
			}
		}),
	)
	h.at(40*day,
		h.ok(workflows.UpdatePerformance, villageMed, workflows.PerformanceArgs{Performed: true, Note: "paid"}),
		h.ok(workflows.UpdateClose, villageMed, workflows.CloseArgs{Outcome: "confirmed_and_performed"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusClosed || v.ResolvedTier != fengqiao.TierVillage {
				t.Errorf("closed: %s %s", v.Status, v.ResolvedTier)
			}
		}),
	)
	h.run(dispute(), 0)
	h.wantEvents("agreement", "confirmation_applied", "court_overdue", "court_accepted", "court_extended",
		"court_confirmed", "performance_check_due", "performance", "closed")
	if len(h.court) != 1 || h.court[0].Court != court {
		t.Errorf("court hand-offs = %+v", h.court)
	}
}

func TestRule5ConfirmationWindowClosesAfterThirtyDays(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "道歉", Form: "oral"}),
	)
	h.at(33*day, h.refused(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: court, Joint: true}, fengqiao.ECodeNotAllowed))
	h.run(dispute(), 34*day)
}

func TestRule5CourtRejectionGoesBackToMediation(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "t", Form: "written", SignedByAll: true}),
		h.ok(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: court, Joint: true}),
		h.ok(workflows.UpdateCourtDecision, courtOfficer, workflows.CourtDecisionArgs{Result: "rejected", Note: "违反法律"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusRejectedByCourt {
				t.Errorf("status %s", v.Status)
			}
		}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusMediating || v.Agreement != nil {
				t.Errorf("back to mediation: %s", v.Status)
			}
		}),
	)
	h.run(dispute(), time.Hour)
}

func TestRule5AlternativesNotarisationAndArbitrationForLabour(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "t", Form: "oral", PaymentObligation: true}),
		h.refused(workflows.UpdateAlternative, villageMed, workflows.AlternativeArgs{Route: "arbitration"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateAlternative, villageMed, workflows.AlternativeArgs{Route: "notarisation", Note: "给付"}),
		h.refused(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: court, Joint: true}, fengqiao.ECodeNotAllowed),
	)
	h.run(dispute(), time.Hour)
}

func TestRule8UnsatisfiedRatingReopensTheDisputeOnTheSameNumber(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "t", Form: "oral"}),
		h.ok(workflows.UpdateClose, villageMed, workflows.CloseArgs{Outcome: "agreement"}),
		h.refused(workflows.UpdateRating, party, workflows.RatingArgs{Score: 9}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateRating, party, workflows.RatingArgs{Score: 1, Comment: "没解决"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusRegistered || v.Number != "HS-2026-000001" || v.HandlingNode != village || v.Deadlines.Tier.DueAt == nil {
				t.Errorf("reopened: %s %s at %s", v.Status, v.Number, v.HandlingNode)
			}
		}),
	)
	h.run(dispute(), time.Hour)
	if !h.projected(func(p activities.Projection) bool { return p.Reserve }) || !contains(h.events(), "reopened") {
		t.Error("a reopened case must take its matter again and say so in its timeline")
	}
}

func TestPetitionTrackAnswerReexamineReviewThenFinal(t *testing.T) {
	h := newHarness(t).legacyPetition() // a petition started before the organs track
	h.at(time.Minute,
		h.refused(workflows.UpdateAnswer, villageSup, workflows.AnswerArgs{Decision: "support", Text: "x"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: true}),
		h.check(func(v view) {
			if v.Deadlines.Statutory.Kind != "handle" {
				t.Errorf("after acceptance the 60-day clock runs: %+v", v.Deadlines.Statutory)
			}
		}),
		h.refused(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "x"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.refused(workflows.UpdateAnswer, villageMed, workflows.AnswerArgs{Decision: "maybe", Text: "x"}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateAnswer, villageMed, workflows.AnswerArgs{Decision: "not_support", Text: "缺乏事实根据"}),
		h.refused(workflows.UpdateReview, countyClerk, workflows.ReviewArgs{Level: workflows.LevelReview, Reason: "x"}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateReview, countyClerk, workflows.ReviewArgs{Level: workflows.LevelReexamine, Reason: "不服"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusUnderReview || v.HandlingNode != township || v.Deadlines.Statutory.Kind != "review_reply" {
				t.Errorf("复查: %s at %s, %+v", v.Status, v.HandlingNode, v.Deadlines.Statutory)
			}
		}),
		h.refused(workflows.UpdateReviewReply, countySup, workflows.ReviewReplyArgs{Decision: "explain", Text: "x"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateReviewReply, townshipSup, workflows.ReviewReplyArgs{Decision: "explain", Text: "维持"}),
	)
	h.at(10*day,
		h.ok(workflows.UpdateReview, countyClerk, workflows.ReviewArgs{Level: workflows.LevelReview, Reason: "仍不服"}),
		h.check(func(v view) {
			if v.HandlingNode != county {
				t.Errorf("复核 at %s, want county", v.HandlingNode)
			}
		}),
		h.ok(workflows.UpdateReviewReply, countySup, workflows.ReviewReplyArgs{Decision: "not_support", Text: "维持"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusFinal || !v.Final {
				t.Errorf("after 复核: %s", v.Status)
			}
		}),
		h.refused(workflows.UpdateReview, countyClerk, workflows.ReviewArgs{Level: workflows.LevelReview, Reason: "again"}, fengqiao.ECodeNotAllowed),
	)
	h.run(petition(), 0)
	if !h.projected(func(p activities.Projection) bool { return p.Final }) {
		t.Error("the projection must mark the matter final (XGTL 36)")
	}
}

func TestRule6PetitionBelongingToLitigationIsReferredOut(t *testing.T) {
	h := newHarness(t).legacyPetition() // a petition started before the organs track
	h.at(time.Minute,
		h.refused(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: false}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: false, Channel: "litigation", Note: "请向法院起诉"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusReferredOut || v.Petition.ReferredTo != "litigation" {
				t.Errorf("referred: %s", v.Status)
			}
		}),
	)
	h.run(petition(), 0)
	if !h.noticed("referred_out", toParty) {
		t.Error("the petitioner must be told the lawful channel")
	}
}

func TestXGTL34PetitionExtensionNeedsSupervisorAndAtMostThirtyDays(t *testing.T) {
	h := newHarness(t).legacyPetition() // a petition started before the organs track
	h.at(time.Minute,
		h.ok(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: true}),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.refused(workflows.UpdateExtend, villageMed, workflows.ExtendArgs{Days: 10, Reason: "复杂"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateExtend, villageSup, workflows.ExtendArgs{Days: 20, Reason: "复杂"}),
		h.refused(workflows.UpdateExtend, villageSup, workflows.ExtendArgs{Days: 11, Reason: "复杂"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateExtend, villageSup, workflows.ExtendArgs{Days: 10, Reason: "复杂"}),
	)
	h.run(petition(), time.Hour)
	if !h.noticed("extended", toParty) {
		t.Error("the petitioner must be told why (XGTL 34)")
	}
}

func TestPolicyVersionRunningCaseKeepsItsPolicyUntilMigrated(t *testing.T) {
	h := newHarness(t)
	in := dispute()
	in.Policy.Version = "v1"
	p := dispute().Policy
	p.Tiers = map[fengqiao.Tier]deadline.Duration{fengqiao.TierVillage: deadline.Days(3), fengqiao.TierTownship: deadline.Days(15),
		fengqiao.TierCounty: deadline.Days(30), fengqiao.TierCity: deadline.Days(30)}
	p.Version = "v2"
	h.at(time.Minute,
		h.check(func(v view) {
			if v.PolicyVersion != "v1" {
				t.Errorf("policy %s", v.PolicyVersion)
			}
		}),
		h.refused(workflows.UpdateMigratePolicy, countySup, workflows.MigratePolicyArgs{Policy: p}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateMigratePolicy, admin, workflows.MigratePolicyArgs{Policy: p}),
		h.check(func(v view) {
			if v.PolicyVersion != "v2" || v.Deadlines.Tier.DueAt.After(v.OpenedAt.Add(5*day)) {
				t.Errorf("after migration: %s due %s", v.PolicyVersion, v.Deadlines.Tier.DueAt)
			}
		}),
	)
	h.at(5*day, h.check(func(v view) {
		if v.HandlingNode != township {
			t.Errorf("the migrated 3-day clock did not escalate: at %s", v.HandlingNode)
		}
	}))
	h.run(in, 6*day)
}

func TestValidatorsRefuseWrongStateAndNextActionsFollowTheState(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.refused(workflows.UpdateSession, villageMed, workflows.SessionArgs{Outcome: "continue"}, fengqiao.ECodeNotAllowed),
		h.refused(workflows.UpdateCourtDecision, courtOfficer, workflows.CourtDecisionArgs{Result: "confirmed"}, fengqiao.ECodeNotAllowed),
		h.refused(workflows.UpdateAnswer, villageSup, workflows.AnswerArgs{Decision: "support", Text: "x"}, fengqiao.ECodeNotAllowed),
		h.refused(workflows.UpdateResume, villageSup, workflows.ReasonArgs{Reason: "x"}, fengqiao.ECodeNotAllowed),
		h.refused(workflows.UpdateAcknowledge, villageSup, workflows.ReasonArgs{}, fengqiao.ECodeNotAllowed),
		h.check(func(v view) {
			for _, a := range []string{workflows.UpdateAssign, workflows.UpdateEscalate, workflows.UpdateVisit, workflows.UpdateSuspend} {
				if !contains(v.NextActions, a) {
					t.Errorf("next actions %v lack %s", v.NextActions, a)
				}
			}
			if contains(v.NextActions, workflows.UpdateCourtDecision) || contains(v.NextActions, workflows.UpdateReturn) {
				t.Errorf("next actions %v offer what the state refuses", v.NextActions)
			}
		}),
	)
	h.run(dispute(), time.Hour)
}

func TestXGTL33PetitionMediationNeedsBothPartiesConsent(t *testing.T) {
	h := newHarness(t).legacyPetition() // a petition started before the organs track
	h.at(time.Minute,
		h.ok(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: true}),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateConsent, villageMed, workflows.ConsentArgs{Party: fengqiao.PartyApplicant, Agrees: true}),
		h.refused(workflows.UpdateAccept, villageMed, workflows.NoArgs{}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateConsent, villageMed, workflows.ConsentArgs{Party: fengqiao.PartyRespondent, Agrees: true}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "调解协议书", Form: "written", SignedByAll: true}),
		h.refused(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: court, Joint: true}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateAnswer, villageMed, workflows.AnswerArgs{Decision: "support", Text: "已调解"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusAnswered || v.Petition.Answer != "support" {
				t.Errorf("answered: %s", v.Status)
			}
		}),
	)
	h.run(petition(), time.Hour)
}

func TestRule8UnsatisfiedRatingOfAnAnsweredPetitionStartsReexamination(t *testing.T) {
	h := newHarness(t).legacyPetition() // a petition started before the organs track
	h.at(time.Minute,
		h.ok(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: true}),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAnswer, villageMed, workflows.AnswerArgs{Decision: "explain", Text: "说明"}),
		h.ok(workflows.UpdateRating, party, workflows.RatingArgs{Score: 2, Comment: "不满意"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusUnderReview || v.Petition.ReviewLevel != workflows.LevelReexamine || v.HandlingNode != township {
				t.Errorf("after an unsatisfied rating: %s %s at %s", v.Status, v.Petition.ReviewLevel, v.HandlingNode)
			}
		}),
	)
	h.run(petition(), time.Hour)
}

func TestXGTL35NoReviewRequestWithinThirtyDaysClosesThePetition(t *testing.T) {
	h := newHarness(t).legacyPetition() // a petition started before the organs track
	h.at(time.Minute,
		h.ok(workflows.UpdateRouteDecision, countyClerk, workflows.RouteDecisionArgs{Accept: true}),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAnswer, villageMed, workflows.AnswerArgs{Decision: "support", Text: "支持"}),
	)
	h.at(32*day, h.check(func(v view) {
		if v.Status != fengqiao.StatusClosed || v.Outcome != "answered" {
			t.Errorf("day 32: %s %s", v.Status, v.Outcome)
		}
	}))
	h.run(petition(), 0)
}
