package policy

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// caseCheck is one CanOnCase expectation.
type caseCheck struct {
	name    string
	user    string
	action  Action
	c       CaseRef
	allowed bool
	visible bool
}

func runCaseChecks(t *testing.T, a *Authorizer, checks []caseCheck) {
	t.Helper()
	for _, cc := range checks {
		t.Run(cc.name, func(t *testing.T) {
			d, err := a.CanOnCase(cc.user, cc.action, cc.c)
			if err != nil {
				t.Fatal(err)
			}
			if d.Allowed != cc.allowed || d.Visible != cc.visible {
				t.Fatalf("%s %s: got %+v, want allowed=%v visible=%v", cc.user, cc.action, d, cc.allowed, cc.visible)
			}
			if d.Reason == "" {
				t.Fatal("a decision must give a reason")
			}
		})
	}
}

func TestGridWorkerRules(t *testing.T) {
	onTree(t, []grant{
		{"gw", fengqiao.RoleGridWorker, nGridA},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		own := CaseRef{Location: nGridA, HandlingNode: nVillageA, FirstContactUser: "gw", FirstContactNode: nGridA}
		other := CaseRef{Location: nGridA, HandlingNode: nVillageA, FirstContactUser: "clerk1", FirstContactNode: nTownA}
		runCaseChecks(t, a, []caseCheck{
			{"opens_in_own_grid", "gw", ActionCaseOpen, CaseRef{Location: nGridA}, true, true},
			{"resolves_on_spot_in_own_grid", "gw", ActionCaseResolveOnSpot, CaseRef{Location: nGridA}, true, true},
			{"no_open_in_parent_village", "gw", ActionCaseOpen, CaseRef{Location: nVillageA}, false, true},
			{"no_open_in_other_township", "gw", ActionCaseOpen, CaseRef{Location: nVillageB}, false, true},
			{"no_open_at_unknown_location", "gw", ActionCaseOpen, CaseRef{Location: nUnknown}, false, true},
			{"reads_case_received", "gw", ActionCaseRead, own, true, true},
			{"follows_up_case_received", "gw", ActionCaseFollowUp, own, true, true},
			{"no_visit_without_clerk_role", "gw", ActionCaseVisit, own, false, true},
			{"no_assign", "gw", ActionCaseAssign, own, false, true},
			{"reads_others_cases_in_grid", "gw", ActionCaseRead, other, true, true},
			{"no_follow_up_on_others_cases_in_grid", "gw", ActionCaseFollowUp, other, false, true},
			{"no_assign_on_others_cases_in_grid", "gw", ActionCaseAssign, other, false, true},
			{"does_not_read_case_in_parent_village", "gw", ActionCaseRead, CaseRef{Location: nVillageA, HandlingNode: nTownA, FirstContactUser: "clerk1", FirstContactNode: nTownA}, false, false},
			{"does_not_read_case_in_other_township", "gw", ActionCaseRead, CaseRef{Location: nVillageB, HandlingNode: nTownB, FirstContactUser: "clerk1", FirstContactNode: nTownB}, false, false},
		})
	})
}

func TestCourtRules(t *testing.T) {
	onTree(t, []grant{
		{"judge", fengqiao.RoleCourtOfficer, nCourt},
		{"countyjudge", fengqiao.RoleCourtOfficer, nCounty},
		{"med", fengqiao.RoleMediator, nTownA},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		sent := CaseRef{Location: nVillageA, HandlingNode: nTownA, Assignee: "med", Court: nCourt}
		elsewhere := CaseRef{Location: nVillage2, HandlingNode: nTown2, Court: nCourt2}
		notSent := CaseRef{Location: nVillageA, HandlingNode: nTownA, Assignee: "med"}
		runCaseChecks(t, a, []caseCheck{
			{"rules_on_own_court", "judge", ActionCaseCourtDecision, sent, true, true},
			{"reads_own_court_case", "judge", ActionCaseRead, sent, true, true},
			{"no_other_action", "judge", ActionCaseClose, sent, false, true},
			{"other_court_invisible", "judge", ActionCaseCourtDecision, elsewhere, false, false},
			{"unsent_case_invisible", "judge", ActionCaseRead, notSent, false, false},
			{"grant_above_court_covers_it", "countyjudge", ActionCaseCourtDecision, sent, true, true},
			{"grant_above_court_reads_no_uncourted_case", "countyjudge", ActionCaseRead, notSent, false, false},
			{"mediator_cannot_rule", "med", ActionCaseCourtDecision, sent, false, true},
			{"assigned_mediator_sends_to_court", "med", ActionCaseConfirmation, sent, true, true},
		})
		if got := a.ReadScope("judge").Courts; !slices.Equal(got, []string{"/330200/330203/330203FY/"}) {
			t.Fatalf("court scope = %v", got)
		}
	})
}

func TestMediatorActsOnlyWhenAssigned(t *testing.T) {
	onTree(t, []grant{
		{"m1", fengqiao.RoleMediator, nTownA},
		{"m2", fengqiao.RoleMediator, nTownA},
		{"mb", fengqiao.RoleMediator, nTownB},
		{"sup", fengqiao.RoleSupervisor, nCounty},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		c := CaseRef{Location: nVillageA, HandlingNode: nTownA, FirstContactUser: "x", Assignee: "m1"}
		escalated := c
		escalated.HandlingNode = nCounty
		caseB := CaseRef{Location: nVillageB, HandlingNode: nTownB, Assignee: "mb"}
		var checks []caseCheck
		for _, act := range []Action{ActionCaseAccept, ActionCaseSession, ActionCaseAgreement, ActionCaseConfirmation,
			ActionCasePerformance, ActionCaseAnswer, ActionCaseEscalate, ActionCaseSuspend, ActionCaseResume, ActionCaseClose} {
			checks = append(checks,
				caseCheck{"assignee_" + string(act), "m1", act, c, true, true},
				caseCheck{"colleague_" + string(act), "m2", act, c, false, true},
				caseCheck{"other_township_" + string(act), "mb", act, c, false, false},
				caseCheck{"after_escalation_" + string(act), "m1", act, escalated, false, true},
			)
		}
		checks = append(checks,
			caseCheck{"mediator_cannot_extend", "m1", ActionCaseExtend, c, false, true},
			caseCheck{"mediator_cannot_assign", "m1", ActionCaseAssign, c, false, true},
			caseCheck{"supervisor_closes", "sup", ActionCaseClose, c, true, true},
			caseCheck{"supervisor_no_session", "sup", ActionCaseSession, c, false, true},
			caseCheck{"township_a_never_sees_b", "m1", ActionCaseRead, caseB, false, false},
			caseCheck{"colleague_reads", "m2", ActionCaseRead, c, true, true},
		)
		runCaseChecks(t, a, checks)
		if !a.CanBeAssigned("m2", c) || a.CanBeAssigned("mb", c) || a.CanBeAssigned("sup", c) {
			t.Fatal("CanBeAssigned: only mediators covering the handling node")
		}
		acts, err := a.AllowedCaseActions("m1", c)
		if err != nil || !slices.Contains(acts, ActionCaseAccept) || slices.Contains(acts, ActionCaseAssign) {
			t.Fatalf("allowed actions of the assignee = %v, %v", acts, err)
		}
		if acts, _ := a.AllowedCaseActions("mb", c); acts != nil {
			t.Fatalf("allowed actions on an invisible case = %v", acts)
		}
	})
}

func TestFirstContactOwnerMayRead(t *testing.T) {
	onTree(t, []grant{
		// a clerk of the other county's window receives a matter located in township A
		{"c2", fengqiao.RoleClerk, nCounty2},
		{"c2b", fengqiao.RoleClerk, nCounty2}, // a colleague at the same window
		{"c2t", fengqiao.RoleClerk, nTown2},   // a window below it
		{"m2", fengqiao.RoleMediator, nCounty2},
		{"ca", fengqiao.RoleClerk, nTownA},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		ctx := context.Background()
		c := CaseRef{Location: nVillageA, HandlingNode: nTownA, FirstContactUser: "c2", FirstContactNode: nCounty2}
		runCaseChecks(t, a, []caseCheck{
			{"opens_anywhere", "c2", ActionCaseOpen, CaseRef{Location: nVillageA}, true, true},
			{"owner_reads", "c2", ActionCaseRead, c, true, true},
			{"owner_follows_up", "c2", ActionCaseFollowUp, c, true, true},
			{"owner_records_visit", "c2", ActionCaseVisit, c, true, true},
			{"owner_cannot_assign_elsewhere", "c2", ActionCaseAssign, c, false, true},
			{"owner_cannot_review_elsewhere", "c2", ActionCaseReview, c, false, true},
			{"local_clerk_assigns", "ca", ActionCaseAssign, c, true, true},
			{"window_colleague_reads", "c2b", ActionCaseRead, c, true, true},
			{"window_colleague_follows_up", "c2b", ActionCaseFollowUp, c, true, true},
			{"window_colleague_cannot_assign", "c2b", ActionCaseAssign, c, false, true},
			{"window_below_blind", "c2t", ActionCaseRead, c, false, false},
			{"mediator_of_window_blind", "m2", ActionCaseRead, c, false, false},
			{"other_clerk_blind", "ca", ActionCaseRead, CaseRef{Location: nVillage2, HandlingNode: nTown2, FirstContactUser: "c2"}, false, false},
		})
		if !a.MaySeeComplainant("c2", c) || a.MaySeeComplainant("nobody", c) {
			t.Fatal("MaySeeComplainant must follow read access")
		}
		s := a.ReadScope("c2")
		if !s.FirstContact || !s.Assigned || !slices.Equal(s.Subtrees, []string{"/330200/330205/"}) ||
			!slices.Equal(s.FirstContactSubtrees, []string{"/330200/330205/"}) {
			t.Fatalf("read scope = %+v", s)
		}
		// leaving the job ends first-contact access too
		if err := a.Revoke(ctx, "c2", fengqiao.RoleClerk, nCounty2); err != nil {
			t.Fatal(err)
		}
		if d, _ := a.CanOnCase("c2", ActionCaseRead, c); d.Visible {
			t.Fatalf("a former clerk still reads: %+v", d)
		}
		if s := a.ReadScope("c2"); s.FirstContact || s.Subtrees != nil || s.FirstContactSubtrees != nil {
			t.Fatalf("read scope after revocation = %+v", s)
		}
		if d, _ := a.CanOnCase("c2b", ActionCaseFollowUp, c); !d.Allowed {
			t.Fatalf("the window keeps the case after its clerk left: %+v", d)
		}
	})
}

func TestReadableSubtrees(t *testing.T) {
	onTree(t, []grant{
		{"s", fengqiao.RoleSupervisor, nTownA},
		{"s", fengqiao.RoleMediator, nVillageA}, // inside A: not listed again
		{"s", fengqiao.RoleAuditor, nTown2},
		{"s", fengqiao.RoleAdmin, nTownB}, // admin reads nothing
		{"g", fengqiao.RoleAuditor, Global},
		{"w", fengqiao.RoleGridWorker, nGridA},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		want := []string{"/330200/330203/330203001/", "/330200/330205/330205001/"}
		if got := a.ReadableSubtrees("s"); !slices.Equal(got, want) {
			t.Fatalf("subtrees = %v, want %v", got, want)
		}
		if got := a.ReadableSubtrees("g"); !slices.Equal(got, []string{"/"}) {
			t.Fatalf("global auditor subtrees = %v", got)
		}
		if got := a.ReadableSubtrees("w"); !slices.Equal(got, []string{"/330200/330203/330203001/330203001001/330203001001G1/"}) {
			t.Fatalf("grid worker subtrees = %v, want the grid's", got)
		}
		if p, ok := a.PathOf(nGridA); !ok || p != "/330200/330203/330203001/330203001001/330203001001G1/" {
			t.Fatalf("PathOf = %q, %v", p, ok)
		}
		if _, ok := a.PathOf(nUnknown); ok {
			t.Fatal("PathOf an unknown node")
		}
	})
}

// TestChangesReachOtherAuthorizers runs two Authorizers on one database, as two `serve` processes
// would: each learns the other's grants, revocations and new nodes by itself.
func TestChangesReachOtherAuthorizers(t *testing.T) {
	onTree(t, nil, func(t *testing.T, db *store.DB, a1 *Authorizer) {
		ctx := context.Background()
		a2 := newAuthorizer(t, db)
		eventually := func(what string, cond func() bool) {
			t.Helper()
			for i := 0; i < 300; i++ { // 3 s, far above the 200 ms check interval
				if cond() {
					return
				}
				sleep10ms()
			}
			t.Fatalf("%s: not seen by the other Authorizer", what)
		}
		can := func(a *Authorizer, user string, act Action, node string) bool {
			ok, err := a.Can(user, act, node)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if can(a2, "sup", ActionCaseAssign, nVillageA) {
			t.Fatal("no grant yet")
		}
		mustGrant(t, a1, "sup", fengqiao.RoleSupervisor, nTownA)
		if !can(a1, "sup", ActionCaseAssign, nVillageA) {
			t.Fatal("a grant must take effect at once in its own process")
		}
		eventually("grant", func() bool { return can(a2, "sup", ActionCaseAssign, nVillageA) })

		if err := a2.Revoke(ctx, "sup", fengqiao.RoleSupervisor, nTownA); err != nil {
			t.Fatal(err)
		}
		eventually("revocation", func() bool { return !can(a1, "sup", ActionCaseAssign, nVillageA) })

		mustGrant(t, a2, "sup", fengqiao.RoleSupervisor, nTownB)
		n, err := db.CreateNode(ctx, fengqiao.Node{Code: "330203002002", Name: "B2", Tier: fengqiao.TierVillage, ParentCode: nTownB})
		if err != nil {
			t.Fatal(err)
		}
		if err := a1.NodeAdded(ctx, n); err != nil {
			t.Fatal(err)
		}
		if !can(a1, "sup", ActionCaseAssign, n.Code) {
			t.Fatal("the creating process must know the node at once")
		}
		eventually("new node", func() bool {
			p, ok := a2.PathOf(n.Code)
			return ok && p == "/330200/330203/330203002/330203002002/" && can(a2, "sup", ActionCaseAssign, n.Code)
		})

		// a grant made in a1 at a node that a1 learnt only from the database
		n2, err := db.CreateNode(ctx, fengqiao.Node{Code: "330203002003", Name: "B3", Tier: fengqiao.TierVillage, ParentCode: nTownB})
		if err != nil {
			t.Fatal(err)
		}
		if err := a2.NodeAdded(ctx, n2); err != nil {
			t.Fatal(err)
		}
		mustGrant(t, a1, "vm", fengqiao.RoleMediator, n2.Code)
		eventually("grant at a node new to both", func() bool {
			return can(a1, "vm", ActionCaseRead, n2.Code) && can(a2, "vm", ActionCaseRead, n2.Code)
		})

		// a node whose creator never said NodeAdded: the grant's change teaches it to the other process
		n3, err := db.CreateNode(ctx, fengqiao.Node{Code: "330203002004", Name: "B4", Tier: fengqiao.TierVillage, ParentCode: nTownB})
		if err != nil {
			t.Fatal(err)
		}
		mustGrant(t, a1, "vm4", fengqiao.RoleMediator, n3.Code)
		eventually("node learnt from a grant", func() bool { return can(a2, "vm4", ActionCaseRead, n3.Code) })

		// a bulk import announced with TreeChanged
		if err := db.Exec("INSERT INTO nodes (code, name, tier, parent_code, path, depth, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			"330205002", "D", "township", nCounty2, "/330200/330205/330205002/", 2, n2Time()).Error; err != nil {
			t.Fatal(err)
		}
		if err := a2.TreeChanged(ctx); err != nil {
			t.Fatal(err)
		}
		eventually("tree reload", func() bool { _, ok := a1.PathOf("330205002"); return ok })

		if err := a1.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a1.Grants("sup"), a2.Grants("sup")) {
			t.Fatalf("after reload: %v vs %v", a1.Grants("sup"), a2.Grants("sup"))
		}
	})
}

// TestConcurrentDecisions decides from several goroutines while grants come and go in another
// Authorizer (run with -race).
func TestConcurrentDecisions(t *testing.T) {
	onTree(t, nil, func(t *testing.T, db *store.DB, writer *Authorizer) {
		ctx := context.Background()
		reader := newAuthorizer(t, db)
		reader.syncEvery = time.Millisecond // check the database as often as possible
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := CaseRef{Location: nGridA, HandlingNode: nTownA, Assignee: "m"}
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := reader.Can("m", ActionCaseRead, nGridA); err != nil {
						t.Error(err)
						return
					}
					if _, err := reader.CanOnCase("m", ActionCaseAccept, c); err != nil {
						t.Error(err)
						return
					}
					reader.ReadScope("m")
					reader.Grants("m")
				}
			}()
		}
		for i := 0; i < 20; i++ {
			mustGrant(t, writer, "m", fengqiao.RoleMediator, nTownA)
			if err := writer.Revoke(ctx, "m", fengqiao.RoleMediator, nTownA); err != nil {
				t.Fatal(err)
			}
		}
		mustGrant(t, writer, "m", fengqiao.RoleMediator, nTownA)
		close(stop)
		wg.Wait()
		if err := reader.sync(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, _ := reader.Can("m", ActionCaseRead, nGridA); !ok {
			t.Fatal("the last grant must win")
		}
	})
}

// TestFailsClosedWhenStale: when the database cannot be checked for longer than the staleness bound,
// decisions are errors, not answers from possibly revoked grants.
func TestFailsClosedWhenStale(t *testing.T) {
	onTree(t, []grant{
		{"m", fengqiao.RoleMediator, nTownA},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		if ok, err := a.Can("m", ActionCaseRead, nTownA); !ok || err != nil {
			t.Fatalf("before: %v, %v", ok, err)
		}
		dead := storetest.SQLite(t)
		if err := dead.Close(); err != nil {
			t.Fatal(err)
		}
		a.db = dead // the database is gone
		a.syncEvery, a.maxStale = time.Millisecond, 20*time.Millisecond
		a.nextCheck.Store(0)
		time.Sleep(30 * time.Millisecond)
		if _, err := a.Can("m", ActionCaseRead, nTownA); !errors.Is(err, ErrStale) {
			t.Fatalf("Can on stale data: %v", err)
		}
		if _, err := a.CanOnCase("m", ActionCaseRead, CaseRef{Location: nTownA, HandlingNode: nTownA}); !errors.Is(err, ErrStale) {
			t.Fatalf("CanOnCase on stale data: %v", err)
		}
		a.db = db // back
		time.Sleep(2 * time.Millisecond)
		if ok, err := a.Can("m", ActionCaseRead, nTownA); !ok || err != nil {
			t.Fatalf("after recovery: %v, %v", ok, err)
		}
	})
}
