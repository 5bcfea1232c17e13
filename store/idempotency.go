package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// IdempotencyTTL is how long a create's Idempotency-Key is remembered (API.md: 24 h).
const IdempotencyTTL = 24 * time.Hour

// IdempotentResponse is the first answer given to a create with an Idempotency-Key.
type IdempotentResponse struct {
	Username    string `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey"`
	Route       string
	RequestHash string
	Status      int // 0 while the first request is still being handled
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}

// TableName implements gorm's Tabler.
func (IdempotentResponse) TableName() string { return "idempotency_keys" }

// ClaimIdempotencyKey records that a request with this key has started. If the key is already known
// (and younger than IdempotencyTTL) it returns the stored row and claimed=false; the caller compares the
// request hash and replays the stored response, or reports that the first request is still running.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, username, key, route, requestHash string) (IdempotentResponse, bool, error) {
	now := time.Now().UTC()
	row := IdempotentResponse{Username: username, Key: key, Route: route, RequestHash: requestHash, CreatedAt: now}
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		// an expired key is forgotten, so the same key may start over
		if err := tx.Where("username = ? AND key = ? AND created_at < ?", username, key, now.Add(-IdempotencyTTL)).
			Delete(&IdempotentResponse{}).Error; err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	if err == nil {
		return row, true, nil
	}
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		return IdempotentResponse{}, false, fmt.Errorf("store: claim idempotency key: %w", err)
	}
	// A claim whose request died (a killed process, a lost database) would otherwise answer "still being
	// handled" for a day: a retry of the same request takes over a claim older than StaleClaim.
	res := db.WithContext(ctx).Model(&IdempotentResponse{}).
		Where("username = ? AND key = ? AND status = 0 AND request_hash = ? AND created_at < ?", username, key, requestHash, now.Add(-StaleClaim)).
		Update("created_at", now)
	if res.Error != nil {
		return IdempotentResponse{}, false, fmt.Errorf("store: take over idempotency key: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return row, true, nil
	}
	var existing IdempotentResponse
	if err := db.WithContext(ctx).First(&existing, "username = ? AND key = ?", username, key).Error; err != nil {
		return IdempotentResponse{}, false, fmt.Errorf("store: read idempotency key: %w", err)
	}
	return existing, false, nil
}

// A claim is a lease: the process handling the request renews it every ClaimRenewal
// (RenewIdempotencyClaim) for as long as the request runs, so a request may take as long as the server
// lets it (its write timeout, 60 s) and keep its key. A process that dies (kill -9, a lost machine) stops
// renewing, and a retry of the same request takes the key over once the claim is StaleClaim old: seconds
// after the crash, not minutes.
const (
	ClaimRenewal = 5 * time.Second
	StaleClaim   = 4 * ClaimRenewal
)

// RenewIdempotencyClaim renews the lease of a claimed key whose request is still being handled.
func (db *DB) RenewIdempotencyClaim(ctx context.Context, username, key string) error {
	err := db.WithContext(ctx).Model(&IdempotentResponse{}).Where("username = ? AND key = ? AND status = 0", username, key).
		Update("created_at", time.Now().UTC()).Error
	if err != nil {
		return fmt.Errorf("store: renew idempotency claim: %w", err)
	}
	return nil
}

// CompleteIdempotencyKey stores the response of the request that claimed the key.
func (db *DB) CompleteIdempotencyKey(ctx context.Context, username, key string, status int, contentType string, body []byte) error {
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&IdempotentResponse{}).Where("username = ? AND key = ?", username, key).
			Updates(map[string]any{"status": status, "content_type": contentType, "body": body}).Error
	})
	if err != nil {
		return fmt.Errorf("store: complete idempotency key: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey forgets a claimed key whose request failed in a way worth retrying (a 5xx), so
// that a retry with the same key runs again instead of replaying the failure.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, username, key string) error {
	return db.Tx(ctx, func(tx *gorm.DB) error {
		return tx.Where("username = ? AND key = ? AND status = 0", username, key).Delete(&IdempotentResponse{}).Error
	})
}

// PruneIdempotencyKeys deletes keys older than IdempotencyTTL.
func (db *DB) PruneIdempotencyKeys(ctx context.Context) (int64, error) {
	res := db.WithContext(ctx).Where("created_at < ?", time.Now().UTC().Add(-IdempotencyTTL)).Delete(&IdempotentResponse{})
	return res.RowsAffected, res.Error
}

// A kept response is the answer to a create or a case action: the whole case as it stood — summary,
// agreement terms, parties' names — so it is kept sealed like every free text (sealed.go), bound to
// the user and the key it answers.
func responseAAD(username, key string) []byte {
	return []byte("idempotency/" + username + "/" + key + "/body")
}

// SealResponse seals the body of a response kept for an Idempotency-Key (pass the result to
// CompleteIdempotencyKey); an empty body stays empty.
func SealResponse(s Sealer, username, key string, body []byte) ([]byte, error) {
	if len(body) == 0 {
		return body, nil
	}
	c, err := s.Seal(body, responseAAD(username, key))
	if err != nil {
		return nil, fmt.Errorf("store: seal kept response: %w", err)
	}
	return c, nil
}

// OpenResponse opens a body SealResponse sealed. A body kept in clear before responses were sealed
// (JSON, which a ciphertext never is) comes back as it is until it expires.
func OpenResponse(s Sealer, username, key string, stored []byte) ([]byte, error) {
	if len(stored) == 0 || json.Valid(stored) {
		return stored, nil
	}
	b, err := s.Open(stored, responseAAD(username, key))
	if err != nil {
		return nil, fmt.Errorf("store: open kept response: %w", err)
	}
	return b, nil
}
