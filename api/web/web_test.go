package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fengqiao/demo"
	"fengqiao/store"
)

func TestLoginSessionAndLogout(t *testing.T) {
	e := newEnv(t)
	t.Run("pages need a login", func(t *testing.T) {
		b := e.browser(t)
		p := b.get("/workbench").want(http.StatusOK)
		if p.url != "/login" {
			t.Fatalf("an anonymous workbench went to %s, want /login", p.url)
		}
	})
	t.Run("a wrong password is refused", func(t *testing.T) {
		b := e.browser(t)
		b.get("/login")
		b.post("/login", url.Values{"username": {"clerk"}, "password": {"wrong"}}).want(http.StatusUnauthorized).has("用户名或密码错误")
	})
	t.Run("the session cookie is HttpOnly and SameSite=Lax", func(t *testing.T) {
		b := e.browser(t)
		b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		b.get("/login")
		p := b.post("/login", url.Values{"username": {"clerk"}, "password": {demo.Password}}).want(http.StatusSeeOther)
		var found bool
		for _, c := range p.header.Values("Set-Cookie") {
			if strings.HasPrefix(c, "fq_session=") {
				found = true
				if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
					t.Fatalf("session cookie %q", c)
				}
			}
		}
		if !found {
			t.Fatal("login set no session cookie")
		}
	})
	t.Run("logout revokes the token for the API too", func(t *testing.T) {
		b := e.browser(t)
		b.login("clerk", demo.Password)
		u, _ := url.Parse(e.srv.URL)
		var token string
		for _, c := range b.c.Jar.Cookies(u) {
			if c.Name == "fq_session" {
				token = c.Value
			}
		}
		me := func() int {
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/auth/me", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		if s := me(); s != http.StatusOK {
			t.Fatalf("the web session's token is not an API token: %d", s)
		}
		b.get("/workbench").want(http.StatusOK)
		p := b.post("/logout", url.Values{}).want(http.StatusOK)
		if p.url != "/login" {
			t.Fatalf("logout went to %s", p.url)
		}
		if s := me(); s != http.StatusUnauthorized {
			t.Fatalf("after logout the token answers %d, want 401", s)
		}
	})
	t.Run("English on request", func(t *testing.T) {
		b := e.browser(t)
		b.get("/login?lang=en").want(http.StatusOK).has("Staff log in", `lang="en"`)
		b.get("/login").has("Staff log in") // remembered by cookie
		b.get("/login?lang=zh").has("工作人员登录")
	})
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	b.login("clerk", demo.Password)
	b.get("/cases/new").want(http.StatusOK)
	for name, token := range map[string]string{"missing": "", "wrong": "forged-token-forged-token-forged"} {
		t.Run(name+" token is 403", func(t *testing.T) {
			f := intakeForm("楼上漏水")
			f.Set("csrf", token)
			b.post("/cases/new", f).want(http.StatusForbidden)
		})
	}
	t.Run("login without the double-submit token is 403", func(t *testing.T) {
		anon := e.browser(t)
		anon.post("/login", url.Values{"username": {"clerk"}, "password": {demo.Password}, "csrf": {"x"}}).want(http.StatusForbidden)
	})
	rows, err := e.db.ListCases(context.Background(), store.CaseFilter{})
	if err != nil || len(rows) != 0 {
		t.Fatalf("refused forms opened cases: %v %v", rows, err)
	}
}

// TestCaseOverHTTP walks a case through the pages without a browser: intake with a hostile summary,
// duplicate intake, authorization of other users, assignment, mediation, and the public page.
func TestCaseOverHTTP(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new").want(http.StatusOK).has(`<option value="330203001001-01"`)

	t.Run("the server checks the ID number", func(t *testing.T) {
		f := intakeForm("楼上漏水")
		f.Set("app_id", "110105194912310021")
		clerk.get("/cases/new")
		clerk.post("/cases/new", f).want(http.StatusUnprocessableEntity).has("parties[0].id_number")
	})

	const hostile = `<script>alert("pwned")</script>楼上漏水`
	clerk.get("/cases/new")
	receipt := clerk.post("/cases/new", intakeForm(hostile)).want(http.StatusOK).has("受理回执", "孝闻社区")
	id := caseIDOf(t, receipt.body)
	m := queryCodeRe.FindStringSubmatch(receipt.body)
	if m == nil {
		t.Fatalf("the receipt has no query code: %.2000s", receipt.body)
	}
	queryCode := m[1]

	t.Run("user text is escaped and parties masked", func(t *testing.T) {
		clerk.get("/cases/"+id).want(http.StatusOK).
			has("&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;楼上漏水", "1101**********002X", "139****5678").
			lacks(`<script>alert("pwned")`, applicantID, applicantPhone)
	})
	t.Run("a second intake of the matter at the county while the village handles it is 越级 and offers the visit", func(t *testing.T) {
		clerk.get("/cases/new")
		clerk.post("/cases/new", intakeForm("又来了")).want(http.StatusConflict) // a resubmit records nothing
		clerk.get("/cases/new")
		p := clerk.post("/cases/new", intakeForm("又来了")).want(http.StatusConflict).
			has(`id="skip-level"`, "越级访", `id="record-visit"`, "/cases/"+id+"/act/visits")
		if got := e.visitsOf(t, id, 1); got != 1 {
			t.Fatalf("visits %d after two refused intakes, want 1", got)
		}
		clerk.last = p.body
		clerk.post("/cases/"+id+"/act/visits", url.Values{"channel": {"visit"}, "note": {"又来了"}}).want(http.StatusOK).has("重复跑")
	})
	t.Run("a mediator of the other township gets 404", func(t *testing.T) {
		south := e.browser(t)
		south.login("med-south", "south-password")
		south.get("/cases/" + id).want(http.StatusNotFound)
		south.post("/cases/"+id+"/act/accept", url.Values{}).want(http.StatusNotFound)
	})
	t.Run("the village mediator may not assign", func(t *testing.T) {
		med := e.browser(t)
		med.login("med-village", demo.Password)
		med.get("/cases/" + id).want(http.StatusOK).lacks(`id="do-assign"`)
		med.post("/cases/"+id+"/act/assign", url.Values{"mediator": {"med-village"}}).want(http.StatusForbidden)
	})

	sup := e.browser(t)
	sup.login("sup-town", demo.Password)
	sup.get("/cases/"+id).want(http.StatusOK).has(`id="do-assign"`, `<option value="med-village">`)
	t.Run("assigning someone who cannot mediate there is refused", func(t *testing.T) {
		sup.get("/cases/" + id)
		sup.post("/cases/"+id+"/act/assign", url.Values{"mediator": {"med-south"}}).want(http.StatusUnprocessableEntity)
	})
	sup.get("/cases/" + id)
	sup.post("/cases/"+id+"/act/assign", url.Values{"mediator": {"med-village"}}).want(http.StatusOK).has("已办理：分派调解员")

	med := e.browser(t)
	med.login("med-village", demo.Password)
	med.get("/workbench").want(http.StatusOK).has("分派给我的案件", "/cases/"+id, "剩余", "层级时限", "法定时限")
	med.get("/cases/" + id).has(`id="do-accept"`).translated()
	med.get("/cases/" + id + "?lang=en").has("Accept").translated()
	med.get("/workbench?lang=zh").translated()
	med.post("/cases/"+id+"/act/accept", url.Values{}).want(http.StatusOK).has("调解中")
	med.post("/cases/"+id+"/act/sessions", url.Values{"held_at": {"2026-11-29T10:00"}, "outcome": {"continue"}, "notes": {"双方到场"}}).
		want(http.StatusOK).has("已办理：记录调解")
	t.Run("a refused action shows the workflow's reason and changes nothing", func(t *testing.T) {
		med.post("/cases/"+id+"/act/sessions", url.Values{"held_at": {"2026-11-29T10:00"}, "outcome": {"maybe"}}).
			want(http.StatusUnprocessableEntity).has("outcome")
	})

	t.Run("the public page shows progress, never identities", func(t *testing.T) {
		anon := e.browser(t)
		anon.get("/public").want(http.StatusOK)
		anon.post("/public", url.Values{"code": {queryCode}, "last4": {"0000"}}).want(http.StatusNotFound).has("没有找到")
		anon.get("/public")
		anon.post("/public", url.Values{"code": {strings.ToLower(queryCode)}, "last4": {"5678"}}).want(http.StatusOK).
			has("调解中", "孝闻社区").lacks("张三", "李四", applicantID, "139****5678", "pwned")
	})
	t.Run("printable documents", func(t *testing.T) {
		clerk.get("/cases/"+id+"/receipt").want(http.StatusOK).has(queryCode, "受理回执")
		clerk.get("/cases/" + id + "/documents/agreement").want(http.StatusConflict)
		clerk.get("/cases/" + id + "/documents/nonsense").want(http.StatusNotFound)
	})
	t.Run("an agreement prints the agreement and the confirmation application", func(t *testing.T) {
		med.get("/cases/" + id)
		med.post("/cases/"+id+"/act/agreement", url.Values{"terms": {"李四于十二月十日前修复漏水并赔偿张三八百元"},
			"form": {"written"}, "signed_by_all": {"true"}}).want(http.StatusOK).has("已办理：记录调解协议", `id="doc-agreement"`)
		clerk.get("/cases/"+id+"/documents/agreement").want(http.StatusOK).
			has("人民调解协议书", "赔偿张三八百元", "张三", "1101**********002X", "第三十三条", "人民调解员：李调解").
			lacks(applicantID, "med-village")
		clerk.get("/cases/"+id+"/documents/confirmation").want(http.StatusOK).has("司法确认申请书", "赔偿张三八百元")
		// the parties' 30 days to apply (PML 33) now run: the lists show that clock (once projected)
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			if p := clerk.get("/workbench"); strings.Contains(p.body, "司法确认申请期限") || time.Now().After(deadline) {
				p.has(`class="next-clock"`, "司法确认申请期限")
				break
			}
		}
	})
	t.Run("a terminated mediation prints the termination notice", func(t *testing.T) {
		f := intakeForm("宠物扰民")
		f.Set("resp_name", "王五")
		clerk.get("/cases/new")
		other := caseIDOf(t, clerk.post("/cases/new", f).want(http.StatusOK).body)
		sup.get("/cases/" + other)
		sup.post("/cases/"+other+"/act/close", url.Values{"outcome": {"terminated"}, "confirm": {"yes"}}).want(http.StatusUnprocessableEntity).has("note")
		sup.post("/cases/"+other+"/act/close", url.Values{"outcome": {"terminated"}, "note": {"被申请人拒绝调解"}, "confirm": {"yes"}}).
			want(http.StatusOK).has(`id="doc-termination"`)
		clerk.get("/cases/"+other+"/documents/termination").want(http.StatusOK).has("终止调解告知书", "第二十六条", "宠物扰民")
	})
}

// TestOnSpotAndRating: a grid worker resolves a matter on the spot; the party rates it on the public page.
func TestOnSpotAndRating(t *testing.T) {
	e := newEnv(t)
	grid := e.browser(t)
	grid.login("grid", demo.Password)
	p := grid.get("/cases/new").want(http.StatusOK)
	if strings.Contains(p.body, `value="330203001002-01"`) || !strings.Contains(p.body, `value="330203001001-01"`) {
		t.Fatalf("a grid worker is offered locations outside their grid: %.3000s", p.body)
	}
	f := intakeForm("占道堆放杂物")
	f.Set("channel", "patrol")
	t.Run("outside the grid is refused", func(t *testing.T) {
		g := url.Values{}
		for k, v := range f {
			g[k] = v
		}
		g.Set("location", "330203001002-01")
		grid.get("/cases/new")
		grid.post("/cases/new", g).want(http.StatusForbidden)
	})
	f.Set("on_spot", "1")
	f.Set("on_spot_outcome", "当场协商一致，已清理")
	grid.get("/cases/new")
	receipt := grid.post("/cases/new", f).want(http.StatusOK)
	code := queryCodeRe.FindStringSubmatch(receipt.body)[1]
	id := caseIDOf(t, receipt.body)
	grid.get("/cases/" + id).want(http.StatusOK).has("已办结")

	party := e.browser(t)
	party.get("/public")
	party.post("/public", url.Values{"code": {code}, "last4": {"5678"}}).want(http.StatusOK).has("已办结", `id="rate-submit"`)
	party.post("/public/rating", url.Values{"code": {code}, "last4": {"5678"}, "score": {"9"}}).want(http.StatusUnprocessableEntity)
	party.post("/public/rating", url.Values{"code": {code}, "last4": {"0000"}, "score": {"5"}}).want(http.StatusNotFound)
	party.post("/public/rating", url.Values{"code": {code}, "last4": {"5678"}, "score": {"5"}, "comment": {"很满意"}}).
		want(http.StatusOK).has("感谢您的评价", "您已评价：5 分").lacks(`id="rate-submit"`)

	sup := e.browser(t)
	sup.login("sup-county", demo.Password)
	sup.get("/stats").want(http.StatusOK).has("5.00 / 5", `id="kpi-opened-value">1<`, `id="kpi-resolution-rate-value">100.0%<`)
}

func TestBoardStatsAndAdmin(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/supervision").want(http.StatusForbidden)
	clerk.get("/stats").want(http.StatusForbidden)
	clerk.get("/admin").want(http.StatusForbidden)
	clerk.get("/cases/new")
	clerk.post("/cases/new", intakeForm("噪音扰民")).want(http.StatusOK)

	sup := e.browser(t)
	sup.login("sup-county", demo.Password)
	sup.get("/supervision").want(http.StatusOK).has("已超期", "即将超期", "升级后未签收", `id="bulk"`)
	sup.get("/supervision?node=330203002").want(http.StatusOK)
	townSup := e.browser(t)
	townSup.login("sup-town", demo.Password)
	townSup.get("/supervision?node=330203002").want(http.StatusForbidden)

	st := sup.get("/stats").want(http.StatusOK).has("<svg", "小事不出村", "鼓楼街道", "南门街道", `id="kpi-opened-value">1<`)
	if strings.Count(st.body, "<svg") < 4 {
		t.Fatalf("stats draws %d charts", strings.Count(st.body, "<svg"))
	}

	t.Run("bulk assign reports per case", func(t *testing.T) {
		rows, err := e.db.ListCases(context.Background(), store.CaseFilter{})
		if err != nil || len(rows) != 1 {
			t.Fatalf("cases %v %v", rows, err)
		}
		sup.get("/supervision")
		p := sup.post("/supervision/bulk", url.Values{"action": {"assign"}, "mediator": {"med-village"},
			"case_ids": {rows[0].ID, "nosuchcase000000000x"}}).want(http.StatusOK)
		p.has(`class="ok"`, `class="bad"`, "未找到")
	})

	admin := e.browser(t)
	admin.login("admin", adminPassword)
	admin.get("/admin").want(http.StatusOK).has(`href="/admin/tree"`, `href="/admin/bodies"`).translated()
	admin.get("/admin/tree?node=330203").want(http.StatusOK).has("海曙区人民法院").translated()
	admin.get("/admin/users").want(http.StatusOK).has("sup-county").translated()
	admin.get("/admin/calendar").want(http.StatusOK).has("2026").translated()
	admin.get("/admin/policy").want(http.StatusOK).has("调解期限", "宁波市人民调解条例 第二十七条").lacks("tiers:").translated()
	admin.get("/admin/calendar?lang=en").want(http.StatusOK).has("Holiday calendar").translated()
	admin.get("/admin/tree?lang=zh")
	for _, path := range []string{"/supervision", "/stats", "/workbench", "/supervision?lang=en", "/stats?lang=en", "/workbench?lang=en"} {
		sup.get(path).want(http.StatusOK).translated()
	}
	t.Run("a bad CSV imports nothing and names the line", func(t *testing.T) {
		admin.post("/admin/import", url.Values{"csv": {"code,name,tier,parent_code\n330203003,新街道,township,330203\n330203003001,,village,330203003\n"}}).
			want(http.StatusUnprocessableEntity).has("line 3")
		if _, err := e.db.Node(context.Background(), "330203003"); err == nil {
			t.Fatal("a bad file imported its good rows")
		}
	})
	admin.get("/admin/tree")
	admin.post("/admin/import", url.Values{"csv": {"code,name,tier,parent_code\n330203003,新街道,township,330203\n"}}).want(http.StatusOK).has("已导入 1 个辖区")
	admin.get("/admin/tree?node=330203").want(http.StatusOK).has("新街道")
	if _, ok := e.pol.PathOf("330203003"); !ok {
		t.Fatal("the authorizer does not know the imported node")
	}
}
