package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AttachmentRow is a file attached to a case (issue 14): a photo or a document. Name, the file's
// name as uploaded (display only, never a path), is sealed in NameEnc under
// case/<case>/attachment/<id>/name; the content, sealed under case/<case>/attachment/<id>/data, is in
// Data when no data folder is configured and in a file named after ID otherwise (Data is then nil).
// Size and SHA256 are those of the clear content.
type AttachmentRow struct {
	ID          string    `gorm:"column:id;primaryKey"`
	CaseID      string    `gorm:"column:case_id"`
	Uploader    string    `gorm:"column:uploader"`
	CreatedAt   time.Time `gorm:"column:created_at"`
	NameEnc     []byte    `gorm:"column:name_enc"`
	ContentType string    `gorm:"column:content_type"`
	Size        int64     `gorm:"column:size"`
	SHA256      string    `gorm:"column:sha256"`
	Data        []byte    `gorm:"column:data"`

	Name string `gorm:"-"`
}

// TableName is the table of case attachments.
func (AttachmentRow) TableName() string { return "case_attachments" }

func attachmentAAD(caseID, id, field string) []byte {
	return caseAAD(caseID, "attachment/"+id+"/"+field)
}

// SealAttachment seals an attachment's content for storage, bound to its case and id.
func SealAttachment(s Sealer, caseID, id string, content []byte) ([]byte, error) {
	return s.Seal(content, attachmentAAD(caseID, id, "data"))
}

// OpenAttachment opens content sealed by SealAttachment.
func OpenAttachment(s Sealer, caseID, id string, sealed []byte) ([]byte, error) {
	return s.Open(sealed, attachmentAAD(caseID, id, "data"))
}

// AddAttachment seals the attachment's name and stores its row (Data as given: sealed content, or nil
// when the content is in a file).
func (db *DB) AddAttachment(ctx context.Context, s Sealer, a AttachmentRow) error {
	var err error
	if a.NameEnc, err = s.Seal([]byte(a.Name), attachmentAAD(a.CaseID, a.ID, "name")); err != nil {
		return fmt.Errorf("store: seal name of attachment %s: %w", a.ID, err)
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return db.WithContext(ctx).Create(&a).Error
}

// Attachments returns the attachments of a case, oldest first, names opened and without content.
func (db *DB) Attachments(ctx context.Context, s Sealer, caseID string) ([]AttachmentRow, error) {
	var rows []AttachmentRow
	err := db.WithContext(ctx).Omit("data").Where("case_id = ?", caseID).Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	var bad error
	for i := range rows {
		if err := rows[i].openName(s); err != nil {
			bad = err
		}
	}
	return rows, bad
}

// Attachment returns one attachment of a case with its stored (sealed) Data, or ErrNotFound.
func (db *DB) Attachment(ctx context.Context, s Sealer, caseID, id string) (AttachmentRow, error) {
	var a AttachmentRow
	err := db.WithContext(ctx).Where("case_id = ? AND id = ?", caseID, id).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, ErrNotFound
	}
	if err != nil {
		return a, err
	}
	return a, a.openName(s)
}

func (a *AttachmentRow) openName(s Sealer) error {
	b, err := s.Open(a.NameEnc, attachmentAAD(a.CaseID, a.ID, "name"))
	if err != nil {
		a.Name = Undecryptable
		return fmt.Errorf("store: open name of attachment %s: %w", a.ID, err)
	}
	a.Name = string(b)
	return nil
}
