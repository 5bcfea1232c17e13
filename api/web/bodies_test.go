package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fengqiao"
	"fengqiao/demo"
	"fengqiao/policy"
)

const badBodies = "code,name,type,node,fields,superior\n" +
	"330203-MZJ,海曙区民政局,agency,330203,marriage,330203-ZF\n" +
	"330203-XX,错误类型,bureau,330203,,\n"

// TestBodiesPageCreatesListsAndImportsAllOrNothingInChinese: an administrator creates a body from the
// form (type labelled in Chinese, fields as checkboxes, superior chosen), is told it was created, sees it
// in the list filtered by type and field; a bad CSV imports nothing and names 第3行 type in Chinese; a
// good one is imported and confirmed. Staff without admin.jurisdictions are refused the page.
func TestBodiesPageCreatesListsAndImportsAllOrNothingInChinese(t *testing.T) {
	e := newEnv(t)
	admin := e.browser(t)
	admin.login("admin", adminPassword)
	admin.get("/admin").want(http.StatusOK).has(`href="/admin/bodies"`, "机构管理")
	admin.get("/admin/grants").want(http.StatusOK).has("海曙区人力资源和社会保障局")
	admin.get("/admin/bodies").want(http.StatusOK).
		has("机构管理", "行政机关", "行业性专业性调解组织", "信访工作机构", "医疗纠纷", `name="fields" value="medical"`,
			"海曙区医疗纠纷人民调解委员会", "海曙区人民政府").translated()
	admin.get("/admin/bodies?lang=en").want(http.StatusOK).has("Bodies", "government agency").translated()
	admin.get("/admin/bodies?lang=zh")

	admin.post("/admin/bodies", url.Values{"code": {"330203-SCJ"}, "name": {"海曙区市场监督管理局"}, "type": {"agency"},
		"node": {"330203"}, "fields": {"consumer", "finance"}, "superior": {"330203-ZF"}}).
		want(http.StatusOK).has("已新增机构 330203-SCJ", "海曙区市场监督管理局")
	b, err := e.db.Body(context.Background(), "330203-SCJ")
	if err != nil || b.Superior != "330203-ZF" || !b.HasField("consumer") || b.HasField("medical") {
		t.Fatalf("created body = %+v, %v", b, err)
	}
	admin.get("/admin/bodies?type=agency&field=consumer").want(http.StatusOK).has("海曙区市场监督管理局").lacks("海曙区医疗纠纷人民调解委员会")

	admin.post("/admin/bodies", url.Values{"code": {"330203-SCJ2"}, "name": {"重复上级"}, "type": {"committee"},
		"node": {"330203"}, "superior": {"330203-ZF"}}).
		want(http.StatusUnprocessableEntity).has("superior", "只有行政机关", "重复上级")

	admin.get("/admin/bodies")
	admin.post("/admin/bodies/import", url.Values{"csv": {badBodies}}).
		want(http.StatusUnprocessableEntity).has("导入失败", "第3行 type：类型须为", "人民调解委员会")
	if _, err := e.db.Body(context.Background(), "330203-MZJ"); err == nil {
		t.Fatal("a bad file imported its good rows")
	}
	admin.post("/admin/bodies/import", url.Values{"csv": {strings.Replace(badBodies, "bureau", "agency", 1)}}).
		want(http.StatusOK).has("已导入 2 个机构", "海曙区民政局")

	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/admin/bodies").want(http.StatusForbidden)
}

// TestGrantFormAcceptsABodyAndShowsItsName: a role granted at a body from the admin page shows the
// body's name beside its code.
func TestGrantFormAcceptsABodyAndShowsItsName(t *testing.T) {
	e := newEnv(t)
	e.stack.CreateUser(t, "handler-zjj", "handler-password")
	admin := e.browser(t)
	admin.login("admin", adminPassword)
	admin.get("/admin")
	admin.post("/admin/grants", url.Values{"username": {"handler-zjj"}, "role": {"handler"}, "jurisdiction": {"330203-ZJJ"}}).
		want(http.StatusOK).has("承办人 · 海曙区住房和城乡建设局")
	if g := e.pol.Grants("handler-zjj"); len(g) != 1 || g[0].Role != fengqiao.RoleHandler || g[0].Node != "330203-ZJJ" {
		t.Fatalf("grants = %+v", g)
	}
	admin.get("/admin")
	admin.post("/admin/grants", url.Values{"username": {"handler-zjj"}, "role": {"admin"}, "jurisdiction": {"330203-ZJJ"}}).
		want(http.StatusUnprocessableEntity).has("机构不能授予")
	if ok, _ := e.pol.Can("handler-zjj", policy.ActionAdminJurisdictions, "330203"); ok {
		t.Fatal("a refused grant was made")
	}
}

// TestBrowserBodiesAdmin drives the 机构管理 page in headless Chromium: create a body from the form and
// see the confirmation, then import a bad file and see the bad line named in Chinese.
func TestBrowserBodiesAdmin(t *testing.T) {
	ctx := headless(t)
	e := newEnv(t)
	u := &ui{t: t, ctx: ctx, e: e}
	u.login("admin", adminPassword)
	u.open("/admin")
	u.do("bodies link", chromedp.Click(chromedp.ID("admin-nav-bodies")), chromedp.WaitVisible(chromedp.ID("body-create")))
	u.do("create a body",
		chromedp.SendKeys(chromedp.ID("b-code"), "330203-SCJ"),
		chromedp.SendKeys(chromedp.ID("b-name"), "海曙区市场监督管理局"),
		chromedp.SetValue(chromedp.ID("b-type"), "agency"),
		chromedp.SetValue(chromedp.ID("b-node"), "330203"),
		chromedp.Click(chromedp.CSS(`input[name="fields"][value="consumer"]`)),
		chromedp.SetValue(chromedp.ID("b-superior"), "330203-ZF"),
		chromedp.Click(chromedp.ID("body-submit")),
		flash("已新增机构 330203-SCJ"))
	if !strings.Contains(u.text("#bodies-list"), "海曙区市场监督管理局") {
		t.Fatal("the new body is not listed")
	}
	u.shot("30-bodies")
	u.do("import a bad file",
		chromedp.SetValue(chromedp.ID("bi-csv"), badBodies),
		chromedp.Click(chromedp.ID("bodies-import-submit")),
		chromedp.WaitVisible(chromedp.ID("import-errors")))
	if got := u.text("#import-errors"); !strings.Contains(got, "第3行 type：类型须为") {
		t.Fatalf("import errors = %q", got)
	}
	u.shot("31-bodies-import-errors")
}
