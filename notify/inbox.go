package notify

import (
	"context"
	"time"

	"fengqiao/store"
)

// Entry is a notice in a staff member's in-app inbox, its text opened.
type Entry struct {
	ID        int64      `json:"id"`
	CaseID    string     `json:"case_id"`
	Kind      string     `json:"kind"`
	Urgent    bool       `json:"urgent"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// InboxPage is the newest part of an inbox and its unread count.
type InboxPage struct {
	Unread  int64   `json:"unread"`
	Entries []Entry `json:"entries"`
}

// ReadInbox returns the newest limit entries of username's inbox with their text opened (a text that
// does not open reads store.Undecryptable), and how many entries are unread.
func ReadInbox(ctx context.Context, db *store.DB, keys store.Sealer, username string, limit int) (InboxPage, error) {
	unread, err := db.UnreadCount(ctx, username)
	if err != nil {
		return InboxPage{}, err
	}
	rows, err := db.Inbox(ctx, username, limit)
	if err != nil {
		return InboxPage{}, err
	}
	page := InboxPage{Unread: unread, Entries: make([]Entry, 0, len(rows))}
	for _, r := range rows {
		n := r.Notice
		_ = n.Open(keys) // a text that does not open shows as store.Undecryptable
		page.Entries = append(page.Entries, Entry{ID: r.ID, CaseID: r.CaseID, Kind: r.Kind, Urgent: n.Urgent,
			Subject: n.Subject, Body: n.Body, CreatedAt: r.CreatedAt, ReadAt: r.ReadAt})
	}
	return page, nil
}
