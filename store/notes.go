package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// NoteRow is a note staff added to a case (issue 14): who, when, and — sealed in BodyEnc under
// case/<case>/note/<id>/body — the text and the optional location it was written at. Text, Lat and
// Lng are the opened body; they are not columns.
type NoteRow struct {
	ID        string    `gorm:"column:id;primaryKey"`
	CaseID    string    `gorm:"column:case_id"`
	Author    string    `gorm:"column:author"`
	CreatedAt time.Time `gorm:"column:created_at"`
	BodyEnc   []byte    `gorm:"column:body_enc"`

	Text string   `gorm:"-"`
	Lat  *float64 `gorm:"-"`
	Lng  *float64 `gorm:"-"`
}

// TableName is the table of case notes.
func (NoteRow) TableName() string { return "case_notes" }

// noteBody is what a note seals.
type noteBody struct {
	Text string   `json:"text"`
	Lat  *float64 `json:"lat,omitempty"`
	Lng  *float64 `json:"lng,omitempty"`
}

func noteAAD(caseID, id string) []byte { return caseAAD(caseID, "note/"+id+"/body") }

// AddNote seals the note's text and location and stores it.
func (db *DB) AddNote(ctx context.Context, s Sealer, n NoteRow) error {
	body, err := json.Marshal(noteBody{Text: n.Text, Lat: n.Lat, Lng: n.Lng})
	if err != nil {
		return err
	}
	if n.BodyEnc, err = s.Seal(body, noteAAD(n.CaseID, n.ID)); err != nil {
		return fmt.Errorf("store: seal note %s of case %s: %w", n.ID, n.CaseID, err)
	}
	n.CreatedAt = n.CreatedAt.UTC()
	return db.WithContext(ctx).Create(&n).Error
}

// Notes returns the notes of a case, oldest first, opened. A note that does not open reads
// Undecryptable (without location) and is reported in the error; the others still open.
func (db *DB) Notes(ctx context.Context, s Sealer, caseID string) ([]NoteRow, error) {
	var rows []NoteRow
	if err := db.WithContext(ctx).Where("case_id = ?", caseID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	var bad error
	for i := range rows {
		r := &rows[i]
		b, err := s.Open(r.BodyEnc, noteAAD(r.CaseID, r.ID))
		var body noteBody
		if err == nil {
			err = json.Unmarshal(b, &body)
		}
		if err != nil {
			r.Text = Undecryptable
			bad = fmt.Errorf("store: open note %s of case %s: %w", r.ID, r.CaseID, err)
			continue
		}
		r.Text, r.Lat, r.Lng = body.Text, body.Lat, body.Lng
	}
	return rows, bad
}
