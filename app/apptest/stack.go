package apptest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	sdkworker "go.temporal.io/sdk/worker"
	"golang.org/x/crypto/bcrypt"

	"fengqiao"
	"fengqiao/app"
	"fengqiao/deadline"
	"fengqiao/demo"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// Stack is the whole application under test: an app.App — database, authorizer, keys, Temporal
// client and case service, as the binary assembles them — with its worker running on a namespace of
// its own, and an httptest.Server over the production handler.
type Stack struct {
	*app.App
	// Server serves the App's handler: the JSON API, the operations endpoints and the web pages.
	Server *httptest.Server
	// URL is Server.URL.
	URL string
	// Namespace is the Temporal namespace the stack's cases run in.
	Namespace string
}

// Option changes how New builds a stack.
type Option func(*options)

type options struct {
	db        *store.DB
	postgres  bool
	configure []func(*app.Config)
	worker    []func(*sdkworker.Options)
}

// WithDB runs the stack on db (for example one of storetest.Each's) instead of a fresh SQLite database.
func WithDB(db *store.DB) Option { return func(o *options) { o.db = db } }

// Postgres runs the stack on a fresh PostgreSQL schema (storetest.Postgres), or skips the test when
// FENGQIAO_TEST_POSTGRES is unset.
func Postgres() Option { return func(o *options) { o.postgres = true } }

// WithDeadlines makes new cases start with the deadline policy p.
func WithDeadlines(p deadline.Policy) Option {
	return WithConfig(func(c *app.Config) { c.Deadlines = p })
}

// WithPrefixes sets the case number prefixes (county code → prefix).
func WithPrefixes(prefixes map[string]string) Option {
	return WithConfig(func(c *app.Config) { c.Prefixes = prefixes })
}

// WithConfig changes the app.Config New builds the stack from, after New has set the database, the
// keys and the Temporal namespace.
func WithConfig(fn func(*app.Config)) Option {
	return func(o *options) { o.configure = append(o.configure, fn) }
}

// WithWorkerOptions changes the options the stack's worker starts with (an interceptor, say).
func WithWorkerOptions(fn func(*sdkworker.Options)) Option {
	return func(o *options) { o.worker = append(o.worker, fn) }
}

// New builds a stack for t over the shared Temporal server and stops it when t ends.
func New(t testing.TB, opts ...Option) *Stack {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	db := o.db
	switch {
	case db != nil:
	case o.postgres:
		db = storetest.Postgres(t)
	default:
		db = storetest.SQLite(t)
	}
	keys, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	hostPort, ns := Namespace(t)
	// lazy: the connection is made on first use, so a loaded machine cannot time the dial out
	cfg := app.Config{DB: db, Keys: keys, TemporalHostPort: hostPort, Namespace: ns, LazyTemporal: true}
	for _, fn := range o.configure {
		fn(&cfg)
	}
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	// a loaded machine can hold a workflow task past the SDK's one-second deadlock detector
	wo := sdkworker.Options{DeadlockDetectionTimeout: time.Minute}
	for _, fn := range o.worker {
		fn(&wo)
	}
	stop, err := a.StartWorker(wo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &Stack{App: a, Server: srv, URL: srv.URL, Namespace: ns}
}

// CreateUser creates an account with no grant. Its password is hashed at bcrypt's lowest cost: a
// login compares at the cost stored in the hash, and tests make many users and log in often.
func (s *Stack) CreateUser(t testing.TB, username, password string) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.CreateUser(context.Background(), store.UserRow{Username: username, PasswordHash: string(hash)}); err != nil {
		t.Fatal(err)
	}
}

// Grant gives username the role at node (policy.Global for everywhere).
func (s *Stack) Grant(t testing.TB, username string, role fengqiao.Role, node string) {
	t.Helper()
	if err := s.Policy.Grant(context.Background(), username, role, node); err != nil {
		t.Fatal(err)
	}
}

// AddNodes adds jurisdiction nodes, parents first, and tells the authorizer about each.
func (s *Stack) AddNodes(t testing.TB, nodes ...fengqiao.Node) {
	t.Helper()
	ctx := context.Background()
	for _, n := range nodes {
		created, err := s.DB.CreateNode(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Policy.NodeAdded(ctx, created); err != nil {
			t.Fatal(err)
		}
	}
}

// SeedDemo loads the demo jurisdiction and the demo users (password demo.Password).
func (s *Stack) SeedDemo(t testing.TB) []demo.Login {
	t.Helper()
	logins, err := demo.Seed(context.Background(), s.DB, s.Policy)
	if err != nil {
		t.Fatal(err)
	}
	return logins
}

// Login logs in through the JSON API and returns the bearer token.
func (s *Stack) Login(t testing.TB, username, password string) string {
	t.Helper()
	return Login(t, s.URL, username, password)
}

// Login logs in to the server at base through the JSON API and returns the bearer token.
func Login(t testing.TB, base, username, password string) string {
	t.Helper()
	req, err := NewRequest(context.Background(), "POST", base+"/api/v1/auth/login", "",
		map[string]string{"username": username, "password": password})
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var body struct {
		Token string `json:"token"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(data, &body) != nil || body.Token == "" {
		t.Fatalf("login %s: %d %s", username, res.StatusCode, data)
	}
	return body.Token
}
