package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fengqiao"

	"gorm.io/gorm"
)

// likeEscape escapes the wildcards of a LIKE pattern's literal part (the escape character is '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SearchUsers lists at most limit users whose username or display name contains q (all users for
// ""), by username.
func (db *DB) SearchUsers(ctx context.Context, q string, limit int) ([]UserRow, error) {
	var rows []UserRow
	tx := db.WithContext(ctx).Order("username").Limit(limit)
	if q = strings.TrimSpace(q); q != "" {
		p := "%" + likeEscape(strings.ToLower(q)) + "%"
		tx = tx.Where(`LOWER(username) LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\'`, p, p)
	}
	if err := tx.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: search users: %w", err)
	}
	return rows, nil
}

// SearchNodes lists at most limit nodes whose code starts with q or whose name contains it, by code.
func (db *DB) SearchNodes(ctx context.Context, q string, limit int) ([]fengqiao.Node, error) {
	var rows []NodeRow
	q = strings.TrimSpace(q)
	tx := db.WithContext(ctx).Order("code").Limit(limit)
	if q != "" {
		tx = tx.Where(`code LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\'`, likeEscape(q)+"%", "%"+likeEscape(q)+"%")
	}
	if err := tx.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: search nodes: %w", err)
	}
	out := make([]fengqiao.Node, len(rows))
	for i, r := range rows {
		out[i] = r.node()
	}
	return out, nil
}

// RenameNode changes a node's name; its code, place in the tree and cases stay.
func (db *DB) RenameNode(ctx context.Context, code, name string) error {
	return db.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&NodeRow{}).Where("code = ?", code).Update("name", name)
		if res.Error != nil {
			return fmt.Errorf("store: rename node: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		var row NodeRow
		if err := tx.First(&row, "code = ?", code).Error; err != nil {
			return err
		}
		return rekey(tx, DirNode, code, nodeKeys(row))
	})
}

// ResetPassword replaces a user's password hash and revokes their tokens in one transaction: whoever
// held the old password is logged out everywhere.
func (db *DB) ResetPassword(ctx context.Context, username, hash string) error {
	return db.Tx(ctx, func(tx *gorm.DB) error {
		now := time.Now().UTC()
		res := tx.Model(&UserRow{}).Where("username = ?", username).
			Updates(map[string]any{"password_hash": hash, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.Model(&TokenRow{}).Where("username = ? AND revoked_at IS NULL", username).Update("revoked_at", now).Error
	})
}
