package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// Free text — what people wrote about a case: its summary and outcome, the details of its timeline,
// the notices about it, the text messages sent for it — is personal data of the most sensitive kind
// (complaints, family matters, a phone number typed into a note). It is kept sealed: each text column
// has a twin, <column>_enc, holding the text encrypted under additional data that names the case and
// the place of the value, so that a ciphertext copied to another case, row or column does not open:
//
//	cases.summary_enc        case/<id>/summary
//	cases.outcome_enc        case/<id>/outcome
//	cases.address_enc        case/<id>/address
//	cases.request_enc        case/<id>/request
//	case_events.detail_enc   case/<case_id>/event/<seq>/detail
//	outbox.subject_enc       case/<case_id>/outbox/<idem_key>/subject
//	outbox.body_enc          case/<case_id>/outbox/<idem_key>/body
//	sms_inbox.text_enc       sms/<idem_key>/text
//
// Writers Seal a row before storing it (its clear text column is then empty); readers Open the rows
// they read. A row stored before migration 0006 has its text in the clear column and nothing sealed:
// Open leaves it as it is, so it reads as before, until the projection rewrites it or SealPlaintext
// seals it. Everything lists filter, sort and count by (category, status, tiers, nodes, dates, clocks)
// stays in clear, and no query searches the text: sealed text cannot be searched in SQL.

// Sealer encrypts a value at rest bound to additional data, and opens it again; *secret.Keyring is the
// one Fengqiao uses.
type Sealer interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(ciphertext, aad []byte) ([]byte, error)
}

// Undecryptable stands in for a sealed value that does not open (its key is gone, or the ciphertext
// was damaged or moved): readers show it, never the ciphertext, and log the error.
const Undecryptable = "（无法解密）"

func caseAAD(caseID, place string) []byte { return []byte("case/" + caseID + "/" + place) }

func eventAAD(caseID string, seq int64) []byte {
	return caseAAD(caseID, "event/"+strconv.FormatInt(seq, 10)+"/detail")
}

func outboxAAD(caseID, idemKey, field string) []byte {
	return caseAAD(caseID, "outbox/"+idemKey+"/"+field)
}

func inboxAAD(idemKey string) []byte { return []byte("sms/" + idemKey + "/text") }

// sealText moves a non-empty *plain into *enc, sealed under aad, and empties *plain. An empty text
// leaves both as they are.
func sealText(s Sealer, plain *string, enc *[]byte, aad []byte) error {
	if *plain == "" {
		return nil
	}
	c, err := s.Seal([]byte(*plain), aad)
	if err != nil {
		return err
	}
	*plain, *enc = "", c
	return nil
}

// openText puts the text sealed in enc into *plain; with nothing sealed, *plain (a row written before
// sealing) stays. A ciphertext that does not open leaves Undecryptable.
func openText(s Sealer, plain *string, enc []byte, aad []byte) error {
	if len(enc) == 0 {
		return nil
	}
	b, err := s.Open(enc, aad)
	if err != nil {
		*plain = Undecryptable
		return err
	}
	*plain = string(b)
	return nil
}

// sealedTexts are the case row's sealed texts: name, clear column, sealed column.
func (r *CaseRow) sealedTexts() []struct {
	name  string
	plain *string
	enc   *[]byte
} {
	return []struct {
		name  string
		plain *string
		enc   *[]byte
	}{{"summary", &r.Summary, &r.SummaryEnc}, {"outcome", &r.Outcome, &r.OutcomeEnc},
		{"address", &r.Address, &r.AddressEnc}, {"request", &r.Request, &r.RequestEnc}}
}

// Seal seals the summary, the outcome, the address and the request into their sealed columns and
// empties them.
func (r *CaseRow) Seal(s Sealer) error {
	if r.OutcomeCode == "" && len(r.OutcomeEnc) == 0 {
		r.OutcomeCode = OutcomeCode(r.Outcome)
	}
	for _, t := range r.sealedTexts() {
		if err := sealText(s, t.plain, t.enc, caseAAD(r.ID, t.name)); err != nil {
			return fmt.Errorf("store: seal %s of case %s: %w", t.name, r.ID, err)
		}
	}
	return nil
}

// Open fills the summary, the outcome, the address and the request from their sealed columns. A value
// that does not open reads Undecryptable and is reported in the error; the others still open.
func (r *CaseRow) Open(s Sealer) error {
	var errs []error
	for _, t := range r.sealedTexts() {
		if err := openText(s, t.plain, *t.enc, caseAAD(r.ID, t.name)); err != nil {
			errs = append(errs, fmt.Errorf("store: open %s of case %s: %w", t.name, r.ID, err))
		}
	}
	return errors.Join(errs...)
}

// Seal seals the detail into DetailEnc and empties it.
func (r *EventRow) Seal(s Sealer) error {
	if err := sealText(s, &r.Detail, &r.DetailEnc, eventAAD(r.CaseID, r.Seq)); err != nil {
		return fmt.Errorf("store: seal event %d of case %s: %w", r.Seq, r.CaseID, err)
	}
	return nil
}

// Open fills the detail from DetailEnc (Undecryptable when it does not open).
func (r *EventRow) Open(s Sealer) error {
	if err := openText(s, &r.Detail, r.DetailEnc, eventAAD(r.CaseID, r.Seq)); err != nil {
		return fmt.Errorf("store: open event %d of case %s: %w", r.Seq, r.CaseID, err)
	}
	return nil
}

// Seal seals the subject and the body into SubjectEnc and BodyEnc and empties them.
func (r *OutboxRow) Seal(s Sealer) error {
	if err := sealText(s, &r.Subject, &r.SubjectEnc, outboxAAD(r.CaseID, r.IdemKey, "subject")); err != nil {
		return fmt.Errorf("store: seal notice %s: %w", r.IdemKey, err)
	}
	if err := sealText(s, &r.Body, &r.BodyEnc, outboxAAD(r.CaseID, r.IdemKey, "body")); err != nil {
		return fmt.Errorf("store: seal notice %s: %w", r.IdemKey, err)
	}
	return nil
}

// Open fills the subject and the body from their sealed columns (Undecryptable when one does not open).
func (r *OutboxRow) Open(s Sealer) error {
	var errs []error
	if err := openText(s, &r.Subject, r.SubjectEnc, outboxAAD(r.CaseID, r.IdemKey, "subject")); err != nil {
		errs = append(errs, fmt.Errorf("store: open subject of notice %s: %w", r.IdemKey, err))
	}
	if err := openText(s, &r.Body, r.BodyEnc, outboxAAD(r.CaseID, r.IdemKey, "body")); err != nil {
		errs = append(errs, fmt.Errorf("store: open body of notice %s: %w", r.IdemKey, err))
	}
	return errors.Join(errs...)
}

// Seal seals the text into TextEnc and empties it.
func (r *InboxRow) Seal(s Sealer) error {
	if err := sealText(s, &r.Text, &r.TextEnc, inboxAAD(r.IdemKey)); err != nil {
		return fmt.Errorf("store: seal text message %s: %w", r.IdemKey, err)
	}
	return nil
}

// Open fills the text from TextEnc (Undecryptable when it does not open).
func (r *InboxRow) Open(s Sealer) error {
	if err := openText(s, &r.Text, r.TextEnc, inboxAAD(r.IdemKey)); err != nil {
		return fmt.Errorf("store: open text message %s: %w", r.IdemKey, err)
	}
	return nil
}

// sealBatch is how many rows SealPlaintext seals in one transaction.
const sealBatch = 200

// SealPlaintext seals the free text still held in clear — rows written before migration 0006 that
// nothing has rewritten since — and returns how many rows it sealed. It may run while the application
// runs: a row is rewritten only if it still holds the text that was read, so a projection that sealed
// it meanwhile wins. Run it again after a crash; it picks up where the text is still clear.
//
// On SQLite the old text can outlive its row in the file's free space: the database zeroes what a
// write frees in the pages it rewrites (secure_delete FAST), SealPlaintext checkpoints the WAL, and a
// VACUUM afterwards leaves no free page behind.
func (db *DB) SealPlaintext(ctx context.Context, s Sealer) (int64, error) {
	var total int64
	for _, step := range []func(context.Context, Sealer) (int64, error){db.sealCases, db.sealEvents, db.sealOutbox, db.sealInbox} {
		n, err := step(ctx, s)
		total += n
		if err != nil {
			return total, err
		}
	}
	if total > 0 && !db.IsPostgres() {
		if err := db.WithContext(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
			return total, fmt.Errorf("store: checkpoint after sealing: %w", err)
		}
	}
	return total, nil
}

// sealPages reads a table's rows with clear text a page at a time (page gives the page after the
// last row read, nil at first) and seals each page in one transaction with seal, which rewrites one
// row and says whether it did.
func sealPages[R any](ctx context.Context, db *DB, page func(after *R) ([]R, error), seal func(tx *gorm.DB, r R) (bool, error)) (int64, error) {
	var total int64
	var after *R
	for {
		rows, err := page(after)
		if err != nil || len(rows) == 0 {
			return total, err
		}
		var n int64
		err = db.Tx(ctx, func(tx *gorm.DB) error {
			n = 0
			for _, r := range rows {
				done, err := seal(tx, r)
				if err != nil {
					return err
				}
				if done {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("store: seal clear text: %w", err)
		}
		total += n
		after = &rows[len(rows)-1]
	}
}

func (db *DB) sealCases(ctx context.Context, s Sealer) (int64, error) {
	return sealPages(ctx, db, func(after *CaseRow) ([]CaseRow, error) {
		q := db.WithContext(ctx).Select("id", "summary", "outcome").
			Where("(summary_enc IS NULL AND summary <> '') OR (outcome_enc IS NULL AND outcome <> '')")
		if after != nil {
			q = q.Where("id > ?", after.ID)
		}
		var rows []CaseRow
		return rows, q.Order("id").Limit(sealBatch).Find(&rows).Error
	}, func(tx *gorm.DB, r CaseRow) (bool, error) {
		was := r
		if err := r.Seal(s); err != nil {
			return false, err
		}
		res := tx.Model(&CaseRow{}).Where("id = ? AND summary_enc IS NULL AND outcome_enc IS NULL AND summary = ? AND outcome = ?",
			r.ID, was.Summary, was.Outcome).
			UpdateColumns(map[string]any{"summary": r.Summary, "summary_enc": r.SummaryEnc, "outcome": r.Outcome, "outcome_enc": r.OutcomeEnc})
		return res.RowsAffected == 1, res.Error
	})
}

func (db *DB) sealEvents(ctx context.Context, s Sealer) (int64, error) {
	return sealPages(ctx, db, func(after *EventRow) ([]EventRow, error) {
		q := db.WithContext(ctx).Select("case_id", "seq", "detail").Where("detail_enc IS NULL AND detail <> ''")
		if after != nil {
			q = q.Where("(case_id > ? OR (case_id = ? AND seq > ?))", after.CaseID, after.CaseID, after.Seq)
		}
		var rows []EventRow
		return rows, q.Order("case_id, seq").Limit(sealBatch).Find(&rows).Error
	}, func(tx *gorm.DB, r EventRow) (bool, error) {
		was := r.Detail
		if err := r.Seal(s); err != nil {
			return false, err
		}
		res := tx.Model(&EventRow{}).Where("case_id = ? AND seq = ? AND detail_enc IS NULL AND detail = ?", r.CaseID, r.Seq, was).
			UpdateColumns(map[string]any{"detail": r.Detail, "detail_enc": r.DetailEnc})
		return res.RowsAffected == 1, res.Error
	})
}

func (db *DB) sealOutbox(ctx context.Context, s Sealer) (int64, error) {
	return sealPages(ctx, db, func(after *OutboxRow) ([]OutboxRow, error) {
		q := db.WithContext(ctx).Select("id", "idem_key", "case_id", "subject", "body").
			Where("(subject_enc IS NULL AND subject <> '') OR (body_enc IS NULL AND body <> '')")
		if after != nil {
			q = q.Where("id > ?", after.ID)
		}
		var rows []OutboxRow
		return rows, q.Order("id").Limit(sealBatch).Find(&rows).Error
	}, func(tx *gorm.DB, r OutboxRow) (bool, error) {
		was := r
		if err := r.Seal(s); err != nil {
			return false, err
		}
		res := tx.Model(&OutboxRow{}).Where("id = ? AND subject_enc IS NULL AND body_enc IS NULL AND subject = ? AND body = ?",
			r.ID, was.Subject, was.Body).
			UpdateColumns(map[string]any{"subject": r.Subject, "subject_enc": r.SubjectEnc, "body": r.Body, "body_enc": r.BodyEnc})
		return res.RowsAffected == 1, res.Error
	})
}

func (db *DB) sealInbox(ctx context.Context, s Sealer) (int64, error) {
	return sealPages(ctx, db, func(after *InboxRow) ([]InboxRow, error) {
		q := db.WithContext(ctx).Select("id", "idem_key", "text").Where("text_enc IS NULL AND text <> ''")
		if after != nil {
			q = q.Where("id > ?", after.ID)
		}
		var rows []InboxRow
		return rows, q.Order("id").Limit(sealBatch).Find(&rows).Error
	}, func(tx *gorm.DB, r InboxRow) (bool, error) {
		was := r.Text
		if err := r.Seal(s); err != nil {
			return false, err
		}
		res := tx.Model(&InboxRow{}).Where("id = ? AND text_enc IS NULL AND text = ?", r.ID, was).
			UpdateColumns(map[string]any{"text": r.Text, "text_enc": r.TextEnc})
		return res.RowsAffected == 1, res.Error
	})
}
