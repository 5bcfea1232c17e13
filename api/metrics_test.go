package api_test

import (
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fengqiao/api"
	"fengqiao/store/storetest"

	"github.com/prometheus/client_golang/prometheus"
)

// TestMetricsLabelsStayBoundedUnderAFlood sends requests with made-up methods, paths and tokens — what
// anyone on the network can send without logging in — and checks that the HTTP metrics keep a small,
// fixed set of series: every label comes from a closed set, and neither the number of series nor the
// size of /metrics grows with the number of distinct requests.
func TestMetricsLabelsStayBoundedUnderAFlood(t *testing.T) {
	reg := api.NewRegistry()
	h := api.NewServer(api.Deps{DB: storetest.SQLite(t), Registry: reg})
	srv := httptest.NewServer(h)
	defer srv.Close()

	rng := rand.New(rand.NewPCG(16, 1)) // fixed: the flood is the same on every run
	flood := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			req, err := http.NewRequest(randomMethod(rng), srv.URL+randomPath(rng), strings.NewReader(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			if rng.IntN(3) == 0 {
				req.Header.Set("Authorization", "Bearer "+randomWord(rng, 20))
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", req.Method, req.URL, err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}
	metricsSize := func() int {
		t.Helper()
		res, err := srv.Client().Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("/metrics: %d", res.StatusCode)
		}
		return len(body)
	}

	before := metricsSize()
	flood(500)
	first, firstSize := httpSeries(t, reg), metricsSize()
	flood(500)
	second, secondSize := httpSeries(t, reg), metricsSize()
	t.Logf("/metrics: %d bytes before, %d after 500 requests (%d series), %d after 1,000 (%d series)",
		before, firstSize, first, secondSize, second)

	// 8 method labels × the few routes and statuses the flood can reach; without the bounds each
	// made-up method was a series of its own (500 requests, about 500 series).
	const maxSeries = 48
	if second > maxSeries {
		t.Errorf("fengqiao_http_requests_total has %d series after 1,000 requests, want at most %d", second, maxSeries)
	}
	// A second flood of as many new methods and paths adds nothing but digits: at most a handful of
	// new (route, method, status) triples, each a counter and a histogram of 2 KB.
	if grew := secondSize - firstSize; grew > 8<<10 {
		t.Errorf("/metrics grew by %d bytes under the second flood of 500 requests, want under 8 KiB", grew)
	}
}

// httpSeries checks every label of the HTTP request counter against its closed set and returns the
// number of series.
func httpSeries(t *testing.T, reg *prometheus.Registry) int {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	methods := map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
		"DELETE": true, "OPTIONS": true, "other": true}
	// the routes the flood can reach: a registered pattern, or "unmatched" for 404s and 405s
	routes := map[string]bool{"unmatched": true, "/healthz": true, "/readyz": true, "/metrics": true,
		"/api/v1/cases": true, "/api/v1/cases/:id": true, "/api/v1/cases/:id/:action": true,
		"/api/v1/cases/:id/timeline": true, "/api/v1/auth/me": true}
	n := 0
	for _, f := range families {
		if f.GetName() != "fengqiao_http_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			n++
			for _, l := range m.GetLabel() {
				switch v := l.GetValue(); l.GetName() {
				case "method":
					if !methods[v] {
						t.Errorf("method label %q is not one of the known methods or other", v)
					}
				case "route":
					if !routes[v] {
						t.Errorf("route label %q is not a route pattern or unmatched", v)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no fengqiao_http_requests_total series: the flood was not counted")
	}
	return n
}

// randomMethod returns a standard method half the time, else a made-up token (lower-case "get"
// among them: methods are case-sensitive).
func randomMethod(rng *rand.Rand) string {
	standard := []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get"}
	if rng.IntN(2) == 0 {
		return standard[rng.IntN(len(standard))]
	}
	return "X" + strings.ToUpper(randomWord(rng, 3+rng.IntN(10)))
}

// randomPath returns a made-up path outside the API, under it, or inside a real route with made-up
// ids and actions.
func randomPath(rng *rand.Rand) string {
	switch rng.IntN(7) {
	case 0:
		return "/" + randomWord(rng, 8)
	case 1:
		return "/api/v1/" + randomWord(rng, 8)
	case 2:
		return "/api/v1/cases/" + randomWord(rng, 12)
	case 3:
		return "/api/v1/cases/" + randomWord(rng, 12) + "/" + randomWord(rng, 6)
	case 4:
		return "/api/v1/" + randomWord(rng, 4) + "/" + randomWord(rng, 4) + "?q=" + randomWord(rng, 6)
	case 5:
		return []string{"/healthz", "/readyz", "/metrics", "/api/v1/cases", "/api/v1/auth/me"}[rng.IntN(5)]
	default:
		return "/static/" + randomWord(rng, 5) + ".js"
	}
}

func randomWord(rng *rand.Rand, n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[rng.IntN(len(letters))]
	}
	return string(b)
}
