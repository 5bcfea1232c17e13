package policy

import (
	"context"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestPrunedChangesLeaveALaggingAuthorizerToReloadAndDecideRight: pruning deletes the recorded changes
// older than its age bound except the latest versions; an Authorizer whose version lies before what is
// left finds the gap, reloads in full and decides by the current grants, on SQLite and PostgreSQL.
func TestPrunedChangesLeaveALaggingAuthorizerToReloadAndDecideRight(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedTree(t, db)
		writer, lagging := newAuthorizer(t, db), newAuthorizer(t, db)
		mustGrant(t, writer, "m", fengqiao.RoleMediator, nTownA)
		mustGrant(t, writer, "x", fengqiao.RoleClerk, nTownB)
		if err := writer.Revoke(ctx, "m", fengqiao.RoleMediator, nTownA); err != nil {
			t.Fatal(err)
		}
		mustGrant(t, writer, "m", fengqiao.RoleSupervisor, nTownB)
		mustGrant(t, writer, "y", fengqiao.RoleMediator, nTownA)
		last, err := readVersion(ctx, db)
		if err != nil {
			t.Fatal(err)
		}

		// young rows stay, however many there are
		if n, err := writer.PruneChanges(ctx); err != nil || n != 0 {
			t.Fatalf("pruning young changes: %d deleted, %v", n, err)
		}
		// a day and more old: all but the last two versions go
		if err := db.WithContext(ctx).Exec("UPDATE "+changesTable+" SET at_ms = ?",
			time.Now().Add(-ChangesKeepFor-time.Hour).UnixMilli()).Error; err != nil {
			t.Fatal(err)
		}
		n, err := pruneChanges(ctx, db, time.Now().Add(-ChangesKeepFor), 2)
		if err != nil {
			t.Fatal(err)
		}
		left, err := readChanges(ctx, db, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 2 || left[0].version != last-1 || left[1].version != last || n != last-2 {
			t.Fatalf("after pruning: %d deleted, left %+v; want versions %d and %d", n, left, last-1, last)
		}

		// the lagging Authorizer (it loaded before every change) cannot patch across the gap: it reloads
		before := lagging.st
		if before.version >= left[0].version-1 {
			t.Fatalf("the lagging authorizer is at %d: no gap to test", before.version)
		}
		if err := lagging.sync(ctx); err != nil {
			t.Fatal(err)
		}
		if lagging.st == before || lagging.st.version != last {
			t.Fatalf("no full reload: same state %t, version %d (want %d)", lagging.st == before, lagging.st.version, last)
		}
		for _, c := range []struct {
			user   string
			action Action
			node   string
			want   bool
		}{
			{"m", ActionCaseAccept, nGridA, false}, // revoked in a pruned change
			{"m", ActionSupervisionRead, nTownB, true},
			{"x", ActionCaseRead, nVillageB, true}, // granted in a pruned change
			{"y", ActionCaseAccept, nGridA, true},
		} {
			if got, err := lagging.Can(c.user, c.action, c.node); err != nil || got != c.want {
				t.Errorf("%s %s at %s: %t, %v; want %t", c.user, c.action, c.node, got, err, c.want)
			}
		}
		// and a process still at the latest version is untouched by pruning
		if writer.st.version != last {
			t.Errorf("writer at %d, want %d", writer.st.version, last)
		}
	})
}
