package workflows_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/workflows"
)

// The bodies of the dispute-track tests, seated at the county.
var (
	labourBureau  = fengqiao.BodyRef{Code: "330203-RS", Name: "海曙区人力资源和社会保障局", Type: fengqiao.BodyAgency, Node: county}
	housingBureau = fengqiao.BodyRef{Code: "330203-ZJ", Name: "海曙区住房和城乡建设局", Type: fengqiao.BodyAgency, Node: county}
	medicalBoard  = fengqiao.BodyRef{Code: "330203-YTW", Name: "海曙区医疗纠纷人民调解委员会", Type: fengqiao.BodyProfessional, Node: county}
	arbitration   = fengqiao.BodyRef{Code: "330203-ZC", Name: "海曙区劳动人事争议仲裁委员会", Type: fengqiao.BodyArbitration, Node: county}
	courtBody     = fengqiao.BodyRef{Code: court, Name: "海曙区人民法院", Type: fengqiao.BodyCourt, Node: county}
	notary        = fengqiao.BodyRef{Code: "330203-GZ", Name: "海曙公证处", Type: fengqiao.BodyNotary, Node: county}

	countyMed  = workflows.Actor{Username: "med.county", Role: fengqiao.RoleMediator, Node: county}
	labourMed  = workflows.Actor{Username: "med.labour", Role: fengqiao.RoleMediator, Node: labourBureau.Code}
	housingMed = workflows.Actor{Username: "med.housing", Role: fengqiao.RoleMediator, Node: housingBureau.Code}
)

// wageDispute is a wage dispute at a construction site in the grid.
func wageDispute() workflows.StartInput {
	in := dispute()
	in.Category, in.Summary = "wage_arrears", "工地拖欠农民工工资"
	in.Arbitration = &arbitration
	return in
}

// courtReferral is a dispute the county court entrusted to mediation before filing (委派调解).
func courtReferral() workflows.StartInput {
	in := dispute()
	in.Kind, in.Channel = fengqiao.KindCourtReferral, fengqiao.ChannelReferral
	in.FirstContact = courtOfficer
	in.Referral = &workflows.Referral{Court: courtBody, CourtCaseNo: "(2026)浙0203民诉前调100号", Officer: courtOfficer.Username}
	return in
}

// toCounty: the county supervisor orders the case up twice (rule 2 (c)) and assigns the county centre's mediator.
func (h *harness) toCounty() []func() {
	return []func(){
		h.ok(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "群体性欠薪，县级联合调解"}),
		h.ok(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "群体性欠薪，县级联合调解"}),
		h.ok(workflows.UpdateAssign, countySup, workflows.AssignArgs{Mediator: countyMed.Username}),
	}
}

// fieldOf is the field a validation refusal names.
func fieldOf(err error) string {
	var ae *temporal.ApplicationError
	var fe []fengqiao.FieldError
	if errors.As(err, &ae) && ae.Details(&fe) == nil && len(fe) > 0 {
		return fe[0].Field
	}
	return ""
}

func TestJointMediationWageDisputeAtTheCountyCentreWithTheLabourAndHousingBureausEachRecordingTheirPart(t *testing.T) {
	h := newHarness(t)
	add := func(b fengqiao.BodyRef) workflows.CoBodyArgs {
		return workflows.CoBodyArgs{Op: "add", Body: b.Code, BodyRef: b}
	}
	h.at(time.Minute,
		// joint mediation is the county centre's: not at the village committee
		h.refused(workflows.UpdateCoBody, villageSup, add(labourBureau), fengqiao.ECodeNotAllowed))
	h.at(time.Hour, h.toCounty()...)
	h.at(2*time.Hour,
		h.refused(workflows.UpdateCoBody, countySup, workflows.CoBodyArgs{Op: "add", Body: "nobody"}, fengqiao.ECodeInvalid),
		h.refused(workflows.UpdateCoBody, countySup, add(arbitration), fengqiao.ECodeInvalid),
		h.refused(workflows.UpdateCoBody, villageMed, add(labourBureau), fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateCoBody, countySup, add(labourBureau)),
		h.ok(workflows.UpdateCoBody, countyMed, add(housingBureau)), // the lead mediator may add one too
		h.refused(workflows.UpdateCoBody, countySup, add(housingBureau), fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateCoMediator, countySup, workflows.CoMediatorArgs{Body: labourBureau.Code, Mediator: labourMed.Username}),
		h.ok(workflows.UpdateCoMediator, countyMed, workflows.CoMediatorArgs{Body: housingBureau.Code, Mediator: housingMed.Username}),
		h.ok(workflows.UpdateAccept, countyMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateJointPart, labourMed, workflows.JointPartArgs{Notes: "核实工资清单，拖欠 46 万元"}),
		h.ok(workflows.UpdateJointPart, housingMed, workflows.JointPartArgs{Notes: "责令总包单位动用工资保证金"}),
		// another body's mediator, or a mediator naming a body that is not theirs, records nothing
		h.refused(workflows.UpdateJointPart, villageMed, workflows.JointPartArgs{Notes: "x"}, fengqiao.ECodeForbidden),
		h.refused(workflows.UpdateJointPart, labourMed, workflows.JointPartArgs{Body: housingBureau.Code, Notes: "x"}, fengqiao.ECodeForbidden),
		h.check(func(v view) {
			if v.Tier != fengqiao.TierCounty || len(v.CoBodies) != 2 {
				t.Fatalf("joint mediation: tier %s, co-bodies %+v", v.Tier, v.CoBodies)
			}
			for _, c := range v.CoBodies {
				if len(c.Parts) != 1 || c.Parts[0].By != c.Mediator {
					t.Errorf("%s: parts %+v by %s", c.Body.Code, c.Parts, c.Mediator)
				}
			}
		}),
		h.ok(workflows.UpdateAgreement, countyMed, workflows.AgreementArgs{Terms: "总包单位十日内支付 46 万元", Form: "written",
			SignedByAll: true, PaymentObligation: true}),
	)
	h.run(wageDispute(), 3*time.Hour)
	h.wantEvents("co_body_added", "co_mediator_assigned", "joint_part", "agreement")
	if !h.projected(func(p activities.Projection) bool { return p.Case.CoBodies == ",330203-RS,330203-ZJ," }) {
		t.Error("the co-bodies are not projected as ,330203-RS,330203-ZJ, (their grants read the case by it)")
	}
	if !h.noticed("co_body", func(r activities.Recipient) bool { return r.Node == labourBureau.Code }) {
		t.Error("the labour bureau was not told it joins the mediation")
	}
	for _, p := range h.proj {
		for _, e := range p.Events {
			if e.Type == "joint_part" && (e.Args["body"] == "" || e.Detail == "") {
				t.Errorf("joint part event without its body or notes: %+v", e)
			}
		}
	}
}

func TestJointMediationRemovedCoBodyAndHandOffToAnAgencyAtTheCountyCentre(t *testing.T) {
	h := newHarness(t)
	h.at(time.Hour, h.toCounty()...)
	h.at(2*time.Hour,
		h.ok(workflows.UpdateCoBody, countySup, workflows.CoBodyArgs{Op: "add", Body: labourBureau.Code, BodyRef: labourBureau}),
		h.refused(workflows.UpdateCoBody, countySup, workflows.CoBodyArgs{Op: "remove", Body: labourBureau.Code}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateCoBody, countySup, workflows.CoBodyArgs{Op: "remove", Body: labourBureau.Code, Reason: "非劳动争议"}),
		h.refused(workflows.UpdateHandOff, countySup, workflows.HandOffArgs{Body: notary.Code, BodyRef: notary, Reason: "x"}, fengqiao.ECodeInvalid),
		h.refused(workflows.UpdateHandOff, countyMed, workflows.HandOffArgs{Body: medicalBoard.Code, BodyRef: medicalBoard, Reason: "x"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateHandOff, countySup, workflows.HandOffArgs{Body: medicalBoard.Code, BodyRef: medicalBoard, Reason: "医疗纠纷，交医调委"}),
		h.check(func(v view) {
			if v.HandedTo == nil || v.HandedTo.Code != medicalBoard.Code || v.Assignee != nil || v.Status != fengqiao.StatusRegistered {
				t.Errorf("after hand-off: %+v assignee %v %s", v.HandedTo, v.Assignee, v.Status)
			}
		}),
		h.refused(workflows.UpdateHandOff, countySup, workflows.HandOffArgs{Body: labourBureau.Code, BodyRef: labourBureau, Reason: "x"}, fengqiao.ECodeNotAllowed),
	)
	h.run(dispute(), 3*time.Hour)
	if !h.projected(func(p activities.Projection) bool {
		return p.Case.HandlingBody == medicalBoard.Code && p.Case.HandlingBodyType == "professional" && p.Case.CoBodies == ""
	}) {
		t.Error("the hand-off is not projected as the new handling body")
	}
}

func TestCourtReferralEndsInAnAgreementConfirmedByTheSameCourt(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.check(func(v view) {
			if v.Kind != fengqiao.KindCourtReferral || v.Tier != fengqiao.TierVillage || v.Referral == nil ||
				v.Deadlines.Statutory.Kind != "court_referral" {
				t.Errorf("court referral routed like a dispute: %s at %s, %+v, clock %s", v.Kind, v.Tier, v.Referral, v.Deadlines.Statutory.Kind)
			}
		}),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "赔偿 5000 元", Form: "written", SignedByAll: true}),
		func() {
			r := h.do(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: otherCourt.Node, Joint: true}, fengqiao.ECodeInvalid)
			h.at(time.Second, func() {
				if fieldOf(r.err) != "court" || !strings.Contains(r.err.Error(), "二百零五") {
					t.Errorf("another court: want a field error on court citing CPL 205, got %v", r.err)
				}
			})
		},
	)
	h.at(time.Hour,
		h.ok(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: court, Joint: true}),
		h.ok(workflows.UpdateCourtDecision, courtOfficer, workflows.CourtDecisionArgs{Result: "confirmed", RulingNo: "(2026)浙0203民特8号"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusConfirmed || v.Referral.Returned != "confirmation" {
				t.Errorf("confirmed by the same court: %s %+v", v.Status, v.Referral)
			}
		}),
	)
	h.run(courtReferral(), 2*time.Hour)
	h.wantEvents("court_referral", "confirmation_applied", "court_confirmed")
	if len(h.proj) == 0 || h.proj[0].Case.Kind != "court_referral" || h.proj[0].Case.Court != court {
		t.Error("the entrusting court must read the case from its first step (projection court)")
	}
}

func TestCourtReferralFailureReturnsToThatCourtForFilingWithTheRecord(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateSession, villageMed, workflows.SessionArgs{Notes: "双方分歧大", Outcome: "failed"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusReferredOut || v.Outcome != "returned_for_filing" || v.Referral.Returned != "filing" || v.Referral.Reason != "failed" {
				t.Errorf("after failure: %s %s %+v", v.Status, v.Outcome, v.Referral)
			}
		}),
		h.refused(workflows.UpdateEscalate, villageMed, workflows.ReasonArgs{Reason: "x"}, fengqiao.ECodeNotAllowed),
		h.refused(workflows.UpdateCourtFiling, otherCourt, workflows.CourtFilingArgs{CaseNo: "x"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateCourtFiling, courtOfficer, workflows.CourtFilingArgs{CaseNo: "(2026)浙0203民初55号"}),
		h.refused(workflows.UpdateCourtFiling, courtOfficer, workflows.CourtFilingArgs{CaseNo: "again"}, fengqiao.ECodeNotAllowed),
	)
	h.run(courtReferral(), time.Hour)
	h.wantEvents("returned_to_court", "court_filed")
	if !h.noticed("returned_to_court", func(r activities.Recipient) bool { return r.Role == fengqiao.RoleCourtOfficer && r.Node == court }) {
		t.Error("the entrusting court was not told to file the case")
	}
}

func TestCourtReferralThirtyDaysExtendableOnBothPartiesConsentThenBackToTheCourt(t *testing.T) {
	h := newHarness(t)
	var due time.Time
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.refused(workflows.UpdateExtend, villageSup, workflows.ExtendArgs{Days: 10, Reason: "鉴定"}, fengqiao.ECodeNotAllowed),
		h.check(func(v view) { due = *v.Deadlines.Statutory.DueAt }),
		h.ok(workflows.UpdateExtend, villageSup, workflows.ExtendArgs{Days: 10, Reason: "双方同意延长", BothPartiesRequested: true}),
		h.check(func(v view) {
			// 30 days from 2 March end on 1 April; 40 end on Saturday 11 April, so on Monday 13 April (民法典 203)
			if got := *v.Deadlines.Statutory.DueAt; !due.Equal(china("2026-04-02 00:00")) || !got.Equal(china("2026-04-14 00:00")) {
				t.Errorf("30 days then +10: %v → %v", due, got)
			}
		}),
	)
	h.at(35*day, h.check(func(v view) {
		if v.Status == fengqiao.StatusReferredOut {
			t.Error("returned before the extended deadline")
		}
	}))
	h.at(44*day, h.check(func(v view) {
		if v.Status != fengqiao.StatusReferredOut || v.Referral.Reason != "expired" {
			t.Errorf("after the extended deadline: %s %+v", v.Status, v.Referral)
		}
	}))
	h.run(courtReferral(), 45*day)
}

func TestLabourMediationPastFifteenDaysGoesToTheArbitrationBody(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute, h.check(func(v view) {
		if v.Deadlines.Statutory.Kind != "labour_mediation" || v.Deadlines.Statutory.DueAt.Sub(v.OpenedAt) > 16*day {
			t.Errorf("labour clock: %+v", v.Deadlines.Statutory)
		}
	}))
	h.at(14*day, h.check(func(v view) {
		if v.Status == fengqiao.StatusReferredOut {
			t.Error("sent to arbitration before fifteen days")
		}
	}))
	h.at(16*day, h.check(func(v view) {
		if v.Status != fengqiao.StatusReferredOut || v.Outcome != "arbitration" || v.HandedTo == nil || v.HandedTo.Code != arbitration.Code {
			t.Errorf("day 16: %s %s %+v", v.Status, v.Outcome, v.HandedTo)
		}
	}))
	h.run(wageDispute(), 17*day)
	h.wantEvents("handed_to_arbitration")
	found := false
	for _, n := range h.notices() {
		if n.Kind == "arbitration" && n.To.Party != nil && strings.Contains(n.Body, arbitration.Name) {
			found = true
		}
	}
	if !found {
		t.Error("the parties were not told the name of the arbitration body")
	}
}

func TestLabourMediationThatFailsGoesToArbitration(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateSession, villageMed, workflows.SessionArgs{Notes: "用工单位拒绝", Outcome: "failed"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusReferredOut || v.HandedTo == nil || v.HandedTo.Type != fengqiao.BodyArbitration {
				t.Errorf("after failure: %s %+v", v.Status, v.HandedTo)
			}
		}),
	)
	h.run(wageDispute(), time.Hour)
}

func TestPML17ARefusingPartyIsNotPutBackIntoMediationOnReopen(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateConsent, villageMed, workflows.ConsentArgs{Party: fengqiao.PartyRespondent, Agrees: false}),
		h.ok(workflows.UpdateRating, party, workflows.RatingArgs{Score: 1, Comment: "没解决"}),
		h.check(func(v view) {
			if v.Status != fengqiao.StatusRegistered || len(v.RefusalOnRecord) != 1 || v.RefusalOnRecord[0] != "respondent" {
				t.Errorf("reopened: %s, refusal on record %v", v.Status, v.RefusalOnRecord)
			}
		}),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.refused(workflows.UpdateAccept, villageMed, workflows.NoArgs{}, fengqiao.ECodeNotAllowed),
		h.ok(workflows.UpdateConsent, villageMed, workflows.ConsentArgs{Party: fengqiao.PartyRespondent, Agrees: true, Note: "重新同意调解"}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
	)
	h.run(dispute(), time.Hour)
}

func TestNotarisationLaw37RefusedForAnAgreementThatIsNoPaymentObligation(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "赔礼道歉，拆除违建", Form: "written", SignedByAll: true}),
		func() {
			r := h.do(workflows.UpdateAlternative, villageMed, workflows.AlternativeArgs{Route: "notarisation", Body: notary.Code, BodyRef: notary}, fengqiao.ECodeInvalid)
			h.at(time.Second, func() {
				if fieldOf(r.err) != "route" || !strings.Contains(r.err.Error(), "公证法") {
					t.Errorf("want a field error on route citing 公证法 37, got %v", r.err)
				}
			})
		},
		h.refused(workflows.UpdateAlternative, villageMed, workflows.AlternativeArgs{Route: "withdrawal"}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateConfirmation, villageMed, workflows.ConfirmationArgs{Court: court, Joint: true}),
	)
	h.run(dispute(), time.Hour)
}
