package web_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fengqiao/demo"
)

var (
	scriptOrStyle = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`)
	anyTag        = regexp.MustCompile(`<[^>]*>`)
	// notWords are names a Chinese page writes in Latin letters: staff logins (lower case with a hyphen,
	// shown beside a person's name), file formats and units, and the language switch naming English.
	notWords = regexp.MustCompile(`\b[a-z]+(-[a-z0-9]+)+\b|\b(JPG|JPEG|PNG|PDF|MB|KB|English)\b`)
)

// pageText is what a reader of the page reads: its text without tags, scripts and styles.
func pageText(body string) string {
	return html.UnescapeString(anyTag.ReplaceAllString(scriptOrStyle.ReplaceAllString(body, " "), " "))
}

// readsChinese fails when the Chinese page holds a Latin word outside names, codes and numbers
// (notWords).
func readsChinese(t *testing.T, step string, p page) {
	t.Helper()
	text := notWords.ReplaceAllString(pageText(p.body), " ")
	if w := latinIn(text); w != "" {
		i := strings.Index(text, w)
		from, to := max(0, i-120), min(len(text), i+120)
		t.Errorf("%s: the Chinese page %s holds the Latin word %q: …%s…", step, p.url, w, strings.Join(strings.Fields(text[from:to]), " "))
	}
}

// TestTheChinesePagesOfACaseThroughEveryStepHoldNoEnglish drives a dispute through intake, assignment,
// acceptance, consent, a session, the agreement, the joint application for judicial confirmation, the
// court's acceptance, extension and confirmation, the performance check and the closure, and a petition
// through forwarding, acceptance and the written answer, with refusals on the way; after each step the
// Chinese case page with its timeline holds no Latin word outside names, codes and numbers.
func TestTheChinesePagesOfACaseThroughEveryStepHoldNoEnglish(t *testing.T) {
	e := newEnv(t)
	login := func(user string) *browser {
		b := e.browser(t)
		b.login(user, demo.Password)
		b.get("/workbench?lang=zh")
		return b
	}
	clerk, sup, med, court := login("clerk"), login("sup-town"), login("med-village"), login("court")
	clerk.get("/cases/new")
	id := caseIDOf(t, clerk.post("/cases/new", intakeForm("楼上漏水")).want(http.StatusOK).body)
	look := func(step string, b *browser) {
		t.Helper()
		readsChinese(t, step, b.get("/cases/"+id).want(http.StatusOK).translated())
	}
	look("intake", clerk)

	type step struct {
		name   string
		by     *browser
		action string
		form   url.Values
		status int
	}
	for _, s := range []step{
		{"accept before assignment is refused", med, "accept", url.Values{}, http.StatusForbidden},
		{"assign", sup, "assign", url.Values{"mediator": {"med-village"}}, http.StatusOK},
		{"the wrong person accepting is refused", sup, "accept", url.Values{}, http.StatusForbidden},
		{"accept", med, "accept", url.Values{}, http.StatusOK},
		{"consent", med, "consent", url.Values{"party": {"applicant"}, "agrees": {"true"}, "note": {"电话确认"}}, http.StatusOK},
		{"an invalid session is refused", med, "sessions", url.Values{"held_at": {"2026-11-29T10:00"}, "outcome": {"maybe"}}, http.StatusUnprocessableEntity},
		{"session", med, "sessions", url.Values{"held_at": {"2026-11-29T10:00"}, "outcome": {"continue"}, "notes": {"双方到场"}}, http.StatusOK},
		{"an agreement without terms is refused", med, "agreement", url.Values{"form": {"written"}, "signed_by_all": {"true"}}, http.StatusUnprocessableEntity},
		{"agreement", med, "agreement", url.Values{"terms": {"李四修复漏水并赔偿八百元"}, "form": {"written"}, "signed_by_all": {"true"}}, http.StatusOK},
		{"confirmation application", med, "confirmation", url.Values{"court": {"330203-FY"}, "joint": {"true"}}, http.StatusOK},
		{"court accepts", court, "court-accept", url.Values{"case_no": {"（2026）浙0203民特1号"}}, http.StatusOK},
		{"court extends", court, "court-decision", url.Values{"result": {"extended"}}, http.StatusOK},
		{"a second extension is refused", court, "court-decision", url.Values{"result": {"extended"}}, http.StatusConflict},
		{"court confirms", court, "court-decision", url.Values{"result": {"confirmed"}, "ruling_no": {"（2026）浙0203民特1号"}}, http.StatusOK},
		{"performance", med, "performance", url.Values{"performed": {"true"}, "note": {"已赔偿"}}, http.StatusOK},
		{"close", med, "close", url.Values{"outcome": {"resolved"}, "confirm": {"yes"}}, http.StatusOK},
		{"escalating a closed case is refused", sup, "escalate", url.Values{"reason": {"再议"}}, http.StatusConflict},
	} {
		s.by.get("/cases/" + id)
		p := s.by.post("/cases/"+id+"/act/"+s.action, s.form).want(s.status)
		readsChinese(t, s.name+" (the answer)", p)
		look(s.name, s.by)
	}
	readsChinese(t, "a case nobody may see", e.browser(t).get("/cases/"+id).want(http.StatusOK)) // the login page
	south := e.browser(t)
	south.login("med-south", "south-password")
	readsChinese(t, "a case of another township", south.get("/cases/"+id+"?lang=zh").want(http.StatusNotFound))
	readsChinese(t, "no such page", south.get("/no/such/page").want(http.StatusNotFound))

	// a petition on organs: the county petition bureau forwards it, the street office accepts and answers
	bureau, handler := login("sup-county"), login("handler-jd")
	f := intakeForm("反映小区违建")
	f.Set("kind", "petition")
	f.Set("app_id", "330203198001010036")
	f.Set("request", "请求依法处理")
	clerk.get("/cases/new")
	pid := caseIDOf(t, clerk.post("/cases/new", f).want(http.StatusOK).body)
	readsChinese(t, "petition registered", clerk.get("/cases/"+pid).want(http.StatusOK))
	today := time.Now().Format("2006-01-02")
	for _, s := range []step{
		{"a forward to a non-agency is refused", bureau, "forward", url.Values{"agency": {"330203-FY"}, "mode": {"forward"}}, http.StatusUnprocessableEntity},
		{"forward", bureau, "forward", url.Values{"agency": {"330203001-JDB"}, "mode": {"forward"}}, http.StatusOK},
		{"accept the petition", handler, "accept-petition", url.Values{"note": {"属本机关职权范围"}}, http.StatusOK},
		{"an answer without its reasons is refused", handler, "answer", url.Values{"decision": {"support"}, "request": {"请求依法处理"}, "served_on": {today}}, http.StatusUnprocessableEntity},
		{"answer", handler, "answer", url.Values{"decision": {"support"}, "request": {"请求依法处理"}, "facts": {"经查属实"},
			"reasons": {"违反规划"}, "basis": {"《城乡规划法》第六十四条"}, "text": {"限期拆除"}, "served_on": {today}}, http.StatusOK},
	} {
		s.by.get("/cases/" + pid)
		p := s.by.post("/cases/"+pid+"/act/"+s.action, s.form).want(s.status)
		readsChinese(t, "petition: "+s.name+" (the answer)", p)
		readsChinese(t, "petition: "+s.name, s.by.get("/cases/"+pid).want(http.StatusOK).translated())
	}
}

// TestTheTimelineAndTheRefusalsSpeakTheReadersLanguageOverTheAPI: the JSON timeline gives every event
// stored with facts its args and its sentence (text) in the language asked for (?lang=, else
// Accept-Language, else Chinese); a refusal's problem document keeps detail in English and adds text.
func TestTheTimelineAndTheRefusalsSpeakTheReadersLanguageOverTheAPI(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	id := caseIDOf(t, clerk.post("/cases/new", intakeForm("楼上漏水")).want(http.StatusOK).body)
	login := e.api(t, "POST", "/api/v1/auth/login", "", map[string]string{"username": "sup-town", "password": demo.Password})
	token, _ := login.body["token"].(string)
	if token == "" {
		t.Fatalf("no token: %+v", login)
	}
	timeline := func(query, acceptLanguage string) []map[string]any {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/cases/"+id+"/timeline"+query, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if acceptLanguage != "" {
			req.Header.Set("Accept-Language", acceptLanguage)
		}
		res := e.do(t, req)
		if res.status != http.StatusOK {
			t.Fatalf("timeline: %d %+v", res.status, res.body)
		}
		items, _ := res.body["items"].([]any)
		out := make([]map[string]any, len(items))
		for i, it := range items {
			out[i], _ = it.(map[string]any)
		}
		return out
	}
	routed := func(items []map[string]any) map[string]any {
		for _, it := range items {
			if it["type"] == "routed" {
				return it
			}
		}
		t.Fatalf("no routed event in %+v", items)
		return nil
	}
	for _, tc := range []struct{ name, query, acceptLanguage, want string }{
		{"Chinese by default", "", "", "分流至"},
		{"English by Accept-Language", "", "en-GB,en;q=0.9,zh;q=0.5", "routed to"},
		{"Chinese by Accept-Language", "", "zh-CN,zh;q=0.9,en;q=0.8", "分流至"},
		{"?lang= over Accept-Language", "?lang=en", "zh-CN", "routed to"},
	} {
		t.Run("timeline: "+tc.name, func(t *testing.T) {
			ev := routed(timeline(tc.query, tc.acceptLanguage))
			args, _ := ev["args"].(map[string]any)
			text, _ := ev["text"].(string)
			if len(args) == 0 || args["body_name"] == nil || !strings.Contains(text, tc.want) {
				t.Errorf("routed: args %v, text %q; want args and a text holding %q", args, text, tc.want)
			}
			if tc.want == "分流至" && latinIn(text) != "" {
				t.Errorf("the Chinese text holds the Latin word %q: %s", latinIn(text), text)
			}
		})
	}

	refuse := func(query, acceptLanguage string) apiResult {
		t.Helper()
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/cases/"+id+"/close"+query, strings.NewReader(`{"outcome":"terminated"}`))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "close-"+query+acceptLanguage)
		if acceptLanguage != "" {
			req.Header.Set("Accept-Language", acceptLanguage)
		}
		return e.do(t, req)
	}
	const detail = "note is required to terminate a mediation: the termination notice (PML 26, NMR 23)"
	for _, tc := range []struct{ name, query, acceptLanguage, want string }{
		{"zh", "?lang=zh", "", "填写有误：说明终止调解须填写终止调解告知（《人民调解法》第二十六条、《宁波市人民调解条例》第二十三条）"},
		{"en", "", "en-US", "Some fields are not valid: " + detail},
	} {
		t.Run("refusal: "+tc.name, func(t *testing.T) {
			res := refuse(tc.query, tc.acceptLanguage)
			got, _ := res.body["detail"].(string)
			text, _ := res.body["text"].(string)
			if res.status != http.StatusUnprocessableEntity || got != detail || text != tc.want {
				t.Errorf("%d detail %q text %q; want 422, the English detail and the text %q", res.status, got, text, tc.want)
			}
		})
	}
}

// do sends an API request as it is and decodes the JSON answer.
func (e *env) do(t *testing.T, req *http.Request) apiResult {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := apiResult{status: res.StatusCode, header: res.Header}
	data, _ := io.ReadAll(res.Body)
	_ = json.Unmarshal(data, &out.body)
	return out
}
