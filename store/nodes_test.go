package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"fengqiao"
	"fengqiao/internal/wanterr"
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
		wanterr.Field(t, err, "tier")
		_, err = db.CreateNode(ctx, fengqiao.Node{Code: "330203001001", Name: "x", Tier: fengqiao.TierVillage, ParentCode: "nope"})
		wanterr.Field(t, err, "parent_code")
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

// Chain reads a node and its ancestors in one query, root first.
func TestChainIsTheNodeAndItsAncestorsRootFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustNode(t, db, fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity})
		mustNode(t, db, fengqiao.Node{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"})
		mustNode(t, db, fengqiao.Node{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"})
		mustNode(t, db, fengqiao.Node{Code: "330204", Name: "江北区", Tier: fengqiao.TierCounty, ParentCode: "330200"})
		chain, err := db.Chain(ctx, "330203001")
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, n := range chain {
			codes = append(codes, n.Code)
		}
		if len(codes) != 3 || codes[0] != "330200" || codes[1] != "330203" || codes[2] != "330203001" || chain[2].Name != "鼓楼街道" {
			t.Fatalf("chain = %v", codes)
		}
		if _, err := db.Chain(ctx, "999999"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown node: %v", err)
		}
	})
}

// On SQLite write transactions queue in the process (one at a time) instead of sleeping in SQLite's busy
// handler; a writer that gives up while queued gets its context's error and writes nothing.
func TestSQLiteWriterThatGivesUpInTheQueueWritesNothing(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	inside, hold := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Tx(ctx, func(tx *gorm.DB) error { close(inside); <-hold; return nil })
	}()
	<-inside
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err := db.CreateNode(short, fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a writer queued behind a long transaction past its deadline: %v", err)
	}
	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := db.Node(ctx, "330200"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the refused write left a node: %v", err)
	}
	mustNode(t, db, fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity})
}
