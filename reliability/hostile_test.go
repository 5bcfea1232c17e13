package reliability_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao/api"
	"fengqiao/deadline"
)

// TestHostileInput sends what an attacker or a broken client would through the real handler.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	s := newStack(t, deadline.DefaultPolicy())
	c := s.open(intakeBody(1))
	id := c["id"].(string)
	healthy := func(t *testing.T) {
		t.Helper()
		if r := mustCall(t, s.url, "GET", "/healthz", "", nil); r.status != 200 {
			t.Fatalf("the server is not healthy after the attack: %s", r)
		}
	}

	t.Run("oversized bodies are 413", func(t *testing.T) {
		big := `{"summary":"` + strings.Repeat("x", 2<<20) + `"}`
		for _, tc := range []struct{ path, token, key string }{
			{"/api/v1/cases", s.tok["clerk"], ""},
			{"/api/v1/cases", s.tok["clerk"], "big-1"},
			{"/api/v1/cases/" + id + "/visits", s.tok["clerk"], ""},
			{"/api/v1/auth/login", "", ""},
			{"/api/v1/users", s.tok["admin"], "big-2"},
			{"/api/v1/cases/lookup", s.tok["clerk"], ""},
			{"/api/v1/supervision/bulk", s.tok["sup-county"], ""},
		} {
			r := call(context.Background(), s.url, "POST", tc.path, tc.token, tc.key, big)
			if r.err == nil && r.status != 413 {
				t.Errorf("POST %s (key %q) with 2 MiB: %d %.200s", tc.path, tc.key, r.status, r.body)
			}
		}
		healthy(t)
	})

	t.Run("deep JSON nesting is refused, not a crash", func(t *testing.T) {
		deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
		deepObj := `{"summary":` + strings.Repeat(`{"a":`, 50000) + `1` + strings.Repeat("}", 50000) + `}`
		for _, body := range []string{deep, deepObj} {
			for _, tc := range []struct{ path, token, key string }{
				{"/api/v1/cases", s.tok["clerk"], ""},
				{"/api/v1/cases", s.tok["clerk"], "deep-" + fmt.Sprint(len(body))},
				{"/api/v1/cases/" + id + "/visits", s.tok["clerk"], ""},
				{"/api/v1/auth/login", "", ""},
				{"/api/v1/supervision/bulk", s.tok["sup-county"], ""},
				{"/api/v1/public/cases/" + c["query_code"].(string) + "/rating", "", ""},
			} {
				r := call(context.Background(), s.url, "POST", tc.path, tc.token, tc.key, body)
				if r.err != nil || (r.status != 400 && r.status != 422) {
					t.Errorf("POST %s with %d-byte nesting: %s", tc.path, len(body), r)
				}
			}
		}
		healthy(t)
	})

	t.Run("HTML and script in every text field are data", func(t *testing.T) {
		xss := func(field string) string {
			return `<script>alert("` + field + `")</script><img src=x onerror=alert(1)>&amp;`
		}
		body := intakeBody(2)
		body["summary"] = xss("summary")
		body["parties"] = []map[string]string{
			{"role": "applicant", "name": xss("applicant"), "id_number": idNumber(2), "phone": "13900000002"},
			{"role": "respondent", "name": xss("respondent")},
			{"role": "representative", "name": xss("representative")},
		}
		r := mustCall(t, s.url, "POST", "/api/v1/cases", s.tok["clerk"], body)
		if r.status != 201 {
			t.Fatalf("intake: %s", r)
		}
		cid := r.json()["id"].(string)
		note := xss("note")
		if r := mustCall(t, s.url, "POST", "/api/v1/cases/"+cid+"/visits", s.tok["clerk"], map[string]string{"channel": "visit", "note": note}); r.status != 200 {
			t.Fatalf("visit: %s", r)
		}
		var timeline reply
		poll(t, 30*time.Second, func() string {
			timeline = mustCall(t, s.url, "GET", "/api/v1/cases/"+cid+"/timeline", s.tok["sup-county"], nil)
			if !strings.Contains(string(timeline.body), `"visit`) {
				return "the visit is not on the timeline yet"
			}
			return ""
		})
		for _, res := range []reply{r, mustCall(t, s.url, "GET", "/api/v1/cases/"+cid, s.tok["sup-county"], nil), timeline,
			mustCall(t, s.url, "GET", "/api/v1/cases?limit=100", s.tok["sup-county"], nil)} {
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q: a browser could sniff it as HTML", ct)
			}
			for _, raw := range []string{"<script", "<img", "onerror=alert(1)>"} {
				if strings.Contains(string(res.body), raw) {
					t.Errorf("a JSON answer carries %q unescaped: %.300s", raw, res.body)
				}
			}
		}
		v := mustCall(t, s.url, "GET", "/api/v1/cases/"+cid, s.tok["sup-county"], nil).json()
		if v["summary"] != xss("summary") {
			t.Errorf("summary stored as %q, want the text exactly", v["summary"])
		}
		for i, want := range []string{"applicant", "respondent", "representative"} {
			if got := v["parties"].([]any)[i].(map[string]any)["name"]; got != xss(want) {
				t.Errorf("party %d name stored as %q, want the text exactly", i, got)
			}
		}
	})

	t.Run("brute force on login is 429", func(t *testing.T) {
		var last reply
		for i := 0; i < 8; i++ {
			last = mustCall(t, s.url, "POST", "/api/v1/auth/login", "", map[string]string{"username": "sup-town", "password": fmt.Sprint("guess", i)})
		}
		if last.status != 429 || last.header.Get("Retry-After") == "" {
			t.Fatalf("8th wrong password: %s (Retry-After %q), want 429 with Retry-After", last, last.header.Get("Retry-After"))
		}
		// locked means locked: the right password does not get through either
		if r := mustCall(t, s.url, "POST", "/api/v1/auth/login", "", map[string]string{"username": "sup-town", "password": "fengqiao-demo"}); r.status != 429 {
			t.Fatalf("right password during the lockout: %s", r)
		}
		// spraying one password over many usernames from one address is limited too
		limited := false
		for i := 0; i < 40 && !limited; i++ {
			r := mustCall(t, s.url, "POST", "/api/v1/auth/login", "", map[string]string{"username": fmt.Sprint("user", i), "password": "123456"})
			limited = r.status == 429
		}
		if !limited {
			t.Fatal("40 logins with different usernames from one address were never limited")
		}
	})

	t.Run("brute force on a public query code is 429", func(t *testing.T) {
		code := c["query_code"].(string)
		var last reply
		for i := 0; i < 6; i++ {
			last = mustCall(t, s.url, "GET", fmt.Sprintf("/api/v1/public/cases/%s?phone_last4=%04d", code, 9000+i), "", nil) // the phone ends 0001
		}
		if last.status != 429 {
			t.Fatalf("6th wrong phone digits: %s", last)
		}
		if r := mustCall(t, s.url, "GET", "/api/v1/public/cases/"+code+"?phone_last4=0001", "", nil); r.status != 429 {
			t.Fatalf("the right digits during the lockout: %s", r) // 4 digits cannot be guessed
		}
		if r := mustCall(t, s.url, "POST", "/api/v1/public/cases/"+code+"/rating", "", map[string]any{"phone_last4": "0001", "score": 1}); r.status != 429 {
			t.Fatalf("a rating during the lockout: %s", r)
		}
		// guessing codes: many codes from one address
		limited := false
		for i := 0; i < 80 && !limited; i++ {
			r := mustCall(t, s.url, "GET", fmt.Sprintf("/api/v1/public/cases/GUESS%07d?phone_last4=1234", i), "", nil)
			limited = r.status == 429
		}
		if !limited {
			t.Fatal("80 guessed query codes from one address were never limited")
		}
	})

	t.Run("forged, expired and revoked tokens are 401", func(t *testing.T) {
		good := s.tok["sup-county"]
		flipped := []byte(good)
		flipped[len(flipped)/2] ^= 1
		expired := "expired-token-" + fmt.Sprint(time.Now().UnixNano())
		if _, err := s.db.SaveToken(context.Background(), expired, "sup-county", -time.Minute); err != nil {
			t.Fatal(err)
		}
		// tokens as a login issues them (logins from this address are rate-limited by the other subtests)
		loggedOut, leaver := "logged-out-"+fmt.Sprint(time.Now().UnixNano()), "leaver-"+fmt.Sprint(time.Now().UnixNano())
		for tok, user := range map[string]string{loggedOut: "sup-county", leaver: "med-town"} {
			if _, err := s.db.SaveToken(context.Background(), tok, user, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		if r := mustCall(t, s.url, "GET", "/api/v1/auth/me", leaver, nil); r.status != 200 {
			t.Fatalf("a fresh token: %s", r)
		}
		if r := mustCall(t, s.url, "POST", "/api/v1/auth/logout", loggedOut, nil); r.status != 204 {
			t.Fatalf("logout: %s", r)
		}
		if err := s.db.SetUserDisabled(context.Background(), "med-town", true); err != nil {
			t.Fatal(err)
		}
		for name, tok := range map[string]string{
			"random": "d2hhdGV2ZXI", "one bit flipped": string(flipped), "expired": expired, "logged out": loggedOut,
			"disabled user": leaver, "sql": "' OR '1'='1", "long": strings.Repeat("A", 8000),
		} {
			for _, path := range []string{"/api/v1/auth/me", "/api/v1/cases/" + id} {
				if r := mustCall(t, s.url, "GET", path, tok, nil); r.status != 401 {
					t.Errorf("%s token on %s: %s", name, path, r)
				}
			}
			if r := mustCall(t, s.url, "POST", "/api/v1/cases/"+id+"/visits", tok, actionBodies["visits"]); r.status != 401 {
				t.Errorf("%s token acting: %s", name, r)
			}
		}
		for _, h := range []string{"Basic " + good, "bearer", "Bearer", good} {
			req, _ := http.NewRequest("GET", s.url+"/api/v1/auth/me", nil)
			req.Header.Set("Authorization", h)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 401 {
				t.Errorf("Authorization %.12q…: %d, want 401", h, res.StatusCode)
			}
		}
		if r := mustCall(t, s.url, "GET", "/api/v1/auth/me", good, nil); r.status != 200 {
			t.Fatalf("the good token stopped working: %s", r)
		}
	})
}

// TestSlowClientsAreCutOff runs the real http.Server the binary runs (api.NewHTTPServer) and holds
// connections open the slow way: headers a byte at a time, and a body that never completes. The
// server must drop them (5 s for the headers, 30 s for the whole request) rather than wait forever.
func TestSlowClientsAreCutOff(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits for the server's read timeouts (up to 30 s)")
	}
	s := newStack(t, deadline.DefaultPolicy())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := api.NewHTTPServer(ln.Addr().String(), s.handler)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	addr := ln.Addr().String()

	// dribble writes chunks one per interval and reports when the server closed the connection (or
	// answered), measured from the start.
	dribble := func(t *testing.T, first string, chunk string, every time.Duration, limit time.Duration) (time.Duration, string) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		closed := make(chan string, 1)
		go func() {
			line, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil && line == "" {
				closed <- "closed: " + err.Error()
				return
			}
			closed <- "answered: " + strings.TrimSpace(line)
		}()
		if _, err := io.WriteString(conn, first); err != nil {
			t.Fatal(err)
		}
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case how := <-closed:
				return time.Since(start), how
			case <-tick.C:
				if time.Since(start) > limit {
					t.Fatalf("the server still holds the connection after %v", time.Since(start))
				}
				_, _ = io.WriteString(conn, chunk) // after the cut, writes fail: the reader reports it
			}
		}
	}
	t.Run("headers a byte a second", func(t *testing.T) {
		t.Parallel()
		took, how := dribble(t, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n", "X", time.Second, 20*time.Second)
		if took > 12*time.Second {
			t.Fatalf("cut off after %v (%s), want about 5 s", took, how)
		}
		t.Logf("slow headers: %s after %v", how, took.Round(100*time.Millisecond))
	})
	t.Run("a body that never completes", func(t *testing.T) {
		t.Parallel()
		took, how := dribble(t, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{",
			" ", time.Second, 60*time.Second)
		if took > 40*time.Second || strings.Contains(how, "200") {
			t.Fatalf("slow body: %s after %v, want a cut (or a 4xx) within the 30 s read timeout", how, took)
		}
		t.Logf("slow body: %s after %v", how, took.Round(100*time.Millisecond))
	})
	t.Run("a fast client is still served meanwhile", func(t *testing.T) {
		t.Parallel()
		res, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.NewDecoder(res.Body).Decode(&m)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("healthz during the slow clients: %d", res.StatusCode)
		}
	})
}
