package store_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// Text that must never be found in the database as stored once sealed: a phone number and a name.
const (
	phone = "18655501234"
	name  = "欧阳秀英"
)

func keyring(t *testing.T) *secret.Keyring {
	t.Helper()
	k, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealedTextOpensOnlyInItsPlace(t *testing.T) {
	k := keyring(t)
	text := "邻居" + name + "，电话 " + phone
	row := newCaseRow("a1")
	row.Summary, row.Outcome = text, "调解成功："+text
	if err := row.Seal(k); err != nil {
		t.Fatal(err)
	}
	if row.Summary != "" || row.Outcome != "" || bytes.Contains(row.SummaryEnc, []byte(phone)) || len(row.OutcomeEnc) == 0 {
		t.Fatalf("sealed row: summary %q outcome %q", row.Summary, row.Outcome)
	}
	if err := row.Open(k); err != nil || row.Summary != text || row.Outcome != "调解成功："+text {
		t.Fatalf("opened: %q %q, %v", row.Summary, row.Outcome, err)
	}

	// the same ciphertext under another case, or in another column, does not open
	moved := newCaseRow("b2")
	moved.SummaryEnc, moved.OutcomeEnc = row.SummaryEnc, row.SummaryEnc
	if err := moved.Open(k); !errors.Is(err, secret.ErrAuth) || moved.Summary != store.Undecryptable || moved.Outcome != store.Undecryptable {
		t.Errorf("moved to another case: %q %q, %v", moved.Summary, moved.Outcome, err)
	}
	swapped := row
	swapped.OutcomeEnc = row.SummaryEnc
	if err := swapped.Open(k); err == nil || swapped.Summary != text || swapped.Outcome != store.Undecryptable {
		t.Errorf("summary in the outcome's place: %q %q, %v", swapped.Summary, swapped.Outcome, err)
	}

	ev := store.EventRow{CaseID: "a1", Seq: 3, Detail: text}
	if err := ev.Seal(k); err != nil || ev.Detail != "" {
		t.Fatalf("sealed event: %q, %v", ev.Detail, err)
	}
	next := store.EventRow{CaseID: "a1", Seq: 4, DetailEnc: ev.DetailEnc}
	if err := next.Open(k); err == nil || next.Detail != store.Undecryptable {
		t.Errorf("event detail moved to the next event: %q, %v", next.Detail, err)
	}
	if err := ev.Open(k); err != nil || ev.Detail != text {
		t.Errorf("event: %q, %v", ev.Detail, err)
	}

	o := store.OutboxRow{CaseID: "a1", IdemKey: "a1/3/1", Subject: "结案 " + name, Body: text}
	if err := o.Seal(k); err != nil || o.Subject != "" || o.Body != "" {
		t.Fatalf("sealed notice: %+v, %v", o, err)
	}
	if err := o.Open(k); err != nil || o.Subject != "结案 "+name || o.Body != text {
		t.Errorf("notice: %q %q, %v", o.Subject, o.Body, err)
	}
	in := store.InboxRow{IdemKey: "a1/3/1", Text: text}
	if err := in.Seal(k); err != nil || in.Text != "" {
		t.Fatalf("sealed message: %q, %v", in.Text, err)
	}
	other := store.InboxRow{IdemKey: "a1/3/2", TextEnc: in.TextEnc}
	if err := other.Open(k); err == nil || other.Text != store.Undecryptable {
		t.Errorf("message moved to another: %q, %v", other.Text, err)
	}

	// nothing to seal: an empty text stays empty and opens empty
	empty := newCaseRow("c3")
	if err := empty.Seal(k); err != nil || empty.SummaryEnc != nil || empty.Open(k) != nil || empty.Summary != "" {
		t.Errorf("empty summary: %q %x", empty.Summary, empty.SummaryEnc)
	}
}

// A database an older release wrote (schema 5) holds its text in clear. After migration 6 those rows
// read as they did; the projection's next step rewrites the case row sealed; SealPlaintext seals the
// rest, and afterwards the text is nowhere in the database as stored.
func TestTextWrittenBeforeMigration6ReadsAndIsSealedLater(t *testing.T) {
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := store.AtVersion(t, dsn, 5)
		at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		old := "邻居" + name + "楼上漏水，电话 " + phone
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO cases (id, number, query_code, workflow_id, kind, category, channel, summary, status, location,
				first_contact_user, first_contact_node, opened_at, outcome, updated_seq, created_at, updated_at)
				VALUES ('old1', 'HS-2025-000001', 'QOLD1', 'case-old1', 'dispute', 'neighbour', 'visit', ?, 'closed',
				'330203001001', 'clerk', '330203', ?, ?, 3, ?, ?)`, []any{old, at, "调解成功：" + old, at, at}},
			{`INSERT INTO cases (id, number, query_code, workflow_id, kind, category, channel, summary, status, location,
				first_contact_user, first_contact_node, opened_at, updated_seq, created_at, updated_at)
				VALUES ('old2', 'HS-2025-000002', 'QOLD2', 'case-old2', 'dispute', 'neighbour', 'visit', ?, 'mediating',
				'330203001001', 'clerk', '330203', ?, 1, ?, ?)`, []any{old, at, at, at}},
			{`INSERT INTO case_events (case_id, seq, occurred_at, type, actor, node, detail) VALUES
				('old1', 1, ?, 'registered', 'clerk', '330203', 'dispute received'),
				('old1', 2, ?, 'session', 'med', '330203001001', ?),
				('old2', 1, ?, 'registered', 'clerk', '330203', '')`, []any{at, at, "session held: continue (" + old + ")", at}},
			{`INSERT INTO outbox (idem_key, case_id, kind, urgent, subject, body, created_at, send_after)
				VALUES ('old1/2/1', 'old1', 'closed', FALSE, '案件 HS-2025-000001 已办结', ?, ?, ?)`, []any{old, at, at}},
			{`INSERT INTO sms_inbox (idem_key, phone_hash, phone_masked, text, created_at)
				VALUES ('old1/2/1', 'h', '186****1234', ?, ?)`, []any{"案件已办结：" + old, at}},
		} {
			if err := db.Exec(q.sql, q.args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		k := keyring(t)

		read := func(t *testing.T) {
			t.Helper()
			for _, id := range []string{"old1", "old2"} {
				row, err := db.Case(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if err := row.Open(k); err != nil || row.Summary != old {
					t.Errorf("case %s summary %q, %v", id, row.Summary, err)
				}
				if id == "old1" && row.Outcome != "调解成功："+old {
					t.Errorf("case %s outcome %q", id, row.Outcome)
				}
			}
			events, err := db.CaseEvents(ctx, "old1")
			if err != nil || len(events) != 2 {
				t.Fatalf("events %+v, %v", events, err)
			}
			for _, e := range events {
				if err := e.Open(k); err != nil {
					t.Error(err)
				}
				if e.Seq == 2 && e.Detail != "session held: continue ("+old+")" || e.Seq == 1 && e.Detail != "dispute received" {
					t.Errorf("event %d detail %q", e.Seq, e.Detail)
				}
			}
			outbox, err := db.CaseOutbox(ctx, "old1")
			if err != nil || len(outbox) != 1 {
				t.Fatalf("outbox %+v, %v", outbox, err)
			}
			if err := outbox[0].Open(k); err != nil || outbox[0].Body != old || outbox[0].Subject != "案件 HS-2025-000001 已办结" {
				t.Errorf("notice %q %q, %v", outbox[0].Subject, outbox[0].Body, err)
			}
			var inbox []store.InboxRow
			if err := db.Find(&inbox).Error; err != nil || len(inbox) != 1 {
				t.Fatalf("inbox %+v, %v", inbox, err)
			}
			if err := inbox[0].Open(k); err != nil || inbox[0].Text != "案件已办结："+old {
				t.Errorf("message %q, %v", inbox[0].Text, err)
			}
		}
		t.Run("as written", read)

		// the projection's next step of old2 rewrites its row sealed
		step := newCaseRow("old2")
		step.Number, step.QueryCode, step.Status, step.UpdatedSeq, step.Summary = "HS-2025-000002", "QOLD2", "mediating", 2, old
		if err := step.Seal(k); err != nil {
			t.Fatal(err)
		}
		if err := db.Project(ctx, store.CaseProjection{Case: step}); err != nil {
			t.Fatal(err)
		}
		if row, _ := db.Case(ctx, "old2"); row.Summary != "" || len(row.SummaryEnc) == 0 {
			t.Errorf("after a projection step: summary %q, sealed %d bytes", row.Summary, len(row.SummaryEnc))
		}
		t.Run("after a projection step", read)

		// old1's row, its 2 events (old2's empty detail has nothing to seal), 1 notice, 1 message
		n, err := db.SealPlaintext(ctx, k)
		if err != nil || n != 5 {
			t.Fatalf("sealed %d rows, want 5: %v", n, err)
		}
		t.Run("sealed", read)
		if n, err := db.SealPlaintext(ctx, k); err != nil || n != 0 {
			t.Errorf("a second run sealed %d rows: %v", n, err)
		}
		for _, text := range []string{phone, name} {
			if at := storetest.InStorage(t, db, text); len(at) > 0 {
				t.Errorf("%q is still stored in clear after SealPlaintext: %v", text, at)
			}
		}
	})
}

// InStorage finds text in the file itself, not only in live rows: the probe the sealing tests rely on.
func TestInStorageFindsTextInTheSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "probe.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	row := newCaseRow("p1")
	row.Summary = "电话 " + phone
	if _, err := db.CreateCase(context.Background(), row, "HS", []string{"m"}); err != nil {
		t.Fatal(err)
	}
	if at := storetest.InStorage(t, db, phone); len(at) == 0 {
		t.Fatal("a summary stored in clear was not found in the file")
	}
}

func TestKeptResponsesAreSealedForTheirKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k := keyring(t)
		body := []byte(`{"summary":"邻居` + name + `，电话 ` + phone + `"}`)
		if _, claimed, err := db.ClaimIdempotencyKey(ctx, "clerk", "k1", "/api/v1/cases", "h"); err != nil || !claimed {
			t.Fatalf("claim: %t %v", claimed, err)
		}
		sealed, err := store.SealResponse(k, "clerk", "k1", body)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CompleteIdempotencyKey(ctx, "clerk", "k1", 201, "application/json", sealed); err != nil {
			t.Fatal(err)
		}
		row, claimed, err := db.ClaimIdempotencyKey(ctx, "clerk", "k1", "/api/v1/cases", "h")
		if err != nil || claimed {
			t.Fatalf("repeat: %t %v", claimed, err)
		}
		if got, err := store.OpenResponse(k, "clerk", "k1", row.Body); err != nil || !bytes.Equal(got, body) {
			t.Errorf("opened %q, %v", got, err)
		}
		if _, err := store.OpenResponse(k, "other", "k1", row.Body); err == nil {
			t.Error("a kept response opened for another user")
		}
		if got, err := store.OpenResponse(k, "clerk", "k0", body); err != nil || !bytes.Equal(got, body) {
			t.Errorf("a response kept in clear: %q, %v", got, err)
		}
		for _, text := range []string{phone, name} {
			if at := storetest.InStorage(t, db, text); len(at) > 0 {
				t.Errorf("%q stored in clear: %v", text, at)
			}
		}
	})
}
