package workflows_test

import (
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/workflows"
)

// The organs of the petition tests: a township petition office (信访办), the township government whose
// superior is the county government, whose superior is the city government; a county bureau under the
// county government; and a village committee registered as an organ, for XGTL 30.
var (
	officeBody = fengqiao.BodyRef{Code: "gl-xfb", Name: "鼓楼街道信访办", Type: fengqiao.BodyPetitionOffice, Node: township}
	townGov    = fengqiao.BodyRef{Code: "gl-gov", Name: "鼓楼街道办事处", Type: fengqiao.BodyAgency, Node: township}
	countyGov  = fengqiao.BodyRef{Code: "hs-gov", Name: "海曙区人民政府", Type: fengqiao.BodyAgency, Node: county}
	cityGov    = fengqiao.BodyRef{Code: "nb-gov", Name: "宁波市人民政府", Type: fengqiao.BodyAgency, Node: city}
	countyRsj  = fengqiao.BodyRef{Code: "hs-rsj", Name: "海曙区人力资源和社会保障局", Type: fengqiao.BodyAgency, Node: county}
	villageCwh = fengqiao.BodyRef{Code: "v-cwh", Name: "某社区居委会", Type: fengqiao.BodyAgency, Node: village}

	villageClerk  = workflows.Actor{Username: "clerk.village", Role: fengqiao.RoleClerk, Node: village}
	officeClerk   = workflows.Actor{Username: "clerk.xfb", Role: fengqiao.RoleClerk, Node: "gl-xfb"}
	townHandler   = workflows.Actor{Username: "handler.town", Role: fengqiao.RoleHandler, Node: "gl-gov"}
	countyHandler = workflows.Actor{Username: "handler.county", Role: fengqiao.RoleHandler, Node: "hs-gov"}
	rsjHandler    = workflows.Actor{Username: "handler.rsj", Role: fengqiao.RoleHandler, Node: "hs-rsj"}
	cityHandler   = workflows.Actor{Username: "handler.city", Role: fengqiao.RoleHandler, Node: "nb-gov"}
	townGovSup    = workflows.Actor{Username: "sup.towngov", Role: fengqiao.RoleSupervisor, Node: "gl-gov"}
	countyGovSup  = workflows.Actor{Username: "sup.countygov", Role: fengqiao.RoleSupervisor, Node: "hs-gov"}
)

// organsPetition is a petition about a township's land decision received at the village window and
// routed to the township petition office (StartInput.Route).
func organsPetition() workflows.StartInput {
	in := petition()
	in.Location, in.FirstContact = village, villageClerk
	in.Route = &fengqiao.Route{Body: officeBody, Tier: fengqiao.TierTownship}
	return in
}

func toTownGov() workflows.ForwardArgs {
	return workflows.ForwardArgs{Agency: townGov.Code, Organ: townGov, Superiors: []fengqiao.BodyRef{countyGov, cityGov},
		Mode: workflows.ModeAssign, ReportBy: "2026-04-30", Note: "请依法处理并报结果"}
}

func answerArgs(served string) workflows.AnswerArgs {
	return workflows.AnswerArgs{Decision: "not_support", Request: "撤销征地补偿决定", Facts: "补偿标准已公示并经听证",
		Reasons: "补偿符合规定", Basis: "《土地管理法》第四十八条", ServedOn: served}
}

func toOffice(r activities.Recipient) bool { return r.Node == township && r.Role == fengqiao.RoleClerk }

// TestXGTL22To36PetitionRegisteredByTheOfficeAnsweredByTheAgencyReviewedByItsSuperiorsThenFinal is the
// story: received at a village window, registered by the township petition office, assigned (交办) to
// the township government, accepted, answered in writing with the day it was served, 复查 at the county
// government, 复核 at the city government, then final. The petition office is a co-body throughout.
func TestXGTL22To36PetitionRegisteredByTheOfficeAnsweredByTheAgencyReviewedByItsSuperiorsThenFinal(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.check(func(v view) {
			p := v.Petition
			if v.HandlingNode != township || p == nil || !p.Organs || p.Stage != workflows.StageOffice || p.Office.Code != officeBody.Code {
				t.Errorf("registered at %s: %+v", v.HandlingNode, p)
			}
			if c := v.Deadlines.Statutory; c.Kind != "route" || !c.DueAt.Equal(china("2026-03-18 00:00")) {
				t.Errorf("route clock %+v, want 15 days to 17 March (XGTL 22)", c)
			}
			for _, a := range []string{workflows.UpdateForward, workflows.UpdateReferOut, workflows.UpdateNotAccept} {
				if !contains(v.NextActions, a) {
					t.Errorf("next actions %v lack %s", v.NextActions, a)
				}
			}
		}),
		h.refused(workflows.UpdateRouteDecision, officeClerk, workflows.RouteDecisionArgs{Accept: true}, fengqiao.ECodeNotAllowed),
		h.refused(workflows.UpdateForward, villageClerk, toTownGov(), fengqiao.ECodeForbidden),
		h.refused(workflows.UpdateForward, officeClerk, func() workflows.ForwardArgs { f := toTownGov(); f.ReportBy = ""; return f }(), fengqiao.ECodeInvalid),
		h.refused(workflows.UpdateForward, officeClerk, func() workflows.ForwardArgs {
			f := toTownGov()
			f.Agency, f.Organ = officeBody.Code, officeBody
			return f
		}(), fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateForward, officeClerk, toTownGov()),
		h.check(func(v view) {
			p := v.Petition
			if p.Stage != workflows.StageForwarded || p.Organ.Code != townGov.Code || p.ReportBy == nil || v.HandlingNode != township {
				t.Errorf("assigned: %+v", p)
			}
			if c := v.Deadlines.Statutory; c.Kind != "accept_notice" {
				t.Errorf("after forwarding the statutory clock is %s, want the 15 days to tell the petitioner (XGTL 23)", c.Kind)
			}
		}),
		h.refused(workflows.UpdateAnswer, townHandler, answerArgs("2026-03-02"), fengqiao.ECodeNotAllowed),
		h.refused(workflows.UpdateAcceptPetition, rsjHandler, workflows.NoteArgs{}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateAcceptPetition, townHandler, workflows.NoteArgs{Note: "已受理"}),
		h.check(func(v view) {
			if c := v.Deadlines.Statutory; c.Kind != "handle" || !c.DueAt.Equal(china("2026-05-07 00:00")) {
				t.Errorf("handling clock %+v, want 60 days (XGTL 34)", c)
			}
		}),
		h.refused(workflows.UpdateAnswer, townHandler, func() workflows.AnswerArgs { a := answerArgs("2026-03-02"); a.Basis = ""; return a }(), fengqiao.ECodeInvalid),
		h.refused(workflows.UpdateAnswer, townHandler, answerArgs(""), fengqiao.ECodeInvalid),
		h.refused(workflows.UpdateAnswer, townHandler, answerArgs("2026-03-09"), fengqiao.ECodeInvalid), // in the future
	)
	h.at(5*day,
		h.ok(workflows.UpdateAnswer, townHandler, answerArgs("2026-03-06")),
		h.check(func(v view) {
			p := v.Petition
			if v.Status != fengqiao.StatusAnswered || p.Answerer.Code != townGov.Code || p.ServedAt == nil {
				t.Errorf("answered: %s %+v", v.Status, p)
			}
			// 30 days from the day served (6 March) end on 5 April, a Sunday after 清明: the next working
			// day is Tuesday 7 April 2026 (民法典 203)
			if got := p.RequestBy.In(time.Local).Format(time.RFC3339); !p.RequestBy.Equal(china("2026-04-08 00:00")) {
				t.Errorf("复查 window ends %s, want 24:00 on 7 April", got)
			}
		}),
		h.refused(workflows.UpdateReview, townHandler, workflows.ReviewArgs{Level: workflows.LevelReexamine, Reason: "不服"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateReview, villageClerk, workflows.ReviewArgs{Level: workflows.LevelReexamine, Reason: "不服补偿标准"}),
		h.check(func(v view) {
			if v.HandlingNode != county || v.Petition.Organ.Code != countyGov.Code || v.Status != fengqiao.StatusUnderReview {
				t.Errorf("复查 at %s by %+v", v.HandlingNode, v.Petition.Organ)
			}
		}),
		h.refused(workflows.UpdateReviewReply, townHandler, workflows.ReviewReplyArgs{Decision: "explain", Text: "维持", ServedOn: "2026-03-07"}, fengqiao.ECodeForbidden),
	)
	h.at(20*day,
		h.ok(workflows.UpdateReviewReply, countyHandler, workflows.ReviewReplyArgs{Decision: "explain", Text: "维持原处理意见", ServedOn: "2026-03-21"}),
		h.ok(workflows.UpdateReview, villageClerk, workflows.ReviewArgs{Level: workflows.LevelReview, Reason: "仍不服"}),
		h.check(func(v view) {
			if v.HandlingNode != city || v.Petition.Organ.Code != cityGov.Code || v.Petition.ReviewLevel != workflows.LevelReview {
				t.Errorf("复核 at %s by %+v", v.HandlingNode, v.Petition.Organ)
			}
		}),
		h.ok(workflows.UpdateReviewReply, cityHandler, workflows.ReviewReplyArgs{Decision: "not_support", Text: "维持", ServedOn: "2026-03-22"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusFinal || !v.Final {
				t.Errorf("after 复核: %s final=%t", v.Status, v.Final)
			}
		}),
		h.refused(workflows.UpdateReview, villageClerk, workflows.ReviewArgs{Reason: "再次"}, fengqiao.ECodeNotAllowed),
	)
	h.run(organsPetition(), 0)
	h.wantEvents("petition_registered", "petition_assigned", "petition_accepted", "answered", "review_requested", "review_replied")
	if !h.projected(func(p activities.Projection) bool {
		return p.Final && p.Case.HandlingBody == cityGov.Code && p.Case.CoBodies == ",gl-xfb,"
	}) {
		t.Error("the final projection must name the city government as handling body and the petition office as co-body")
	}
	if !h.projected(func(p activities.Projection) bool {
		return p.Case.HandlingBody == townGov.Code && p.Case.HandlingBodyType == "agency"
	}) {
		t.Error("the projection never named the township government as handling body")
	}
	for _, kind := range []string{"petition_accepted", "answered", "final"} {
		if !h.noticed(kind, toParty) {
			t.Errorf("the petitioner was not told (%s)", kind)
		}
	}
	if !h.noticed("answered", toOffice) || !h.noticed("petition_accepted", toOffice) {
		t.Error("the petition office must be told of every step")
	}
	for _, p := range h.proj {
		for _, e := range p.Events {
			if e.Type == "answered" && (e.Args["decision"] != "not_support" || e.Args["served_on"] != "2026-03-06" || !strings.Contains(e.Detail, "土地管理法")) {
				t.Errorf("answered event %+v must carry the decision, the day served and the written elements", e)
			}
		}
	}
}

// TestXGTL22RouteDeadlineOfFifteenDaysIsReportedUp: a petition the office leaves unrouted for 15 days is
// overdue; the report goes to the petition office and the supervisor one level up, on the timeline
// (XGTL 40), not only as a notice.
func TestXGTL22RouteDeadlineOfFifteenDaysIsReportedUp(t *testing.T) {
	h := newHarness(t)
	h.at(15*day, h.check(func(v view) {
		if v.Deadlines.Statutory.Overdue || !v.Deadlines.Statutory.AtRisk {
			t.Errorf("day 15: %+v", v.Deadlines.Statutory)
		}
	}))
	h.at(17*day, h.check(func(v view) {
		if !v.Deadlines.Statutory.Overdue || v.Deadlines.Statutory.Kind != "route" || !v.Petition.OverdueReported {
			t.Errorf("day 17: %+v reported=%t", v.Deadlines.Statutory, v.Petition.OverdueReported)
		}
	}))
	h.run(organsPetition(), 18*day)
	h.wantEvents("statutory_overdue", "petition_overdue_reported")
	if !h.noticed("overdue", func(r activities.Recipient) bool { return r.Role == fengqiao.RoleSupervisor && r.Node == county }) {
		t.Error("the supervisor one level up (the county) must be told")
	}
	if !h.noticed("overdue", toOffice) {
		t.Error("the petition office must be told")
	}
}

// TestXGTL34SixtyDaysOfHandlingExtendedByAtMostThirtyWithApprovalAndNotice: the 60 days run from
// acceptance; a supervisor of the agency approves an extension (the petitioner is told why), a handler
// cannot, and no more than 30 days in all.
func TestXGTL34SixtyDaysOfHandlingExtendedByAtMostThirtyWithApprovalAndNotice(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateForward, officeClerk, toTownGov()),
		h.ok(workflows.UpdateAcceptPetition, townHandler, workflows.NoteArgs{}),
		h.refused(workflows.UpdateExtend, townHandler, workflows.ExtendArgs{Days: 10, Reason: "需要测绘"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateExtend, townGovSup, workflows.ExtendArgs{Days: 20, Reason: "需要测绘"}),
		h.refused(workflows.UpdateExtend, townGovSup, workflows.ExtendArgs{Days: 11, Reason: "再延"}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateExtend, townGovSup, workflows.ExtendArgs{Days: 10, Reason: "再延"}),
		h.check(func(v view) {
			// 60 + 30 days from 2 March end on 31 May, a Sunday: Monday 1 June
			if c := v.Deadlines.Statutory; c.Kind != "handle" || !c.DueAt.Equal(china("2026-06-02 00:00")) {
				t.Errorf("extended handling clock %+v", c)
			}
		}),
	)
	h.at(92*day, h.check(func(v view) {
		if !v.Deadlines.Statutory.Overdue || !v.Petition.OverdueReported {
			t.Errorf("day 92: %+v", v.Deadlines.Statutory)
		}
	}))
	h.run(organsPetition(), 93*day)
	if !h.noticed("extended", toParty) {
		t.Error("the petitioner must be told of the extension and why (XGTL 34)")
	}
	h.wantEvents("petition_overdue_reported")
}

// TestXGTL35ReviewWindowRunsThirtyDaysFromTheDayTheAnswerWasServed: the answer recorded on 20 March was
// served on 16 March; 复查 may be asked until 15 April, not later; then the answer stands and the
// petition closes.
func TestXGTL35ReviewWindowRunsThirtyDaysFromTheDayTheAnswerWasServed(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateForward, officeClerk, toTownGov()),
		h.ok(workflows.UpdateAcceptPetition, townHandler, workflows.NoteArgs{}),
	)
	h.at(18*day, h.ok(workflows.UpdateAnswer, townHandler, answerArgs("2026-03-16")),
		h.check(func(v view) {
			if !v.Petition.RequestBy.Equal(china("2026-04-16 00:00")) {
				t.Errorf("window ends %v, want 24:00 on 15 April (30 days from the 16 March service)", v.Petition.RequestBy)
			}
		}))
	h.at(45*day, h.check(func(v view) {
		if v.Status != fengqiao.StatusClosed || v.Outcome != "answered" {
			t.Errorf("after the window: %s %s", v.Status, v.Outcome)
		}
	}),
		h.refused(workflows.UpdateReview, villageClerk, workflows.ReviewArgs{Level: workflows.LevelReexamine, Reason: "晚了"}, fengqiao.ECodeNotAllowed))
	h.run(organsPetition(), 46*day)
}

// TestXGTL23ObjectionWithinFiveWorkingDaysAndXGTL24CommonSuperiorDecides: the township government
// objects within 5 working days; the petition goes back to the office, which forwards it to the county
// labour bureau; that bureau objects too; their common superior, the county government, decides the
// township government accepts, and it can no longer object.
func TestXGTL23ObjectionWithinFiveWorkingDaysAndXGTL24CommonSuperiorDecides(t *testing.T) {
	h := newHarness(t)
	rsj := workflows.ForwardArgs{Agency: countyRsj.Code, Organ: countyRsj, Superiors: []fengqiao.BodyRef{countyGov, cityGov}, Mode: workflows.ModeForward}
	fwd := toTownGov()
	fwd.Mode, fwd.ReportBy = workflows.ModeForward, ""
	h.at(time.Minute,
		h.ok(workflows.UpdateForward, officeClerk, fwd),
		h.refused(workflows.UpdateObject, townHandler, workflows.ReasonArgs{}, fengqiao.ECodeInvalid),
		h.refused(workflows.UpdateDecideOrgan, countyGovSup, fwd, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateObject, townHandler, workflows.ReasonArgs{Reason: "属劳动保障事项，非本机关职权"}),
		h.check(func(v view) {
			if v.Petition.Stage != workflows.StageOffice || v.HandlingNode != township || v.Petition.Organ != nil {
				t.Errorf("after the objection: %+v", v.Petition)
			}
		}),
		h.ok(workflows.UpdateForward, officeClerk, rsj),
		h.ok(workflows.UpdateObject, rsjHandler, workflows.ReasonArgs{Reason: "属土地事项"}),
		h.refused(workflows.UpdateDecideOrgan, townGovSup, fwd, fengqiao.ECodeForbidden), // not the common superior
		h.ok(workflows.UpdateDecideOrgan, countyGovSup, fwd),
		h.check(func(v view) {
			if v.Petition.Organ.Code != townGov.Code || !v.Petition.Decided || v.Petition.Stage != workflows.StageForwarded {
				t.Errorf("after the decision: %+v", v.Petition)
			}
		}),
		h.refused(workflows.UpdateObject, townHandler, workflows.ReasonArgs{Reason: "仍有异议"}, fengqiao.ECodeNotAllowed),
	)
	h.run(organsPetition(), time.Hour)
	h.wantEvents("petition_objection", "petition_organ_decided")
	if !h.noticed("petition_objection", toOffice) {
		t.Error("an objection goes back to the petition office")
	}
}

// TestXGTL23ObjectionAfterFiveWorkingDaysIsRefused: forwarded on Monday 2 March, the 5 working days end
// on Monday 9 March; an objection on 10 March is refused.
func TestXGTL23ObjectionAfterFiveWorkingDaysIsRefused(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute, h.ok(workflows.UpdateForward, officeClerk, toTownGov()))
	h.at(8*day, h.refused(workflows.UpdateObject, townHandler, workflows.ReasonArgs{Reason: "晚了"}, fengqiao.ECodeNotAllowed))
	h.run(organsPetition(), 9*day)
}

// TestXGTL30PetitionNamingVillageCadresNeverGoesToThatVillage: a petition marked 反映村（社区）干部 is
// refused for the village's own bodies, and the mark stays for later forwards.
func TestXGTL30PetitionNamingVillageCadresNeverGoesToThatVillage(t *testing.T) {
	h := newHarness(t)
	toVillage := workflows.ForwardArgs{Agency: villageCwh.Code, Organ: villageCwh, Superiors: []fengqiao.BodyRef{townGov}, Mode: workflows.ModeForward}
	cadres := toTownGov()
	cadres.VillageCadres = true
	h.at(time.Minute,
		h.refused(workflows.UpdateForward, officeClerk, func() workflows.ForwardArgs { f := toVillage; f.VillageCadres = true; return f }(), fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateForward, officeClerk, cadres),
		h.ok(workflows.UpdateObject, townHandler, workflows.ReasonArgs{Reason: "应由社区处理"}),
		h.refused(workflows.UpdateForward, officeClerk, toVillage, fengqiao.ECodeNotAllowed), // the mark stays
		h.check(func(v view) {
			if !v.Petition.VillageCadres {
				t.Error("the village-cadre mark must stay on the petition")
			}
		}),
	)
	h.run(organsPetition(), time.Hour)
}

// TestRule6PetitionOfficeRefersOutNamingTheLawfulChannel: a matter for the courts is referred out with
// a written notice naming litigation; accusations against officials go to the discipline organs.
func TestRule6PetitionOfficeRefersOutNamingTheLawfulChannel(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.refused(workflows.UpdateReferOut, officeClerk, workflows.ReferOutArgs{Channel: "litigation"}, fengqiao.ECodeInvalid),
		h.refused(workflows.UpdateReferOut, officeClerk, workflows.ReferOutArgs{Channel: "court", Note: "x"}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateReferOut, officeClerk, workflows.ReferOutArgs{Channel: "discipline", Note: "检举控告请向区纪委监委提出"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusReferredOut || v.Petition.ReferredTo != "discipline" {
				t.Errorf("referred out: %s %+v", v.Status, v.Petition)
			}
		}),
	)
	h.run(organsPetition(), time.Hour)
	found := false
	for _, n := range h.notices() {
		found = found || (n.Kind == "referred_out" && n.To.Party != nil && strings.Contains(n.Body, "纪检监察"))
	}
	if !found {
		t.Error("the petitioner must be told the lawful channel in Chinese")
	}
}

// TestXGTL22NotAcceptedWithAWrittenNoticeOfTheReason: the office does not accept, in writing, with
// the reason; the petitioner is told and the matter is released.
func TestXGTL22NotAcceptedWithAWrittenNoticeOfTheReason(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.refused(workflows.UpdateNotAccept, officeClerk, workflows.NotAcceptArgs{Reason: "x"}, fengqiao.ECodeInvalid),
		h.refused(workflows.UpdateNotAccept, officeClerk, workflows.NotAcceptArgs{Ground: "concluded"}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateNotAccept, officeClerk, workflows.NotAcceptArgs{Ground: "concluded", Reason: "该事项已经复核终结"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusClosed || v.Outcome != "not_accepted" {
				t.Errorf("not accepted: %s %s", v.Status, v.Outcome)
			}
		}),
	)
	h.run(organsPetition(), time.Hour)
	if !h.noticed("petition_not_accepted", toParty) || !h.projected(func(p activities.Projection) bool { return p.Release }) {
		t.Error("the petitioner must be told in writing and the matter released")
	}
}

// TestXGTL40PetitionOfficeSupervisesTheOrgan: the office's 督办 is on the timeline and reaches the
// organ's handlers; staff of another organ cannot 督办.
func TestXGTL40PetitionOfficeSupervisesTheOrgan(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.refused(workflows.UpdateSupervise, officeClerk, workflows.NoteArgs{Note: "x"}, fengqiao.ECodeNotAllowed), // nothing to urge yet
		h.ok(workflows.UpdateForward, officeClerk, toTownGov()),
		h.refused(workflows.UpdateSupervise, rsjHandler, workflows.NoteArgs{Note: "催办"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateSupervise, officeClerk, workflows.NoteArgs{Note: "请抓紧受理"}),
		h.check(func(v view) {
			if v.Petition.Supervised != 1 {
				t.Errorf("supervised %d", v.Petition.Supervised)
			}
		}),
	)
	h.run(organsPetition(), time.Hour)
	h.wantEvents("petition_supervised")
	if !h.noticed("supervision", func(r activities.Recipient) bool { return r.Role == fengqiao.RoleHandler && r.Node == township }) {
		t.Error("the organ's handlers must be told of the 督办")
	}
}

// TestXGTL33MediationInsideAPetitionNeedsBothConsentsAndAWrittenAgreement: after the agency accepts, a
// mediator mediates only with both parties' consent, and only a written agreement is recorded.
func TestXGTL33MediationInsideAPetitionNeedsBothConsentsAndAWrittenAgreement(t *testing.T) {
	h := newHarness(t)
	townMed := workflows.Actor{Username: "med.town", Role: fengqiao.RoleMediator, Node: township}
	h.at(time.Minute,
		h.ok(workflows.UpdateForward, officeClerk, toTownGov()),
		h.ok(workflows.UpdateAcceptPetition, townHandler, workflows.NoteArgs{}),
		h.ok(workflows.UpdateAssign, townshipSup, workflows.AssignArgs{Mediator: townMed.Username}),
		h.ok(workflows.UpdateConsent, townshipSup, workflows.ConsentArgs{Party: fengqiao.PartyApplicant, Agrees: true}),
		h.refused(workflows.UpdateAccept, townMed, workflows.NoArgs{}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateConsent, townshipSup, workflows.ConsentArgs{Party: fengqiao.PartyRespondent, Agrees: true}),
		h.ok(workflows.UpdateAccept, townMed, workflows.NoArgs{}),
		h.refused(workflows.UpdateAgreement, townMed, workflows.AgreementArgs{Terms: "补偿", Form: "oral"}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateAgreement, townMed, workflows.AgreementArgs{Terms: "补偿 3 万元", Form: "written", SignedByAll: true}),
		h.ok(workflows.UpdateAnswer, townHandler, func() workflows.AnswerArgs { a := answerArgs("2026-03-02"); a.Decision = "support"; return a }()),
	)
	h.run(organsPetition(), time.Hour)
}

// TestRule8OneStarRatingOfAPetitionChangesNothingButTheRating: a 1-star rating of an answered petition
// records the rating; the petition stays answered with its organ, and no 复查 starts (XGTL 35: only on
// the petitioner's request, recorded by a clerk).
func TestRule8OneStarRatingOfAPetitionChangesNothingButTheRating(t *testing.T) {
	h := newHarness(t)
	var before view
	h.at(time.Minute,
		h.ok(workflows.UpdateForward, officeClerk, toTownGov()),
		h.ok(workflows.UpdateAcceptPetition, townHandler, workflows.NoteArgs{}),
		h.ok(workflows.UpdateAnswer, townHandler, answerArgs("2026-03-02")),
		h.check(func(v view) { before = v }),
		h.ok(workflows.UpdateRating, party, workflows.RatingArgs{Score: 1, Comment: "不满意"}),
		h.check(func(v view) {
			if v.Satisfaction == nil || *v.Satisfaction != 1 {
				t.Errorf("rating not recorded: %v", v.Satisfaction)
			}
			if v.Status != before.Status || v.HandlingNode != before.HandlingNode || v.Petition.Stage != before.Petition.Stage ||
				v.Petition.ReviewLevel != "" || !v.Petition.RequestBy.Equal(*before.Petition.RequestBy) || v.Seq != before.Seq+1 {
				t.Errorf("a rating changed more than the rating: before %s/%s/%s after %s/%s/%s", before.Status, before.HandlingNode,
					before.Petition.Stage, v.Status, v.HandlingNode, v.Petition.Stage)
			}
		}),
		h.ok(workflows.UpdateReview, villageClerk, workflows.ReviewArgs{Level: workflows.LevelReexamine, Reason: "信访人请求复查"}),
	)
	h.run(organsPetition(), time.Hour)
	for _, e := range h.events() {
		if e == "reopened" {
			t.Error("a petition never reopens on a rating")
		}
	}
}

// TestRegisteredAtTheReceivingLevelWhenNoPetitionOfficeWasRouted: without a routed petition office (a
// plain tree), the nearest township or higher node at or above the receiving window acts as the office.
func TestRegisteredAtTheReceivingLevelWhenNoPetitionOfficeWasRouted(t *testing.T) {
	h := newHarness(t)
	in := organsPetition()
	in.Route = nil
	h.at(time.Minute, h.check(func(v view) {
		if v.HandlingNode != township || v.Petition.Office == nil || v.Petition.Office.Code != township || v.Petition.Office.Type != fengqiao.BodyPetitionOffice {
			t.Errorf("registered at %s by %+v", v.HandlingNode, v.Petition.Office)
		}
	}), h.ok(workflows.UpdateForward, workflows.Actor{Username: "clerk.town", Role: fengqiao.RoleClerk, Node: township}, toTownGov()))
	h.run(in, time.Hour)
}
