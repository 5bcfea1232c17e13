package store_test

import (
	"context"
	"errors"
	"testing"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func TestCreateNodeEnforcesTierRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustNode(t, db, fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity})
		mustNode(t, db, fengqiao.Node{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"})
		town := mustNode(t, db, fengqiao.Node{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"})
		if town.Path != "/330200/330203/330203001/" {
			t.Fatalf("path = %q", town.Path)
		}
		// a village directly under a county skips the township
		_, err := db.CreateNode(ctx, fengqiao.Node{Code: "330203999001", Name: "x", Tier: fengqiao.TierVillage, ParentCode: "330203"})
		assertField(t, err, "tier")
		_, err = db.CreateNode(ctx, fengqiao.Node{Code: "330203001001", Name: "x", Tier: fengqiao.TierVillage, ParentCode: "nope"})
		assertField(t, err, "parent_code")
		_, err = db.CreateNode(ctx, fengqiao.Node{Code: "330203", Name: "again", Tier: fengqiao.TierCounty, ParentCode: "330200"})
		if fengqiao.ErrorCode(err) != fengqiao.ECodeConflict {
			t.Fatalf("duplicate code: got %v", err)
		}
		kids, err := db.Children(ctx, "330203", "", 10)
		if err != nil || len(kids) != 1 || kids[0].Code != "330203001" {
			t.Fatalf("children = %v, %v", kids, err)
		}
		if _, err := db.Node(ctx, "404"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing node: %v", err)
		}
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		v, err := db.SchemaVersion(context.Background())
		if err != nil || v != store.LatestSchemaVersion() {
			t.Fatalf("version = %d, %v", v, err)
		}
	})
}

func mustNode(t *testing.T, db *store.DB, n fengqiao.Node) fengqiao.Node {
	t.Helper()
	got, err := db.CreateNode(context.Background(), n)
	if err != nil {
		t.Fatalf("create %s: %v", n.Code, err)
	}
	return got
}

func assertField(t *testing.T, err error, field string) {
	t.Helper()
	var fe *fengqiao.Error
	if !errors.As(err, &fe) || fe.Code != fengqiao.ECodeInvalid {
		t.Fatalf("want validation error on %s, got %v", field, err)
	}
	for _, f := range fe.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("want field %s in %+v", field, fe.Fields)
}
