package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao/app"
	"fengqiao/app/apptest"
	"fengqiao/secret"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// TestOneHandlerServesAPIAndPages checks the mount users get, on SQLite and on PostgreSQL: the JSON
// API, the operations endpoints and the web pages from the one handler.
func TestOneHandlerServesAPIAndPages(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { checkMount(t, apptest.New(t)) })
	t.Run("postgres", func(t *testing.T) { checkMount(t, apptest.New(t, apptest.Postgres())) })
}

func checkMount(t *testing.T, s *apptest.Stack) {
	tests := []struct {
		name, path  string
		status      int
		contentType string
		body        string
	}{
		{"health", "/healthz", 200, "application/json", `"ok"`},
		{"readiness checks the database and Temporal", "/readyz", 200, "application/json", `"ready":true`},
		{"a page", "/login", 200, "text/html", `name="password"`},
		{"an unknown API path is a problem document", "/api/v1/nothing-here", 404, "application/problem+json", `"not_found"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := http.Get(s.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.contentType) ||
				!strings.Contains(string(body), tt.body) {
				t.Fatalf("GET %s: %d %s: %.300s", tt.path, res.StatusCode, res.Header.Get("Content-Type"), body)
			}
		})
	}
}

// TestServeStopsWhenItsContextEnds checks that Serve answers until its context ends and then returns
// without an error once the drain is done.
func TestServeStopsWhenItsContextEnds(t *testing.T) {
	s := apptest.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	res, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(app.DrainTimeout + 5*time.Second):
		t.Fatal("Serve still running after its context ended")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Fatal("still answering after Serve returned")
	}
}

// TestNewNamesWhatIsMissing checks that a configuration without a Temporal server or a database is
// refused with the field to set.
func TestNewNamesWhatIsMissing(t *testing.T) {
	keys, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  app.Config
		want string
	}{
		{"no Temporal server", app.Config{Keys: keys, DatabaseDSN: t.TempDir() + "/fengqiao.db"}, "TemporalHostPort"},
		{"no database", app.Config{Keys: keys, TemporalHostPort: "127.0.0.1:1", LazyTemporal: true}, "DatabaseDSN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := app.New(context.Background(), tt.cfg)
			if err == nil {
				a.Close()
				t.Fatal("New accepted it")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not name %s", err, tt.want)
			}
		})
	}
}
