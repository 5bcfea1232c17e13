package cases

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
)

// Notes and attachments are what staff add to a case from the field (issue 14): a grid worker's
// observation with where it was made, a photo, a scanned document. They are records the application
// keeps beside the case, not steps of its workflow: they change no state and no clock, so they need no
// workflow version. Anyone who may read the case may add them and read them; everything is audited.

// maxNote is the longest note, in characters.
const maxNote = 2000

// NoteInput is the body of POST /api/v1/cases/{id}/notes: the text and, optionally, where it was
// written (WGS 84 degrees, as a phone reports them; both or neither).
type NoteInput struct {
	Text string   `json:"text"`
	Lat  *float64 `json:"lat"`
	Lng  *float64 `json:"lng"`
}

// Note is a note on a case as the front ends show it.
type Note struct {
	ID        string    `json:"id"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
	Text      string    `json:"text"`
	Lat       *float64  `json:"lat,omitempty"`
	Lng       *float64  `json:"lng,omitempty"`
}

// Validate checks the note: a text of 1 to 2000 characters; a latitude in [-90, 90] and a longitude
// in [-180, 180], given together.
func (in *NoteInput) Validate() error {
	in.Text = strings.TrimSpace(in.Text)
	var v fengqiao.Validation
	v.Check(in.Text != "", "text", "is required")
	v.Check(utf8.RuneCountInString(in.Text) <= maxNote, "text", "must be at most %d characters", maxNote)
	v.Check(utf8.ValidString(in.Text), "text", "must be UTF-8")
	v.Check((in.Lat == nil) == (in.Lng == nil), "lat", "latitude and longitude go together")
	if in.Lat != nil {
		v.Check(!math.IsNaN(*in.Lat) && *in.Lat >= -90 && *in.Lat <= 90, "lat", "must be between -90 and 90")
	}
	if in.Lng != nil {
		v.Check(!math.IsNaN(*in.Lng) && *in.Lng >= -180 && *in.Lng <= 180, "lng", "must be between -180 and 180")
	}
	return v.Err()
}

// newRecordID is a random id for a note or an attachment: 32 hex digits, safe as a file name.
func newRecordID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// AddNote adds a note to the case for user, who must be able to read it (else not found); the note is
// audited (the audit names it, never its text or location).
func (s *Service) AddNote(ctx context.Context, user, id string, in NoteInput) (Note, error) {
	v, err := s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return Note{}, err
	}
	if err := in.Validate(); err != nil {
		return Note{}, err
	}
	row := store.NoteRow{ID: newRecordID(), CaseID: v.ID, Author: user, CreatedAt: time.Now().UTC().Truncate(time.Microsecond),
		Text: in.Text, Lat: in.Lat, Lng: in.Lng}
	if err := s.DB.AddNote(ctx, s.Keys, row); err != nil {
		return Note{}, err
	}
	detail := "note " + row.ID
	if in.Lat != nil {
		detail += " with location"
	}
	s.audit(ctx, user, "case.note", v.HandlingNode, "case/"+v.ID, auditOK, detail)
	return noteOf(row), nil
}

// Notes returns the case's notes for user, oldest first; the read is audited.
func (s *Service) Notes(ctx context.Context, user, id string) ([]Note, error) {
	v, err := s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Notes(ctx, s.Keys, v.ID)
	if err != nil && rows == nil {
		return nil, err
	}
	if err != nil {
		s.log().ErrorContext(ctx, "a note does not open", "case", v.ID, "error", err)
	}
	s.audit(ctx, user, string(policy.ActionCaseRead), v.HandlingNode, "case/"+v.ID+"/notes", auditRead, "")
	out := make([]Note, len(rows))
	for i, r := range rows {
		out[i] = noteOf(r)
	}
	return out, nil
}

func noteOf(r store.NoteRow) Note {
	return Note{ID: r.ID, Author: r.Author, CreatedAt: r.CreatedAt.UTC(), Text: r.Text, Lat: r.Lat, Lng: r.Lng}
}
