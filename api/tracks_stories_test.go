package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/demo"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// The stories of issue #17 (多元化解) through the JSON API, each step by the role that does it: a court
// referral (诉调对接) that ends in an agreement confirmed by the entrusting court, one that fails and
// goes back to that court for filing, and a wage dispute mediated jointly by the county centre with the
// labour and housing bureaus.

const (
	demoCourt   = "330203-FY"      // 海曙区人民法院, the demo court (a court node and a court body)
	tribunal    = "330203001-GLFT" // 鼓楼人民法庭, a basic court's tribunal this file adds at the township
	labourBody  = "330203-RSJ"     // 海曙区人力资源和社会保障局
	housingBody = "330203-ZJJ"     // 海曙区住房和城乡建设局
	medicalBody = "330203-YTW"     // 海曙区医疗纠纷人民调解委员会 (med-ytw mediates for it)
	creditCode  = "91350100M000100Y43"
)

// courtReferral is a neighbours' dispute the demo court entrusts to mediation before filing.
func courtReferral(applicantID, caseNo string) map[string]any {
	body := neighbourDispute("330203001001-01")
	body["kind"], body["channel"], body["court"], body["court_case_no"] = "court_referral", "referral", demoCourt, caseNo
	body["parties"] = []map[string]string{
		{"role": "applicant", "name": "张三", "id_number": applicantID, "phone": "13912345678"},
		{"role": "respondent", "name": "李四"},
	}
	return body
}

// wageDispute is a group of workers' claim against the labour subcontractor of a building site in 孝闻社区.
func wageDispute() map[string]any {
	return map[string]any{
		"kind": "dispute", "channel": "visit", "category": "wage_arrears",
		"summary": "孝闻街某在建工地拖欠十二名农民工工资共计四十六万元", "address": "孝闻街某在建工地",
		"location": "330203001001",
		"parties": []map[string]string{
			{"role": "applicant", "name": "钱大工", "id_number": applicantID, "phone": "13912345678"},
			{"role": "respondent", "kind": "organization", "name": "宁波某建筑劳务有限公司", "credit_code": creditCode,
				"representative": "孙某", "representative_title": "总经理"},
		},
	}
}

// fieldMessage is the message of a problem's field error on field ("" when there is none).
func (r response) fieldMessage(field string) string {
	r.t.Helper()
	fields, _ := r.json()["fields"].([]any)
	for _, f := range fields {
		if m := f.(map[string]any); m["field"] == field {
			s, _ := m["message"].(string)
			return s
		}
	}
	return ""
}

// addStaff creates a user with one grant and logs them in.
func (e *env) addStaff(tok map[string]string, username string, role fengqiao.Role, at string) {
	e.t.Helper()
	e.createUser(username, "pw-"+username)
	e.stack.Grant(e.t, username, role, at)
	tok[username] = e.login(username, "pw-"+username)
}

// TestCourtReferralIsConfirmedOnlyByTheCourtThatEntrustedIt: a court officer entrusts a dispute to
// mediation before filing (委派调解); it is routed like a dispute, to the village committee; the agreement
// goes back to THE SAME court for judicial confirmation — the township's tribunal, competent for an
// ordinary dispute there, is refused naming the entrusting court (民事诉讼法 2023 art. 205(一)) and the
// refusal changes nothing — and that court confirms it.
func TestCourtReferralIsConfirmedOnlyByTheCourtThatEntrustedIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		e.do("POST", "/api/v1/bodies", e.adminToken, map[string]any{"code": tribunal, "name": "海曙区人民法院鼓楼人民法庭",
			"type": "court", "node": "330203001"}).want(201)
		e.addStaff(tok, "judge-gl", fengqiao.RoleCourtOfficer, tribunal)

		t.Run("only an officer of the court entrusts for it", func(t *testing.T) {
			e := e.with(t)
			e.do("POST", "/api/v1/cases", tok["clerk"], courtReferral(otherID, "(2026)浙0203民诉前调99号")).problem(403, fengqiao.ECodeForbidden, "")
			e.do("POST", "/api/v1/cases", tok["judge-gl"], courtReferral(otherID, "(2026)浙0203民诉前调99号")).problem(403, fengqiao.ECodeForbidden, "")
			bad := courtReferral(otherID, "")
			delete(bad, "court")
			e.do("POST", "/api/v1/cases", tok["court"], bad).problem(422, fengqiao.ECodeInvalid, "court")
			if n := len(e.do("GET", "/api/v1/cases", tok["sup-county"], nil).want(200).json()["items"].([]any)); n != 0 {
				t.Fatalf("refused referrals opened %d cases", n)
			}
		})

		c := e.do("POST", "/api/v1/cases", tok["court"], courtReferral(applicantID, "(2026)浙0203民诉前调100号")).want(201).json()
		id := c["id"].(string)
		ref, _ := c["referral"].(map[string]any)
		if c["kind"] != "court_referral" || ref == nil || ref["court"].(map[string]any)["code"] != demoCourt ||
			ref["court_case_no"] != "(2026)浙0203民诉前调100号" {
			t.Fatalf("the referral does not name its court: %v", c)
		}
		// routed like a dispute: the village committee of the dispute's location, its first contact the court
		if c["handling_node"] != "330203001001" || c["tier"] != "village" || c["status"] != "registered" ||
			c["first_contact"].(map[string]any)["user"] != "court" {
			t.Fatalf("routing of the referral: %v", c)
		}
		e.do("GET", "/api/v1/cases/"+id, tok["judge-gl"], nil).problem(404, fengqiao.ECodeNotFound, "")

		e.play(tok, id, []step{
			{"sup-town", "assign", map[string]string{"mediator": "med-village"}, "registered"},
			{"med-village", "accept", nil, "mediating"},
			{"med-village", "sessions", map[string]any{"held_at": "2026-03-03T10:00:00+08:00", "notes": "双方到场，同意赔偿", "outcome": "agreement"}, ""},
			{"med-village", "agreement", map[string]any{"terms": "李四赔偿张三维修费二千元", "form": "written", "signed_by_all": true}, "agreement"},
		})
		before := e.do("GET", "/api/v1/cases/"+id, tok["med-village"], nil).want(200).json()["seq"]

		t.Run("another court is refused with the reason", func(t *testing.T) {
			e := e.with(t)
			res := e.do("POST", "/api/v1/cases/"+id+"/confirmation", tok["med-village"], map[string]any{"court": tribunal, "joint": true})
			res.problem(422, fengqiao.ECodeInvalid, "court")
			if msg := res.fieldMessage("court"); !strings.Contains(msg, "海曙区人民法院") || !strings.Contains(msg, "委派") || !strings.Contains(msg, "第二百零五条") {
				t.Errorf("the refusal does not say which court is competent and why: %q", msg)
			}
			after := e.do("GET", "/api/v1/cases/"+id, tok["med-village"], nil).want(200).json()
			if after["status"] != "agreement" || after["confirmation"] != nil || after["seq"] != before {
				t.Fatalf("the refused application changed the case: %v", after)
			}
		})

		m := e.play(tok, id, []step{
			{"med-village", "confirmation", map[string]any{"court": demoCourt, "joint": true}, "confirmation_pending"},
			{"court", "court-accept", map[string]any{"case_no": "(2026)浙0203民特8号"}, ""},
		})
		if !contains(m["allowed_actions"], "court-decision") {
			t.Fatalf("the entrusting court may not decide: %v", m["allowed_actions"])
		}
		e.do("POST", "/api/v1/cases/"+id+"/court-decision", tok["judge-gl"], map[string]any{"result": "confirmed", "ruling_no": "x"}).
			problem(404, fengqiao.ECodeNotFound, "")
		m = e.play(tok, id, []step{
			{"court", "court-decision", map[string]any{"result": "confirmed", "ruling_no": "(2026)浙0203民特8号"}, "confirmed"},
		})
		ref = m["referral"].(map[string]any)
		conf := m["confirmation"].(map[string]any)
		if ref["returned"] != "confirmation" || conf["court"] != demoCourt || conf["result"] != "confirmed" {
			t.Fatalf("after the decision: referral %v, confirmation %v", ref, conf)
		}
	})
}

// TestFailedCourtReferralReturnsToThatCourtForFilingWithTheRecord: a court referral whose mediation
// fails goes back to the entrusting court for filing (立案) with the mediation record (特邀调解规定 21):
// the case is out of the mediators' hands, the court is told, reads the sessions on the timeline, and
// records the filing; nobody else can, and nothing is filed twice.
func TestFailedCourtReferralReturnsToThatCourtForFilingWithTheRecord(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	tok := e.seedDemo()
	e.stack.App.Notifier.Now = func() time.Time { return time.Now().AddDate(0, 0, 14) } // past any rest day
	id := e.do("POST", "/api/v1/cases", tok["court"], courtReferral(otherID, "(2026)浙0203民诉前调101号")).want(201).json()["id"].(string)
	e.play(tok, id, []step{
		{"sup-town", "assign", map[string]string{"mediator": "med-village"}, "registered"},
		{"med-village", "accept", nil, "mediating"},
	})
	e.do("POST", "/api/v1/cases/"+id+"/court-filing", tok["court"], map[string]any{"case_no": "(2026)浙0203民初1号"}).
		problem(409, fengqiao.ECodeNotAllowed, "")
	m := e.play(tok, id, []step{
		{"med-village", "sessions", map[string]any{"held_at": "2026-03-05T09:30:00+08:00", "notes": "被申请人不同意赔偿，双方分歧较大", "outcome": "failed"}, "referred_out"},
	})
	ref := m["referral"].(map[string]any)
	if ref["returned"] != "filing" || ref["reason"] != "failed" || ref["court"].(map[string]any)["code"] != demoCourt {
		t.Fatalf("the failed referral did not go back to its court: %v", ref)
	}
	if len(m["allowed_actions"].([]any)) != 0 {
		t.Errorf("the mediator still has actions on a case returned to the court: %v", m["allowed_actions"])
	}

	court := e.do("GET", "/api/v1/cases/"+id, tok["court"], nil).want(200).json()
	if !contains(court["allowed_actions"], "court-filing") {
		t.Fatalf("the court may not record the filing: %v", court["allowed_actions"])
	}
	var record, returned bool
	for _, ev := range e.do("GET", "/api/v1/cases/"+id+"/timeline", tok["court"], nil).want(200).json()["items"].([]any) {
		ev := ev.(map[string]any)
		record = record || ev["type"] == "session" && strings.Contains(string(mustJSON(t, ev["detail"])), "分歧较大")
		returned = returned || ev["type"] == "returned_to_court"
	}
	if !record || !returned {
		t.Fatalf("the court does not read the mediation record (session %v) and the return (%v)", record, returned)
	}
	eventually(t, "the court told of the return", func() bool {
		if _, _, err := e.stack.App.Notifier.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, en := range e.do("GET", "/api/v1/inbox", tok["court"], nil).want(200).json()["entries"].([]any) {
			if en := en.(map[string]any); en["kind"] == "returned_to_court" && en["case_id"] == id {
				return true
			}
		}
		return false
	})

	e.do("POST", "/api/v1/cases/"+id+"/court-filing", tok["med-village"], map[string]any{"case_no": "(2026)浙0203民初1号"}).
		problem(403, fengqiao.ECodeForbidden, "")
	e.do("POST", "/api/v1/cases/"+id+"/court-filing", tok["court"], map[string]any{}).problem(422, fengqiao.ECodeInvalid, "case_no")
	m = e.play(tok, id, []step{{"court", "court-filing", map[string]any{"case_no": "(2026)浙0203民初1号"}, "referred_out"}})
	if ref := m["referral"].(map[string]any); ref["filing_no"] != "(2026)浙0203民初1号" || ref["filed_at"] == nil {
		t.Fatalf("the filing is not recorded: %v", ref)
	}
	e.do("POST", "/api/v1/cases/"+id+"/court-filing", tok["court"], map[string]any{"case_no": "(2026)浙0203民初2号"}).
		problem(409, fengqiao.ECodeNotAllowed, "")
}

// jointWageMediation opens the wage dispute and brings it to a joint mediation at the county centre:
// routed to the township committee (the labour rule), escalated by the county supervisor, led by the
// county mediator, with the labour and housing bureaus as co-bodies whose mediators (granted at the
// bureau only) the supervisor names. It returns the case id and the tokens.
func jointWageMediation(e *env) (string, map[string]string) {
	e.t.Helper()
	tok := e.seedDemo()
	e.addStaff(tok, "med-rsj", fengqiao.RoleMediator, labourBody)
	e.addStaff(tok, "med-zjj", fengqiao.RoleMediator, housingBody)
	tok["med-county"] = e.login("med-county", demo.Password)
	tok["med-ytw"] = e.login("med-ytw", demo.Password)
	c := e.do("POST", "/api/v1/cases", tok["clerk"], wageDispute()).want(201).json()
	if c["tier"] != "township" || c["handling_node"] != "330203001" {
		e.t.Fatalf("a wage dispute starts at the township committee: %v", c)
	}
	id := c["id"].(string)
	e.play(tok, id, []step{
		{"sup-county", "escalate", map[string]string{"reason": "群体性欠薪，涉及人社、住建职能，提交区矛调中心联合调解"}, "registered"},
		{"sup-county", "assign", map[string]string{"mediator": "med-county"}, "registered"},
		{"sup-county", "co-body", map[string]string{"op": "add", "body": labourBody}, ""},
		{"sup-county", "co-body", map[string]string{"op": "add", "body": housingBody}, ""},
	})
	return id, tok
}

// TestWageDisputeIsMediatedJointlyEachBureauRecordingItsOwnPart: a wage dispute at a building site is
// mediated jointly by the county centre (lead) with the labour and housing bureaus (联合调解, DESIGN §2):
// each bureau's mediator records their own part and not the other's, all of them read the case and
// find it in their lists, a mediator of a bureau not on the case gets 404, and the lead mediator records
// the agreement with both parts on the case.
func TestWageDisputeIsMediatedJointlyEachBureauRecordingItsOwnPart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		id, tok := jointWageMediation(e)
		e.do("GET", "/api/v1/cases/"+id, tok["med-ytw"], nil).problem(404, fengqiao.ECodeNotFound, "")
		e.do("POST", "/api/v1/cases/"+id+"/joint-part", tok["med-ytw"], map[string]any{"notes": "x"}).problem(404, fengqiao.ECodeNotFound, "")
		e.play(tok, id, []step{
			{"sup-county", "co-mediator", map[string]string{"body": labourBody, "mediator": "med-rsj"}, ""},
			{"sup-county", "co-mediator", map[string]string{"body": housingBody, "mediator": "med-zjj"}, ""},
			{"med-county", "accept", nil, "mediating"},
		})
		if lead := e.do("GET", "/api/v1/cases/"+id, tok["med-county"], nil).want(200).json(); contains(lead["allowed_actions"], "joint-part") {
			t.Fatalf("the lead mediator is offered a co-body's part: %v", lead["allowed_actions"])
		}
		// the labour mediator cannot record the housing bureau's part
		e.do("POST", "/api/v1/cases/"+id+"/joint-part", tok["med-rsj"], map[string]any{"body": housingBody, "notes": "越权记录"}).
			problem(403, fengqiao.ECodeForbidden, "")
		m := e.play(tok, id, []step{
			{"med-rsj", "joint-part", map[string]any{"held_at": "2026-03-04T09:00:00+08:00", "notes": "核实工资清单：十二人，拖欠四十六万元"}, "mediating"},
			{"med-zjj", "joint-part", map[string]any{"body": housingBody, "held_at": "2026-03-04T10:00:00+08:00", "notes": "责令总承包单位动用工资保证金先行垫付"}, "mediating"},
		})
		parts := map[string]string{}
		for _, cb := range m["co_bodies"].([]any) {
			cb := cb.(map[string]any)
			ps, _ := cb["parts"].([]any)
			if len(ps) != 1 {
				t.Fatalf("co-body %v: want one part", cb)
			}
			parts[cb["body"].(map[string]any)["code"].(string)] = ps[0].(map[string]any)["by"].(string)
		}
		if parts[labourBody] != "med-rsj" || parts[housingBody] != "med-zjj" {
			t.Fatalf("parts by body: %v", parts)
		}

		for _, who := range []string{"med-county", "med-rsj", "med-zjj", "sup-county", "clerk"} {
			e.do("GET", "/api/v1/cases/"+id, tok[who], nil).want(200)
		}
		for _, who := range []string{"med-rsj", "med-zjj"} {
			var found bool
			eventually(t, who+" finds the case in their list", func() bool {
				for _, it := range e.do("GET", "/api/v1/cases", tok[who], nil).want(200).json()["items"].([]any) {
					found = found || it.(map[string]any)["id"] == id
				}
				return found
			})
		}
		if items := e.do("GET", "/api/v1/cases", tok["med-ytw"], nil).want(200).json()["items"].([]any); len(items) != 0 {
			t.Fatalf("the medical committee's mediator lists the wage dispute: %v", items)
		}
		// a co-body's mediator records their part, not the lead's agreement
		e.do("POST", "/api/v1/cases/"+id+"/agreement", tok["med-rsj"], map[string]any{"terms": "x", "form": "written", "signed_by_all": true}).
			problem(403, fengqiao.ECodeForbidden, "")
		m = e.play(tok, id, []step{
			{"med-county", "agreement", map[string]any{"terms": "宁波某建筑劳务有限公司于十日内支付拖欠工资四十六万元，总承包单位承担连带责任",
				"form": "written", "signed_by_all": true, "payment_obligation": true}, "agreement"},
		})
		lead, _ := m["handling_body"].(map[string]any)
		if m["handling_node"] != "330203" || lead == nil || lead["name"] == "" {
			t.Fatalf("the lead body of the joint mediation: %v", m["handling_body"])
		}
	})
}

// TestCoBodyMediatorGrantedOnlyAtTheBodyCanBeNamedAndActs: a mediator whose only grant is at a bureau
// (a body code, not a node) can be named the bureau's mediator of a joint mediation (policy's
// CanBeAssigned given the body code) and records the bureau's part; a mediator granted at another body
// cannot be named for it — 422 naming the field, the case unchanged.
func TestCoBodyMediatorGrantedOnlyAtTheBodyCanBeNamedAndActs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		id, tok := jointWageMediation(e)
		if g := e.pol.Grants("med-rsj"); len(g) != 1 || g[0].Node != labourBody {
			t.Fatalf("med-rsj's grants: %v", g)
		}
		// a grant at the bureau covers the bureau, not its seat: med-rsj may mediate for the bureau only
		if !e.pol.CanBeAssigned("med-rsj", policy.CaseRef{HandlingNode: labourBody}) ||
			!e.pol.CanBeAssigned("med-rsj", policy.CaseRef{HandlingNode: "330203", HandlingBody: labourBody}) ||
			e.pol.CanBeAssigned("med-rsj", policy.CaseRef{HandlingNode: "330203", HandlingBody: housingBody}) {
			t.Fatal("CanBeAssigned does not follow med-rsj's grant at the labour bureau")
		}
		before := e.do("GET", "/api/v1/cases/"+id, tok["sup-county"], nil).want(200).json()
		res := e.do("POST", "/api/v1/cases/"+id+"/co-mediator", tok["sup-county"], map[string]string{"body": labourBody, "mediator": "med-ytw"})
		res.problem(422, fengqiao.ECodeInvalid, "mediator")
		if msg := res.fieldMessage("mediator"); !strings.Contains(msg, "海曙区人力资源和社会保障局") {
			t.Errorf("the refusal does not name the body: %q", msg)
		}
		if after := e.do("GET", "/api/v1/cases/"+id, tok["sup-county"], nil).want(200).json(); after["seq"] != before["seq"] {
			t.Fatalf("a refused co-mediator changed the case: %v", after["co_bodies"])
		}
		e.play(tok, id, []step{{"med-county", "accept", nil, "mediating"}})
		// not named yet: the bureau's mediator reads the case (a grant at a co-body) but records nothing
		r := e.do("GET", "/api/v1/cases/"+id, tok["med-rsj"], nil).want(200).json()
		if contains(r["allowed_actions"], "joint-part") {
			t.Fatalf("a mediator no co-body named is offered joint-part: %v", r["allowed_actions"])
		}
		e.do("POST", "/api/v1/cases/"+id+"/joint-part", tok["med-rsj"], map[string]any{"notes": "尚未指派"}).problem(403, fengqiao.ECodeForbidden, "")

		m := e.play(tok, id, []step{
			{"sup-county", "co-mediator", map[string]string{"body": labourBody, "mediator": "med-rsj"}, ""},
		})
		if cb := m["co_bodies"].([]any)[0].(map[string]any); cb["mediator"] != "med-rsj" {
			t.Fatalf("the bureau's mediator: %v", cb)
		}
		r = e.do("GET", "/api/v1/cases/"+id, tok["med-rsj"], nil).want(200).json()
		if !contains(r["allowed_actions"], "joint-part") {
			t.Fatalf("the bureau's mediator may not record their part: %v", r["allowed_actions"])
		}
		m = e.play(tok, id, []step{{"med-rsj", "joint-part", map[string]any{"notes": "人社局劳动保障监察大队核实欠薪事实"}, "mediating"}})
		if ps := m["co_bodies"].([]any)[0].(map[string]any)["parts"].([]any); len(ps) != 1 || ps[0].(map[string]any)["by"] != "med-rsj" {
			t.Fatalf("the bureau's part: %v", ps)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func contains(list any, s string) bool {
	items, _ := list.([]any)
	for _, it := range items {
		if it == s {
			return true
		}
	}
	return false
}
