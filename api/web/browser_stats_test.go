package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fengqiao/demo"
)

// TestBrowserStatsAndAdmin: in headless Chromium, the statistics page draws its trend with both axes,
// tick labels and values and takes a date range; the administrator disables a user after a
// confirmation (whose session then ends) and resets a password to a one-time one that works.
func TestBrowserStatsAndAdmin(t *testing.T) {
	ctx := headless(t)
	e := newEnv(t)
	u := &ui{t: t, ctx: ctx, e: e}

	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	clerk.post("/cases/new", intakeForm("噪音扰民"))

	u.login("sup-county", demo.Password)
	u.open("/stats")
	u.do("the trend chart", chromedp.WaitVisible(chromedp.CSS("#chart-trend svg")))
	axes, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelectorAll("#chart-trend line.axis").length`))
	if err != nil || axes < 2 {
		t.Fatalf("the trend has %v axes: %v", axes, err)
	}
	ticks, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelectorAll("#chart-trend text.tick").length`))
	values, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#chart-trend text.value")).map(t => t.textContent).join(",")`))
	if ticks < 5 || values != "1" {
		t.Fatalf("the trend has %v tick labels and values %q", ticks, values)
	}
	if got := u.text("#kpi-local-share-value"); got != "—" {
		t.Fatalf("镇街及以下化解占比 with nothing resolved = %q", got)
	}
	if def := u.text("#def-local-share"); !strings.Contains(def, "不显示 100%") {
		t.Fatalf("the share has no written definition: %q", def)
	}
	u.shot("10-stats")
	from := time.Now().AddDate(0, -3, 0).Format("2006-01-02")
	to := time.Now().AddDate(0, -2, 0).Format("2006-01-02")
	u.do("choose an earlier period",
		js(`document.getElementById("from").value = "`+from+`"`),
		js(`document.getElementById("to").value = "`+to+`"`),
		chromedp.Click(chromedp.ID("stats-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#from[value="`+from+`"]`)))
	if got := u.text("#kpi-opened-value"); got != "0" {
		t.Fatalf("opened in %s..%s = %s", from, to, got)
	}
	u.shot("10-stats-range")
	u.logout()

	u.login("admin", adminPassword)
	u.open("/admin/users?q=clerk")
	u.do("disable asks first", chromedp.Click(chromedp.ID("disable-clerk")), chromedp.WaitVisible(chromedp.ID("confirm-submit")))
	u.shot("11-admin-confirm-disable")
	u.do("confirm", chromedp.Click(chromedp.ID("confirm-submit")), flash("已停用"))
	u.shot("11-admin-disabled")
	if p := clerk.get("/workbench"); p.url != "/login" {
		t.Fatalf("the disabled user's session still works (at %s)", p.url)
	}
	u.do("enable", chromedp.Click(chromedp.ID("enable-clerk")), flash("已启用"))
	u.do("reset asks first", chromedp.Click(chromedp.ID("reset-clerk")), chromedp.WaitVisible(chromedp.ID("confirm-submit")))
	u.do("confirm the reset", chromedp.Click(chromedp.ID("confirm-submit")), chromedp.WaitVisible(chromedp.ID("one-time-password")))
	pw := u.text("#one-time-password")
	u.shot("11-admin-reset")
	clerk.get("/login")
	if p := clerk.post("/login", url.Values{"username": {"clerk"}, "password": {pw}}); p.url != "/workbench" {
		t.Fatalf("the one-time password does not log in (at %s)", p.url)
	}
}
