package web_test

import (
	"strings"
	"testing"

	"fengqiao/demo"

	"github.com/chromedp/chromedp"
)

// TestBrowserTypeaheadPicksTheIntakeLocationAndAGrantsTarget: in headless Chromium the county clerk's
// intake starts at the county; typing 鼓楼 into the location offers 鼓楼街道, choosing it refreshes the
// route preview, and the case registered is at 鼓楼街道. On the admin page the grant's user and
// jurisdiction are picked the same way, by name, and the grant is made.
func TestBrowserTypeaheadPicksTheIntakeLocationAndAGrantsTarget(t *testing.T) {
	ctx := headless(t)
	e := newEnv(t)
	u := &ui{t: t, ctx: ctx, e: e}
	u.login("clerk", demo.Password)
	u.open("/cases/new")
	if got := u.value("#location-q"); got != "海曙区" {
		t.Fatalf("the location starts at %q, want the clerk's own 海曙区", got)
	}
	u.do("the select is hidden behind the type-ahead", chromedp.WaitNotVisible(chromedp.ID("location")))
	u.do("type 鼓楼",
		js(`document.getElementById("location-q").value = ""`),
		chromedp.SendKeys(chromedp.ID("location-q"), "鼓楼"),
		chromedp.WaitVisible(chromedp.CSS(`#location-q-list li[data-value="330203001"]`)))
	if first := u.text(`#location-q-list li:first-child span`); first != "鼓楼街道" {
		t.Fatalf("first offered %q, want 鼓楼街道", first)
	}
	u.shot("03b-intake-typeahead")
	u.do("choose 鼓楼街道",
		chromedp.Click(chromedp.CSS(`#location-q-list li[data-value="330203001"]`)),
		chromedp.WaitNotVisible(chromedp.ID("location-q-list")),
		chromedp.WaitVisible(chromedp.Search(`//span[@id="route-text" and contains(., "鼓楼街道")]`)))
	if got := u.value("#location"); got != "330203001" {
		t.Fatalf("the form's location is %q after choosing 鼓楼街道", got)
	}
	u.do("fill the rest and register",
		chromedp.SetValue(chromedp.ID("category"), "neighbour"),
		chromedp.SendKeys(chromedp.ID("summary"), "街道辖区内两户因排水管道漏水起纠纷"),
		chromedp.SendKeys(chromedp.ID("app_name"), "王五"),
		chromedp.SendKeys(chromedp.ID("app_id"), applicantID),
		chromedp.SendKeys(chromedp.ID("app_phone"), applicantPhone),
		chromedp.SendKeys(chromedp.ID("resp_name"), "赵六"),
		chromedp.Click(chromedp.ID("intake-submit")),
		chromedp.WaitVisible(chromedp.ID("query-code")))
	loc := u.location()
	id := strings.TrimSuffix(loc[strings.Index(loc, "/cases/")+len("/cases/"):], "/receipt")
	row, err := e.db.Case(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if row.Location != "330203001" || !strings.HasPrefix(row.HandlingPath, "/330200/330203/330203001/") {
		t.Fatalf("registered at %s, handled at %s: want 鼓楼街道", row.Location, row.HandlingPath)
	}
	u.logout()

	u.login("admin", adminPassword)
	u.open("/admin/grants")
	u.do("pick the user by name",
		chromedp.SendKeys(chromedp.ID("g-username"), "李调解"),
		chromedp.WaitVisible(chromedp.CSS(`#g-username-list li[data-value="med-village"]`)),
		chromedp.Click(chromedp.CSS(`#g-username-list li[data-value="med-village"]`)),
		chromedp.SetValue(chromedp.ID("g-role"), "auditor"),
		chromedp.SendKeys(chromedp.ID("g-node"), "秀水"),
		chromedp.WaitVisible(chromedp.CSS(`#g-node-list li[data-value="330203001002"]`)),
		chromedp.Click(chromedp.CSS(`#g-node-list li[data-value="330203001002"]`)))
	if user, node := u.value("#g-username"), u.value("#g-node"); user != "med-village" || node != "330203001002" {
		t.Fatalf("the grant form holds %q at %q, want med-village at 330203001002", user, node)
	}
	if chosen := u.text("#g-node-chosen"); !strings.Contains(chosen, "秀水社区") {
		t.Fatalf("the chosen jurisdiction is shown as %q", chosen)
	}
	u.shot("09-admin-grant-typeahead")
	u.do("grant", chromedp.Click(chromedp.ID("grant-submit")), flash("已授予"))
}

// value is the value of the form field sel.
func (u *ui) value(sel string) string {
	u.t.Helper()
	s, err := chromedp.Run(u.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		u.t.Fatalf("value of %s: %v", sel, err)
	}
	return s
}
