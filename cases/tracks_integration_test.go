package cases_test

import (
	"context"
	"encoding/json"
	"testing"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/store/storetest"
	"fengqiao/workflows"
)

// tracksEnv is the integration environment with the county's bodies: its court (the court node), the
// labour and housing bureaus and the labour arbitration body.
func tracksEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, storetest.SQLite(t))
	for _, b := range []fengqiao.Body{
		{Code: "330203-RS", Name: "海曙区人力资源和社会保障局", Type: fengqiao.BodyAgency, Node: county, Fields: []string{"labour", "wage_arrears"}},
		{Code: "330203-ZJ", Name: "海曙区住房和城乡建设局", Type: fengqiao.BodyAgency, Node: county, Fields: []string{"construction"}},
		{Code: "330203-ZC", Name: "海曙区劳动人事争议仲裁委员会", Type: fengqiao.BodyArbitration, Node: county},
	} {
		if _, err := e.db.CreateBody(context.Background(), b); err != nil {
			t.Fatalf("body %s: %v", b.Code, err)
		}
	}
	return e
}

func courtReferralIntake() cases.OpenRequest {
	in := disputeIntake()
	in.Kind, in.Channel, in.Court, in.CourtCaseNo = fengqiao.KindCourtReferral, fengqiao.ChannelReferral, court, "(2026)浙0203民诉前调100号"
	return in
}

func TestIntegrationCourtReferredDisputeEndsInAnAgreementConfirmedByTheSameCourt(t *testing.T) {
	e := tracksEnv(t)
	v, _, err := e.svc.Open(context.Background(), judge, courtReferralIntake())
	if err != nil {
		t.Fatal(err)
	}
	if v.Referral == nil || v.Referral.Court.Code != court || v.Tier != fengqiao.TierVillage {
		t.Fatalf("court referral routed like a dispute: %+v at %s", v.Referral, v.Tier)
	}
	if row := waitRow(t, e, v); row.Court != court || row.Kind != "court_referral" {
		t.Errorf("projection: court %q kind %q", row.Court, row.Kind)
	}
	act(t, e, villageSup, v.ID, workflows.UpdateAssign, `{"mediator":"med.village"}`)
	act(t, e, villageMed, v.ID, workflows.UpdateAccept, `{}`)
	act(t, e, villageMed, v.ID, workflows.UpdateAgreement, `{"terms":"赔偿 5000 元","form":"written","signed_by_all":true,"payment_obligation":true}`)
	if _, err := e.svc.Act(context.Background(), villageMed, v.ID, workflows.UpdateConfirmation, json.RawMessage(`{"court":"330204C1","joint":true}`)); fengqiao.ErrorCode(err) != fengqiao.ECodeInvalid {
		t.Errorf("another court: %v", err)
	}
	act(t, e, villageMed, v.ID, workflows.UpdateConfirmation, `{"court":"`+court+`","joint":true}`)
	v = act(t, e, judge, v.ID, workflows.UpdateCourtDecision, `{"result":"confirmed","ruling_no":"(2026)浙0203民特8号"}`)
	if v.Status != fengqiao.StatusConfirmed || v.Referral.Returned != "confirmation" {
		t.Errorf("confirmed: %s %+v", v.Status, v.Referral)
	}
	record(t, e, v.ID, "court-referral-agreement-confirmed")
}

func TestIntegrationCourtReferredDisputeThatFailsReturnsToThatCourtForFiling(t *testing.T) {
	e := tracksEnv(t)
	v, _, err := e.svc.Open(context.Background(), judge, courtReferralIntake())
	if err != nil {
		t.Fatal(err)
	}
	act(t, e, villageSup, v.ID, workflows.UpdateAssign, `{"mediator":"med.village"}`)
	act(t, e, villageMed, v.ID, workflows.UpdateAccept, `{}`)
	v = act(t, e, villageMed, v.ID, workflows.UpdateSession, `{"notes":"双方分歧大","outcome":"failed"}`)
	if v.Status != fengqiao.StatusReferredOut || v.Referral.Returned != "filing" {
		t.Fatalf("after failure: %s %+v", v.Status, v.Referral)
	}
	v = act(t, e, judge, v.ID, workflows.UpdateCourtFiling, `{"case_no":"(2026)浙0203民初55号"}`)
	if v.Referral.FilingNo == "" {
		t.Errorf("filing not recorded: %+v", v.Referral)
	}
	record(t, e, v.ID, "court-referral-failure-filing")
}

func TestIntegrationWageDisputeMediatedJointlyByTheCountyCentreWithTheLabourAndHousingBureaus(t *testing.T) {
	e := tracksEnv(t)
	ctx := context.Background()
	in := disputeIntake()
	in.Category, in.Summary = "wage_arrears", "工地拖欠农民工工资"
	v, _, err := e.svc.Open(ctx, countyClerk, in)
	if err != nil {
		t.Fatal(err)
	}
	countyMed := cases.Actor{Username: "med.county", Role: fengqiao.RoleMediator, Node: county}
	labourMed := cases.Actor{Username: "med.labour", Role: fengqiao.RoleMediator, Node: "330203-RS"}
	housingMed := cases.Actor{Username: "med.housing", Role: fengqiao.RoleMediator, Node: "330203-ZJ"}
	// a wage dispute is routed to the township committee (the labour rule): one tier up to the county
	act(t, e, countySup, v.ID, workflows.UpdateEscalate, `{"reason":"群体性欠薪，县级联合调解"}`)
	act(t, e, countySup, v.ID, workflows.UpdateAssign, `{"mediator":"med.county"}`)
	act(t, e, countySup, v.ID, workflows.UpdateCoBody, `{"op":"add","body":"330203-RS","body_ref":{"code":"330203-RS","name":"海曙区人力资源和社会保障局","type":"agency","node":"330203"}}`)
	act(t, e, countySup, v.ID, workflows.UpdateCoBody, `{"op":"add","body":"330203-ZJ","body_ref":{"code":"330203-ZJ","name":"海曙区住房和城乡建设局","type":"agency","node":"330203"}}`)
	act(t, e, countySup, v.ID, workflows.UpdateCoMediator, `{"body":"330203-RS","mediator":"med.labour"}`)
	act(t, e, countySup, v.ID, workflows.UpdateCoMediator, `{"body":"330203-ZJ","mediator":"med.housing"}`)
	act(t, e, countyMed, v.ID, workflows.UpdateAccept, `{}`)
	act(t, e, labourMed, v.ID, workflows.UpdateJointPart, `{"notes":"核实工资清单，拖欠 46 万元"}`)
	act(t, e, housingMed, v.ID, workflows.UpdateJointPart, `{"notes":"责令总包单位动用工资保证金"}`)
	v = act(t, e, countyMed, v.ID, workflows.UpdateAgreement, `{"terms":"总包单位十日内支付 46 万元","form":"written","signed_by_all":true,"payment_obligation":true}`)
	if len(v.CoBodies) != 2 || len(v.CoBodies[0].Parts) != 1 || len(v.CoBodies[1].Parts) != 1 {
		t.Errorf("parts per body: %+v", v.CoBodies)
	}
	if row := waitRow(t, e, v); row.CoBodies != ",330203-RS,330203-ZJ," {
		t.Errorf("projected co-bodies %q", row.CoBodies)
	}
	record(t, e, v.ID, "dispute-joint-mediation")
}
