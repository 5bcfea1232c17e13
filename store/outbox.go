package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MaxDeliveryAttempts is how many failed attempts a notice gets; after that it stays in the outbox,
// undelivered with its last error, for an operator to look at (it is never deleted).
const MaxDeliveryAttempts = 20

// Delivery is an outbox row with its delivery state.
type Delivery struct {
	OutboxRow
	DeliveredAt   *time.Time
	Attempts      int
	NextAttemptAt *time.Time
	LastError     string
	ClaimedUntil  *time.Time
	// ChannelsDone names the channels that took the notice in an attempt that failed on a later one,
	// comma-separated: a retry does not send through them again.
	ChannelsDone string
}

// TableName implements gorm's Tabler.
func (Delivery) TableName() string { return "outbox" }

// DueNotices lists, oldest first, up to limit staff notices due at now: not delivered, held no longer
// (send_after, which already encodes working hours; urgent notices are due at once), their retry
// time reached, fewer than MaxDeliveryAttempts failures and claimed by no worker. Notices to a party
// (a masked phone) are not listed: the projection texts them through the SMS gateway as it writes
// them, and the outbox does not hold the phone.
func (db *DB) DueNotices(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	now = now.UTC()
	var rows []Delivery
	err := db.WithContext(ctx).Where("delivered_at IS NULL AND recipient_phone_masked = '' AND send_after <= ? "+
		"AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND attempts < ? "+
		"AND (claimed_until IS NULL OR claimed_until < ?)", now, now, MaxDeliveryAttempts, now).
		Order("send_after, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: due notices: %w", err)
	}
	return rows, nil
}

// ClaimNotice claims notice id for one worker until now+lease and returns it as it stands once
// claimed; ok is false when it is no longer due (delivered, or failed and waiting for its retry,
// since it was listed) or another worker holds an unexpired claim.
func (db *DB) ClaimNotice(ctx context.Context, id int64, now time.Time, lease time.Duration) (d Delivery, ok bool, err error) {
	now = now.UTC()
	res := db.WithContext(ctx).Model(&Delivery{}).
		Where("id = ? AND delivered_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND attempts < ? "+
			"AND (claimed_until IS NULL OR claimed_until < ?)", id, now, MaxDeliveryAttempts, now).
		Update("claimed_until", now.Add(lease))
	if res.Error != nil {
		return Delivery{}, false, fmt.Errorf("store: claim notice %d: %w", id, res.Error)
	}
	if res.RowsAffected != 1 {
		return Delivery{}, false, nil
	}
	if err := db.WithContext(ctx).First(&d, "id = ?", id).Error; err != nil {
		return Delivery{}, false, fmt.Errorf("store: claim notice %d: %w", id, err)
	}
	return d, true, nil
}

// MarkNoticeDelivered records that notice id was delivered at now and releases its claim.
func (db *DB) MarkNoticeDelivered(ctx context.Context, id int64, now time.Time) error {
	err := db.WithContext(ctx).Model(&Delivery{}).Where("id = ? AND delivered_at IS NULL", id).
		Updates(map[string]any{"delivered_at": now.UTC(), "sent_at": now.UTC(), "claimed_until": nil, "last_error": ""}).Error
	if err != nil {
		return fmt.Errorf("store: mark notice %d delivered: %w", id, err)
	}
	return nil
}

// MarkNoticeFailed counts a failed attempt at notice id, keeps its error and the channels that took it
// (channelsDone), and releases its claim so that it is tried again from next.
func (db *DB) MarkNoticeFailed(ctx context.Context, id int64, next time.Time, reason, channelsDone string) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	err := db.WithContext(ctx).Model(&Delivery{}).Where("id = ? AND delivered_at IS NULL", id).
		Updates(map[string]any{"attempts": gorm.Expr("attempts + 1"), "next_attempt_at": next.UTC(),
			"last_error": reason, "claimed_until": nil, "channels_done": channelsDone}).Error
	if err != nil {
		return fmt.Errorf("store: mark notice %d failed: %w", id, err)
	}
	return nil
}

// NoticeDelivery returns the delivery state of the notice with the idempotency key, or ErrNotFound.
func (db *DB) NoticeDelivery(ctx context.Context, idemKey string) (Delivery, error) {
	var d Delivery
	if err := db.WithContext(ctx).First(&d, "idem_key = ?", idemKey).Error; err != nil {
		return Delivery{}, translate(err)
	}
	return d, nil
}

// InboxEntryRow is a notice in a staff member's in-app inbox.
type InboxEntryRow struct {
	ID        int64 `gorm:"primaryKey"`
	OutboxID  int64
	Username  string
	CaseID    string
	Kind      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// TableName implements gorm's Tabler.
func (InboxEntryRow) TableName() string { return "staff_inbox" }

// InboxNotice is an inbox entry with its notice (subject and body still sealed: Open the Notice).
type InboxNotice struct {
	InboxEntryRow
	Notice OutboxRow
}

// AddToInbox puts notice n into the inbox of each of usernames; an entry already there stays as it
// is (read or not), so delivering a notice again adds nothing.
func (db *DB) AddToInbox(ctx context.Context, n OutboxRow, usernames []string) error {
	if len(usernames) == 0 {
		return nil
	}
	rows := make([]InboxEntryRow, 0, len(usernames))
	for _, u := range usernames {
		rows = append(rows, InboxEntryRow{OutboxID: n.ID, Username: u, CaseID: n.CaseID, Kind: n.Kind, CreatedAt: n.CreatedAt.UTC()})
	}
	if err := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
		return fmt.Errorf("store: add notice %d to inboxes: %w", n.ID, err)
	}
	return nil
}

// Inbox lists the newest limit entries of username's inbox, newest first, each with its notice.
func (db *DB) Inbox(ctx context.Context, username string, limit int) ([]InboxNotice, error) {
	var entries []InboxEntryRow
	if err := db.WithContext(ctx).Where("username = ?", username).Order("created_at DESC, id DESC").
		Limit(limit).Find(&entries).Error; err != nil {
		return nil, fmt.Errorf("store: inbox of %s: %w", username, err)
	}
	ids := make([]int64, 0, len(entries))
	for _, e := range entries {
		ids = append(ids, e.OutboxID)
	}
	var notices []OutboxRow
	if len(ids) > 0 {
		if err := db.WithContext(ctx).Where("id IN ?", ids).Find(&notices).Error; err != nil {
			return nil, fmt.Errorf("store: inbox of %s: %w", username, err)
		}
	}
	byID := make(map[int64]OutboxRow, len(notices))
	for _, n := range notices {
		byID[n.ID] = n
	}
	out := make([]InboxNotice, 0, len(entries))
	for _, e := range entries {
		out = append(out, InboxNotice{InboxEntryRow: e, Notice: byID[e.OutboxID]})
	}
	return out, nil
}

// UnreadCount counts the entries of username's inbox not read yet.
func (db *DB) UnreadCount(ctx context.Context, username string) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&InboxEntryRow{}).Where("username = ? AND read_at IS NULL", username).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: unread count of %s: %w", username, err)
	}
	return n, nil
}

// MarkInboxRead marks entry id of username's inbox read (once: a second call keeps the first time);
// an entry that is not in username's inbox is ErrNotFound.
func (db *DB) MarkInboxRead(ctx context.Context, username string, id int64, now time.Time) error {
	var e InboxEntryRow
	if err := db.WithContext(ctx).First(&e, "id = ? AND username = ?", id, username).Error; err != nil {
		return translate(err)
	}
	err := db.WithContext(ctx).Model(&InboxEntryRow{}).Where("id = ? AND read_at IS NULL", id).
		Update("read_at", now.UTC()).Error
	if err != nil {
		return fmt.Errorf("store: mark inbox entry %d read: %w", id, err)
	}
	return nil
}
