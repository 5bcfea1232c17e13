package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/demo"
)

// The journeys of issue #17 on the pages: a court officer entrusts a dispute to mediation (委派调解)
// choosing the court by name, and the outcome goes back to that court; the county centre mediates a
// wage dispute jointly with the labour and housing bureaus, each bureau's mediator recording only its
// own part.

const (
	demoCourt   = "330203-FY"      // 海曙区人民法院 (the demo court: a court node and a court body)
	tribunal    = "330203001-GLFT" // 鼓楼人民法庭, a tribunal these tests seat at the township
	labourBody  = "330203-RSJ"     // 海曙区人力资源和社会保障局 (rsj-med mediates for it)
	housingBody = "330203-ZJJ"     // 海曙区住房和城乡建设局 (zjj-med mediates for it)
	otherID     = "110105195001010012"
)

// addTribunal seats the township's tribunal and gives it an officer, judge-gl.
func (e *env) addTribunal() {
	e.t.Helper()
	ctx := context.Background()
	b, err := e.db.CreateBody(ctx, fengqiao.Body{Code: tribunal, Name: "海曙区人民法院鼓楼人民法庭", Type: fengqiao.BodyCourt, Node: "330203001"})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.pol.BodyAdded(ctx, b); err != nil {
		e.t.Fatal(err)
	}
	e.createUser("judge-gl", "judge-password", fengqiao.RoleCourtOfficer, tribunal)
}

// referralForm is a neighbours' dispute in 孝闻社区第一网格 that court entrusts to mediation.
func referralForm(court, caseNo, applicant string) url.Values {
	return url.Values{
		"kind": {"court_referral"}, "channel": {"referral"}, "court": {court}, "court_case_no": {caseNo},
		"category": {"neighbour"}, "summary": {"楼上漏水致楼下房屋受损，原告诉请赔偿维修费"},
		"location": {"330203001001-01"},
		"app_name": {"张三"}, "app_id": {applicant}, "app_phone": {applicantPhone},
		"resp_name": {"李四"},
	}
}

// act submits an action form of the case page (the page is fetched first, for its token).
func (b *browser) act(id, action string, form url.Values) page {
	b.t.Helper()
	b.get("/cases/" + id)
	return b.post("/cases/"+id+"/act/"+action, form)
}

// TestCourtReferralOnThePagesGoesBackToTheEntrustingCourt: a court officer opens a court referral from
// the menu 委派调解, choosing the entrusting court by name among their own (the routing preview answers
// them); it is routed like a dispute; the agreement can be sent for confirmation to that court only —
// the township's tribunal is refused with the reason and is not offered — and that court confirms it
// on its page, while the tribunal's officer neither reads nor decides it. A referral whose mediation
// fails goes back to the entrusting court for filing: its page says 退回委派法院立案 (not 已导入法定
// 途径) and offers the court the filing, which it records.
func TestCourtReferralOnThePagesGoesBackToTheEntrustingCourt(t *testing.T) {
	e := newEnv(t)
	e.addTribunal()
	court := e.browser(t)
	court.login("court", demo.Password)

	t.Run("the officer's menu leads to the referral form, the court chosen by name", func(t *testing.T) {
		wb := court.get("/workbench").want(http.StatusOK).has(`id="nav-refer"`, ">委派调解<")
		if strings.Contains(wb.body, `href="/cases/new"`) {
			t.Fatal("a court officer is offered the clerks' intake")
		}
		court.get("/cases/new?kind=court_referral").want(http.StatusOK).translated().
			has("委派调解登记", `<select id="court" name="court" required><option value="330203-FY">海曙区人民法院</option></select>`,
				`name="court_case_no"`, `<input type="hidden" id="kind" name="kind" value="court_referral">`).
			lacks(`name="on_spot"`, "鼓楼人民法庭")
		judge := e.browser(t)
		judge.login("judge-gl", "judge-password")
		judge.get("/cases/new").want(http.StatusOK).has(`<option value="330203001-GLFT">海曙区人民法院鼓楼人民法庭</option>`).
			lacks(`<option value="330203-FY">`)
	})

	t.Run("the routing preview answers the court officer", func(t *testing.T) {
		q := "/cases/new/route?kind=court_referral&category=neighbour&location=330203001001-01&channel=referral&court=" + demoCourt
		res := court.get(q).want(http.StatusOK)
		var out struct {
			Text string `json:"text"`
			Tier string `json:"tier"`
		}
		if err := json.Unmarshal([]byte(res.body), &out); err != nil || out.Tier != "village" || !strings.Contains(out.Text, "将分流至") {
			t.Fatalf("preview for the court: %v %s", err, res.body)
		}
		clerk := e.browser(t)
		clerk.login("clerk", demo.Password)
		clerk.get(q).want(http.StatusForbidden)
	})

	t.Run("another court's officer cannot entrust for this court", func(t *testing.T) {
		judge := e.browser(t)
		judge.login("judge-gl", "judge-password")
		judge.get("/cases/new?kind=court_referral")
		judge.post("/cases/new", referralForm(demoCourt, "(2026)浙0203民诉前调98号", otherID)).want(http.StatusForbidden)
	})

	court.get("/cases/new?kind=court_referral")
	receipt := court.post("/cases/new", referralForm(demoCourt, "(2026)浙0203民诉前调100号", applicantID)).want(http.StatusOK)
	id := caseIDOf(t, receipt.body)
	court.eventually("/workbench", "/cases/"+id).has("本院委派调解（调解中）")
	t.Run("the court is shown the applicant's open referral without buttons to record a visit it may not record", func(t *testing.T) {
		f := referralForm(demoCourt, "(2026)浙0203民诉前调99号", applicantID)
		f.Set("check", "1")
		court.get("/cases/new?kind=court_referral")
		court.post("/cases/new", f).want(http.StatusOK).translated().
			has(`id="candidates"`, "/cases/"+id, "请与承办单位联系").lacks("/act/visits", `class="record-candidate"`)
	})
	court.get("/cases/"+id).want(http.StatusOK).translated().
		has(`id="case-status">已登记<`, `id="referral-court">海曙区人民法院 <small>(2026)浙0203民诉前调100号</small>`,
			`id="confirming-court">海曙区人民法院<`, "委派调解", "孝闻社区")

	sup := e.browser(t)
	sup.login("sup-town", demo.Password)
	sup.act(id, "assign", url.Values{"mediator": {"med-village"}}).want(http.StatusOK)
	med := e.browser(t)
	med.login("med-village", demo.Password)
	med.act(id, "accept", url.Values{}).want(http.StatusOK)
	med.act(id, "sessions", url.Values{"held_at": {"2026-03-03T10:00"}, "outcome": {"agreement"}, "notes": {"双方到场，同意赔偿"}}).want(http.StatusOK)
	med.act(id, "agreement", url.Values{"terms": {"李四赔偿张三维修费二千元"}, "form": {"written"}, "signed_by_all": {"true"}}).
		want(http.StatusOK).has(`id="case-status">已达成协议<`)

	t.Run("the agreement goes to the entrusting court only", func(t *testing.T) {
		p := med.get("/cases/" + id).want(http.StatusOK)
		p.has(`<select id="confirmation-court" name="court" required><option value="330203-FY">海曙区人民法院</option></select>`).lacks(tribunal)
		med.post("/cases/"+id+"/act/confirmation", url.Values{"court": {tribunal}, "joint": {"true"}}).
			want(http.StatusUnprocessableEntity).has("委派调解", "第二百零五条")
		med.get("/cases/" + id).want(http.StatusOK).has(`id="case-status">已达成协议<`)
	})

	med.act(id, "confirmation", url.Values{"court": {demoCourt}, "joint": {"true"}}).want(http.StatusOK).has(`id="case-status">司法确认中<`)
	court.get("/workbench").want(http.StatusOK).has(id)

	t.Run("another court's officer neither reads nor decides it", func(t *testing.T) {
		judge := e.browser(t)
		judge.login("judge-gl", "judge-password")
		judge.get("/cases/" + id).want(http.StatusNotFound)
		judge.get("/workbench")
		judge.post("/cases/"+id+"/act/court-accept", url.Values{"case_no": {"(2026)浙0203民特9号"}}).want(http.StatusNotFound)
	})

	court.act(id, "court-accept", url.Values{"case_no": {"(2026)浙0203民特8号"}}).want(http.StatusOK)
	court.act(id, "court-decision", url.Values{"result": {"confirmed"}, "ruling_no": {"(2026)浙0203民特8号"}}).
		want(http.StatusOK).has(`id="case-status">已司法确认<`, `id="confirming-court">海曙区人民法院<`).translated()

	t.Run("a failed referral goes back to the entrusting court for filing", func(t *testing.T) {
		court.get("/cases/new?kind=court_referral")
		failed := caseIDOf(t, court.post("/cases/new", referralForm(demoCourt, "(2026)浙0203民诉前调101号", otherID)).want(http.StatusOK).body)
		sup.act(failed, "assign", url.Values{"mediator": {"med-village"}}).want(http.StatusOK)
		med.act(failed, "accept", url.Values{}).want(http.StatusOK)
		med.act(failed, "sessions", url.Values{"held_at": {"2026-03-05T09:30"}, "outcome": {"failed"}, "notes": {"被申请人不同意赔偿，双方分歧较大"}}).
			want(http.StatusOK).has(`id="case-status">退回委派法院立案<`).lacks("已导入法定途径", `id="action-`)

		page := court.get("/cases/" + failed).want(http.StatusOK).translated()
		page.has(`id="case-status">退回委派法院立案<`, `id="action-court-filing"`, "分歧较大").lacks("已导入法定途径")
		if wb := court.get("/workbench").want(http.StatusOK); !strings.Contains(wb.body, "委派调解退回待立案") || !strings.Contains(wb.body, failed) ||
			strings.Contains(wb.body, "已导入法定途径") {
			t.Fatalf("the court's workbench does not list the returned referral by its status: %.3000s", wb.body)
		}
		med.get("/cases/" + failed).want(http.StatusOK).lacks(`id="action-court-filing"`)
		court.act(failed, "court-filing", url.Values{"case_no": {"(2026)浙0203民初1号"}}).want(http.StatusOK).
			has(`id="case-status">委派法院已立案<`, "已立案：(2026)浙0203民初1号").lacks(`id="action-court-filing"`)
		// filed, it leaves the court's 待立案 list
		if wb := court.get("/workbench").want(http.StatusOK); strings.Contains(wb.body, "/cases/"+failed) {
			t.Errorf("the court's workbench still lists the filed referral %s among those waiting for filing", failed)
		}
	})
}

// TestJointMediationOnThePagesEachBodyActsOnItsOwnPart: a wage dispute climbs from the township to the
// county centre, the county supervisor choosing the target by name (the case's own ladder, no typed
// code) and the lead mediator from the people who may be assigned it; the labour and housing bureaus
// join as co-bodies chosen by name, each with a mediator chosen among those who may act for that bureau
// (the staff type-ahead filtered to the bureau offers the same); each bureau's mediator is offered the
// joint-part form for their own bureau only and records it, cannot record the other's, the lead
// mediator is offered no part, and a mediator of a body not on the case gets 404.
func TestJointMediationOnThePagesEachBodyActsOnItsOwnPart(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	clerk.post("/cases/new", intakeForm("楼上漏水")).want(http.StatusOK) // the applicant's other open matter
	clerk.get("/cases/new")
	form := intakeForm("孝闻街某在建工地拖欠十二名农民工工资共计四十六万元")
	form.Set("category", "wage_arrears")
	form.Set("location", "330203001001")
	id := caseIDOf(t, clerk.post("/cases/new", form).want(http.StatusOK).body)
	t.Run("one person's several matters reads as its name", func(t *testing.T) {
		p := clerk.get("/cases/" + id).want(http.StatusOK)
		risks := p.body[strings.Index(p.body, `id="case-risks"`):]
		risks = risks[:strings.Index(risks, "</ul>")]
		if !strings.Contains(risks, "一人多事") || strings.Contains(risks, "several_matters<") {
			t.Fatalf("the case's risks read %s", risks)
		}
	})

	sup := e.browser(t)
	sup.login("sup-county", demo.Password)
	sup.get("/cases/"+id).want(http.StatusOK).
		has(`<select id="escalate-to" name="to">`, `<option value="330203">上一级：海曙区 · 县级</option>`).
		lacks(`<input id="escalate-to"`)
	sup.act(id, "escalate", url.Values{"to": {"330203"}, "reason": {"群体性欠薪，涉及人社、住建职能，提交区矛调中心联合调解"}}).want(http.StatusOK)

	t.Run("the mediator is chosen among those who may be assigned the case", func(t *testing.T) {
		p := sup.get("/cases/" + id).want(http.StatusOK)
		p.has(`data-typeahead="/typeahead/staff?role=mediator&amp;enabled=1&amp;case=`+id+`"`, `value="med-county">赵调解（海曙区） · med-county</option>`).
			lacks(`value="med-village"`, `value="rsj-med"`, `value="med-south"`)
		p.has(`<select id="return-to" name="to"`, `<option value="330203001">鼓楼街道 · 镇（街道）级</option>`)
	})
	sup.act(id, "assign", url.Values{"mediator": {"med-county"}}).want(http.StatusOK)

	t.Run("the co-bodies are chosen by name", func(t *testing.T) {
		sup.get("/cases/"+id).want(http.StatusOK).
			has(`<select id="co-body-body" name="body" required>`, `<option value="330203-RSJ">海曙区人力资源和社会保障局（行政机关）</option>`).
			lacks(`<option value="330203-FY">`, `<option value="330203-TJZX">`)
	})
	sup.act(id, "co-body", url.Values{"op": {"add"}, "body": {labourBody}}).want(http.StatusOK)
	sup.act(id, "co-body", url.Values{"op": {"add"}, "body": {housingBody}}).want(http.StatusOK)

	t.Run("each bureau's mediator is chosen among those who act for it", func(t *testing.T) {
		p := sup.get("/cases/" + id).want(http.StatusOK).translated()
		p.has(`id="co-body-330203-RSJ"`, `<select id="co-mediator-330203-RSJ" name="mediator" required><option value="rsj-med">钱专员（区人社局） · rsj-med</option>`,
			`<select id="co-mediator-330203-ZJJ" name="mediator" required><option value="zjj-med">孙专员（区住建局） · zjj-med</option>`,
			`data-typeahead="/typeahead/staff?role=mediator&amp;enabled=1&amp;body=330203-RSJ"`).
			lacks(`id="action-co-mediator"`)
		rsj := p.body[strings.Index(p.body, `id="co-mediator-330203-RSJ"`):strings.Index(p.body, `id="co-body-330203-ZJJ"`)]
		if strings.Contains(rsj, "zjj-med") || strings.Contains(rsj, "med-ytw") {
			t.Fatalf("the labour bureau's mediator may be chosen among those of other bodies: %s", rsj)
		}
		var got struct {
			Items []struct{ Value string } `json:"items"`
		}
		res := sup.get("/typeahead/staff?q=" + url.QueryEscape("专员") + "&role=mediator&enabled=1&body=" + labourBody).want(http.StatusOK)
		if err := json.Unmarshal([]byte(res.body), &got); err != nil || len(got.Items) != 1 || got.Items[0].Value != "rsj-med" {
			t.Fatalf("the type-ahead of the labour bureau's mediators: %v %s", err, res.body)
		}
	})
	sup.act(id, "co-mediator", url.Values{"body": {labourBody}, "mediator": {"rsj-med"}}).want(http.StatusOK)
	sup.act(id, "co-mediator", url.Values{"body": {housingBody}, "mediator": {"zjj-med"}}).want(http.StatusOK).
		has(`id="co-body-330203-ZJJ"`, "孙专员（区住建局）")
	lead := e.browser(t)
	lead.login("med-county", demo.Password)
	lead.act(id, "accept", url.Values{}).want(http.StatusOK).lacks(`id="action-joint-part"`)

	labour := e.browser(t)
	labour.login("rsj-med", demo.Password)
	labour.eventually("/workbench", "/cases/"+id).has("联合调解（本单位参加）")
	if wb := lead.get("/workbench").want(http.StatusOK); strings.Contains(wb.body, "联合调解（本单位参加）") {
		t.Error("the lead mediator, granted at a node, is shown a co-body's list")
	}
	t.Run("the labour bureau's mediator records the labour bureau's part only", func(t *testing.T) {
		p := labour.get("/cases/" + id).want(http.StatusOK).translated()
		p.has(`id="action-joint-part"`, `<input type="hidden" id="joint-part-body" name="body" value="330203-RSJ">`).
			lacks(`id="action-agreement"`, `value="330203-ZJJ">`, `id="co-mediator-330203-RSJ"`)
		labour.post("/cases/"+id+"/act/joint-part", url.Values{"body": {housingBody}, "held_at": {"2026-03-04T09:00"}, "notes": {"越权记录"}}).
			want(http.StatusForbidden)
		labour.act(id, "joint-part", url.Values{"body": {labourBody}, "held_at": {"2026-03-04T09:00"}, "notes": {"核实工资清单：十二人，拖欠四十六万元"}}).
			want(http.StatusOK).has("核实工资清单").lacks("越权记录")
	})

	housing := e.browser(t)
	housing.login("zjj-med", demo.Password)
	housing.act(id, "joint-part", url.Values{"body": {housingBody}, "held_at": {"2026-03-04T10:00"}, "notes": {"责令总承包单位动用工资保证金先行垫付"}}).
		want(http.StatusOK).has("责令总承包单位")

	t.Run("a mediator of a body not on the case gets no form and 404", func(t *testing.T) {
		ytw := e.browser(t)
		ytw.login("med-ytw", demo.Password)
		ytw.get("/cases/" + id).want(http.StatusNotFound)
		ytw.get("/workbench")
		ytw.post("/cases/"+id+"/act/joint-part", url.Values{"notes": {"x"}}).want(http.StatusNotFound)
	})

	p := sup.get("/cases/" + id).want(http.StatusOK)
	labourPart := p.body[strings.Index(p.body, `id="co-body-330203-RSJ"`):strings.Index(p.body, `id="co-body-330203-ZJJ"`)]
	if !strings.Contains(labourPart, "核实工资清单") || strings.Contains(labourPart, "责令总承包单位") || !strings.Contains(labourPart, "钱专员（区人社局）") {
		t.Fatalf("the labour bureau's entry does not show its own mediator and part only: %s", labourPart)
	}
	p.has(`id="handling-body">海曙区社会矛盾纠纷调处化解中心`)

	t.Run("a co-body leaves the mediation, chosen by name, its part kept", func(t *testing.T) {
		sup.act(id, "co-body", url.Values{"op": {"remove"}, "body": {housingBody}, "reason": {"住建局职能部分已完成"}, "confirm": {"yes"}}).
			want(http.StatusOK).has(`id="co-body-330203-ZJJ"`, "已退出", "责令总承包单位")
		housing.get("/cases/" + id).want(http.StatusNotFound)
	})
	t.Run("in English", func(t *testing.T) {
		en := e.browser(t)
		en.login("sup-county", demo.Password)
		en.get("/cases/"+id+"?lang=en").want(http.StatusOK).translated().
			has("Joint mediation: co-bodies", "Handling body", "one tier up", "mediator: ").lacks(">joint.", ">ladder.", ">refer.")
		court := e.browser(t)
		court.login("court", demo.Password)
		court.get("/cases/new?kind=court_referral&lang=en").want(http.StatusOK).translated().
			has("Entrust a dispute to mediation", "Entrusting court", "Pre-filing number").lacks(">refer.", ">nav.refer")
	})
}
