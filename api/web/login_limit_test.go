package web_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"gorm.io/gorm"

	"fengqiao/demo"
	"fengqiao/store"
)

// apiResult is an answer of the JSON API.
type apiResult struct {
	status int
	header http.Header
	body   map[string]any
}

// api calls the JSON API of the env with a bearer token (none when "") and a JSON body (none when nil).
func (e *env) api(t *testing.T, method, path, token string, body any) apiResult {
	t.Helper()
	var r io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		r = strings.NewReader(string(data))
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.do(t, req)
}

// wantRetryAfter fails unless header holds a Retry-After of 1 to 12 seconds (the per-account
// throttle refills one attempt every 12 s), and returns it.
func wantRetryAfter(t *testing.T, header http.Header) string {
	t.Helper()
	v := header.Get("Retry-After")
	if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 12 {
		t.Fatalf("Retry-After %q, want 1 to 12 seconds", v)
	}
	return v
}

// wantAPIThrottled fails unless the API's answer is 429 rate_limited with Retry-After equal to the
// retry_after of its problem document.
func wantAPIThrottled(t *testing.T, res apiResult) {
	t.Helper()
	if res.status != http.StatusTooManyRequests || res.body["code"] != "rate_limited" {
		t.Fatalf("the API answered %d %v, want 429 rate_limited", res.status, res.body)
	}
	if after := wantRetryAfter(t, res.header); res.body["retry_after"] != after {
		t.Fatalf("Retry-After %s, but the problem's retry_after is %v", after, res.body["retry_after"])
	}
}

// TestWebLoginIsThrottledLikeTheAPI: the page and the API share one login throttle, so guesses at an
// account through either count against it on both.
func TestWebLoginIsThrottledLikeTheAPI(t *testing.T) {
	e := newEnv(t)
	login := func(username, password, csrf string) url.Values {
		return url.Values{"username": {username}, "password": {password}, "csrf": {csrf}}
	}
	t.Run("the sixth wrong password on the page is 429, and then the right one is refused on both", func(t *testing.T) {
		b := e.browser(t)
		csrf := csrfOf(b.get("/login").body)
		for range 5 {
			b.post("/login", login("clerk", "wrong", csrf)).want(http.StatusUnauthorized)
		}
		wantRetryAfter(t, b.post("/login", login("clerk", "wrong", csrf)).want(http.StatusTooManyRequests).header)
		b.post("/login", login("clerk", demo.Password, csrf)).want(http.StatusTooManyRequests).has("操作过于频繁")
		wantAPIThrottled(t, e.api(t, "POST", "/api/v1/auth/login", "", map[string]string{"username": "clerk", "password": demo.Password}))
	})
	t.Run("the sixth wrong password on the API is 429, and then the page refuses the right one", func(t *testing.T) {
		for range 5 {
			if res := e.api(t, "POST", "/api/v1/auth/login", "", map[string]string{"username": "sup-county", "password": "wrong"}); res.status != http.StatusUnauthorized {
				t.Fatalf("a wrong password answered %d, want 401", res.status)
			}
		}
		wantAPIThrottled(t, e.api(t, "POST", "/api/v1/auth/login", "", map[string]string{"username": "sup-county", "password": "wrong"}))
		b := e.browser(t)
		csrf := csrfOf(b.get("/login").body)
		b.post("/login", login("sup-county", demo.Password, csrf)).want(http.StatusTooManyRequests)
	})
	t.Run("other accounts log in meanwhile", func(t *testing.T) {
		e.browser(t).login("sup-town", demo.Password)
	})
}

// outage makes every query of db fail as a refused connection does while the returned flag is set.
func outage(t *testing.T, db *store.DB) *atomic.Bool {
	t.Helper()
	var down atomic.Bool
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	err := db.Callback().Query().Before("gorm:query").Register("web_test:outage", func(tx *gorm.DB) {
		if down.Load() {
			_ = tx.AddError(refused)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return &down
}

// TestSessionCheckDuringOutageIs503: when the database cannot be reached the session cannot be
// checked, and a page says so with 503 and Retry-After, as the API does, instead of a 500 or a
// request to log in again.
func TestSessionCheckDuringOutageIs503(t *testing.T) {
	e := newEnv(t)
	down := outage(t, e.db)
	b := e.browser(t)
	b.login("clerk", demo.Password)
	var token string
	u, _ := url.Parse(e.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "fq_session" {
			token = c.Value
		}
	}
	down.Store(true)
	for _, p := range []page{b.get("/workbench"), b.get("/"), b.post("/logout", url.Values{"csrf": {"x"}})} {
		p.want(http.StatusServiceUnavailable).has("服务暂不可用")
		if p.header.Get("Retry-After") == "" {
			t.Fatalf("%s: 503 without Retry-After", p.url)
		}
	}
	if res := e.api(t, "GET", "/api/v1/auth/me", token, nil); res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" {
		t.Fatalf("the API answered %d (Retry-After %q), want 503 with Retry-After", res.status, res.header.Get("Retry-After"))
	}
	down.Store(false)
	b.get("/workbench").want(http.StatusOK)
}
