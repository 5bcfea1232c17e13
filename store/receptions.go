package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ReceptionRow is one leader reception day (领导接访日): Leader (a username) receives petitioners of
// Node at Place between StartsAt and EndsAt.
type ReceptionRow struct {
	ID        int64 `gorm:"primaryKey"`
	Node      string
	Leader    string
	Title     string
	Place     string
	StartsAt  time.Time
	EndsAt    time.Time
	CreatedBy string
	CreatedAt time.Time
}

// TableName implements gorm's Tabler.
func (ReceptionRow) TableName() string { return "leader_receptions" }

// AddReception stores a reception day and returns it with its id.
func (db *DB) AddReception(ctx context.Context, r ReceptionRow) (ReceptionRow, error) {
	r.StartsAt, r.EndsAt, r.CreatedAt = r.StartsAt.UTC(), r.EndsAt.UTC(), time.Now().UTC()
	err := db.Tx(ctx, func(tx *gorm.DB) error { return tx.Create(&r).Error })
	if err != nil {
		return ReceptionRow{}, fmt.Errorf("store: add reception: %w", err)
	}
	return r, nil
}

// Reception returns the reception day with id.
func (db *DB) Reception(ctx context.Context, id int64) (ReceptionRow, error) {
	var r ReceptionRow
	err := db.WithContext(ctx).First(&r, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ReceptionRow{}, ErrNotFound
	}
	if err != nil {
		return ReceptionRow{}, fmt.Errorf("store: reception %d: %w", id, err)
	}
	return r, nil
}

// DeleteReception removes the reception day with id.
func (db *DB) DeleteReception(ctx context.Context, id int64) error {
	return db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Delete(&ReceptionRow{}, id).Error; err != nil {
			return fmt.Errorf("store: delete reception %d: %w", id, err)
		}
		return nil
	})
}

// Receptions lists the reception days not over at from, soonest first, at most limit: of the nodes
// whose path starts with under ("" or "/": all).
func (db *DB) Receptions(ctx context.Context, under string, from time.Time, limit int) ([]ReceptionRow, error) {
	q := db.WithContext(ctx).Model(&ReceptionRow{}).Where("ends_at > ?", from.UTC())
	if under != "" && under != "/" {
		cond, args := underPath(db.DB, "nodes.path", under)
		q = q.Where("node IN (SELECT code FROM nodes WHERE "+cond+")", args...)
	}
	var rows []ReceptionRow
	if err := q.Order("starts_at, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: receptions: %w", err)
	}
	return rows, nil
}
