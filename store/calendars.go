package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// CalendarRow is one year of the holiday calendar as an administrator saved it: the State Council's
// notice for that year, every day listed ("YYYY-MM-DD", ranges expanded, sorted).
type CalendarRow struct {
	Year int `gorm:"primaryKey;autoIncrement:false"`
	// Holidays are the public holidays and the rest days joined to them.
	Holidays []string `gorm:"serializer:json"`
	// Workdays are the Saturdays and Sundays worked instead (调休上班).
	Workdays  []string `gorm:"serializer:json"`
	UpdatedBy string
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

// TableName implements gorm's Tabler.
func (CalendarRow) TableName() string { return "calendars" }

// PutCalendar stores one year of the calendar, replacing what was stored for that year.
func (db *DB) PutCalendar(ctx context.Context, r CalendarRow) error {
	if r.Holidays == nil {
		r.Holidays = []string{}
	}
	if r.Workdays == nil {
		r.Workdays = []string{}
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = time.Now()
	}
	r.UpdatedAt = r.UpdatedAt.UTC()
	err := db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "year"}},
		DoUpdates: clause.AssignmentColumns([]string{"holidays", "workdays", "updated_by", "updated_at"}),
	}).Create(&r).Error
	if err != nil {
		return fmt.Errorf("store: put calendar %d: %w", r.Year, err)
	}
	return nil
}

// Calendars returns every stored year of the calendar, in order.
func (db *DB) Calendars(ctx context.Context) ([]CalendarRow, error) {
	var rows []CalendarRow
	if err := db.WithContext(ctx).Order("year").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: calendars: %w", err)
	}
	return rows, nil
}

// OpenCaseIDs returns, a page at a time in id order, the ids of the cases still open after the id
// after ("" for the first page): the cases whose workflows still run and follow calendar changes.
func (db *DB) OpenCaseIDs(ctx context.Context, after string, limit int) ([]string, error) {
	var ids []string
	err := db.WithContext(ctx).Model(&CaseRow{}).
		Where("id > ? AND status IN ?", after, openStatuses).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("store: open cases: %w", err)
	}
	return ids, nil
}
