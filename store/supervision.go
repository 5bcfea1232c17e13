package store

import (
	"context"
	"fmt"
)

// openStatuses are the statuses of a case still being handled.
var openStatuses = []string{"registered", "mediating", "suspended", "agreement", "confirmation_pending",
	"confirmed", "rejected_by_court", "answered", "under_review"}

// SupervisionQueue is a supervisor's board: overdue cases (most overdue first), cases at risk (nearest
// deadline first) and escalations nobody has acknowledged (oldest first), all open cases under scope.
type SupervisionQueue struct {
	Overdue        []CaseRow
	AtRisk         []CaseRow
	Unacknowledged []CaseRow
}

// Supervision returns the queue for the cases scope may read, at most limit per list.
func (db *DB) Supervision(ctx context.Context, scope ReadScope, limit int) (SupervisionQueue, error) {
	var q SupervisionQueue
	lists := []struct {
		dst   *[]CaseRow
		where string
		order string
	}{
		{&q.Overdue, "overdue = TRUE", "tier_due_at, id"},
		{&q.AtRisk, "at_risk = TRUE AND overdue = FALSE", "tier_due_at, id"},
		{&q.Unacknowledged, "unacknowledged = TRUE", "escalated_at, id"},
	}
	for _, l := range lists {
		tx := db.WithContext(ctx).Model(&CaseRow{}).Where(l.where).Where("status IN ?", openStatuses).
			Order(l.order).Limit(limit)
		if err := scope.apply(tx).Find(l.dst).Error; err != nil {
			return SupervisionQueue{}, fmt.Errorf("store: supervision queue: %w", err)
		}
	}
	return q, nil
}
