package api_test

import (
	"bytes"
	"context"
	"testing"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func (e *env) doWithKey(path, key string, body any) response {
	e.t.Helper()
	return e.send("POST", path, e.adminToken, map[string]string{"Idempotency-Key": key}, body)
}

func TestIdempotencyKeyOnCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		city := map[string]string{"code": "330200", "name": "宁波市", "tier": "city"}
		first := e.doWithKey("/api/v1/jurisdictions", "k-1", city).want(201)
		t.Run("the same key and body replay the first answer", func(t *testing.T) {
			e := e.with(t)
			again := e.doWithKey("/api/v1/jurisdictions", "k-1", city).want(201)
			if !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("replay = %s (%v), first = %s", again.body, again.header, first.body)
			}
		})
		t.Run("the same key with another body is 422", func(t *testing.T) {
			e := e.with(t)
			other := map[string]string{"code": "330300", "name": "温州市", "tier": "city"}
			e.doWithKey("/api/v1/jurisdictions", "k-1", other).problem(422, fengqiao.ECodeIdempotency, "")
			if _, err := db.Node(context.Background(), "330300"); err == nil {
				t.Fatal("the refused request created a jurisdiction")
			}
		})
		t.Run("without a key a repeat is a conflict", func(t *testing.T) {
			e := e.with(t)
			e.do("POST", "/api/v1/jurisdictions", e.adminToken, city).problem(409, fengqiao.ECodeConflict, "")
		})
		t.Run("a refused first request is replayed as refused", func(t *testing.T) {
			e := e.with(t)
			bad := map[string]string{"code": "x", "name": "", "tier": "city"}
			e.doWithKey("/api/v1/jurisdictions", "k-2", bad).problem(422, fengqiao.ECodeInvalid, "code")
			e.doWithKey("/api/v1/jurisdictions", "k-2", bad).problem(422, fengqiao.ECodeInvalid, "code")
		})
	})
}
