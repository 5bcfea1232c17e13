package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/secret"
	"fengqiao/store"
)

// Project writes one step of a case's projection: the case row (never older than what is stored), the
// parties, new timeline events and notices (insert-or-ignore on their keys), the risks, and the matter
// reservation changes. Personal data is sealed before it is written: the parties' ID numbers and phones
// (SealParty), and every free text — the summary, the outcome, the events' details, the notices'
// subjects and bodies (store.CaseRow.Seal and its kin). Texts to parties go out through the SMS gateway
// after the commit, keyed by the notice so a retry does not text twice.
func (a *Activities) Project(ctx context.Context, p Projection) error {
	cal, err := a.calendar()
	if err != nil {
		return err
	}
	var texts []Notice
	if a.writtenFromAnswer(ctx, p) {
		texts = partyTexts(p.Notices)
		if p.Risks != nil { // risks are written after the step's transaction: a crash between leaves them
			if err := a.DB.ReplaceRisks(ctx, p.Case.ID, p.Case.UpdatedSeq, p.Risks.Risks, p.Risks.Leader); err != nil {
				return err
			}
		}
	} else if texts, err = writeStep(ctx, a.DB, a.Keys, cal, p, true); err != nil {
		return err
	}
	sms := a.SMS
	if sms == nil {
		sms = &InboxSMS{DB: a.DB, Keys: a.Keys, Logger: a.log()}
	}
	for _, n := range texts {
		if err := sms.Send(ctx, n.Key, n.To.Party.Phone, n.Subject+"："+n.Body); err != nil {
			return fmt.Errorf("sms %s: %w", n.Key, err)
		}
	}
	return nil
}

// writtenFromAnswer reports whether the cases service has already written the step from the action's
// answer (WriteStep), so that only what it leaves is left to do here: a step without matter changes
// whose last event is stored. A failed check writes the step again, as any retry would.
func (a *Activities) writtenFromAnswer(ctx context.Context, p Projection) bool {
	if len(p.Events) == 0 || len(p.MatterKeys) > 0 && (p.Release || p.Reserve || p.Final) {
		return false
	}
	ok, err := a.DB.EventWritten(ctx, p.Case.ID, p.Events[len(p.Events)-1].Seq)
	return err == nil && ok
}

// partyTexts are the notices texted to parties.
func partyTexts(notices []Notice) []Notice {
	var out []Notice
	for _, n := range notices {
		if n.To.Party != nil {
			out = append(out, n)
		}
	}
	return out
}

// WriteStep writes what a step shows to readers — the case row, parties, events, notices and risks —
// from an action's committed answer (workflows.CaseView.Step): the cases service writes it before it
// answers, so what is read next shows the step. The projection activity, which runs after the step is
// committed too, writes the same again (insert-or-ignore, the row never older than stored, the risks by
// step). A step that changes the matter rows never comes here: the workflow answers it only after its
// projection activity, since those rows must change in the order of the steps. Nothing is texted here.
func WriteStep(ctx context.Context, db *store.DB, keys *secret.Keyring, cal *deadline.Calendar, p Projection) error {
	_, err := writeStep(ctx, db, keys, cal, p, false)
	return err
}

// writeStep writes a step, its matter changes too when matters is set, and returns the notices to be
// texted to parties.
func writeStep(ctx context.Context, db *store.DB, keys *secret.Keyring, cal *deadline.Calendar, p Projection, matters bool) ([]Notice, error) {
	row := store.CaseProjection{Case: store.CaseRow{Case: p.Case}}
	if matters {
		row.MatterKeys, row.Release, row.Reserve, row.Final = p.MatterKeys, p.Release, p.Reserve, p.Final
	}
	if err := row.Case.Seal(keys); err != nil {
		return nil, err
	}
	for i, party := range p.Parties {
		pr, err := SealParty(keys, p.Case.ID, i, party)
		if err != nil {
			return nil, err
		}
		row.Parties = append(row.Parties, pr)
		row.SearchKeys = append(row.SearchKeys, store.NameSearchKeys(keys, p.Case.ID, i, party.Name)...)
	}
	for _, e := range p.Events {
		er := store.EventRow{CaseID: p.Case.ID, Seq: e.Seq, OccurredAt: e.At.UTC(),
			Type: e.Type, Actor: e.Actor, Node: e.Node, Detail: e.Detail}
		if e.Args != nil { // "{}" at least: the event was written with its facts (pages render it per language)
			b, err := json.Marshal(e.Args) // keys sorted: a retried projection writes the same text
			if err != nil {
				return nil, err
			}
			er.Args = string(b)
		}
		if err := er.Seal(keys); err != nil {
			return nil, err
		}
		row.Events = append(row.Events, er)
	}
	for _, n := range p.Notices {
		at := n.At
		if at.IsZero() {
			at = time.Now()
		}
		o := store.OutboxRow{IdemKey: n.Key, CaseID: p.Case.ID, Kind: n.Kind, RecipientUser: n.To.User,
			RecipientRole: string(n.To.Role), RecipientNode: n.To.Node, Urgent: n.Urgent, Subject: n.Subject,
			Body: n.Body, CreatedAt: at.UTC(), SendAfter: at.UTC()}
		if !n.Urgent {
			o.SendAfter = WorkingHours(cal, at).UTC()
		}
		if n.To.Party != nil {
			o.RecipientPhoneMasked = fengqiao.MaskPhone(n.To.Party.Phone)
		}
		if err := o.Seal(keys); err != nil {
			return nil, err
		}
		row.Outbox = append(row.Outbox, o)
	}
	if err := db.Project(ctx, row); err != nil {
		return nil, err
	}
	if p.Risks != nil {
		if err := db.ReplaceRisks(ctx, p.Case.ID, p.Case.UpdatedSeq, p.Risks.Risks, p.Risks.Leader); err != nil {
			return nil, err
		}
	}
	return partyTexts(p.Notices), nil
}

// SealParty is the stored form of a party: ID number and phone sealed (bound to the case and the party's
// place by the additional data), hashed for lookup, and masked; every other identifying field (gender,
// ethnicity, birth date, address, credit code, representative and title) sealed the same way, the
// credit code hashed too. The name and the kind stay in clear.
func SealParty(keys *secret.Keyring, caseID string, idx int, p fengqiao.Party) (store.PartyRow, error) {
	r := store.PartyRow{CaseID: caseID, Idx: idx, Role: string(p.Role), Name: p.Name, Kind: string(p.Kind)}
	if p.IDNumber != "" {
		id := fengqiao.NormalizeIDNumber(p.IDNumber)
		enc, err := keys.Seal([]byte(id), partyAAD(caseID, idx, "id_number"))
		if err != nil {
			return r, fmt.Errorf("seal id number: %w", err)
		}
		r.IDNumberEnc, r.IDNumberHash, r.IDNumberMasked = enc, keys.Hash("id_number", id), fengqiao.MaskIDNumber(id)
	}
	if p.Phone != "" {
		ph := strings.TrimSpace(p.Phone)
		enc, err := keys.Seal([]byte(ph), partyAAD(caseID, idx, "phone"))
		if err != nil {
			return r, fmt.Errorf("seal phone: %w", err)
		}
		r.PhoneEnc, r.PhoneHash, r.PhoneMasked = enc, keys.Hash("phone", ph), fengqiao.MaskPhone(ph)
	}
	clear := p
	for _, f := range partyFields(&clear, &r) {
		if *f.plain == "" {
			continue
		}
		enc, err := keys.Seal([]byte(*f.plain), partyAAD(caseID, idx, f.name))
		if err != nil {
			return r, fmt.Errorf("seal %s: %w", f.name, err)
		}
		*f.enc = enc
	}
	if p.CreditCode != "" {
		r.CreditCodeHash = keys.Hash("credit_code", fengqiao.NormalizeCreditCode(p.CreditCode))
	}
	return r, nil
}

// partyAAD binds a sealed party field to its case, its party and its place.
func partyAAD(caseID string, idx int, field string) []byte {
	return []byte(fmt.Sprintf("case/%s/party/%d/%s", caseID, idx, field))
}

// partyField is one sealed field of a party: its name (in the additional data), its clear value in a
// fengqiao.Party and its sealed column in a store.PartyRow.
type partyField struct {
	name  string
	plain *string
	enc   *[]byte
}

// partyFields pairs the sealed fields (beyond the ID number and phone) of p and r.
func partyFields(p *fengqiao.Party, r *store.PartyRow) []partyField {
	return []partyField{
		{"gender", (*string)(&p.Gender), &r.GenderEnc},
		{"ethnicity", &p.Ethnicity, &r.EthnicityEnc},
		{"birth_date", &p.BirthDate, &r.BirthDateEnc},
		{"address", &p.Address, &r.AddressEnc},
		{"credit_code", &p.CreditCode, &r.CreditCodeEnc},
		{"representative", &p.Representative, &r.RepresentativeEnc},
		{"representative_title", &p.RepresentativeTitle, &r.RepresentativeTitleEnc},
	}
}

// OpenParty reverses SealParty.
func OpenParty(keys *secret.Keyring, r store.PartyRow) (fengqiao.Party, error) {
	p := fengqiao.Party{Role: fengqiao.PartyRole(r.Role), Name: r.Name, Kind: fengqiao.PartyKind(r.Kind)}
	if len(r.IDNumberEnc) > 0 {
		b, err := keys.Open(r.IDNumberEnc, partyAAD(r.CaseID, r.Idx, "id_number"))
		if err != nil {
			return p, fmt.Errorf("open id number: %w", err)
		}
		p.IDNumber = string(b)
	}
	if len(r.PhoneEnc) > 0 {
		b, err := keys.Open(r.PhoneEnc, partyAAD(r.CaseID, r.Idx, "phone"))
		if err != nil {
			return p, fmt.Errorf("open phone: %w", err)
		}
		p.Phone = string(b)
	}
	for _, f := range partyFields(&p, &r) {
		if len(*f.enc) == 0 {
			continue
		}
		b, err := keys.Open(*f.enc, partyAAD(r.CaseID, r.Idx, f.name))
		if err != nil {
			return p, fmt.Errorf("open %s: %w", f.name, err)
		}
		*f.plain = string(b)
	}
	return p, nil
}

// WorkingHours returns when a non-urgent notice created at t may go out: at t during working hours
// (08:30-17:30 China time on a working day), else at 08:30 of the next working day.
func WorkingHours(cal *deadline.Calendar, t time.Time) time.Time {
	c := t.In(deadline.China)
	day := time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, deadline.China)
	open, close := day.Add(8*time.Hour+30*time.Minute), day.Add(17*time.Hour+30*time.Minute)
	if cal.IsWorkingDay(day) && !c.Before(open) && c.Before(close) {
		return t
	}
	if cal.IsWorkingDay(day) && c.Before(open) {
		return open
	}
	for d := day.AddDate(0, 0, 1); ; d = d.AddDate(0, 0, 1) {
		if cal.IsWorkingDay(d) {
			return d.Add(8*time.Hour + 30*time.Minute)
		}
	}
}

// InboxSMS is the dev SMS gateway: it logs the message and puts it into the in-app inbox (the text
// sealed), where a party who signs in with the query code reads it. A gateway speaking a real protocol
// is a later issue.
type InboxSMS struct {
	DB     *store.DB
	Keys   *secret.Keyring
	Logger interface {
		Info(msg string, args ...any)
	}
}

// Send implements SMSGateway.
func (s *InboxSMS) Send(ctx context.Context, key, phone, text string) error {
	if s.Logger != nil {
		s.Logger.Info("sms (dev inbox)", "to", fengqiao.MaskPhone(phone), "key", key)
	}
	r := store.InboxRow{IdemKey: key, PhoneHash: s.Keys.Hash("phone", phone), PhoneMasked: fengqiao.MaskPhone(phone), Text: text}
	if err := r.Seal(s.Keys); err != nil {
		return err
	}
	return s.DB.SaveInbox(ctx, r)
}
