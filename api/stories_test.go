package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// step is one action in a story: who does what with which body, and the status the case must reach.
type step struct {
	who, action string
	body        any
	status      string
}

func (e *env) play(tok map[string]string, id string, steps []step) map[string]any {
	e.t.Helper()
	var m map[string]any
	for _, s := range steps {
		res := e.do("POST", "/api/v1/cases/"+id+"/"+s.action, tok[s.who], s.body)
		if res.status != 200 {
			e.t.Fatalf("%s by %s: %d %s", s.action, s.who, res.status, res.body)
		}
		m = res.json()
		if s.status != "" && m["status"] != s.status {
			e.t.Fatalf("%s by %s: status %v, want %s (%v)", s.action, s.who, m["status"], s.status, m)
		}
	}
	return m
}

// TestDisputeStory is a neighbours' dispute from intake at the county centre to judicial
// confirmation, performance, closure and the party's rating, each step done by the role that does it.
func TestDisputeStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		c := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()
		id, code := c["id"].(string), c["query_code"].(string)
		if len(code) < 12 {
			t.Fatalf("query code %q is too short to be unguessable", code)
		}
		// the court does not see the case before an application reaches it
		e.do("GET", "/api/v1/cases/"+id, tok["court"], nil).want(404)
		e.play(tok, id, []step{
			{"sup-town", "assign", map[string]string{"mediator": "med-village"}, "registered"},
			{"med-village", "accept", nil, "mediating"},
			{"med-village", "sessions", map[string]any{"held_at": "2026-03-03T10:00:00+08:00", "notes": "面谈", "outcome": "agreement"}, ""},
			{"med-village", "agreement", map[string]any{"terms": "赔偿维修费 2000 元", "form": "written", "signed_by_all": true}, "agreement"},
			{"med-village", "confirmation", map[string]any{"court": "330203-FY", "joint": true}, "confirmation_pending"},
			{"court", "court-accept", map[string]any{"case_no": "(2026)浙0203民特1号"}, ""},
			{"court", "court-decision", map[string]any{"result": "confirmed", "ruling_no": "(2026)浙0203民特1号"}, "confirmed"},
			{"med-village", "performance", map[string]any{"performed": true, "note": "已付清"}, ""},
			{"med-village", "close", map[string]any{"outcome": "confirmed_and_performed"}, "closed"},
		})
		timeline := e.do("GET", "/api/v1/cases/"+id+"/timeline", tok["sup-town"], nil).want(200).json()["items"].([]any)
		for i, ev := range timeline {
			if int(ev.(map[string]any)["seq"].(float64)) <= 0 || i > 0 && ev.(map[string]any)["seq"].(float64) <= timeline[i-1].(map[string]any)["seq"].(float64) {
				t.Fatalf("timeline out of order at %d: %v", i, timeline)
			}
		}

		t.Run("the party follows and rates it with the query code", func(t *testing.T) {
			e := e.with(t)
			e.do("GET", "/api/v1/public/cases/"+code+"?phone_last4=0000", "", nil).problem(404, fengqiao.ECodeNotFound, "")
			res := e.do("GET", "/api/v1/public/cases/"+strings.ToLower(code)+"?phone_last4=5678", "", nil).want(200)
			p := res.json()
			if p["status"] != "closed" || p["can_rate"] != true {
				t.Fatalf("public view = %v", p)
			}
			if strings.Contains(string(res.body), "张三") || strings.Contains(string(res.body), applicantID) {
				t.Fatalf("the public view names the complainant: %s", res.body)
			}
			e.do("POST", "/api/v1/public/cases/"+code+"/rating", "", map[string]any{"phone_last4": "5678", "score": 9}).problem(422, fengqiao.ECodeInvalid, "score")
			p = e.do("POST", "/api/v1/public/cases/"+code+"/rating", "", map[string]any{"phone_last4": "5678", "score": 5, "comment": "满意"}).want(200).json()
			if p["satisfaction"] != float64(5) {
				t.Fatalf("after rating: %v", p)
			}
		})
		t.Run("statistics count it as resolved at the village", func(t *testing.T) {
			e := e.with(t)
			var st map[string]any
			for i := 0; i < 50; i++ { // the projection follows the workflow
				st = e.do("GET", "/api/v1/stats?node=330203", tok["sup-county"], nil).want(200).json()["stats"].(map[string]any)
				if st["resolved"] == float64(1) && st["rated"] == float64(1) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			byTier := st["resolved_by_tier"].(map[string]any)
			if st["opened"] != float64(1) || byTier["village"] != float64(1) || st["share_resolved_at_township_or_below"] != float64(1) ||
				st["one_visit_rate"] != float64(1) || st["satisfaction_average"] != float64(5) {
				t.Fatalf("stats = %v", st)
			}
			e.do("GET", "/api/v1/stats?node=330203", tok["med-village"], nil).problem(403, fengqiao.ECodeForbidden, "")
		})
		if _, err := db.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPetitionStory is a petition on organs through the API (XGTL 22-36): received at the county
// window about a township's land decision, registered by the county petition bureau, forwarded to the
// township government, accepted, answered in writing with the day served, 复查 at the county government,
// 复核 at the city government, then final; no village mediator ever reads it, and the same matter is then
// refused as final (XGTL 36).
func TestPetitionStory(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	tok := e.seedDemo()
	ctx := context.Background()
	for _, b := range []fengqiao.Body{
		{Code: "nb-gov", Name: "宁波市人民政府", Type: fengqiao.BodyAgency, Node: "330200"},
		{Code: "hs-gov", Name: "海曙区人民政府", Type: fengqiao.BodyAgency, Node: "330203", Superior: "nb-gov"},
		{Code: "hs-xfj", Name: "海曙区信访局", Type: fengqiao.BodyPetitionOffice, Node: "330203"},
		{Code: "gl-gov", Name: "鼓楼街道办事处", Type: fengqiao.BodyAgency, Node: "330203001", Superior: "hs-gov"},
	} {
		if _, err := e.db.CreateBody(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	for user, node := range map[string]string{"handler-town": "330203001", "handler-county": "330203", "handler-city": "330200"} {
		e.createUser(user, "pw-"+user)
		e.stack.Grant(t, user, fengqiao.RoleHandler, node)
		tok[user] = e.login(user, "pw-"+user)
	}
	body := neighbourDispute("330203001001")
	body["kind"], body["category"] = "petition", "land"
	c := e.do("POST", "/api/v1/cases", tok["clerk"], body).want(201).json()
	id := c["id"].(string)
	served := time.Now().In(deadline.China).Format("2006-01-02")
	answer := map[string]any{"decision": "not_support", "request": "撤销征地决定", "facts": "经调查核实",
		"reasons": "征地程序合法", "basis": "《土地管理法》第四十七条", "served_on": served}
	e.play(tok, id, []step{
		{"clerk", "forward", map[string]any{"agency": "gl-gov", "mode": "forward"}, "registered"},
		{"handler-town", "accept-petition", map[string]any{}, ""},
		{"handler-town", "answer", answer, "answered"},
		{"clerk", "review", map[string]any{"level": "复查", "reason": "不服"}, "under_review"},
	})
	e.do("GET", "/api/v1/cases/"+id, tok["med-village"], nil).problem(404, fengqiao.ECodeNotFound, "")
	m := e.play(tok, id, []step{
		{"handler-county", "review-reply", map[string]any{"decision": "explain", "text": "维持原意见", "served_on": served}, "answered"},
		{"clerk", "review", map[string]any{"level": "复核", "reason": "仍不服"}, "under_review"},
		{"handler-city", "review-reply", map[string]any{"decision": "not_support", "text": "维持", "served_on": served}, "final"},
	})
	if m["final"] != true || m["handling_node"] != "330200" {
		t.Fatalf("after 复核: %v", m)
	}
	e.do("GET", "/api/v1/cases/"+id, tok["med-village"], nil).problem(404, fengqiao.ECodeNotFound, "")
	e.do("POST", "/api/v1/cases", tok["clerk"], body).problem(422, fengqiao.ECodeFinalAfterReview, "")
}

// TestSupervisionQueue watches a tier clock (set to seconds by policy) run out: the case escalates to
// the township and waits, unacknowledged, on the township supervisor's board until acknowledged.
func TestSupervisionQueue(t *testing.T) {
	p := deadline.DefaultPolicy()
	p.Tiers[fengqiao.TierVillage] = deadline.Fixed(2 * time.Second)
	e := newEnvWithPolicy(t, storetest.SQLite(t), p)
	tok := e.seedDemo()
	id := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()["id"].(string)
	var q map[string]any
	for i := 0; i < 100; i++ {
		q = e.do("GET", "/api/v1/supervision/queue?node=330203001", tok["sup-town"], nil).want(200).json()
		if len(q["unacknowledged"].([]any)) == 1 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	un := q["unacknowledged"].([]any)
	if len(un) != 1 || un[0].(map[string]any)["id"] != id || un[0].(map[string]any)["tier"] != "township" {
		t.Fatalf("queue = %v", q)
	}
	e.do("GET", "/api/v1/supervision/queue?node=330203002", tok["sup-town"], nil).problem(403, fengqiao.ECodeForbidden, "")
	e.do("GET", "/api/v1/supervision/queue", tok["med-village"], nil).problem(403, fengqiao.ECodeForbidden, "")

	res := e.do("POST", "/api/v1/supervision/bulk", tok["sup-town"], map[string]any{
		"case_ids": []string{id, "nosuchcase"}, "action": "acknowledge", "args": map[string]string{"reason": "收到"},
	}).want(200).json()["results"].([]any)
	if res[0].(map[string]any)["ok"] != true || res[1].(map[string]any)["status"] != float64(404) {
		t.Fatalf("bulk results = %v", res)
	}
	for i := 0; i < 50; i++ {
		q = e.do("GET", "/api/v1/supervision/queue", tok["sup-town"], nil).want(200).json()
		if len(q["unacknowledged"].([]any)) == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("still unacknowledged after acknowledge: %v", q)
}

func TestLoginAndPublicQueryAreRateLimited(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	var last response
	for i := 0; i < 8; i++ {
		last = e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "guess"})
	}
	last.problem(429, fengqiao.ECodeRateLimited, "")
	if last.header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	tok := e.seedDemo()
	code := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()["query_code"].(string)
	for i := 0; i < 5; i++ {
		e.do("GET", "/api/v1/public/cases/"+code+"?phone_last4=000"+string(rune('0'+i)), "", nil).want(404)
	}
	// the code is locked now, even with the right digits: four digits cannot be guessed
	e.do("GET", "/api/v1/public/cases/"+code+"?phone_last4=5678", "", nil).problem(429, fengqiao.ECodeRateLimited, "")
}
