package store_test

import (
	"context"
	"testing"
	"time"

	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestIdempotencyClaimIsALeaseTheLivingHolderRenews: a claim whose holder died (not renewed for
// StaleClaim) is taken over by a retry of the same request within seconds; a claim its holder keeps
// renewing stays held however long the request runs, so the request never runs twice.
func TestIdempotencyClaimIsALeaseTheLivingHolderRenews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		age := func(key string, d time.Duration) {
			t.Helper()
			if err := db.Exec("UPDATE idempotency_keys SET created_at = ? WHERE key = ?", time.Now().UTC().Add(-d), key).Error; err != nil {
				t.Fatal(err)
			}
		}
		claim := func(key string) bool {
			t.Helper()
			_, claimed, err := db.ClaimIdempotencyKey(ctx, "clerk", key, "/api/v1/cases", "hash-1")
			if err != nil {
				t.Fatal(err)
			}
			return claimed
		}
		if !claim("dead") || !claim("alive") {
			t.Fatal("first claims refused")
		}
		// the dead holder stopped renewing a little more than StaleClaim ago
		age("dead", store.StaleClaim+time.Second)
		if !claim("dead") {
			t.Error("a retry did not take over the claim of a holder dead for longer than StaleClaim")
		}
		// the living holder's request has run for a minute, renewing every ClaimRenewal
		age("alive", time.Minute)
		if err := db.RenewIdempotencyClaim(ctx, "clerk", "alive"); err != nil {
			t.Fatal(err)
		}
		if claim("alive") {
			t.Error("a retry took over a claim its holder had just renewed: the request would run twice")
		}
		// a renewal never touches an answered key
		if err := db.CompleteIdempotencyKey(ctx, "clerk", "alive", 201, "application/json", nil); err != nil {
			t.Fatal(err)
		}
		age("alive", time.Hour)
		if err := db.RenewIdempotencyClaim(ctx, "clerk", "alive"); err != nil {
			t.Fatal(err)
		}
		var created time.Time
		if err := db.Raw("SELECT created_at FROM idempotency_keys WHERE key = ?", "alive").Row().Scan(&created); err != nil {
			t.Fatal(err)
		}
		if time.Since(created) < 59*time.Minute {
			t.Errorf("renewing an answered key moved its age (created %v): its 24 h would never end", created)
		}
	})
}
