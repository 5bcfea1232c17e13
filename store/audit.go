package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AuditEntry is one line of the append-only audit log: who did what to which object, from which node,
// with what outcome. Detail must never hold personal data (it is shown to auditors and kept for years).
type AuditEntry struct {
	Seq      int64     `gorm:"primaryKey;autoIncrement:false" json:"seq"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Node     string    `json:"node"`
	Action   string    `json:"action"`
	Object   string    `json:"object"`
	Outcome  string    `json:"outcome"` // "ok", "denied", "refused", "read"
	Detail   string    `json:"detail"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// TableName implements gorm's Tabler.
func (AuditEntry) TableName() string { return "audit_log" }

type auditHead struct {
	ID   int `gorm:"primaryKey"`
	Seq  int64
	Hash string
}

func (auditHead) TableName() string { return "audit_head" }

// ChainHash is the hash of an entry: SHA-256 over the previous hash and the entry's fields in a fixed
// canonical form, so that editing, deleting or reordering any entry breaks every later link.
func ChainHash(e AuditEntry) string {
	canon, _ := json.Marshal([]any{e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Node, e.Action, e.Object, e.Outcome, e.Detail})
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write(canon)
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry to the chain. Appends from any number of processes serialise on the chain's
// head row, so sequence numbers have no gaps and every entry links to its predecessor.
func (db *DB) Audit(ctx context.Context, e AuditEntry) (AuditEntry, error) {
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		var head auditHead
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&head, "id = 1").Error; err != nil {
			return err
		}
		e.Seq = head.Seq + 1
		e.At = time.Now().UTC().Truncate(time.Microsecond)
		e.PrevHash = head.Hash
		e.Hash = ChainHash(e)
		if err := tx.Create(&e).Error; err != nil {
			return err
		}
		return tx.Model(&auditHead{}).Where("id = 1").Updates(map[string]any{"seq": e.Seq, "hash": e.Hash}).Error
	})
	if err != nil {
		return AuditEntry{}, fmt.Errorf("store: audit append: %w", err)
	}
	return e, nil
}

// AuditPage lists entries after seq `after`, oldest first.
func (db *DB) AuditPage(ctx context.Context, after int64, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := db.WithContext(ctx).Where("seq > ?", after).Order("seq").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: audit page: %w", err)
	}
	return out, nil
}

// ChainBreak describes the first place where the audit chain does not hold.
type ChainBreak struct {
	Seq    int64
	Reason string
}

// Error implements error.
func (b *ChainBreak) Error() string {
	return fmt.Sprintf("audit chain broken at seq %d: %s", b.Seq, b.Reason)
}

// VerifyAudit walks the whole chain and returns the number of entries checked and, if the chain does not
// hold, a *ChainBreak naming the first broken link: an edited entry (its hash does not match its
// content), a deleted one (a gap in the sequence or a link to a missing predecessor), a reordered one (a
// link to the wrong predecessor), or a tip that disagrees with the head row (entries cut off the end).
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	var prev AuditEntry
	var n int64
	for {
		page, err := db.AuditPage(ctx, prev.Seq, 1000)
		if err != nil {
			return n, err
		}
		for _, e := range page {
			switch {
			case e.Seq != prev.Seq+1:
				return n, &ChainBreak{Seq: prev.Seq + 1, Reason: fmt.Sprintf("entry missing (next present is %d)", e.Seq)}
			case e.PrevHash != prev.Hash:
				return n, &ChainBreak{Seq: e.Seq, Reason: "does not link to the entry before it (deleted or reordered)"}
			case ChainHash(e) != e.Hash:
				return n, &ChainBreak{Seq: e.Seq, Reason: "content does not match its hash (edited)"}
			}
			prev = e
			n++
		}
		if len(page) < 1000 {
			break
		}
	}
	var head auditHead
	if err := db.WithContext(ctx).First(&head, "id = 1").Error; err != nil {
		return n, fmt.Errorf("store: audit head: %w", err)
	}
	if head.Seq != prev.Seq || head.Hash != prev.Hash {
		return n, &ChainBreak{Seq: prev.Seq + 1, Reason: fmt.Sprintf("the chain ends at %d but its head says %d (entries removed from the end)", prev.Seq, head.Seq)}
	}
	return n, nil
}
