package demo_test

import (
	"context"
	"testing"

	"fengqiao"
	"fengqiao/demo"
	"fengqiao/policy"
	"fengqiao/store/storetest"
)

func TestDemoCountyHasItsBodiesAndTheirStaffAndSeedsTwiceAlike(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	pol, err := policy.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := demo.Seed(ctx, db, pol); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.Bodies(ctx, fengqiao.BodyFilter{})
	if err != nil || len(all) != len(demo.Bodies) {
		t.Fatalf("bodies = %d, %v; want %d", len(all), err, len(demo.Bodies))
	}
	for _, typ := range fengqiao.BodyTypes {
		if got, _ := db.Bodies(ctx, fengqiao.BodyFilter{Type: typ}); len(got) == 0 {
			t.Errorf("the demo county has no %s", typ)
		}
	}
	if got, _ := db.Bodies(ctx, fengqiao.BodyFilter{Field: "medical"}); len(got) != 1 || got[0].Code != "330203-YTW" {
		t.Fatalf("medical = %+v", got)
	}
	court, err := db.Body(ctx, "330203-FY")
	if err != nil || court.Type != fengqiao.BodyCourt || court.Node != "330203" {
		t.Fatalf("the court node is a court body: %+v, %v", court, err)
	}
	petition := policy.CaseRef{Kind: "petition", Location: "330203001001", HandlingNode: "330203", HandlingBody: "330203-RSJ"}
	if d, _ := pol.CanOnCase("handler-rsj", policy.ActionCaseAnswer, petition); !d.Allowed {
		t.Fatalf("the labour bureau's handler answers its petition: %+v", d)
	}
	if d, _ := pol.CanOnCase("handler-jd", policy.ActionCaseRead, petition); d.Visible {
		t.Fatal("the township office's handler reads the bureau's petition")
	}
	// the journeys of issue #17 can be shown: the court officer entrusts disputes for the court, and the
	// bureaus the county centre mediates jointly with each have a mediator of their own
	if ok, err := pol.Can("court", policy.ActionCaseRefer, "330203-FY"); err != nil || !ok {
		t.Fatalf("the demo court officer cannot entrust a dispute to mediation: %v", err)
	}
	for user, bureau := range map[string]string{"rsj-med": "330203-RSJ", "zjj-med": "330203-ZJJ"} {
		if !pol.CanBeAssigned(user, policy.CaseRef{HandlingNode: bureau}) || pol.CanBeAssigned(user, policy.CaseRef{HandlingNode: "330203"}) {
			t.Errorf("%s does not mediate for %s alone", user, bureau)
		}
	}
	if _, err := db.Body(ctx, "330203-TJZX"); err != nil {
		t.Fatalf("the demo county has no centre: %v", err)
	}
	// the existing users keep their grants
	if g := pol.Grants("court"); len(g) != 1 || g[0].Node != "330203-FY" {
		t.Fatalf("court grants = %+v", g)
	}
}
