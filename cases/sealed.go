package cases

import (
	"context"

	"fengqiao/store"
)

// The database keeps every free text of a case sealed (store/sealed.go): the summary and outcome of its
// row, the details of its timeline. The service opens them on the way out, so that both front ends get
// text and never touch a ciphertext or a key. A value that does not open — its key retired too soon,
// its bytes damaged — is logged and reads store.Undecryptable: one bad row must not take a list or a
// timeline down, and a reader must never be shown the ciphertext.

// openCase opens the sealed text of one case row.
func (s *Service) openCase(ctx context.Context, r *store.CaseRow) {
	if err := r.Open(s.Keys); err != nil {
		s.log().ErrorContext(ctx, "sealed text of a case does not open", "case", r.ID, "error", err)
	}
}

// openCases opens the sealed text of case rows in place and returns them.
func (s *Service) openCases(ctx context.Context, rows []store.CaseRow) []store.CaseRow {
	for i := range rows {
		s.openCase(ctx, &rows[i])
	}
	return rows
}

// openBoard opens the sealed text of a supervision board's rows.
func (s *Service) openBoard(ctx context.Context, q store.SupervisionQueue) store.SupervisionQueue {
	s.openCases(ctx, q.Overdue)
	s.openCases(ctx, q.AtRisk)
	s.openCases(ctx, q.Unacknowledged)
	return q
}

// openEvents opens the details of timeline events in place and returns them.
func (s *Service) openEvents(ctx context.Context, events []store.EventRow) []store.EventRow {
	for i := range events {
		if err := events[i].Open(s.Keys); err != nil {
			s.log().ErrorContext(ctx, "sealed detail of an event does not open", "case", events[i].CaseID,
				"seq", events[i].Seq, "error", err)
		}
	}
	return events
}
