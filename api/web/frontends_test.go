package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fengqiao/demo"
)

var idemRe = regexp.MustCompile(`name="idem" value="([^"]+)"`)

// visitsOf waits for the projection of the case to settle and returns its visit count.
func (e *env) visitsOf(t *testing.T, id string, want int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		row, err := e.db.Case(context.Background(), id)
		if err == nil && row.Visits == want || time.Now().After(deadline) {
			return row.Visits
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDoubleSubmittedFormActsOnce: an action form carries a one-time key, so a form sent twice (a
// double click, a resend after a lost answer) records one visit, not two — a second visit would mark
// a one-visit breach against the centre. The same action from a fresh page acts again.
func TestDoubleSubmittedFormActsOnce(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	id := caseIDOf(t, clerk.post("/cases/new", intakeForm("楼道堆物")).want(http.StatusOK).body)

	casePage := clerk.get("/cases/" + id).want(http.StatusOK)
	keys := idemRe.FindAllStringSubmatch(casePage.body, -1)
	var key string
	for _, k := range keys {
		if strings.HasSuffix(k[1], "-visits") {
			key = k[1]
		}
	}
	if key == "" {
		t.Fatalf("the visit form carries no one-time key: %.2000s", casePage.body)
	}
	form := url.Values{"channel": {"visit"}, "note": {"又来了"}, "idem": {key}, "csrf": {csrfOf(casePage.body)}}
	clerk.post("/cases/"+id+"/act/visits", form).want(http.StatusOK)
	clerk.post("/cases/"+id+"/act/visits", form).want(http.StatusOK)
	if got := e.visitsOf(t, id, 2); got != 2 {
		t.Fatalf("a form sent twice recorded %d visits in all, want 2 (the intake and one visit)", got)
	}

	fresh := clerk.get("/cases/" + id).want(http.StatusOK)
	again := idemRe.FindStringSubmatch(fresh.body)
	if again == nil || again[1] == keys[0][1] {
		t.Fatalf("a new page must carry a new key")
	}
	clerk.post("/cases/"+id+"/act/visits", url.Values{"channel": {"visit"}, "note": {"第三次"}}).want(http.StatusOK)
	if got := e.visitsOf(t, id, 3); got != 3 {
		t.Fatalf("a visit from a fresh page must count: %d visits, want 3", got)
	}
}

// TestPagesShareTheRouterEdges: pages are mounted on the API's router, so a method a page does not
// take is 405 with Allow, HEAD works like GET without a body, and an oversized form is refused with
// 413 before it is read — not a misleading 403 after reading megabytes.
func TestPagesShareTheRouterEdges(t *testing.T) {
	e := newEnv(t)
	do := func(method, path string, body string, header map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	t.Run("PUT on a page is 405 with Allow", func(t *testing.T) {
		res := do("PUT", "/login", "", nil)
		if res.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(res.Header.Get("Allow"), "GET") {
			t.Fatalf("PUT /login: %d Allow=%q", res.StatusCode, res.Header.Get("Allow"))
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("a page's 405 is an HTML page, got %s", res.Header.Get("Content-Type"))
		}
	})
	t.Run("HEAD on a page answers like GET without a body", func(t *testing.T) {
		res := do("HEAD", "/login", "", nil)
		if res.StatusCode != http.StatusOK || res.ContentLength > 0 {
			t.Fatalf("HEAD /login: %d, %d bytes", res.StatusCode, res.ContentLength)
		}
	})
	t.Run("a 20 MB form is 413 without being read", func(t *testing.T) {
		big := strings.Repeat("a", 20<<20)
		res := do("POST", "/login", "username=x&password="+big, map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("a 20 MB form: %d, want 413", res.StatusCode)
		}
	})
	t.Run("an unknown page is the HTML 404", func(t *testing.T) {
		res := do("GET", "/no/such/page", "", nil)
		if res.StatusCode != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET /no/such/page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
	})
}

// TestPublicPageSharesTheAPIsGuessLimit: wrong phone digits on the public page and through the public
// API count against one limit for the code and the caller's address, answered 429 with Retry-After on
// both.
func TestPublicPageSharesTheAPIsGuessLimit(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	receipt := clerk.post("/cases/new", intakeForm("噪音扰民")).want(http.StatusOK)
	code := queryCodeRe.FindStringSubmatch(receipt.body)[1]

	anon := e.browser(t)
	for i := 0; i < 3; i++ {
		anon.get("/public")
		anon.post("/public", url.Values{"code": {code}, "last4": {"0000"}}).want(http.StatusNotFound)
	}
	for i := 0; i < 2; i++ {
		if res := e.api(t, "GET", "/api/v1/public/cases/"+code+"?phone_last4=1111", "", nil); res.status != http.StatusNotFound {
			t.Fatalf("a wrong guess through the API: %d", res.status)
		}
	}
	anon.get("/public")
	locked := anon.post("/public", url.Values{"code": {code}, "last4": {applicantPhone[7:]}})
	locked.want(http.StatusTooManyRequests)
	if locked.header.Get("Retry-After") == "" {
		t.Fatal("the page's 429 must say when to retry")
	}
	if res := e.api(t, "GET", "/api/v1/public/cases/"+code+"?phone_last4="+applicantPhone[7:], "", nil); res.status != http.StatusTooManyRequests {
		t.Fatalf("the API must honour the lock the page's guesses made: %d", res.status)
	}
}
