package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"fengqiao/demo"
)

// TestAdminDisablesResetsAndGrantsWithConfirmation: disabling asks first and then ends the user's
// session at once; a reset shows a one-time password once, which then works; grants take a node found
// by type-ahead; revoking asks first; each change says it was done.
func TestAdminDisablesResetsAndGrantsWithConfirmation(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/workbench").want(http.StatusOK)

	admin := e.browser(t)
	admin.login("admin", adminPassword)
	admin.get("/admin/users?q=cler").want(http.StatusOK).has(`id="user-clerk"`).lacks(`id="user-sup-county"`).translated()
	admin.post("/admin/users/clerk/disable", url.Values{}).want(http.StatusOK).has(`id="confirm-submit"`, "立即无法登录")
	clerk.get("/workbench").want(http.StatusOK) // nothing happened before the confirmation
	admin.post("/admin/users/clerk/disable", url.Values{"confirm": {"1"}}).want(http.StatusOK).has("已停用", "会话已全部失效")
	if p := clerk.get("/workbench"); p.url != "/login" {
		t.Fatalf("the disabled user's session still works: at %s", p.url)
	}
	clerk.get("/login")
	clerk.post("/login", url.Values{"username": {"clerk"}, "password": {demo.Password}}).want(http.StatusUnauthorized)
	admin.get("/admin/users?q=clerk")
	admin.post("/admin/users/clerk/enable", url.Values{}).want(http.StatusOK).has("已启用")

	admin.post("/admin/users/clerk/reset", url.Values{}).want(http.StatusOK).has("原密码和所有已登录的会话立即失效")
	reset := admin.post("/admin/users/clerk/reset", url.Values{"confirm": {"1"}}).want(http.StatusOK)
	m := regexp.MustCompile(`id="one-time-password">([^<]+)<`).FindStringSubmatch(reset.body)
	if m == nil {
		t.Fatalf("no one-time password shown: %.2000s", reset.body)
	}
	admin.get("/admin/users?q=clerk").lacks(m[1]) // shown once
	clerk.login("clerk", m[1])

	var found struct {
		Items []struct{ Value, Label, Detail string }
	}
	if err := json.Unmarshal([]byte(admin.get("/typeahead/places?q=鼓楼").want(http.StatusOK).body), &found); err != nil ||
		len(found.Items) == 0 || found.Items[0].Value != "330203001" || found.Items[0].Detail != "镇（街道） · 海曙区" {
		t.Fatalf("type-ahead: %+v %v", found, err)
	}
	admin.get("/admin/grants").want(http.StatusOK).has(`data-typeahead="/typeahead/staff"`, `data-typeahead="/typeahead/places /typeahead/bodies"`, `src="/static/typeahead.js"`)
	admin.post("/admin/grants", url.Values{"username": {"clerk"}, "role": {"auditor"}, "jurisdiction": {"330203001 鼓楼街道"}, "op": {"grant"}}).
		want(http.StatusOK).has("已授予")
	admin.post("/admin/grants", url.Values{"username": {"clerk"}, "role": {"auditor"}, "jurisdiction": {"330203001"}, "op": {"revoke"}}).
		want(http.StatusOK).has(`id="confirm-submit"`, "撤销角色")
	admin.post("/admin/grants", url.Values{"username": {"clerk"}, "role": {"auditor"}, "jurisdiction": {"330203001"}, "op": {"revoke"}, "confirm": {"1"}}).
		want(http.StatusOK).has("已撤销")

	admin.get("/admin/tree?q=鼓楼").want(http.StatusOK).has(`href="/admin/tree?node=330203001"`)
	admin.get("/admin/tree?node=330203001").want(http.StatusOK).has(`id="crumbs"`, "海曙区", "孝闻社区")
	admin.post("/admin/tree/330203001/rename", url.Values{"name": {"鼓楼街道办事处"}}).want(http.StatusOK).has("已更名为：鼓楼街道办事处")
	admin.get("/admin/users?lang=en").want(http.StatusOK).has("Reset password").translated()
}
