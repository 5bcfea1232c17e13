package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"fengqiao"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CaseRow is the projection of a case: the columns the API lists and filters by. The case workflow is
// the source of truth; UpdatedSeq is the workflow sequence number the row reflects, and an older
// projection never overwrites a newer one. The summary and the outcome are free text, kept sealed in
// SummaryEnc and OutcomeEnc (Seal, Open); what lists filter and sort by stays in clear.
type CaseRow struct {
	fengqiao.Case `gorm:"embedded"`
	SummaryEnc    []byte
	OutcomeEnc    []byte
	// AddressEnc and RequestEnc seal the place of the dispute and the applicant's request (migration 20).
	AddressEnc []byte
	RequestEnc []byte
	// IntakeEnc is the sealed start input, kept so that an intake whose workflow did not start can be
	// started again from the row alone.
	IntakeEnc []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName implements gorm's Tabler.
func (CaseRow) TableName() string { return "cases" }

// PartyRow is a party of a case; the ID number and phone are sealed, hashed for lookup and masked.
type PartyRow struct {
	CaseID         string `gorm:"primaryKey"`
	Idx            int    `gorm:"primaryKey"`
	Role           string
	Name           string
	IDNumberEnc    []byte `gorm:"column:id_number_enc"`
	IDNumberHash   string `gorm:"column:id_number_hash"`
	IDNumberMasked string `gorm:"column:id_number_masked"`
	PhoneEnc       []byte
	PhoneHash      string
	PhoneMasked    string
	// Kind is person or organization ("" on parties stored before migration 20: a person).
	Kind string
	// The identity a printed document names (migration 20), each sealed like the ID number and bound to
	// the case and the party's place; the credit code is also hashed for lookup.
	GenderEnc              []byte
	EthnicityEnc           []byte
	BirthDateEnc           []byte
	AddressEnc             []byte
	CreditCodeEnc          []byte
	CreditCodeHash         string
	RepresentativeEnc      []byte
	RepresentativeTitleEnc []byte
}

// TableName implements gorm's Tabler.
func (PartyRow) TableName() string { return "case_parties" }

// EventRow is one timeline event; (CaseID, Seq) is unique, Seq being the workflow's own sequence. The
// detail (notes, reasons, decisions as people wrote them) is kept sealed in DetailEnc.
type EventRow struct {
	CaseID     string `gorm:"primaryKey"`
	Seq        int64  `gorm:"primaryKey"`
	OccurredAt time.Time
	Type       string
	Actor      string
	Node       string
	Detail     string
	DetailEnc  []byte
	// Args are the event's facts as a JSON object of strings (see ArgMap); "" when it has none.
	Args string
}

// ArgMap decodes Args; an event without arguments (or written before them) has an empty map.
func (r EventRow) ArgMap() map[string]string {
	m := map[string]string{}
	if r.Args != "" {
		_ = json.Unmarshal([]byte(r.Args), &m)
	}
	return m
}

// TableName implements gorm's Tabler.
func (EventRow) TableName() string { return "case_events" }

// OutboxRow is a notification waiting to be delivered; IdemKey makes queueing idempotent, SendAfter
// holds non-urgent notices to working hours. Subject and body are kept sealed in SubjectEnc and BodyEnc.
type OutboxRow struct {
	ID                   int64 `gorm:"primaryKey"`
	IdemKey              string
	CaseID               string
	Kind                 string
	RecipientUser        string
	RecipientRole        string
	RecipientNode        string
	RecipientPhoneMasked string
	Urgent               bool
	Subject              string
	Body                 string
	SubjectEnc           []byte
	BodyEnc              []byte
	CreatedAt            time.Time
	SendAfter            time.Time
	SentAt               *time.Time
}

// TableName implements gorm's Tabler.
func (OutboxRow) TableName() string { return "outbox" }

// InboxRow is a text message as the dev SMS gateway delivers it: into an in-app inbox. The text is
// kept sealed in TextEnc.
type InboxRow struct {
	ID          int64 `gorm:"primaryKey"`
	IdemKey     string
	PhoneHash   string
	PhoneMasked string
	Text        string
	TextEnc     []byte
	CreatedAt   time.Time
}

// TableName implements gorm's Tabler.
func (InboxRow) TableName() string { return "sms_inbox" }

// MatterRow reserves a matter key for a case (rule 3: one case per matter).
type MatterRow struct {
	MatterKey string `gorm:"primaryKey"`
	CaseID    string
	Final     bool
	CreatedAt time.Time
}

// TableName implements gorm's Tabler.
func (MatterRow) TableName() string { return "matters" }

// petitionMatterPrefix starts the matter keys of petitions (cases.MatterTrackPrefix, migration 18).
const petitionMatterPrefix = "petition:"

// ErrMatterTaken is returned by CreateCase when a matter key is held by another case.
type ErrMatterTaken struct {
	CaseID string
	Final  bool
}

func (e *ErrMatterTaken) Error() string {
	if e.Final {
		return "store: matter closed as final by case " + e.CaseID
	}
	return "store: matter already open as case " + e.CaseID
}

// normalizeTimes stores every instant in UTC: both databases then read back what was written (SQLite
// keeps times as text, and a named fixed zone such as deadline.China does not survive the round trip).
func (r *CaseRow) normalizeTimes() {
	for _, t := range []**time.Time{&r.TierDueAt, &r.StatutoryDueAt, &r.EscalatedAt, &r.AcknowledgedAt, &r.ClosedAt} {
		if *t != nil {
			u := (**t).UTC()
			*t = &u
		}
	}
	r.OpenedAt = r.OpenedAt.UTC()
}

// CreateCase reserves the matter keys and inserts the initial case row in one transaction, numbering the
// case "<prefix>-<year>-<000123>" from a per-prefix-per-year sequence. When a key is taken it returns
// *ErrMatterTaken naming the case that holds it, and inserts nothing. Two intakes at the same instant on
// two servers cannot both succeed: the matter key is the primary key of matters.
func (db *DB) CreateCase(ctx context.Context, row CaseRow, prefix string, keys []string) (CaseRow, error) {
	now := time.Now().UTC()
	row.CreatedAt, row.UpdatedAt = now, now
	row.normalizeTimes()
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		for _, k := range keys {
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&MatterRow{MatterKey: k, CaseID: row.ID, CreatedAt: now})
			if res.Error != nil {
				return fmt.Errorf("reserve matter: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				var m MatterRow
				if err := tx.First(&m, "matter_key = ?", k).Error; err != nil {
					return fmt.Errorf("read matter: %w", err)
				}
				return &ErrMatterTaken{CaseID: m.CaseID, Final: m.Final}
			}
		}
		n, err := nextNumber(tx, prefix, row.OpenedAt.In(chinaZone).Year())
		if err != nil {
			return err
		}
		row.Number = fmt.Sprintf("%s-%d-%06d", prefix, row.OpenedAt.In(chinaZone).Year(), n)
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert case: %w", err)
		}
		return nil
	})
	var taken *ErrMatterTaken
	if errors.As(err, &taken) {
		return CaseRow{}, taken
	}
	if err != nil {
		return CaseRow{}, fmt.Errorf("store: create case: %w", err)
	}
	return row, nil
}

var chinaZone = time.FixedZone("CST", 8*3600)

// nextNumber allocates the next number of the sequence atomically on both databases: the upsert takes
// the row lock (PostgreSQL) or the write lock (SQLite) until the transaction ends.
func nextNumber(tx *gorm.DB, prefix string, year int) (int64, error) {
	var n int64
	err := tx.Raw(`INSERT INTO case_sequences (prefix, year, next) VALUES (?, ?, 1)
		ON CONFLICT (prefix, year) DO UPDATE SET next = case_sequences.next + 1 RETURNING next`, prefix, year).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("next case number: %w", err)
	}
	return n, nil
}

// CaseProjection is one step of a case's projection.
type CaseProjection struct {
	Case       CaseRow
	Parties    []PartyRow
	Events     []EventRow
	Outbox     []OutboxRow
	MatterKeys []string
	Release    bool // the case closed: free its matter keys
	Reserve    bool // the case reopened: take its matter keys again (when free)
	Final      bool // the case is final (XGTL 36): keep its matter keys, marked final
	// SearchKeys are the parties' name search keys (NameSearchKeys), insert-or-ignore like the parties.
	SearchKeys []SearchKeyRow
}

// caseColumns are the columns a projection updates (not the intake's id, number, query code, intake).
var caseColumns = []string{"workflow_id", "kind", "category", "channel", "summary", "summary_enc", "address", "address_enc",
	"request", "request_enc", "status", "tier",
	"handling_node", "handling_path", "handling_body", "handling_body_name", "handling_body_type", "co_bodies", "location", "location_path", "assignee", "first_contact_user",
	"first_contact_node", "court", "tier_due_at", "statutory_due_at", "next_due_at", "next_due_kind", "at_risk", "overdue", "paused",
	"unacknowledged", "escalated_at", "acknowledged_at", "one_visit_breach", "visits", "opened_at",
	"closed_at", "resolved_tier", "outcome", "outcome_enc", "outcome_code", "satisfaction", "final", "policy_version", "updated_seq",
	"updated_at"}

// Project applies a projection step in one transaction. It is idempotent: events, parties and notices
// are insert-or-ignore on their keys, and the case row is only overwritten by a step at least as new
// as the one it holds.
func (db *DB) Project(ctx context.Context, p CaseProjection) error {
	now := time.Now().UTC()
	p.Case.CreatedAt, p.Case.UpdatedAt = now, now
	p.Case.normalizeTimes()
	if p.Case.OutcomeCode == "" && len(p.Case.OutcomeEnc) == 0 {
		p.Case.OutcomeCode = OutcomeCode(p.Case.Outcome)
	}
	for i := range p.Events {
		p.Events[i].OccurredAt = p.Events[i].OccurredAt.UTC()
	}
	for i := range p.Outbox {
		p.Outbox[i].CreatedAt, p.Outbox[i].SendAfter = p.Outbox[i].CreatedAt.UTC(), p.Outbox[i].SendAfter.UTC()
	}
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "id"}},
			DoUpdates: clause.AssignmentColumns(caseColumns),
			Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "cases.updated_seq <= excluded.updated_seq"}}},
		}).Create(&p.Case).Error
		if err != nil {
			return fmt.Errorf("case row: %w", err)
		}
		if len(p.Parties) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p.Parties).Error; err != nil {
				return fmt.Errorf("parties: %w", err)
			}
		}
		if len(p.SearchKeys) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p.SearchKeys).Error; err != nil {
				return fmt.Errorf("search keys: %w", err)
			}
		}
		if err := syncSearchScope(tx, p.Case.ID); err != nil {
			return err
		}
		if len(p.Events) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p.Events).Error; err != nil {
				return fmt.Errorf("events: %w", err)
			}
		}
		if len(p.Outbox) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p.Outbox).Error; err != nil {
				return fmt.Errorf("outbox: %w", err)
			}
		}
		for _, k := range p.MatterKeys {
			switch {
			case p.Final && p.Case.Kind == "petition" && !strings.HasPrefix(k, petitionMatterPrefix):
				// a petition opened before matter keys named their track: its final key takes the track's
				// prefix, as migration 18 gave the ones already final
				err = tx.Where("matter_key = ? AND case_id = ?", k, p.Case.ID).Delete(&MatterRow{}).Error
				if err == nil {
					err = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&MatterRow{MatterKey: petitionMatterPrefix + k,
						CaseID: p.Case.ID, CreatedAt: now, Final: true}).Error
				}
			case p.Final:
				err = tx.Model(&MatterRow{}).Where("matter_key = ? AND case_id = ?", k, p.Case.ID).Update("final", true).Error
			case p.Release:
				err = tx.Where("matter_key = ? AND case_id = ? AND final = ?", k, p.Case.ID, false).Delete(&MatterRow{}).Error
			case p.Reserve:
				err = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&MatterRow{MatterKey: k, CaseID: p.Case.ID, CreatedAt: now}).Error
			}
			if err != nil {
				return fmt.Errorf("matter: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: project case %s: %w", p.Case.ID, err)
	}
	return nil
}

// Case returns the case row, or ErrNotFound.
func (db *DB) Case(ctx context.Context, id string) (CaseRow, error) {
	var r CaseRow
	if err := db.WithContext(ctx).First(&r, "id = ?", id).Error; err != nil {
		return CaseRow{}, translate(err)
	}
	return r, nil
}

// CaseByQueryCode returns the case with the query code, or ErrNotFound.
func (db *DB) CaseByQueryCode(ctx context.Context, code string) (CaseRow, error) {
	var r CaseRow
	if err := db.WithContext(ctx).First(&r, "query_code = ?", code).Error; err != nil {
		return CaseRow{}, translate(err)
	}
	return r, nil
}

// CaseParties lists a case's parties in order.
func (db *DB) CaseParties(ctx context.Context, id string) ([]PartyRow, error) {
	var rows []PartyRow
	if err := db.WithContext(ctx).Where("case_id = ?", id).Order("idx").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: parties of %s: %w", id, err)
	}
	return rows, nil
}

// CaseEvents lists a case's timeline in sequence order.
func (db *DB) CaseEvents(ctx context.Context, id string) ([]EventRow, error) {
	var rows []EventRow
	if err := db.WithContext(ctx).Where("case_id = ?", id).Order("seq").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: events of %s: %w", id, err)
	}
	return rows, nil
}

// EventWritten reports whether the case's event seq is stored: a step's events, case row, parties and
// notices are written in one transaction (Project), so its last event stands for all of them.
func (db *DB) EventWritten(ctx context.Context, caseID string, seq int64) (bool, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&EventRow{}).Where("case_id = ? AND seq = ?", caseID, seq).Limit(1).Count(&n).Error; err != nil {
		return false, fmt.Errorf("store: event %s/%d: %w", caseID, seq, err)
	}
	return n > 0, nil
}

// CaseOutbox lists a case's queued notifications in order.
func (db *DB) CaseOutbox(ctx context.Context, id string) ([]OutboxRow, error) {
	var rows []OutboxRow
	if err := db.WithContext(ctx).Where("case_id = ?", id).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: outbox of %s: %w", id, err)
	}
	return rows, nil
}

// SaveInbox stores a text message in the in-app inbox (insert-or-ignore on its key).
func (db *DB) SaveInbox(ctx context.Context, r InboxRow) error {
	r.CreatedAt = time.Now().UTC()
	if err := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
		return fmt.Errorf("store: inbox: %w", err)
	}
	return nil
}

// Matter returns the reservation of a matter key, or ErrNotFound.
func (db *DB) Matter(ctx context.Context, key string) (MatterRow, error) {
	var m MatterRow
	if err := db.WithContext(ctx).First(&m, "matter_key = ?", key).Error; err != nil {
		return MatterRow{}, translate(err)
	}
	return m, nil
}

// CaseFilter selects cases for a list. Empty fields do not filter. Under is a node path
// ("/330200/330203/"): cases whose handling node or location lies in that subtree.
type CaseFilter struct {
	Status           string
	Tier             string
	Under            string
	HandlingNode     string
	Assignee         string
	FirstContactUser string
	Overdue          *bool
	AtRisk           *bool
	Unacknowledged   *bool
	After            string // keyset cursor: the last id of the previous page
	Limit            int
	// PartyIDHashes keeps the cases with a party whose ID number hashes to one of these
	// (secret.Keyring.HashAll of the number: every key's hash, so rotation loses nothing).
	PartyIDHashes []string
	// OpenOnly keeps the cases still being handled.
	OpenOnly bool
	// Scope, when set, keeps only the cases its user may read.
	Scope *ReadScope
}

// ListCases lists case rows matching f, ordered by id (the cursor order).
func (db *DB) ListCases(ctx context.Context, f CaseFilter) ([]CaseRow, error) {
	q := db.WithContext(ctx).Model(&CaseRow{}).Order("id")
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q = q.Limit(f.Limit)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Tier != "" {
		q = q.Where("tier = ?", f.Tier)
	}
	if f.Under != "" {
		h, ha := underPath(q, "handling_path", f.Under)
		l, la := underPath(q, "location_path", f.Under)
		q = q.Where("("+h+" OR "+l+")", append(ha, la...)...)
	}
	if f.HandlingNode != "" {
		q = q.Where("handling_node = ?", f.HandlingNode)
	}
	if f.Assignee != "" {
		q = q.Where("assignee = ?", f.Assignee)
	}
	if f.FirstContactUser != "" {
		q = q.Where("first_contact_user = ?", f.FirstContactUser)
	}
	if f.Overdue != nil {
		q = q.Where("overdue = ?", *f.Overdue)
	}
	if f.AtRisk != nil {
		q = q.Where("at_risk = ?", *f.AtRisk)
	}
	if f.Unacknowledged != nil {
		q = q.Where("unacknowledged = ?", *f.Unacknowledged)
	}
	if f.After != "" {
		q = q.Where("id > ?", f.After)
	}
	if len(f.PartyIDHashes) > 0 {
		q = q.Where("id IN (SELECT case_id FROM case_parties WHERE id_number_hash IN ?)", f.PartyIDHashes)
	}
	if f.OpenOnly {
		q = q.Where("status IN ?", openStatuses)
	}
	if f.Scope != nil {
		q = f.Scope.apply(q)
	}
	var rows []CaseRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: list cases: %w", err)
	}
	return rows, nil
}
