package store_test

import (
	"context"
	"errors"
	"testing"

	"fengqiao"
	"fengqiao/internal/wanterr"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func TestBodiesAreSeatedAtNodesAndFoundByTypeFieldAndSubtree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustNode(t, db, fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity})
		mustNode(t, db, fengqiao.Node{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"})
		gov, err := db.CreateBody(ctx, fengqiao.Body{Code: "hs-gov", Name: "海曙区人民政府", Type: fengqiao.BodyAgency, Node: "330203"})
		if err != nil || gov.NodePath != "/330200/330203/" {
			t.Fatalf("agency: %+v, %v", gov, err)
		}
		med, err := db.CreateBody(ctx, fengqiao.Body{Code: "hs-ytw", Name: "海曙区医疗纠纷人民调解委员会",
			Type: fengqiao.BodyProfessional, Node: "330203", Fields: []string{"medical"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateBody(ctx, fengqiao.Body{Code: "hs-rsj", Name: "海曙区人社局", Type: fengqiao.BodyAgency,
			Node: "330203", Fields: []string{"labour", "wage_arrears"}, Superior: "hs-gov"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Bodies(ctx, fengqiao.BodyFilter{Under: "/330200/", Field: "medical"})
		if err != nil || len(got) != 1 || got[0].Code != med.Code || !got[0].HasField("medical") {
			t.Fatalf("medical bodies = %+v, %v", got, err)
		}
		got, _ = db.Bodies(ctx, fengqiao.BodyFilter{Node: "330203", Type: fengqiao.BodyAgency})
		if len(got) != 2 || got[1].Superior != "hs-gov" {
			t.Fatalf("agencies = %+v", got)
		}
		if _, err := db.Body(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing body: %v", err)
		}
		_, err = db.CreateBody(ctx, fengqiao.Body{Code: "x1", Name: "x", Type: fengqiao.BodyAgency, Node: "404"})
		wanterr.Field(t, err, "node")
		_, err = db.CreateBody(ctx, fengqiao.Body{Code: "x2", Name: "x", Type: fengqiao.BodyAgency, Node: "330203", Superior: "404"})
		wanterr.Field(t, err, "superior")
		_, err = db.CreateBody(ctx, fengqiao.Body{Code: "x3", Name: "x", Type: "bureau", Node: "330203"})
		wanterr.Field(t, err, "type")
		_, err = db.CreateBody(ctx, fengqiao.Body{Code: "hs-gov", Name: "again", Type: fengqiao.BodyAgency, Node: "330203"})
		if fengqiao.ErrorCode(err) != fengqiao.ECodeConflict {
			t.Fatalf("duplicate code: %v", err)
		}
		if all, _ := db.Bodies(ctx, fengqiao.BodyFilter{}); len(all) != 3 {
			t.Fatalf("a refused body was stored: %+v", all)
		}
	})
}

func TestCourtNodesBecomeCourtBodiesWhenMigrated(t *testing.T) {
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := store.AtVersion(t, dsn, 13)
		// the nodes as the release at migration 13 wrote them (without today's directory keys)
		for _, n := range []struct{ code, name, tier, parent, path string }{
			{"330200", "宁波市", "city", "", "/330200/"},
			{"330203", "海曙区", "county", "330200", "/330200/330203/"},
			{"hscourt", "海曙区人民法院", "court", "330203", "/330200/330203/hscourt/"},
		} {
			var parent *string
			if n.parent != "" {
				parent = &n.parent
			}
			if err := db.Exec("INSERT INTO nodes (code, name, tier, parent_code, path, depth, created_at) VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)",
				n.code, n.name, n.tier, parent, n.path, len(store.PathCodes(n.path))-1).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		b, err := db.Body(ctx, "hscourt")
		if err != nil || b.Type != fengqiao.BodyCourt || b.Node != "330203" || b.NodePath != "/330200/330203/" || b.Name != "海曙区人民法院" {
			t.Fatalf("court body = %+v, %v", b, err)
		}
	})
}
