package web_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/demo"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// screenshotDir is where the browser tests leave screenshots for a person to look at (git ignores
// /test-output/).
var screenshotDir = filepath.Join("..", "..", "test-output", "screenshots")

// chromium returns the path of a Chromium (or Chrome) binary, or "" when there is none.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// headless starts a headless Chromium for the test and returns its context.
func headless(t *testing.T) context.Context {
	t.Helper()
	bin := chromium()
	if bin == "" {
		t.Skip("browser tests skipped: no chromium binary on PATH (Debian: apt-get install -y chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // start the browser with a context that has no timeout
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// ui drives one browser tab against the env.
type ui struct {
	t   *testing.T
	ctx context.Context
	e   *env
}

// do runs steps with a time limit, failing the test with what was being done.
func (u *ui) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(u.ctx, chromedp.Location())
		body, _ := chromedp.Run(u.ctx, chromedp.Evaluate[string]("document.body ? document.body.innerText : ''"))
		u.t.Fatalf("%s: %v (at %s)\n%.1500s", what, err, loc, body)
	}
}

// flash waits for the page's confirmation to contain text (a new page, not the one clicked on).
func flash(text string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "` + text + `")]`))
}

// js runs a JavaScript statement in the page.
func js(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](expr+"; null")(ctx, t)
		if errors.Is(err, chromedp.ErrJSNull) {
			return nil
		}
		return err
	})
}

func (u *ui) text(sel string) string {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		u.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (u *ui) bodyText() string {
	u.t.Helper()
	s, err := chromedp.Run(u.ctx, chromedp.Evaluate[string]("document.body.innerText"))
	if err != nil {
		u.t.Fatal(err)
	}
	return s
}

func (u *ui) location() string {
	u.t.Helper()
	s, err := chromedp.Run(u.ctx, chromedp.Location())
	if err != nil {
		u.t.Fatal(err)
	}
	return s
}

// shot saves a full-page PNG screenshot as name.png.
func (u *ui) shot(name string) {
	u.t.Helper()
	png, err := chromedp.Run(u.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		u.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		u.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), png, 0o644); err != nil {
		u.t.Fatal(err)
	}
}

func (u *ui) open(path string) {
	u.t.Helper()
	u.do("open "+path, chromedp.Navigate(u.e.srv.URL+path), chromedp.WaitReady(chromedp.CSS("main")))
}

func (u *ui) login(username, password string) {
	u.t.Helper()
	u.open("/login")
	u.do("log in as "+username,
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("body.page-workbench")))
}

func (u *ui) logout() {
	u.t.Helper()
	u.do("log out", chromedp.Click(chromedp.CSS("form.logout button")), chromedp.WaitVisible(chromedp.ID("username")))
}

// TestBrowser drives the pages in headless Chromium: every role logs in, a clerk registers a case
// (the form checks the ID number as it is typed) and prints the receipt, a supervisor assigns it, the
// mediator accepts it and records a session, the supervisor sees it on the board when it is at risk,
// and the party follows it on a phone. Screenshots go to test-output/screenshots/.
func TestBrowser(t *testing.T) {
	ctx := headless(t)
	// a village tier clock of 10 minutes at risk after 1 %: the case is at risk 6 s after intake
	pol := deadline.DefaultPolicy()
	pol.Tiers[fengqiao.TierVillage] = deadline.Fixed(10 * time.Minute)
	pol.AtRisk = 0.01
	pol.Version = pol.Fingerprint()
	e := newEnvWith(t, pol)
	u := &ui{t: t, ctx: ctx, e: e}

	u.open("/login")
	u.shot("01-login")

	t.Run("every role logs in to its workbench", func(t *testing.T) {
		u := &ui{t: t, ctx: ctx, e: e}
		for _, name := range []string{"grid", "med-town", "sup-county", "court", "auditor"} {
			u.login(name, demo.Password)
			if !strings.Contains(u.bodyText(), "工作台") {
				t.Fatalf("%s: no workbench", name)
			}
			u.logout()
		}
		u.login("admin", adminPassword)
		u.do("admin menu", chromedp.WaitVisible(chromedp.CSS(`nav a[href="/admin"]`)))
		u.open("/admin")
		u.do("admin page", chromedp.WaitVisible(chromedp.ID("admin-nav")), chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/bodies"]`)))
		u.shot("09-admin")
		u.open("/admin/tree?node=330203")
		u.do("admin tree", chromedp.WaitVisible(chromedp.ID("tree")), chromedp.WaitVisible(chromedp.ID("crumbs")))
		u.shot("09-admin-tree")
		u.open("/admin/policy")
		u.do("admin policy", chromedp.WaitVisible(chromedp.ID("policy")))
		u.shot("09-admin-policy")
		u.logout()
	})

	// intake at the county centre
	u.login("clerk", demo.Password)
	u.shot("02-workbench-clerk")
	u.open("/cases/new")
	u.do("type a wrong ID number", chromedp.SendKeys(chromedp.ID("app_id"), "110105194912310021"))
	if msg := u.text("#app_id_msg"); msg == "" {
		t.Fatal("the intake form does not flag a wrong ID check digit as it is typed")
	}
	u.do("fill the intake form",
		js(`document.getElementById("app_id").value = ""`),
		chromedp.SendKeys(chromedp.ID("app_id"), applicantID),
		chromedp.SetValue(chromedp.ID("location"), "330203001001-01"),
		chromedp.SetValue(chromedp.ID("category"), "neighbour"),
		chromedp.SendKeys(chromedp.ID("summary"), `楼上漏水，多次协商未果 <script>alert(1)</script>`),
		chromedp.SendKeys(chromedp.ID("app_name"), "张三"),
		chromedp.SendKeys(chromedp.ID("app_phone"), applicantPhone),
		chromedp.SendKeys(chromedp.ID("resp_name"), "李四"))
	if msg := u.text("#app_id_msg"); msg != "" {
		t.Fatalf("a valid ID number is flagged: %q", msg)
	}
	u.shot("03-intake")
	u.do("register", chromedp.Click(chromedp.ID("intake-submit")), chromedp.WaitVisible(chromedp.ID("query-code")))
	queryCode := u.text("#query-code")
	if len(queryCode) != 12 {
		t.Fatalf("query code %q", queryCode)
	}
	loc := u.location()
	caseID := strings.TrimSuffix(loc[strings.Index(loc, "/cases/")+len("/cases/"):], "/receipt")
	u.shot("04-receipt")
	t.Run("the receipt prints", func(t *testing.T) {
		u := &ui{t: t, ctx: ctx, e: e}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		u.shot("05-receipt-print")
		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
		if err != nil || len(pdf) < 1000 || string(pdf[:4]) != "%PDF" {
			t.Fatalf("print to PDF: %v (%d bytes)", err, len(pdf))
		}
		if err := os.WriteFile(filepath.Join(screenshotDir, "05-receipt.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
			t.Fatal(err)
		}
		u.open("/cases/" + caseID)
		if got := u.text("#summary"); !strings.Contains(got, "<script>alert(1)</script>") {
			t.Fatalf("the summary is not shown as text: %q", got)
		}
	})
	u.logout()

	// the township supervisor assigns the village mediator
	u.login("sup-town", demo.Password)
	u.open("/cases/" + caseID)
	u.do("assign",
		chromedp.Click(chromedp.CSS("#action-assign summary")),
		chromedp.SetValue(chromedp.ID("assign-mediator"), "med-village"),
		chromedp.Click(chromedp.ID("do-assign")),
		flash("分派调解员"))
	u.logout()

	// the mediator accepts and records a session
	u.login("med-village", demo.Password)
	if !strings.Contains(u.bodyText(), "HS-") {
		t.Fatal("the assigned case is not on the mediator's workbench")
	}
	u.shot("06-workbench-mediator")
	u.open("/cases/" + caseID)
	u.do("accept", chromedp.Click(chromedp.CSS("#action-accept summary")), chromedp.Click(chromedp.ID("do-accept")),
		flash("接收案件"))
	u.do("record a session",
		chromedp.Click(chromedp.CSS("#action-sessions summary")),
		chromedp.SetValue(chromedp.ID("sessions-outcome"), "continue"),
		chromedp.SendKeys(chromedp.ID("sessions-notes"), "双方到场，约定下周复谈"),
		chromedp.Click(chromedp.ID("do-sessions")),
		flash("已办理：记录调解"))
	if body := u.bodyText(); !strings.Contains(body, "调解中") || !strings.Contains(body, "双方到场") {
		t.Fatalf("after the session the case page shows %.1500s", body)
	}
	u.shot("07-case-mediator")
	u.logout()

	// the supervisor sees it on the board once it is at risk
	u.login("sup-town", demo.Password)
	deadlineAt := time.Now().Add(40 * time.Second)
	for {
		u.open("/supervision")
		if strings.Contains(u.text(`section[id="board.at_risk"]`), "HS-") {
			break
		}
		if time.Now().After(deadlineAt) {
			t.Fatalf("the at-risk case never reached the board: %.2000s", u.bodyText())
		}
		time.Sleep(2 * time.Second)
	}
	u.shot("08-supervision")
	u.logout()

	// the mediator records the agreement and prints it
	u.login("med-village", demo.Password)
	u.open("/cases/" + caseID)
	u.do("record the agreement",
		chromedp.Click(chromedp.CSS("#action-agreement summary")),
		chromedp.SendKeys(chromedp.ID("agreement-terms"), "一、李四于2026年12月10日前修复卫生间防水层；\n二、李四赔偿张三房屋损失人民币捌佰元整；\n三、双方就此事再无其他争议。"),
		chromedp.SetValue(chromedp.ID("agreement-form"), "written"),
		chromedp.Click(chromedp.ID("agreement-signed_by_all-true")),
		chromedp.Click(chromedp.ID("do-agreement")),
		chromedp.WaitVisible(chromedp.ID("doc-agreement")))
	u.do("open the agreement", chromedp.Click(chromedp.ID("doc-agreement")), chromedp.WaitVisible(chromedp.CSS("article.doc")))
	if body := u.bodyText(); !strings.Contains(body, "人民调解协议书") || !strings.Contains(body, "捌佰元") {
		t.Fatalf("agreement document: %.1500s", body)
	}
	u.shot("15-agreement")
	u.open("/cases/" + caseID + "/documents/confirmation")
	u.shot("16-confirmation-application")
	u.logout()

	u.login("sup-county", demo.Password)
	u.open("/stats")
	u.do("stats charts", chromedp.WaitVisible(chromedp.CSS("figure.chart svg")))
	u.shot("10-stats")
	u.open("/cases/" + caseID + "?lang=en")
	u.shot("11-case-english")
	u.open("/workbench?lang=zh")
	u.logout()

	// the party, on a phone
	t.Run("the public page on a phone", func(t *testing.T) {
		u := &ui{t: t, ctx: ctx, e: e}
		u.do("phone viewport", chromedp.EmulateViewport(390, 844))
		u.open("/public")
		u.do("query",
			chromedp.SendKeys(chromedp.ID("code"), queryCode),
			chromedp.SendKeys(chromedp.ID("last4"), applicantPhone[7:]),
			chromedp.Click(chromedp.ID("public-submit")),
			chromedp.WaitVisible(chromedp.ID("progress")))
		body := u.bodyText()
		if !strings.Contains(body, "已达成协议") {
			t.Fatalf("public page: %.1500s", body)
		}
		for _, secret := range []string{"张三", "李四", applicantID, applicantPhone} {
			if strings.Contains(body, secret) {
				t.Fatalf("the public page shows %q", secret)
			}
		}
		u.shot("12-public-phone")

		// a grid worker settles a matter on the spot on the phone; the party rates it
		u.login("grid", demo.Password)
		u.open("/cases/new")
		u.do("on-the-spot intake",
			chromedp.SetValue(chromedp.ID("channel"), "patrol"),
			chromedp.SetValue(chromedp.ID("location"), "330203001001-01"),
			chromedp.SendKeys(chromedp.ID("summary"), "楼道堆放杂物影响通行"),
			chromedp.SendKeys(chromedp.ID("app_name"), "王芳"),
			chromedp.SendKeys(chromedp.ID("app_id"), "110105195001010012"),
			chromedp.SendKeys(chromedp.ID("app_phone"), "13800001234"),
			chromedp.SendKeys(chromedp.ID("resp_name"), "赵六"),
			chromedp.Click(chromedp.ID("on_spot")),
			chromedp.SendKeys(chromedp.ID("on_spot_outcome"), "当场协商，已清理"))
		u.shot("14-intake-phone")
		u.do("register on the spot", chromedp.Click(chromedp.ID("intake-submit")), chromedp.WaitVisible(chromedp.ID("query-code")))
		code := u.text("#query-code")
		u.open("/workbench")
		u.shot("13-workbench-grid-phone")
		u.logout()
		u.open("/public")
		u.do("query and rate",
			chromedp.SendKeys(chromedp.ID("code"), code),
			chromedp.SendKeys(chromedp.ID("last4"), "1234"),
			chromedp.Click(chromedp.ID("public-submit")),
			chromedp.WaitVisible(chromedp.ID("rate-submit")),
			chromedp.Click(chromedp.CSS(`input[name="score"][value="4"]`)),
			chromedp.SendKeys(chromedp.ID("comment"), "处理及时"),
			chromedp.Click(chromedp.ID("rate-submit")),
			chromedp.WaitVisible(chromedp.CSS("p.flash")))
		if body := u.bodyText(); !strings.Contains(body, "您已评价：4 分") {
			t.Fatalf("after rating: %.1500s", body)
		}
		u.shot("17-public-rated-phone")
	})
}
