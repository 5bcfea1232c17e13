package reliability_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/api"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/demo"
	"fengqiao/policy"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/store/storetest"
	"fengqiao/worker"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"golang.org/x/crypto/bcrypt"
)

// stack is the whole application in this process — the real HTTP handler, authorizer, case service
// and worker over a real database and the real Temporal server — with the demo county, a second
// county, and a token per user.
type stack struct {
	t       *testing.T
	db      *store.DB
	pol     *policy.Authorizer
	handler *api.Server
	srv     *httptest.Server
	url     string
	tok     map[string]string
}

const adminPassword = "reliability admin password"

// otherCounty is a second county under the same city: its people must never reach 海曙区's cases.
var otherCounty = []fengqiao.Node{
	{Code: "330205", Name: "江北区", Tier: fengqiao.TierCounty, ParentCode: "330200"},
	{Code: "330205001", Name: "中马街道", Tier: fengqiao.TierTownship, ParentCode: "330205"},
	{Code: "330205001001", Name: "槐树路社区", Tier: fengqiao.TierVillage, ParentCode: "330205001"},
}

// extraUsers are the intruders of the authorization suite, each with the grant that places them.
var extraUsers = []struct {
	name string
	role fengqiao.Role
	node string
}{
	{"med-south", fengqiao.RoleMediator, "330203002"},      // mediator of the sibling township
	{"sup-south", fengqiao.RoleSupervisor, "330203002"},    // supervisor of the sibling township
	{"sup-jb", fengqiao.RoleSupervisor, "330205"},          // supervisor of another county
	{"clerk-jb", fengqiao.RoleClerk, "330205"},             // clerk of another county
	{"med-jb", fengqiao.RoleMediator, "330205001001"},      // mediator of another county's village
	{"admin-city", fengqiao.RoleAdmin, "330200"},           // an ancestor (the city) without a case role
	{"grid-county", fengqiao.RoleGridWorker, "330203"},     // an ancestor (the county) that may only open cases
	{"court-jb", fengqiao.RoleCourtOfficer, "330205"},      // another county's court officer
	{"auditor-south", fengqiao.RoleAuditor, "330203002"},   // auditor of the sibling township
	{"clerk-village2", fengqiao.RoleClerk, "330203001002"}, // clerk of the sibling village
}

func newStack(t *testing.T, deadlines deadline.Policy) *stack {
	t.Helper()
	hostPort := temporal(t)
	ctx := context.Background()
	db := storetest.SQLite(t)
	pol, err := policy.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	var ns string
	select {
	case ns = <-namespaces:
	default:
		t.Fatal("out of Temporal namespaces: raise the capacity in harness_test.go")
	}
	tc, err := client.Dial(client.Options{HostPort: hostPort, Namespace: ns, DataConverter: keys.DataConverter(),
		Logger: tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	w := worker.New(tc, &activities.Activities{DB: db, Keys: keys}, sdkworker.Options{})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	service := &cases.Service{DB: db, Temporal: tc, Keys: keys, Policy: deadlines}
	h := api.NewServer(api.Deps{DB: db, Policy: pol, Temporal: tc, Cases: service})
	s := &stack{t: t, db: db, pol: pol, handler: h, srv: httptest.NewServer(h), tok: map[string]string{}}
	s.url = s.srv.URL
	t.Cleanup(s.srv.Close)

	if _, err := demo.Seed(ctx, db, pol); err != nil {
		t.Fatal(err)
	}
	for _, n := range otherCounty {
		created, err := db.CreateNode(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if err := pol.NodeAdded(ctx, created); err != nil {
			t.Fatal(err)
		}
	}
	s.createUser("admin", adminPassword, fengqiao.RoleAdmin, policy.Global)
	for _, u := range extraUsers {
		s.createUser(u.name, u.name+"-password", u.role, u.node)
	}
	s.tok["admin"] = login(t, s.url, "admin", adminPassword)
	for _, u := range extraUsers {
		s.tok[u.name] = login(t, s.url, u.name, u.name+"-password")
	}
	for _, u := range []string{"clerk", "grid", "med-village", "med-town", "med-county", "sup-town", "sup-county", "court", "auditor"} {
		s.tok[u] = login(t, s.url, u, demo.Password)
	}
	return s
}

func (s *stack) createUser(name, password string, role fengqiao.Role, node string) {
	s.t.Helper()
	// the lowest bcrypt cost: these tests log in often and run under -race
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.db.CreateUser(context.Background(), store.UserRow{Username: name, PasswordHash: string(hash)}); err != nil {
		s.t.Fatal(err)
	}
	if err := s.pol.Grant(context.Background(), name, role, node); err != nil {
		s.t.Fatal(err)
	}
}

// open opens the n-th intake as the demo clerk and returns the case.
func (s *stack) open(body map[string]any) map[string]any {
	s.t.Helper()
	r := mustCall(s.t, s.url, "POST", "/api/v1/cases", s.tok["clerk"], body)
	if r.status != 201 {
		s.t.Fatalf("intake: %s", r)
	}
	return r.json()
}
