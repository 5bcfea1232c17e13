package cases_test

import (
	"context"
	"testing"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/internal/wanterr"
	"fengqiao/store"
	"fengqiao/store/storetest"
	"fengqiao/workflows"
)

// A second township without bodies, and the bodies of the routing tests: the county 医调委 and
// petition office, the township's petition office, the village's explicit committee.
const (
	ximen   = "330203002"
	xiaowen = "330203002001"
)

var villageClerk = cases.Actor{Username: "clerk.village", Role: fengqiao.RoleClerk, Node: village}

func routingEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := newEnv(t, db)
	ctx := context.Background()
	for _, n := range []fengqiao.Node{
		{Code: ximen, Name: "西门街道", Tier: fengqiao.TierTownship, ParentCode: county},
		{Code: xiaowen, Name: "孝闻社区", Tier: fengqiao.TierVillage, ParentCode: ximen},
	} {
		created, err := e.db.CreateNode(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Authz.NodeAdded(ctx, created); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range []fengqiao.Body{
		{Code: "hs-ytw", Name: "海曙区医疗纠纷人民调解委员会", Type: fengqiao.BodyProfessional, Node: county, Fields: []string{"medical"}},
		{Code: "hs-center", Name: "海曙区社会矛盾纠纷调处化解中心", Type: fengqiao.BodyCenter, Node: county},
		{Code: "hs-xfj", Name: "海曙区信访局", Type: fengqiao.BodyPetitionOffice, Node: county},
		{Code: "gl-xfb", Name: "鼓楼街道信访办", Type: fengqiao.BodyPetitionOffice, Node: township},
		{Code: "mq-twh", Name: "某社区人民调解委员会", Type: fengqiao.BodyCommittee, Node: village},
	} {
		if _, err := e.db.CreateBody(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func TestIntegrationRoutingWithBodiesFromTheStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := routingEnv(t, db)
		ctx := context.Background()
		open := func(t *testing.T, by cases.Actor, kind fengqiao.Kind, category, location, respondent string) cases.View {
			t.Helper()
			in := disputeIntake()
			in.Kind, in.Category, in.Location = kind, category, location
			in.Parties[1].Name = respondent // a matter of its own
			v, created, err := e.svc.Open(ctx, by, in)
			if err != nil || !created {
				t.Fatalf("open %s %s at %s: created %t, %v", kind, category, location, created, err)
			}
			return v
		}
		handled := func(t *testing.T, v cases.View, code, name string, typ fengqiao.BodyType, node string) {
			t.Helper()
			if v.HandlingBody == nil || v.HandlingBody.Code != code || v.HandlingBody.Type != typ || v.HandlingNode != node ||
				(name != "" && v.HandlingBody.Name != name) {
				t.Fatalf("handling body %+v at %s, want %s %s (%s) at %s", v.HandlingBody, v.HandlingNode, code, name, typ, node)
			}
			row := waitRow(t, e, v)
			if row.HandlingBody != code || row.HandlingBodyType != string(typ) || row.HandlingNode != node {
				t.Fatalf("projected handling body %s (%s) at %s, want %s at %s", row.HandlingBody, row.HandlingBodyType, row.HandlingNode, code, node)
			}
		}

		t.Run("a medical dispute received at a village window goes to the county 医调委", func(t *testing.T) {
			v := open(t, villageClerk, fengqiao.KindDispute, "medical", grid, "某医院")
			handled(t, v, "hs-ytw", "海曙区医疗纠纷人民调解委员会", fengqiao.BodyProfessional, county)
			if v.Tier != fengqiao.TierCounty || v.Route == nil || v.Route.Rule != 0 || v.FirstContact.Node != village {
				t.Fatalf("tier %s route %+v first contact %+v", v.Tier, v.Route, v.FirstContact)
			}
		})
		t.Run("a neighbour dispute goes to the village's explicit committee", func(t *testing.T) {
			v := open(t, countyClerk, fengqiao.KindDispute, "neighbour", grid, "楼上邻居")
			handled(t, v, "mq-twh", "某社区人民调解委员会", fengqiao.BodyCommittee, village)
		})
		t.Run("a neighbour dispute in a village without a committee goes to the village as its own committee", func(t *testing.T) {
			v := open(t, countyClerk, fengqiao.KindDispute, "neighbour", xiaowen, "隔壁邻居")
			handled(t, v, xiaowen, "孝闻社区人民调解委员会", fengqiao.BodyCommittee, xiaowen)
		})
		t.Run("a labour dispute goes to the township committee, then arbitration", func(t *testing.T) {
			v := open(t, villageClerk, fengqiao.KindDispute, "labour", grid, "某建筑公司")
			handled(t, v, township, "鼓楼街道人民调解委员会", fengqiao.BodyCommittee, township)
			if v.Route == nil || v.Route.Then != fengqiao.BodyArbitration {
				t.Fatalf("route %+v, want then arbitration", v.Route)
			}
		})
		t.Run("a petition goes to the nearest petition office at or above the receiving window", func(t *testing.T) {
			v := open(t, villageClerk, fengqiao.KindPetition, "land", village, "某街道办")
			handled(t, v, "gl-xfb", "鼓楼街道信访办", fengqiao.BodyPetitionOffice, township)
			v = open(t, countyClerk, fengqiao.KindPetition, "land_requisition", village, "某街道办")
			handled(t, v, "hs-xfj", "海曙区信访局", fengqiao.BodyPetitionOffice, county)
		})
		t.Run("a rule that finds no body falls through: a traffic dispute without a 交调委 goes to the village committee", func(t *testing.T) {
			v := open(t, countyClerk, fengqiao.KindDispute, "traffic", grid, "肇事司机")
			handled(t, v, "mq-twh", "", fengqiao.BodyCommittee, village)
			if v.Route.Rule != 3 {
				t.Fatalf("rule %d, want the dispute rule 3", v.Route.Rule)
			}
		})
		t.Run("nothing found is refused naming location or category, and leaves no case and no matter", func(t *testing.T) {
			before := counts(t, e)
			saved := e.svc.Policy
			t.Cleanup(func() { e.svc.Policy = saved })
			p := deadline.DefaultPolicy()
			p.Routing = []deadline.RouteRule{{Match: deadline.RouteMatch{Kind: fengqiao.KindDispute, Categories: []string{"neighbour"}},
				To: deadline.RouteTarget{Type: fengqiao.BodyProfessional, Field: "neighbour", Tier: deadline.RouteLowest}}}
			p.Version = p.Fingerprint()
			e.svc.Policy = p
			in := disputeIntake()
			_, _, err := e.svc.Open(ctx, countyClerk, in)
			wanterr.Field(t, err, "location")
			in.Category = "family"
			_, _, err = e.svc.Open(ctx, countyClerk, in)
			wanterr.Field(t, err, "category")
			if after := counts(t, e); after != before {
				t.Fatalf("rows (cases, matters) %v after the refusals, want %v", after, before)
			}
		})
		t.Run("the preview answers what the intake does, received at the caller's grant", func(t *testing.T) {
			for _, g := range []struct {
				user string
				role fengqiao.Role
				node string
			}{{"clerk.village", fengqiao.RoleClerk, village}, {"clerk.hs", fengqiao.RoleClerk, county}, {"grid.1", fengqiao.RoleGridWorker, grid}} {
				if err := e.svc.Authz.Grant(ctx, g.user, g.role, g.node); err != nil {
					t.Fatal(err)
				}
			}
			r, err := e.svc.PreviewRoute(ctx, "clerk.village", fengqiao.KindPetition, "land", village, "", 0)
			if err != nil || r.Body.Code != "gl-xfb" || r.Tier != fengqiao.TierTownship || r.Rule != 5 {
				t.Fatalf("village window: %+v, %v", r, err)
			}
			r, err = e.svc.PreviewRoute(ctx, "clerk.hs", fengqiao.KindPetition, "land", village, "", 0)
			if err != nil || r.Body.Code != "hs-xfj" {
				t.Fatalf("county window: %+v, %v", r, err)
			}
			r, err = e.svc.PreviewRoute(ctx, "grid.1", fengqiao.KindDispute, "medical", grid, "", 0)
			if err != nil || r.Body.Code != "hs-ytw" || r.RuleText == "" {
				t.Fatalf("grid worker: %+v, %v", r, err)
			}
			_, err = e.svc.PreviewRoute(ctx, "grid.1", fengqiao.KindDispute, "medical", xiaowen, "", 0)
			wanterr.Code(t, err, fengqiao.ECodeForbidden)
			_, err = e.svc.PreviewRoute(ctx, "clerk.hs", fengqiao.KindDispute, "gossip", village, "", 0)
			wanterr.Field(t, err, "category")
		})
	})
}

// counts are the numbers of case rows and matter rows.
func counts(t *testing.T, e *env) [2]int64 {
	t.Helper()
	var c [2]int64
	if err := e.db.Model(&store.CaseRow{}).Count(&c[0]).Error; err != nil {
		t.Fatal(err)
	}
	if err := e.db.Model(&store.MatterRow{}).Count(&c[1]).Error; err != nil {
		t.Fatal(err)
	}
	return c
}

// A medical dispute routed to the county 医调委 is mediated there, fails, and rises one tier to the
// city; recorded as testdata/histories/dispute-routed-professional.json for the replay test.
func TestIntegrationRoutedProfessionalDisputeClimbsFromTheCountyToTheCity(t *testing.T) {
	e := routingEnv(t, storetest.SQLite(t))
	in := disputeIntake()
	in.Category = "medical"
	v, _, err := e.svc.Open(context.Background(), villageClerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if v.HandlingBody == nil || v.HandlingBody.Code != "hs-ytw" {
		t.Fatalf("handling body %+v, want the 医调委", v.HandlingBody)
	}
	ytwMed := cases.Actor{Username: "med.ytw", Role: fengqiao.RoleMediator, Node: county}
	citySup := cases.Actor{Username: "sup.city", Role: fengqiao.RoleSupervisor, Node: city}
	act(t, e, countySup, v.ID, workflows.UpdateAssign, `{"mediator":"med.ytw"}`)
	act(t, e, ytwMed, v.ID, workflows.UpdateAccept, ``)
	act(t, e, ytwMed, v.ID, workflows.UpdateSession, `{"held_at":"2026-03-03T10:00:00+08:00","notes":"医患双方分歧较大","outcome":"failed"}`)
	v = act(t, e, ytwMed, v.ID, workflows.UpdateEscalate, `{"reason":"调解不成，报请上级"}`)
	if v.HandlingNode != city || v.HandlingBody == nil || v.HandlingBody.Code != city || v.HandlingBody.Name != "宁波市人民调解委员会" {
		t.Fatalf("after the failed mediation: %s %+v, want the city's own committee", v.HandlingNode, v.HandlingBody)
	}
	v = act(t, e, citySup, v.ID, workflows.UpdateReturn, `{"to":"330203","reason":"由县级中心化解"}`)
	if v.HandlingBody == nil || v.HandlingBody.Code != "hs-center" {
		t.Fatalf("sent back to the county: %+v, want its centre", v.HandlingBody)
	}
	waitRow(t, e, v)
	record(t, e, v.ID, "dispute-routed-professional")
}
