package reliability_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"fengqiao"
	"fengqiao/app/apptest"
	"fengqiao/deadline"
	"fengqiao/demo"
	"fengqiao/policy"
	"fengqiao/store"
)

// stack is the whole application in this process — the real HTTP handler, authorizer, case service
// and worker over a real database and the real Temporal server — with the demo county, a second
// county, and a token per user.
type stack struct {
	t       *testing.T
	db      *store.DB
	pol     *policy.Authorizer
	handler http.Handler
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
	{"grid-county", fengqiao.RoleGridWorker, "330203"},     // a grid worker granted at the county: reads its cases
	{"court-jb", fengqiao.RoleCourtOfficer, "330205"},      // another county's court officer
	{"auditor-south", fengqiao.RoleAuditor, "330203002"},   // auditor of the sibling township
	{"clerk-village2", fengqiao.RoleClerk, "330203001002"}, // clerk of the sibling village
}

func newStack(t *testing.T, deadlines deadline.Policy) *stack {
	t.Helper()
	a := apptest.New(t, apptest.WithDeadlines(deadlines))
	s := &stack{t: t, db: a.DB, pol: a.Policy, handler: a.Handler(), srv: a.Server, url: a.URL, tok: map[string]string{}}
	a.SeedDemo(t)
	a.AddNodes(t, otherCounty...)
	a.CreateUser(t, "admin", adminPassword)
	a.Grant(t, "admin", fengqiao.RoleAdmin, policy.Global)
	for _, u := range extraUsers {
		a.CreateUser(t, u.name, u.name+"-password")
		a.Grant(t, u.name, u.role, u.node)
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

// open opens the n-th intake as the demo clerk and returns the case.
func (s *stack) open(body map[string]any) map[string]any {
	s.t.Helper()
	r := mustCall(s.t, s.url, "POST", "/api/v1/cases", s.tok["clerk"], body)
	if r.status != 201 {
		s.t.Fatalf("intake: %s", r)
	}
	return r.json()
}
