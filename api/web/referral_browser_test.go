package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fengqiao/demo"

	"github.com/chromedp/chromedp"
)

// TestBrowserCourtReferralAndJointMediation drives issue #17's journeys in headless Chromium. The court
// officer opens 委派调解 from the menu, the court already chosen by name, picks the place with the
// type-ahead and sees the routing preview answer before entrusting the dispute; once mediated, the
// court confirms the agreement from its page. At the county centre the supervisor names the labour
// bureau's mediator by name with the staff type-ahead, and that mediator records the bureau's part.
// The case pages are then looked at on a 390 px phone too: the outcomes are visible and nothing
// scrolls sideways. Screenshots go to test-output/screenshots/ (40-… referral, 41-… joint mediation).
func TestBrowserCourtReferralAndJointMediation(t *testing.T) {
	ctx := headless(t)
	e := newEnv(t)
	u := &ui{t: t, ctx: ctx, e: e}

	// the court officer entrusts a dispute to mediation
	u.login("court", demo.Password)
	u.do("open 委派调解 from the menu", chromedp.Click(chromedp.ID("nav-refer")), chromedp.WaitVisible(chromedp.ID("court_case_no")))
	court, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("court").selectedOptions[0].textContent`))
	if err != nil || court != "海曙区人民法院" || u.value("#court") != demoCourt {
		t.Fatalf("the entrusting court offered is %q (%v)", court, err)
	}
	u.do("fill the referral",
		chromedp.SendKeys(chromedp.ID("court_case_no"), "(2026)浙0203民诉前调100号"),
		js(`document.getElementById("location-q").value = ""`),
		chromedp.SendKeys(chromedp.ID("location-q"), "孝闻社区第一"),
		chromedp.WaitVisible(chromedp.CSS(`#location-q-list li[data-value="330203001001-01"]`)),
		chromedp.Click(chromedp.CSS(`#location-q-list li[data-value="330203001001-01"]`)),
		chromedp.WaitVisible(chromedp.Search(`//span[@id="route-text" and contains(., "村（社区）级")]`)),
		chromedp.SetValue(chromedp.ID("category"), "neighbour"),
		chromedp.SendKeys(chromedp.ID("summary"), "楼上漏水致楼下房屋受损，原告诉请赔偿维修费"),
		chromedp.SendKeys(chromedp.ID("app_name"), "张三"),
		chromedp.SendKeys(chromedp.ID("app_id"), applicantID),
		chromedp.SendKeys(chromedp.ID("app_phone"), applicantPhone),
		chromedp.SendKeys(chromedp.ID("resp_name"), "李四"))
	if preview := u.text("#route-text"); !strings.Contains(preview, "村（社区）级") {
		t.Fatalf("the routing preview for the court officer reads %q", preview)
	}
	u.shot("40-referral-intake")
	u.do("entrust", chromedp.Click(chromedp.ID("intake-submit")), chromedp.WaitVisible(chromedp.ID("query-code")))
	loc := u.location()
	referral := strings.TrimSuffix(loc[strings.Index(loc, "/cases/")+len("/cases/"):], "/receipt")

	// the village mediates it to an agreement, sent to the entrusting court (pages without JavaScript)
	sup := e.browser(t)
	sup.login("sup-town", demo.Password)
	sup.act(referral, "assign", url.Values{"mediator": {"med-village"}}).want(http.StatusOK)
	med := e.browser(t)
	med.login("med-village", demo.Password)
	med.act(referral, "accept", url.Values{}).want(http.StatusOK)
	med.act(referral, "sessions", url.Values{"held_at": {"2026-03-03T10:00"}, "outcome": {"agreement"}, "notes": {"双方到场，同意赔偿"}}).want(http.StatusOK)
	med.act(referral, "agreement", url.Values{"terms": {"李四赔偿张三维修费二千元"}, "form": {"written"}, "signed_by_all": {"true"}}).want(http.StatusOK)
	med.act(referral, "confirmation", url.Values{"court": {demoCourt}, "joint": {"true"}}).want(http.StatusOK)

	u.open("/cases/" + referral)
	if got := u.text("#referral-court"); !strings.Contains(got, "海曙区人民法院") || !strings.Contains(got, "民诉前调100号") {
		t.Fatalf("the entrusting court reads %q", got)
	}
	u.do("the court accepts the application",
		js(`document.getElementById("action-court-accept").open = true`),
		chromedp.SendKeys(chromedp.ID("court-accept-case_no"), "(2026)浙0203民特8号"),
		chromedp.Click(chromedp.ID("do-court-accept")),
		flash("已办理：法院立案"))
	u.do("the court confirms the agreement",
		js(`document.getElementById("action-court-decision").open = true`),
		chromedp.SetValue(chromedp.ID("court-decision-result"), "confirmed"),
		chromedp.SendKeys(chromedp.ID("court-decision-ruling_no"), "(2026)浙0203民特8号"),
		chromedp.Click(chromedp.ID("do-court-decision")),
		flash("已办理：法院裁定"))
	if status, court := u.text("#case-status"), u.text("#confirming-court"); status != "已司法确认" || court != "海曙区人民法院" {
		t.Fatalf("after the decision the case reads %q, confirmed by %q", status, court)
	}
	u.shot("40-referral-confirmed")
	u.logout()

	// a wage dispute mediated jointly at the county centre (set up without JavaScript)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	form := intakeForm("孝闻街某在建工地拖欠十二名农民工工资共计四十六万元")
	form.Set("category", "wage_arrears")
	form.Set("location", "330203001001")
	form.Set("app_id", otherID)
	joint := caseIDOf(t, clerk.post("/cases/new", form).want(http.StatusOK).body)
	county := e.browser(t)
	county.login("sup-county", demo.Password)
	county.act(joint, "escalate", url.Values{"to": {"330203"}, "reason": {"群体性欠薪，提交区矛调中心联合调解"}}).want(http.StatusOK)
	county.act(joint, "assign", url.Values{"mediator": {"med-county"}}).want(http.StatusOK)
	county.act(joint, "co-body", url.Values{"op": {"add"}, "body": {labourBody}}).want(http.StatusOK)
	lead := e.browser(t)
	lead.login("med-county", demo.Password)

	u.login("sup-county", demo.Password)
	u.open("/cases/" + joint)
	u.do("name the labour bureau's mediator by name",
		chromedp.WaitNotVisible(chromedp.ID("co-mediator-330203-RSJ")),
		chromedp.SendKeys(chromedp.ID("co-mediator-330203-RSJ-q"), "钱专员"),
		chromedp.WaitVisible(chromedp.CSS(`#co-mediator-330203-RSJ-q-list li[data-value="rsj-med"]`)),
		chromedp.Click(chromedp.CSS(`#co-mediator-330203-RSJ-q-list li[data-value="rsj-med"]`)),
		chromedp.Click(chromedp.ID("do-co-mediator-330203-RSJ")),
		flash("已办理：指定协办单位调解员"))
	if got := u.text("#co-body-330203-RSJ .co-mediator"); got != "钱专员（区人社局）" {
		t.Fatalf("the labour bureau's mediator reads %q", got)
	}
	u.shot("41-joint-case-supervisor")
	u.logout()
	lead.act(joint, "accept", url.Values{}).want(http.StatusOK)

	u.login("rsj-med", demo.Password)
	u.open("/cases/" + joint)
	u.do("record the labour bureau's part",
		js(`document.getElementById("action-joint-part").open = true`),
		chromedp.SendKeys(chromedp.ID("joint-part-notes"), "核实工资清单：十二人，拖欠四十六万元"),
		chromedp.Click(chromedp.ID("do-joint-part")),
		flash("已办理：记录本单位调解情况"))
	if got := u.text("#co-body-330203-RSJ .parts"); !strings.Contains(got, "核实工资清单") {
		t.Fatalf("the labour bureau's part reads %q", got)
	}
	u.shot("41-joint-part-desktop")

	for _, look := range []struct{ user, id, sel, want, shot string }{
		{"rsj-med", joint, "#co-body-330203-RSJ", "核实工资清单", "41-joint-part-phone"},
		{"court", referral, "#case-status", "已司法确认", "40-referral-confirmed-phone"},
	} {
		t.Run("phone "+look.shot, func(t *testing.T) {
			u := &ui{t: t, ctx: ctx, e: e}
			u.do("phone viewport", chromedp.EmulateViewport(390, 844))
			if look.user == "court" {
				u.logout()
				u.login("court", demo.Password)
			}
			u.open("/cases/" + look.id)
			if got := u.text(look.sel); !strings.Contains(got, look.want) {
				t.Fatalf("%s reads %q on a phone", look.sel, got)
			}
			wide, err := chromedp.Run(u.ctx, chromedp.Evaluate[float64]("document.documentElement.scrollWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if wide > 390 {
				t.Errorf("the case page is %v px wide on a 390 px phone", wide)
			}
			u.shot(look.shot)
		})
	}
}
