package policy

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"gorm.io/gorm"

	"fengqiao"
	"fengqiao/internal/wanterr"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// The test tree:
//
//	330200 宁波市 (city)
//	├── 330203 海曙区 (county)
//	│   ├── 330203001 township A ── 330203001001 village ── 330203001001G1 grid
//	│   ├── 330203002 township B ── 330203002001 village
//	│   └── 330203FY court
//	└── 330205 江北区 (county)
//	    ├── 330205001 township ── 330205001001 village
//	    └── 330205FY court
const (
	nCity      = "330200"
	nCounty    = "330203"
	nTownA     = "330203001"
	nVillageA  = "330203001001"
	nGridA     = "330203001001G1"
	nTownB     = "330203002"
	nVillageB  = "330203002001"
	nCourt     = "330203FY"
	nCounty2   = "330205"
	nTown2     = "330205001"
	nVillage2  = "330205001001"
	nCourt2    = "330205FY"
	nUnknown   = "330299999"
	nOwnNode   = nTownA
	nDescend   = nGridA
	nAncestor  = nCounty
	nSibling   = nTownB
	nOtherCnty = nTown2
)

func seedTree(t *testing.T, db *store.DB) {
	t.Helper()
	for _, n := range []fengqiao.Node{
		{Code: nCity, Name: "宁波市", Tier: fengqiao.TierCity},
		{Code: nCounty, Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: nCity},
		{Code: nTownA, Name: "A", Tier: fengqiao.TierTownship, ParentCode: nCounty},
		{Code: nVillageA, Name: "A1", Tier: fengqiao.TierVillage, ParentCode: nTownA},
		{Code: nGridA, Name: "A1G1", Tier: fengqiao.TierGrid, ParentCode: nVillageA},
		{Code: nTownB, Name: "B", Tier: fengqiao.TierTownship, ParentCode: nCounty},
		{Code: nVillageB, Name: "B1", Tier: fengqiao.TierVillage, ParentCode: nTownB},
		{Code: nCourt, Name: "海曙法院", Tier: fengqiao.TierCourt, ParentCode: nCounty},
		{Code: nCounty2, Name: "江北区", Tier: fengqiao.TierCounty, ParentCode: nCity},
		{Code: nTown2, Name: "C", Tier: fengqiao.TierTownship, ParentCode: nCounty2},
		{Code: nVillage2, Name: "C1", Tier: fengqiao.TierVillage, ParentCode: nTown2},
		{Code: nCourt2, Name: "江北法院", Tier: fengqiao.TierCourt, ParentCode: nCounty2},
	} {
		if _, err := db.CreateNode(context.Background(), n); err != nil {
			t.Fatalf("create %s: %v", n.Code, err)
		}
	}
}

func newAuthorizer(t *testing.T, db *store.DB) *Authorizer {
	t.Helper()
	a, err := New(context.Background(), db)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

// grant is one grant a test makes.
type grant struct {
	user string
	role fengqiao.Role
	node string
}

// onTree runs f on each test database (storetest.Each) with the test tree seeded and an Authorizer
// that has made the grants.
func onTree(t *testing.T, grants []grant, f func(t *testing.T, db *store.DB, a *Authorizer)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedTree(t, db)
		a := newAuthorizer(t, db)
		for _, g := range grants {
			mustGrant(t, a, g.user, g.role, g.node)
		}
		f(t, db, a)
	})
}

func mustGrant(t *testing.T, a *Authorizer, user string, role fengqiao.Role, node string) {
	t.Helper()
	if err := a.Grant(context.Background(), user, role, node); err != nil {
		t.Fatalf("grant %s %s at %s: %v", user, role, node, err)
	}
}

// expectedActions is DESIGN.md §4 and API.md restated independently of permissions(): the actions
// each role holds within the subtree of its grant, and those it holds anywhere.
func expectedActions(r fengqiao.Role) (subtree, anywhere []Action) {
	switch r {
	case fengqiao.RoleGridWorker:
		return []Action{ActionCaseOpen, ActionCaseResolveOnSpot, ActionCaseRead}, nil
	case fengqiao.RoleClerk:
		return []Action{ActionCaseRead, ActionCaseVisit, ActionCaseFollowUp, ActionCaseReview, ActionCaseAssign,
				ActionCaseRoute, ActionCaseSupervise},
			[]Action{ActionCaseOpen, ActionCaseResolveOnSpot}
	case fengqiao.RoleMediator:
		return []Action{ActionCaseRead, ActionCaseAccept, ActionCaseSession, ActionCaseAgreement,
			ActionCaseEscalate, ActionCaseSuspend, ActionCaseResume, ActionCaseConfirmation,
			ActionCasePerformance, ActionCaseClose, ActionCaseAnswer, ActionCaseJoint, ActionCaseJointPart}, nil
	case fengqiao.RoleSupervisor:
		return []Action{ActionCaseRead, ActionCaseAssign, ActionCaseEscalate, ActionCaseReturn,
			ActionCaseExtend, ActionCaseSuspend, ActionCaseResume, ActionCaseClose, ActionSupervisionRead,
			ActionSupervisionAcknowledge, ActionSupervisionBulk, ActionStatsRead,
			ActionCaseRoute, ActionCaseSupervise, ActionCaseHandle, ActionCaseAnswer, ActionCaseJoint, ActionCaseHandOff}, nil
	case fengqiao.RoleHandler:
		return []Action{ActionCaseRead, ActionCaseAccept, ActionCaseHandle, ActionCaseAnswer}, nil
	case fengqiao.RoleCourtOfficer:
		return []Action{ActionCaseRead, ActionCaseCourtDecision, ActionCaseRefer}, nil
	case fengqiao.RoleAuditor:
		return []Action{ActionCaseRead, ActionAuditRead, ActionStatsRead}, nil
	case fengqiao.RoleAdmin:
		return []Action{ActionAdminJurisdictions, ActionAdminUsers, ActionAdminGrants, ActionAdminCalendar,
			ActionAdminPolicy}, nil
	}
	return nil, nil
}

// expectedOnCase restates CanOnCase for a user holding role over a case (covering both its location
// and handling node) who is neither its first-contact owner nor its assignee, with no court set. (The
// case has no handling body: a handler's accept and answer need a petition handled by their agency,
// see TestBodyGrants.)
func expectedOnCase(r fengqiao.Role, act Action) (allowed, visible bool) {
	readers := []fengqiao.Role{fengqiao.RoleGridWorker, fengqiao.RoleClerk, fengqiao.RoleMediator, fengqiao.RoleHandler,
		fengqiao.RoleSupervisor, fengqiao.RoleAuditor}
	visible = slices.Contains(readers, r)
	if !visible {
		return false, false
	}
	switch act {
	case ActionCaseRead:
		return true, true
	case ActionCaseAssign:
		return r == fengqiao.RoleSupervisor || r == fengqiao.RoleClerk, true
	case ActionCaseEscalate, ActionCaseSuspend, ActionCaseResume, ActionCaseClose, ActionCaseReturn,
		ActionCaseExtend, ActionSupervisionRead, ActionSupervisionAcknowledge, ActionSupervisionBulk,
		ActionCaseJoint, ActionCaseHandOff:
		return r == fengqiao.RoleSupervisor, true
	case ActionCaseJointPart: // any mediator who reads it; the workflow checks it is a co-body's mediator
		return r == fengqiao.RoleMediator, true
	case ActionCaseVisit, ActionCaseFollowUp, ActionCaseReview:
		return r == fengqiao.RoleClerk, true
	case ActionCaseRoute, ActionCaseSupervise:
		return r == fengqiao.RoleSupervisor || r == fengqiao.RoleClerk, true
	case ActionCaseHandle, ActionCaseAnswer: // the organ's handlers and 负责人 (an assigned mediator answers too)
		return r == fengqiao.RoleSupervisor || r == fengqiao.RoleHandler, true
	case ActionAuditRead:
		return r == fengqiao.RoleAuditor, true
	}
	// assignee-only mediator actions, the court's decision, statistics and administration
	return false, true
}

type position struct{ name, node string }

func positions() []position {
	return []position{
		{"own_node", nOwnNode}, {"descendant", nDescend}, {"ancestor", nAncestor},
		{"sibling_township", nSibling}, {"other_county", nOtherCnty}, {"unknown_node", nUnknown},
	}
}

// TestMatrix grants every role at township A and asks every action at every position, function-level
// (Can, and Casbin's own Enforce for known nodes) and on a case located and handled there (CanOnCase).
func TestMatrix(t *testing.T) {
	onTree(t, nil, func(t *testing.T, db *store.DB, a *Authorizer) {
		for _, r := range fengqiao.Roles {
			mustGrant(t, a, "u-"+string(r), r, nOwnNode)
		}
		for _, r := range fengqiao.Roles {
			user := "u-" + string(r)
			subtree, anywhere := expectedActions(r)
			for _, act := range Actions() {
				for _, pos := range positions() {
					covered := pos.node == nOwnNode || pos.node == nDescend
					known := pos.node != nUnknown
					t.Run(string(r)+"/"+string(act)+"/"+pos.name, func(t *testing.T) {
						want := known && (slices.Contains(anywhere, act) || covered && slices.Contains(subtree, act))
						got, err := a.Can(user, act, pos.node)
						if err != nil || got != want {
							t.Fatalf("Can = %v, %v; want %v", got, err, want)
						}
						if known {
							ref, err := a.enforce(user, act, pos.node)
							if err != nil || ref != want {
								t.Fatalf("casbin Enforce = %v, %v; want %v", ref, err, want)
							}
						}
						c := CaseRef{Location: pos.node, HandlingNode: pos.node, FirstContactUser: "someone", Assignee: "someone-else"}
						d, err := a.CanOnCase(user, act, c)
						if err != nil {
							t.Fatal(err)
						}
						var wantAllowed, wantVisible bool
						if act == ActionCaseOpen || act == ActionCaseResolveOnSpot {
							wantAllowed, wantVisible = want, true
						} else if covered {
							wantAllowed, wantVisible = expectedOnCase(r, act)
						}
						if d.Allowed != wantAllowed || d.Visible != wantVisible {
							t.Fatalf("CanOnCase = %+v; want allowed=%v visible=%v", d, wantAllowed, wantVisible)
						}
					})
				}
			}
		}
	})
}

func TestGlobalAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAuthorizer(t, db) // an empty tree: the first admin logs in before any node exists
		mustGrant(t, a, "admin", fengqiao.RoleAdmin, Global)
		if ok, err := a.Can("admin", ActionAdminJurisdictions, Global); !ok || err != nil {
			t.Fatalf("global admin at Global = %v, %v", ok, err)
		}
		if ok, _ := a.Can("admin", ActionCaseRead, Global); ok {
			t.Fatal("the admin role must not read cases")
		}
		n, err := db.CreateNode(ctx, fengqiao.Node{Code: nCity, Name: "宁波市", Tier: fengqiao.TierCity})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.NodeAdded(ctx, n); err != nil {
			t.Fatal(err)
		}
		if ok, _ := a.Can("admin", ActionAdminGrants, nCity); !ok {
			t.Fatal("global admin must cover a new node")
		}
		d, _ := a.CanOnCase("admin", ActionCaseRead, CaseRef{Location: nCity, HandlingNode: nCity})
		if d.Visible || d.Allowed {
			t.Fatalf("admin reads a case: %+v", d)
		}
		if got := a.ReadableSubtrees("admin"); got != nil {
			t.Fatalf("admin readable subtrees = %v", got)
		}
		// the user named "admin" is not thereby the role admin (Casbin's default role manager links a
		// name to itself)
		if ok, _ := a.enforce("admin", ActionAdminUsers, nCity); !ok {
			t.Fatal("casbin must agree on the global admin")
		}
		if ok, _ := a.enforce("clerk", ActionCaseRead, nCity); ok {
			t.Fatal("a user named like a role must not hold it")
		}
		err = a.Revoke(ctx, "admin", fengqiao.RoleAdmin, Global)
		if fengqiao.ErrorCode(err) != fengqiao.ECodeConflict {
			t.Fatalf("revoking the last global admin: %v", err)
		}
	})
}

func TestGrantValidation(t *testing.T) {
	onTree(t, nil, func(t *testing.T, db *store.DB, a *Authorizer) {
		ctx := context.Background()
		wanterr.Field(t, a.Grant(ctx, "m", "wizard", nTownA), "role")
		wanterr.Field(t, a.Grant(ctx, "m", fengqiao.RoleMediator, nUnknown), "jurisdiction")
		wanterr.Field(t, a.Grant(ctx, "m", fengqiao.RoleMediator, ""), "jurisdiction")
		wanterr.Field(t, a.Grant(ctx, "", fengqiao.RoleMediator, nTownA), "username")
		mustGrant(t, a, "m", fengqiao.RoleMediator, nTownB)
		mustGrant(t, a, "m", fengqiao.RoleMediator, nTownA)
		mustGrant(t, a, "m", fengqiao.RoleMediator, nTownA) // idempotent
		mustGrant(t, a, "m", fengqiao.RoleAuditor, nTownA)
		want := []fengqiao.Grant{
			{Username: "m", Role: fengqiao.RoleAuditor, Node: nTownA},
			{Username: "m", Role: fengqiao.RoleMediator, Node: nTownA},
			{Username: "m", Role: fengqiao.RoleMediator, Node: nTownB},
		}
		if !a.HasAnywhere("m", ActionAuditRead) || a.HasAnywhere("m", ActionAdminUsers) {
			t.Fatal("HasAnywhere")
		}
		if got := a.Grants("m"); !slices.Equal(got, want) {
			t.Fatalf("grants = %v, want %v", got, want)
		}
		var rows int64
		db.Table(ruleTable).Where("ptype = 'g' AND v0 = 'm'").Count(&rows)
		if rows != 3 {
			t.Fatalf("%d grant rows stored, want 3", rows)
		}
		if err := a.Revoke(ctx, "m", fengqiao.RoleMediator, nTownB); err != nil {
			t.Fatal(err)
		}
		if err := a.Revoke(ctx, "m", fengqiao.RoleMediator, nTownB); fengqiao.ErrorCode(err) != fengqiao.ECodeNotFound {
			t.Fatalf("revoking a missing grant: %v", err)
		}
		if ok, _ := a.Can("m", ActionCaseAccept, nVillageB); ok {
			t.Fatal("a revoked grant still counts")
		}
		if _, err := a.Can("m", "case.fly", nTownA); err == nil {
			t.Fatal("an unknown action must be an error")
		}
		// a fresh Authorizer reads the same from the database
		b := newAuthorizer(t, db)
		if got := b.Grants("m"); !slices.Equal(got, want[:2]) {
			t.Fatalf("reloaded grants = %v", got)
		}
	})
}

// TestManyGrantsPerUser covers users whose grants get a map index (more than manyGrants nodes).
func TestManyGrantsPerUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedTree(t, db)
		var villages []string
		for i := 2; i < 14; i++ {
			n, err := db.CreateNode(ctx, fengqiao.Node{Code: nTownA + fmt.Sprintf("%03d", i), Name: "v", Tier: fengqiao.TierVillage, ParentCode: nTownA})
			if err != nil {
				t.Fatal(err)
			}
			villages = append(villages, n.Code)
		}
		a := newAuthorizer(t, db)
		for _, v := range villages {
			mustGrant(t, a, "busy", fengqiao.RoleMediator, v)
		}
		mustGrant(t, a, "busy", fengqiao.RoleAuditor, nTown2)
		check := func(node string, want bool) {
			t.Helper()
			if ok, err := a.Can("busy", ActionCaseRead, node); ok != want || err != nil {
				t.Fatalf("Can at %s = %v, %v; want %v", node, ok, err, want)
			}
		}
		check(villages[11], true)
		check(nVillage2, true)
		check(nVillageA, false)
		check(nTownA, false)
		for _, v := range villages[:10] {
			if err := a.Revoke(ctx, "busy", fengqiao.RoleMediator, v); err != nil {
				t.Fatal(err)
			}
		}
		check(villages[0], false)
		check(villages[11], true)
		if got := len(a.Grants("busy")); got != 3 {
			t.Fatalf("%d grants left, want 3", got)
		}
	})
}

// TestUnknownRoleRowsAreIgnored: a grant or permission of a role this release does not know (a newer
// release's, during a rolling upgrade) must not stop the others from loading.
func TestUnknownRoleRowsAreIgnored(t *testing.T) {
	onTree(t, []grant{
		{"m", fengqiao.RoleMediator, nTownA},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		for _, r := range [][]string{{"g", "m", "wizard", nTownA}, {"p", "wizard", "case.read", "subtree"}} {
			if err := db.Exec("INSERT INTO "+ruleTable+" (ptype, v0, v1, v2) VALUES (?, ?, ?, ?)", r[0], r[1], r[2], r[3]).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Reload(context.Background()); err != nil {
			t.Fatal(err)
		}
		if ok, _ := a.Can("m", ActionCaseRead, nTownA); !ok {
			t.Fatal("the known grant must still count")
		}
	})
}

// TestCasbinDecides changes p rules in the database, as an operator or a newer release would, and
// checks that decisions follow them: they are Casbin's answers on the rules loaded, not the code's
// permission table (which New seeds, and which these changes leave as it is). The Authorizer picks a
// change up on Reload, or at its version check when the change bumps the policy version (as a reseed
// does); until then it answers from the rules in memory.
func TestCasbinDecides(t *testing.T) {
	c := CaseRef{Location: nVillageA, HandlingNode: nTownA, Assignee: "med"}
	cases := []struct {
		name   string
		rule   permission
		add    bool // add the rule; otherwise delete it
		grant  grant
		decide func(a *Authorizer) (bool, error)
	}{
		{"supervisor_loses_assign", permission{fengqiao.RoleSupervisor, ActionCaseAssign, scopeSubtree}, false,
			grant{"sup", fengqiao.RoleSupervisor, nTownA}, func(a *Authorizer) (bool, error) {
				return a.Can("sup", ActionCaseAssign, nVillageA)
			}},
		{"supervisor_loses_assign_on_case", permission{fengqiao.RoleSupervisor, ActionCaseAssign, scopeSubtree}, false,
			grant{"sup", fengqiao.RoleSupervisor, nTownA}, func(a *Authorizer) (bool, error) {
				d, err := a.CanOnCase("sup", ActionCaseAssign, c)
				return d.Allowed, err
			}},
		{"assignee_loses_accept", permission{fengqiao.RoleMediator, ActionCaseAccept, scopeSubtree}, false,
			grant{"med", fengqiao.RoleMediator, nTownA}, func(a *Authorizer) (bool, error) {
				acts, err := a.AllowedCaseActions("med", c)
				return slices.Contains(acts, ActionCaseAccept), err
			}},
		{"auditor_loses_read", permission{fengqiao.RoleAuditor, ActionCaseRead, scopeSubtree}, false,
			grant{"aud", fengqiao.RoleAuditor, nTownA}, func(a *Authorizer) (bool, error) {
				return a.ReadScope("aud").Subtrees != nil, nil
			}},
		{"clerk_loses_open_anywhere", permission{fengqiao.RoleClerk, ActionCaseOpen, scopeAnywhere}, false,
			grant{"clk", fengqiao.RoleClerk, nTownA}, func(a *Authorizer) (bool, error) {
				d, err := a.CanOnCase("clk", ActionCaseOpen, CaseRef{Location: nVillage2})
				return d.Allowed, err
			}},
		{"mediator_gains_stats", permission{fengqiao.RoleMediator, ActionStatsRead, scopeSubtree}, true,
			grant{"med", fengqiao.RoleMediator, nTownA}, func(a *Authorizer) (bool, error) {
				return a.Can("med", ActionStatsRead, nVillageA)
			}},
		{"mediator_gains_open_anywhere", permission{fengqiao.RoleMediator, ActionCaseOpen, scopeAnywhere}, true,
			grant{"med", fengqiao.RoleMediator, nTownA}, func(a *Authorizer) (bool, error) {
				return a.HasAnywhere("med", ActionCaseOpen) && !a.HasAnywhere("sup", ActionCaseOpen), nil
			}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedTree(t, db)
		for _, tc := range cases {
			for _, viaVersion := range []bool{false, true} {
				name := tc.name + "/reload"
				if viaVersion {
					name = tc.name + "/version"
				}
				t.Run(name, func(t *testing.T) {
					a := newAuthorizer(t, db) // reseeds the code's permissions
					mustGrant(t, a, tc.grant.user, tc.grant.role, tc.grant.node)
					mustGrant(t, a, "sup", fengqiao.RoleSupervisor, nTownA)
					decide := func(want bool, when string) {
						t.Helper()
						if got, err := tc.decide(a); err != nil || got != want {
							t.Fatalf("%s: %v, %v; want %v", when, got, err, want)
						}
					}
					decide(!tc.add, "before")
					err := db.Transaction(func(tx *gorm.DB) error {
						if viaVersion {
							if _, err := bump(tx, change{kind: changeAll}); err != nil {
								return err
							}
						}
						r := tc.rule
						if tc.add {
							return tx.Exec("INSERT INTO "+ruleTable+" (ptype, v0, v1, v2) VALUES ('p', ?, ?, ?)", r.role, r.action, r.scope).Error
						}
						return tx.Exec("DELETE FROM "+ruleTable+" WHERE ptype = 'p' AND v0 = ? AND v1 = ? AND v2 = ?", r.role, r.action, r.scope).Error
					})
					if err != nil {
						t.Fatal(err)
					}
					if viaVersion {
						err = a.sync(ctx)
					} else {
						decide(!tc.add, "before Reload")
						err = a.Reload(ctx)
					}
					if err != nil {
						t.Fatal(err)
					}
					decide(tc.add, "after")
				})
			}
		}
	})
}

// TestDecisionsAskTheEnforcer removes a p rule from the enforcer's memory alone, through Casbin's
// management API: decisions follow once the policy version moves, and come back with the database's
// rule on Reload. They are Enforce's answers on the rules it holds, cached until the version moves.
func TestDecisionsAskTheEnforcer(t *testing.T) {
	onTree(t, []grant{
		{"sup", fengqiao.RoleSupervisor, nTownA},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		ctx := context.Background()
		c := CaseRef{Location: nVillageA, HandlingNode: nTownA}
		decide := func(want bool, when string) {
			t.Helper()
			ok, err := a.Can("sup", ActionCaseAssign, nVillageA)
			d, err2 := a.CanOnCase("sup", ActionCaseAssign, c)
			acts, err3 := a.AllowedCaseActions("sup", c)
			if err != nil || err2 != nil || err3 != nil || ok != want || d.Allowed != want || slices.Contains(acts, ActionCaseAssign) != want {
				t.Fatalf("%s: Can %v, CanOnCase %+v, AllowedCaseActions %v (%v, %v, %v); want %v", when, ok, d, acts, err, err2, err3, want)
			}
		}
		decide(true, "first")
		a.mu.Lock()
		removed, err := a.st.enforcer.SelfRemovePolicy("p", "p", []string{string(fengqiao.RoleSupervisor), string(ActionCaseAssign), scopeSubtree})
		a.mu.Unlock()
		if !removed || err != nil {
			t.Fatalf("remove the rule from the enforcer: %v, %v", removed, err)
		}
		decide(true, "cached")
		mustGrant(t, a, "someone", fengqiao.RoleClerk, nTownB) // the version moves
		decide(false, "after the version moved")
		if err := a.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		decide(true, "after Reload")
	})
}

// TestFullCacheIsEmptied fills the decision cache: the decision that finds it full is still
// answered, and the next one starts from an empty cache.
func TestFullCacheIsEmptied(t *testing.T) {
	onTree(t, []grant{
		{"m", fengqiao.RoleMediator, nTownA},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		a.mu.Lock()
		for i := len(a.st.cache.m); i < maxDecisions; i++ {
			a.st.cache.m[question{user: fmt.Sprint("x", i), dom: nTownA, act: ActionCaseRead}] = verdict{}
		}
		a.mu.Unlock()
		for i, when := range []string{"full", "emptied"} {
			if ok, err := a.Can("m", ActionCaseRead, nVillageA); !ok || err != nil {
				t.Fatalf("%s: %v, %v", when, ok, err)
			}
			a.mu.RLock()
			n := len(a.st.cache.m)
			a.mu.RUnlock()
			if want := []int{maxDecisions, 1}[i]; n != want {
				t.Fatalf("%s: %d answers cached, want %d", when, n, want)
			}
		}
	})
}
