package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"fengqiao"

	"gorm.io/gorm"
)

// UserRow is a staff account.
type UserRow struct {
	ID           int64 `gorm:"primaryKey"`
	Username     string
	PasswordHash string
	DisplayName  string
	PhoneEnc     []byte
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName implements gorm's Tabler.
func (UserRow) TableName() string { return "users" }

// CreateUser inserts a user; a taken username is a conflict.
func (db *DB) CreateUser(ctx context.Context, u UserRow) (UserRow, error) {
	now := time.Now().UTC()
	u.ID, u.CreatedAt, u.UpdatedAt = 0, now, now
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		return putDirKeys(tx, userKeys(u))
	})
	if err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return UserRow{}, fengqiao.Errorf(fengqiao.ECodeConflict, "user %s already exists", u.Username)
		}
		return UserRow{}, fmt.Errorf("store: create user %s: %w", u.Username, err)
	}
	return u, nil
}

// User returns the user with the username, or ErrNotFound.
func (db *DB) User(ctx context.Context, username string) (UserRow, error) {
	var u UserRow
	if err := db.WithContext(ctx).First(&u, "username = ?", username).Error; err != nil {
		return UserRow{}, translate(err)
	}
	return u, nil
}

// SetPassword replaces a user's password hash.
func (db *DB) SetPassword(ctx context.Context, username, hash string) error {
	res := db.WithContext(ctx).Model(&UserRow{}).Where("username = ?", username).
		Updates(map[string]any{"password_hash": hash, "updated_at": time.Now().UTC()})
	if res.Error != nil {
		return fmt.Errorf("store: set password: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// SetUserDisabled disables or re-enables an account; disabling revokes its tokens in the same transaction.
func (db *DB) SetUserDisabled(ctx context.Context, username string, disabled bool) error {
	return db.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&UserRow{}).Where("username = ?", username).
			Updates(map[string]any{"disabled": disabled, "updated_at": time.Now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if disabled {
			return tx.Model(&TokenRow{}).Where("username = ? AND revoked_at IS NULL", username).
				Update("revoked_at", time.Now().UTC()).Error
		}
		return nil
	})
}

// Users lists users ordered by username after `after`.
func (db *DB) Users(ctx context.Context, after string, limit int) ([]UserRow, error) {
	var rows []UserRow
	q := db.WithContext(ctx).Order("username").Limit(limit)
	if after != "" {
		q = q.Where("username > ?", after)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return rows, nil
}

// TokenRow is a login token, kept only as its SHA-256 so a database leak does not leak sessions.
type TokenRow struct {
	Hash      string `gorm:"primaryKey"`
	Username  string
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// TableName implements gorm's Tabler.
func (TokenRow) TableName() string { return "tokens" }

// HashToken is the stored form of a bearer token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SaveToken stores a new token for username.
func (db *DB) SaveToken(ctx context.Context, token, username string, ttl time.Duration) (TokenRow, error) {
	now := time.Now().UTC()
	row := TokenRow{Hash: HashToken(token), Username: username, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := db.Tx(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return TokenRow{}, fmt.Errorf("store: save token: %w", err)
	}
	return row, nil
}

// TokenUser returns the active (unexpired, unrevoked, enabled) user a token belongs to, or ErrNotFound.
func (db *DB) TokenUser(ctx context.Context, token string) (UserRow, error) {
	var u UserRow
	err := db.WithContext(ctx).Table("tokens").
		Select("users.*").
		Joins("JOIN users ON users.username = tokens.username").
		Where("tokens.hash = ? AND tokens.revoked_at IS NULL AND tokens.expires_at > ? AND users.disabled = ?",
			HashToken(token), time.Now().UTC(), false).
		Take(&u).Error
	if err != nil {
		return UserRow{}, translate(err)
	}
	return u, nil
}

// RevokeToken revokes one token; revoking an unknown or revoked token is not an error.
func (db *DB) RevokeToken(ctx context.Context, token string) error {
	err := db.WithContext(ctx).Model(&TokenRow{}).Where("hash = ? AND revoked_at IS NULL", HashToken(token)).
		Update("revoked_at", time.Now().UTC()).Error
	if err != nil {
		return fmt.Errorf("store: revoke token: %w", err)
	}
	return nil
}
