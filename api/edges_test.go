package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"fengqiao/store/storetest"
)

// TestMethodsAndHeadersAtTheEdge: a method a route does not take is 405 method_not_allowed with Allow
// (not 409, the code of a workflow refusal); HEAD works on every GET route; every API answer says
// nosniff and no-store (answers carry tokens and personal data); a 401 names the Bearer scheme.
func TestMethodsAndHeadersAtTheEdge(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	raw := func(method, path, token string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, e.srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for _, tc := range []struct{ method, path, allow string }{
		{"PUT", "/api/v1/cases", "GET"},
		{"OPTIONS", "/api/v1/cases", "POST"},
		{"DELETE", "/api/v1/auth/login", "POST"},
		{"PATCH", "/healthz", "GET"},
	} {
		t.Run(tc.method+" "+tc.path+" is 405 with Allow", func(t *testing.T) {
			res := raw(tc.method, tc.path, e.adminToken)
			if res.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(res.Header.Get("Allow"), tc.allow) {
				t.Fatalf("%d, Allow %q (want 405 listing %s)", res.StatusCode, res.Header.Get("Allow"), tc.allow)
			}
		})
	}
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/openapi.json", "/api/v1/auth/me"} {
		t.Run("HEAD "+path+" answers like GET", func(t *testing.T) {
			head, get := raw("HEAD", path, e.adminToken), raw("GET", path, e.adminToken)
			if head.StatusCode != get.StatusCode || head.StatusCode >= 400 && path != "/readyz" {
				t.Fatalf("HEAD %d, GET %d", head.StatusCode, get.StatusCode)
			}
		})
	}
	t.Run("API answers are neither sniffed nor stored", func(t *testing.T) {
		for _, res := range []*http.Response{raw("GET", "/api/v1/auth/me", e.adminToken), raw("GET", "/api/v1/auth/me", ""),
			raw("GET", "/api/v1/nothing", "")} {
			if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("%s: headers %v", res.Request.URL.Path, res.Header)
			}
		}
		login := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": adminPassword})
		if login.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("the login answer carries a token and must not be stored: %v", login.header)
		}
	})
	t.Run("401 names the Bearer scheme", func(t *testing.T) {
		res := raw("GET", "/api/v1/auth/me", "")
		if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("%d WWW-Authenticate %q", res.StatusCode, res.Header.Get("WWW-Authenticate"))
		}
	})
}

// TestForwardedForIsNotBelievedFromAnyone: without a trusted proxy configured, X-Forwarded-For is the
// client's own word, so a guesser who names a fresh address on every request is still limited by the
// address it really comes from.
func TestForwardedForIsNotBelievedFromAnyone(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	limited := false
	for i := 0; i < 40 && !limited; i++ {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/public/cases/NOSUCHCODE2345?phone_last4=0000", nil)
		req.Header.Set("X-Forwarded-For", "10.9."+strconv.Itoa(i)+".1")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		limited = res.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("40 quick public queries from one peer under 40 forged addresses were never limited")
	}
}
