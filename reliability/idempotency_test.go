package reliability_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"fengqiao/deadline"
	"fengqiao/store"
)

// TestIdempotencyKeyOfACrashedRequest leaves the database as a kill -9 leaves it in the middle of an
// intake sent with an Idempotency-Key — the key claimed (status 0), never completed, released or renewed
// since a little more than store.StaleClaim ago — and retries the intake with the same key and body, as a client must after a lost answer.
// The retry must be answered with the case (or name it), not refused for as long as the key lives.
// TestKillDevUnderLoad meets this on every unacknowledged intake.
func TestIdempotencyKeyOfACrashedRequest(t *testing.T) {
	t.Parallel()
	s := newStack(t, deadline.DefaultPolicy())
	body := intakeBody(7)
	data, _ := json.Marshal(body)
	sum := sha256.Sum256(append([]byte("POST /api/v1/cases\n"), data...))
	ctx := context.Background()
	if _, claimed, err := s.db.ClaimIdempotencyKey(ctx, "clerk", "crashed-1", "/api/v1/cases", hex.EncodeToString(sum[:])); err != nil || !claimed {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	if err := s.db.Exec("UPDATE idempotency_keys SET created_at = ? WHERE key = ?", time.Now().UTC().Add(-store.StaleClaim-time.Second), "crashed-1").Error; err != nil {
		t.Fatal(err)
	}
	r := call(ctx, s.url, "POST", "/api/v1/cases", s.tok["clerk"], "crashed-1", string(data))
	if r.err != nil || r.status != 201 {
		t.Fatalf("retry after the crash: %s, want 201", r)
	}
	again := call(ctx, s.url, "POST", "/api/v1/cases", s.tok["clerk"], "crashed-1", string(data))
	if again.status != 201 || again.json()["id"] != r.json()["id"] {
		t.Fatalf("second retry: %s, want the same case", again)
	}
}

// TestActionRetryWithIdempotencyKey sends the same action twice with one Idempotency-Key — what a
// client does when a serve process dies before it answers. The second must replay the first answer
// and not act again: a repeat contact counted twice marks a one-visit breach the citizen never made.
func TestActionRetryWithIdempotencyKey(t *testing.T) {
	t.Parallel()
	s := newStack(t, deadline.DefaultPolicy())
	id := s.open(intakeBody(8))["id"].(string)
	ctx := context.Background()
	body := map[string]string{"channel": "phone", "note": "来电"}
	first := call(ctx, s.url, "POST", "/api/v1/cases/"+id+"/visits", s.tok["clerk"], "visit-1", body)
	if first.err != nil || first.status != 200 {
		t.Fatalf("visit: %s", first)
	}
	second := call(ctx, s.url, "POST", "/api/v1/cases/"+id+"/visits", s.tok["clerk"], "visit-1", body)
	if second.err != nil || second.status != 200 {
		t.Fatalf("retried visit: %s", second)
	}
	if second.json()["visits"] != first.json()["visits"] || second.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retried visit: %s, first %s", second.body, first.body)
	}
	// Even when the stored answer is gone (the serve that acted died before recording it), the workflow
	// applies the update id derived from the key once.
	if err := s.db.Exec("DELETE FROM idempotency_keys WHERE key = ?", "visit-1").Error; err != nil {
		t.Fatal(err)
	}
	third := call(ctx, s.url, "POST", "/api/v1/cases/"+id+"/visits", s.tok["clerk"], "visit-1", body)
	if third.err != nil || third.status != 200 || third.json()["visits"] != first.json()["visits"] {
		t.Fatalf("retry after the stored answer was lost: %s, first %s", third.body, first.body)
	}
}
