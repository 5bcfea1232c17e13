package policy

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/internal/wanterr"
	"fengqiao/store"
)

// The bodies of the body tests, on the test tree:
//
//	330203 海曙区: hs-gov 区政府 (agency), hs-rsj 区人社局 (agency, superior hs-gov), hs-zjj 区住建局
//	               (agency), hs-ytw 医调委 (professional), 330203FY (the court node's court body)
//	330203001 township A: jd-gov 街道办 (agency, superior hs-gov)
//	330205 江北区: jb-rsj 江北人社局 (agency)
const (
	bGov = "hs-gov"
	bRsj = "hs-rsj"
	bZjj = "hs-zjj"
	bYtw = "hs-ytw"
	bJd  = "jd-gov"
	bJb  = "jb-rsj"
)

func seedBodies(t *testing.T, db *store.DB, a *Authorizer) {
	t.Helper()
	for _, b := range []fengqiao.Body{
		{Code: bGov, Name: "海曙区人民政府", Type: fengqiao.BodyAgency, Node: nCounty},
		{Code: bRsj, Name: "海曙区人力资源和社会保障局", Type: fengqiao.BodyAgency, Node: nCounty, Fields: []string{"labour"}, Superior: bGov},
		{Code: bZjj, Name: "海曙区住房和城乡建设局", Type: fengqiao.BodyAgency, Node: nCounty, Superior: bGov},
		{Code: bYtw, Name: "海曙区医疗纠纷人民调解委员会", Type: fengqiao.BodyProfessional, Node: nCounty, Fields: []string{"medical"}},
		{Code: nCourt, Name: "海曙法院", Type: fengqiao.BodyCourt, Node: nCounty},
		{Code: bJd, Name: "A街道办事处", Type: fengqiao.BodyAgency, Node: nTownA, Superior: bGov},
		{Code: bJb, Name: "江北区人社局", Type: fengqiao.BodyAgency, Node: nCounty2},
	} {
		created, err := db.CreateBody(context.Background(), b)
		if err != nil {
			t.Fatalf("body %s: %v", b.Code, err)
		}
		if err := a.BodyAdded(context.Background(), created); err != nil {
			t.Fatal(err)
		}
	}
}

// onBodies is onTree with the bodies seeded before the grants.
func onBodies(t *testing.T, grants []grant, f func(t *testing.T, db *store.DB, a *Authorizer)) {
	t.Helper()
	onTree(t, nil, func(t *testing.T, db *store.DB, a *Authorizer) {
		seedBodies(t, db, a)
		for _, g := range grants {
			mustGrant(t, a, g.user, g.role, g.node)
		}
		f(t, db, a)
	})
}

var bodyGrants = []grant{
	{"h-rsj", fengqiao.RoleHandler, bRsj},
	{"h-jd", fengqiao.RoleHandler, bJd},
	{"c-rsj", fengqiao.RoleClerk, bRsj},
	{"m-ytw", fengqiao.RoleMediator, bYtw},
	{"m-zjj", fengqiao.RoleMediator, bZjj},
	{"m-a", fengqiao.RoleMediator, nTownA},
	{"sup-a", fengqiao.RoleSupervisor, nTownA},
	{"sup-cty", fengqiao.RoleSupervisor, nCounty},
	{"judge", fengqiao.RoleCourtOfficer, nCourt}, // an old grant at the court node
}

// The cases of the body tests.
var (
	petRsj    = CaseRef{Kind: "petition", Location: nVillageA, HandlingNode: nCounty, HandlingBody: bRsj, FirstContactUser: "x", FirstContactNode: nVillageA}
	petZjj    = CaseRef{Kind: "petition", Location: nVillageB, HandlingNode: nCounty, HandlingBody: bZjj, FirstContactUser: "x", FirstContactNode: nVillageB}
	petJd     = CaseRef{Kind: "petition", Location: nVillageA, HandlingNode: nTownA, HandlingBody: bJd, FirstContactUser: "x", FirstContactNode: nVillageA}
	petJb     = CaseRef{Kind: "petition", Location: nVillage2, HandlingNode: nCounty2, HandlingBody: bJb, FirstContactUser: "x", FirstContactNode: nVillage2}
	disRsj    = CaseRef{Kind: "dispute", Location: nVillageB, HandlingNode: nCounty, HandlingBody: bRsj, FirstContactUser: "x", FirstContactNode: nVillageB}
	medical   = CaseRef{Kind: "dispute", Location: nVillageB, HandlingNode: nCounty, HandlingBody: bYtw, Assignee: "m-ytw", FirstContactUser: "x", FirstContactNode: nVillageB}
	joint     = CaseRef{Kind: "dispute", Location: nVillageB, HandlingNode: nCounty, HandlingBody: bYtw, CoBodies: "," + bRsj + "," + bZjj + ",", Assignee: "m-ytw", FirstContactUser: "x", FirstContactNode: nVillageB}
	sentCourt = CaseRef{Kind: "dispute", Location: nVillageA, HandlingNode: nTownA, Assignee: "m-a", Court: nCourt, FirstContactUser: "x", FirstContactNode: nVillageA}
	atCourt   = CaseRef{Kind: "court_referral", Location: nVillageB, HandlingNode: nCounty, HandlingBody: nCourt, FirstContactUser: "x", FirstContactNode: nVillageB}
	noBody    = CaseRef{Kind: "petition", Location: nVillageB, HandlingNode: nTownB, FirstContactUser: "x", FirstContactNode: nVillageB}
)

func TestBodyGrantReadsAndActsOnThatBodysCasesOnly(t *testing.T) {
	onBodies(t, bodyGrants, func(t *testing.T, db *store.DB, a *Authorizer) {
		runCaseChecks(t, a, []caseCheck{
			{"handler_reads_own_agencys_petition", "h-rsj", ActionCaseRead, petRsj, true, true},
			{"handler_accepts_own_agencys_petition", "h-rsj", ActionCaseAccept, petRsj, true, true},
			{"handler_answers_own_agencys_petition", "h-rsj", ActionCaseAnswer, petRsj, true, true},
			{"handler_holds_no_mediation_step", "h-rsj", ActionCaseSession, petRsj, false, true},
			{"handler_does_not_escalate", "h-rsj", ActionCaseEscalate, petRsj, false, true},
			{"handler_does_not_see_another_agencys_petition", "h-rsj", ActionCaseRead, petZjj, false, false},
			{"handler_does_not_see_a_case_of_the_agencys_county", "h-rsj", ActionCaseRead, noBody, false, false},
			{"handler_reads_but_does_not_accept_a_dispute", "h-rsj", ActionCaseAccept, disRsj, false, true},
			{"handler_reads_a_joint_mediation_as_co_body", "h-rsj", ActionCaseRead, joint, true, true},
			{"handler_holds_no_step_of_a_joint_mediation", "h-rsj", ActionCaseAccept, joint, false, true},
			{"township_handler_answers_township_petition", "h-jd", ActionCaseAnswer, petJd, true, true},
			{"township_handler_does_not_see_county_petition", "h-jd", ActionCaseRead, petRsj, false, false},
			{"clerk_at_agency_reads_its_petition", "c-rsj", ActionCaseRead, petRsj, true, true},
			{"clerk_at_agency_does_not_answer", "c-rsj", ActionCaseAnswer, petRsj, false, true},
			{"clerk_at_agency_does_not_see_other_agency", "c-rsj", ActionCaseRead, petZjj, false, false},
			{"assigned_mediator_of_the_committee_records_a_session", "m-ytw", ActionCaseSession, medical, true, true},
			{"committee_mediator_does_not_see_an_agencys_petition", "m-ytw", ActionCaseRead, petRsj, false, false},
			{"co_body_mediator_reads_the_joint_mediation", "m-zjj", ActionCaseRead, joint, true, true},
			{"co_body_mediator_is_not_the_lead_bodys_assignee", "m-zjj", ActionCaseSession, joint, false, true},
			{"co_body_mediator_does_not_see_the_lead_bodys_other_cases", "m-zjj", ActionCaseRead, medical, false, false},
		})
	})
}

func TestNodeGrantCoversTheBodiesSeatedInItsSubtree(t *testing.T) {
	onBodies(t, bodyGrants, func(t *testing.T, db *store.DB, a *Authorizer) {
		runCaseChecks(t, a, []caseCheck{
			{"township_supervisor_reads_the_township_agencys_petition", "sup-a", ActionCaseRead, petJd, true, true},
			{"township_supervisor_closes_it", "sup-a", ActionCaseClose, petJd, true, true},
			{"township_supervisor_does_not_see_county_agency", "sup-a", ActionCaseRead, petZjj, false, false},
			{"county_supervisor_closes_a_county_bodys_case", "sup-cty", ActionCaseClose, medical, true, true},
			{"county_supervisor_reads_nothing_of_another_county", "sup-cty", ActionCaseRead, petJb, false, false},
		})
		// acting through the body alone: a case whose handling node says nothing of the township
		through := CaseRef{Kind: "petition", Location: nVillageB, HandlingNode: nTownB, HandlingBody: bJd, Assignee: "m-a"}
		d, err := a.CanOnCase("m-a", ActionCaseAnswer, through)
		if err != nil || d.Visible != true || d.Allowed != true {
			t.Fatalf("assignee covering the handling body by a node grant: %+v, %v", d, err)
		}
		if !a.CanBeAssigned("m-a", CaseRef{HandlingNode: nTownB, HandlingBody: bJd}) {
			t.Fatal("a mediator at the seat of the handling body may be assigned")
		}
		if a.CanBeAssigned("m-a", CaseRef{HandlingNode: nTownB, HandlingBody: bRsj}) {
			t.Fatal("a township mediator may not be assigned a county body's case")
		}
		if !a.CanBeAssigned("m-ytw", medical) || a.CanBeAssigned("m-zjj", medical) {
			t.Fatal("a body's mediator may be assigned its cases, and only its own")
		}
	})
}

func TestOldCourtNodeGrantStillReadsACaseSentToThatCourt(t *testing.T) {
	onBodies(t, bodyGrants, func(t *testing.T, db *store.DB, a *Authorizer) {
		runCaseChecks(t, a, []caseCheck{
			{"reads_the_case_sent_to_the_court", "judge", ActionCaseRead, sentCourt, true, true},
			{"rules_on_it", "judge", ActionCaseCourtDecision, sentCourt, true, true},
			{"reads_a_case_the_court_body_handles", "judge", ActionCaseRead, atCourt, true, true},
			{"reads_no_other_case", "judge", ActionCaseRead, petRsj, false, false},
		})
		sc := a.ReadScope("judge")
		if !slices.Equal(sc.Courts, []string{"/330200/330203/330203FY/"}) || !slices.Equal(sc.Bodies, []string{nCourt}) || sc.Subtrees != nil {
			t.Fatalf("court officer's scope = %+v", sc)
		}
	})
}

func TestGrantsAtABodyAreValidatedAndAdministeredFromItsSeat(t *testing.T) {
	onBodies(t, []grant{
		{"adm-cty", fengqiao.RoleAdmin, nCounty},
		{"adm-jb", fengqiao.RoleAdmin, nCounty2},
	}, func(t *testing.T, db *store.DB, a *Authorizer) {
		ctx := context.Background()
		wanterr.Field(t, a.Grant(ctx, "u", fengqiao.RoleAdmin, bRsj), "role")
		wanterr.Field(t, a.Grant(ctx, "u", fengqiao.RoleGridWorker, bRsj), "role")
		wanterr.Field(t, a.Grant(ctx, "u", fengqiao.RoleCourtOfficer, bRsj), "role")
		wanterr.Field(t, a.Grant(ctx, "u", fengqiao.RoleHandler, "no-such-body"), "jurisdiction")
		mustGrant(t, a, "u", fengqiao.RoleCourtOfficer, nCourt)
		mustGrant(t, a, "u", fengqiao.RoleHandler, bRsj)
		if g := a.Grants("u"); len(g) != 2 || g[1].Node != bRsj || g[1].Role != fengqiao.RoleHandler {
			t.Fatalf("grants = %+v", g)
		}
		for _, c := range []struct {
			user, at string
			want     bool
		}{{"adm-cty", bRsj, true}, {"adm-cty", bJd, true}, {"adm-jb", bRsj, false}, {"adm-jb", bJb, true}} {
			if got, err := a.Can(c.user, ActionAdminGrants, c.at); err != nil || got != c.want {
				t.Errorf("Can(%s, admin.grants, %s) = %v, %v; want %v", c.user, c.at, got, err, c.want)
			}
		}
		if _, ok := a.PathOf(bRsj); ok {
			t.Fatal("a body is not a jurisdiction: PathOf must not know it")
		}
		if d, _ := a.CanOnCase("clerk-x", ActionCaseOpen, CaseRef{Location: bRsj}); d.Allowed {
			t.Fatal("a body is no location")
		}
		if typ, ok := a.IsBody(nCourt); !ok || typ != fengqiao.BodyCourt {
			t.Fatalf("the court node is a court body: %v %v", typ, ok)
		}
	})
}

func TestABodyAndAGrantAtItReachAnotherProcess(t *testing.T) {
	onTree(t, nil, func(t *testing.T, db *store.DB, a *Authorizer) {
		other := newAuthorizer(t, db)
		seedBodies(t, db, a)
		mustGrant(t, a, "h-rsj", fengqiao.RoleHandler, bRsj)
		if err := other.sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		d, err := other.CanOnCase("h-rsj", ActionCaseAnswer, petRsj)
		if err != nil || !d.Allowed {
			t.Fatalf("the other process: %+v, %v", d, err)
		}
		if d, _ := other.CanOnCase("h-rsj", ActionCaseRead, petZjj); d.Visible {
			t.Fatal("the other process lets a body grant read another body's case")
		}
		// a bulk import (TreeChanged) relinks the bodies to the reloaded tree
		if err := a.TreeChanged(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := other.sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		if d, _ := other.CanOnCase("h-rsj", ActionCaseAnswer, petRsj); !d.Allowed {
			t.Fatalf("after a tree reload: %+v", d)
		}
	})
}

// TestListScopeAgreesWithSingleReads stores every case of the body tests and checks, for every user,
// that the SQL read scope lists exactly the cases CanOnCase lets them read.
func TestListScopeAgreesWithSingleReads(t *testing.T) {
	onBodies(t, append(slices.Clone(bodyGrants), grant{"aud", fengqiao.RoleAuditor, nTownB}), func(t *testing.T, db *store.DB, a *Authorizer) {
		ctx := context.Background()
		refs := map[string]CaseRef{"petRsj": petRsj, "petZjj": petZjj, "petJd": petJd, "petJb": petJb, "disRsj": disRsj,
			"medical": medical, "joint": joint, "sentCourt": sentCourt, "atCourt": atCourt, "noBody": noBody}
		paths := map[string]string{}
		for _, code := range []string{nVillageA, nVillageB, nVillage2, nCounty, nCounty2, nTownA, nTownB} {
			paths[code], _ = a.PathOf(code)
		}
		i := 0
		for name, c := range refs {
			i++
			row := store.CaseRow{Case: fengqiao.Case{ID: name, QueryCode: "Q" + name, WorkflowID: "case-" + name, Kind: c.Kind,
				Category: "other", Channel: "visit", Status: "registered", Location: c.Location, LocationPath: paths[c.Location],
				HandlingNode: c.HandlingNode, HandlingPath: paths[c.HandlingNode], HandlingBody: c.HandlingBody, CoBodies: c.CoBodies,
				Assignee: c.Assignee, Court: c.Court, FirstContactUser: c.FirstContactUser, FirstContactNode: c.FirstContactNode,
				OpenedAt: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}}
			if _, err := db.CreateCase(ctx, row, "HS", []string{fmt.Sprintf("m%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		users := []string{"aud"}
		for _, g := range bodyGrants {
			users = append(users, g.user)
		}
		for _, u := range users {
			t.Run(u, func(t *testing.T) {
				sc := a.ReadScope(u)
				rows, err := db.ListCases(ctx, store.CaseFilter{Limit: 500, Scope: &store.ReadScope{User: u, Subtrees: sc.Subtrees,
					Bodies: sc.Bodies, Courts: sc.Courts, FirstContactSubtrees: sc.FirstContactSubtrees, FirstContact: sc.FirstContact, Assigned: sc.Assigned}})
				if err != nil {
					t.Fatal(err)
				}
				var listed, readable []string
				for _, r := range rows {
					listed = append(listed, r.ID)
				}
				for name, c := range refs {
					if d, _ := a.CanOnCase(u, ActionCaseRead, c); d.Visible {
						readable = append(readable, name)
					}
				}
				slices.Sort(listed)
				slices.Sort(readable)
				if !slices.Equal(listed, readable) {
					t.Fatalf("listed %v, readable one by one %v (scope %+v)", listed, readable, sc)
				}
				if len(readable) == 0 {
					t.Fatal("every test user reads some case")
				}
			})
		}
	})
}

// TestHoldersAreTheGrantsAtTheCodesOnly: Holders lists whoever holds the role exactly at one of the codes
// (a body or a node), and nobody granted below, above, beside or in another role: the candidates a page
// checks further (a co-body's mediators are those of the body and of its seat's chain).
func TestHoldersAreTheGrantsAtTheCodesOnly(t *testing.T) {
	grants := append(slices.Clone(bodyGrants), grant{"m-city", fengqiao.RoleMediator, nCity})
	onBodies(t, grants, func(t *testing.T, db *store.DB, a *Authorizer) {
		for _, c := range []struct {
			name  string
			role  fengqiao.Role
			codes []string
			want  []string
		}{
			{"a_body_and_its_seats_chain", fengqiao.RoleMediator, []string{bZjj, nCity, nCounty}, []string{"m-city", "m-zjj"}},
			{"not_below_nor_above_the_codes", fengqiao.RoleMediator, []string{nCounty}, nil},
			{"the_township_itself", fengqiao.RoleMediator, []string{nTownA}, []string{"m-a"}},
			{"another_role", fengqiao.RoleHandler, []string{bRsj, bJd}, []string{"h-jd", "h-rsj"}},
			{"no_code", fengqiao.RoleMediator, nil, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				if got := a.Holders(c.role, c.codes...); !slices.Equal(got, c.want) {
					t.Fatalf("Holders(%s, %v) = %v, want %v", c.role, c.codes, got, c.want)
				}
			})
		}
	})
}
