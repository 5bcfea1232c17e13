package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/demo"

	"github.com/chromedp/chromedp"
)

var regexpNumber = regexp.MustCompile(`<h1>案件 (\S+) <span`)

// riskCase opens a dispute at location as the clerk and has sup mark it a group matter; it returns the
// case id and its number.
func riskCase(t *testing.T, clerk, sup *browser, location, summary, respondent string) (id, number string) {
	t.Helper()
	f := intakeForm(summary)
	f.Set("location", location)
	f.Set("resp_name", respondent)
	clerk.get("/cases/new")
	id = caseIDOf(t, clerk.post("/cases/new", f).want(http.StatusOK).body)
	sup.get("/cases/" + id)
	p := sup.post("/cases/"+id+"/act/risk-mark", url.Values{"group": {"true"}, "reason": {"三十余名业主联名反映"}}).want(http.StatusOK)
	m := regexpNumber.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no case number on %.1000s", p.body)
	}
	return id, m[1]
}

// eventually fetches path until it holds want (the risk board reads the projection, written just after
// an action answers).
func (b *browser) eventually(path string, want string) page {
	b.t.Helper()
	var p page
	for i := 0; i < 50; i++ {
		p = b.get(path).want(http.StatusOK)
		if strings.Contains(p.body, want) {
			return p
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("%s never showed %q: %.2000s", path, want, p.body)
	return p
}

// TestRiskBoardPage: the risk board (rule 9) through the real stack: each supervisor sees the risks of
// their own subtree only, names owners in bulk, and a leader who takes a case is named on the case page,
// the lists and the public page — which shows no risk and no complainant.
func TestRiskBoardPage(t *testing.T) {
	e := newEnv(t)
	e.createUser("sup-south", "south-password", fengqiao.RoleSupervisor, "330203002")
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	town := e.browser(t)
	town.login("sup-town", demo.Password)
	south := e.browser(t)
	south.login("sup-south", "south-password")

	northID, northNo := riskCase(t, clerk, town, "330203001001-01", "小区停车纠纷", "物业公司")
	southID, southNo := riskCase(t, clerk, south, "330203002001-01", "拖欠工资", "某建筑公司")

	t.Run("the board lists only the caller's subtree", func(t *testing.T) {
		town.eventually("/risks", northNo).has("群体性", "重大", `href="/risks"`).lacks(southNo, "张三", "三十余名").translated()
		south.eventually("/risks", southNo).lacks(northNo)
		town.get("/risks?lang=en").want(http.StatusOK).has("Risk board", "group matter").translated()
		town.get("/risks?lang=zh")
		town.get("/risks?node=330203002").want(http.StatusForbidden)
		clerk.get("/risks").want(http.StatusForbidden)
		if strings.Contains(clerk.get("/workbench").body, `href="/risks"`) {
			t.Fatal("a clerk's menu offers the risk board")
		}
	})

	t.Run("statistics count the risks found and open", func(t *testing.T) {
		town.get("/stats").want(http.StatusOK).has(`id="kpi-risks-raised">1<`, `id="kpi-risks-open">1<`, "发现风险").translated()
	})

	t.Run("bulk owner assignment reports per case and names the owner", func(t *testing.T) {
		town.get("/risks").has(`data-typeahead="/typeahead/staff"`, `id="bulk-owner-chosen"`)
		p := town.post("/risks/bulk", url.Values{"kind": {""}, "owner": {"med-village"},
			"case_ids": {northID, northID, southID}}).want(http.StatusOK)
		p.has(`class="ok"`, `class="bad"`, "确定风险责任人")
		if n := strings.Count(p.body, `<li class="`); n != 2 {
			t.Fatalf("%d results for two distinct cases: %.2000s", n, p.body)
		}
		// the owner is named as people know them, never by login
		town.eventually("/risks", "李调解（孝闻社区）").lacks(">med-village<")
		south.get("/risks").lacks("李调解（孝闻社区）", "med-village")
	})

	t.Run("a leader who takes a case is named; the public page shows no risk and no complainant", func(t *testing.T) {
		// the risk owner is found by name (the staff type-ahead), the field keeping the login
		town.get("/cases/" + northID).has(`data-typeahead="/typeahead/staff" data-chosen=`).lacks("（用户名）")
		town.post("/cases/"+northID+"/act/take-case", url.Values{"reason": {"群体性事项，领导包案"}}).want(http.StatusOK).
			has(`id="case-leader"`, "包案领导：周督办（鼓楼街道）", `id="case-risks"`, "群体性")
		town.eventually("/workbench", "包案领导：周督办（鼓楼街道）").has("群体性")
		town.eventually("/risks", "包案领导：周督办（鼓楼街道）")

		receipt := clerk.get("/cases/" + northID + "/receipt").want(http.StatusOK)
		m := queryCodeRe.FindStringSubmatch(receipt.body)
		if m == nil {
			t.Fatalf("no query code: %.1000s", receipt.body)
		}
		anon := e.browser(t)
		anon.get("/public")
		anon.post("/public", url.Values{"code": {m[1]}, "last4": {applicantPhone[7:]}}).want(http.StatusOK).
			has(`id="public-leader"`, "包案领导：周督办（鼓楼街道）").
			lacks("群体性", "风险", "三十余名", "张三", "物业公司", applicantID, "139****5678")
	})
}

// TestRiskBoardRendersOnDesktopAndPhone: the board fits a 1280 px desktop and a 390 px phone without
// scrolling sideways (screenshots in test-output/screenshots).
func TestRiskBoardRendersOnDesktopAndPhone(t *testing.T) {
	ctx := headless(t)
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	town := e.browser(t)
	town.login("sup-town", demo.Password)
	_, number := riskCase(t, clerk, town, "330203001001-01", "小区停车纠纷", "物业公司")
	town.eventually("/risks", number)

	u := &ui{t: t, ctx: ctx, e: e}
	u.login("sup-town", demo.Password)
	for _, size := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			u := &ui{t: t, ctx: ctx, e: e}
			u.do("viewport", chromedp.EmulateViewport(size.w, size.h))
			u.open("/risks")
			if body := u.bodyText(); !strings.Contains(body, number) || !strings.Contains(body, "群体性") {
				t.Fatalf("risk board: %.1500s", body)
			}
			wide, err := chromedp.Run(u.ctx, chromedp.Evaluate[float64]("document.documentElement.scrollWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if wide > float64(size.w) {
				t.Errorf("the board is %v px wide in a %d px window", wide, size.w)
			}
			u.shot("30-risks-" + size.name)
		})
	}
}
