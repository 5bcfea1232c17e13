package activities_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/deadline"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func keys(t *testing.T) *secret.Keyring {
	t.Helper()
	k, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestResolveChainListsTheLocationsAncestorsRootFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, n := range []fengqiao.Node{
			{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity},
			{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"},
			{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"},
			{Code: "330203001001", Name: "社区", Tier: fengqiao.TierVillage, ParentCode: "330203001"},
			{Code: "G1", Name: "网格", Tier: fengqiao.TierGrid, ParentCode: "330203001001"},
		} {
			if _, err := db.CreateNode(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		a := &activities.Activities{DB: db}
		chain, err := a.ResolveChain(ctx, "G1")
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, n := range chain {
			codes = append(codes, n.Code+":"+string(n.Tier))
		}
		if got := strings.Join(codes, " "); got != "330200:city 330203:county 330203001:township 330203001001:village G1:grid" {
			t.Errorf("chain = %s", got)
		}
		if _, err := a.ResolveChain(ctx, "nope"); err == nil {
			t.Error("an unknown location must fail")
		}
	})
}

func TestLoadCalendarLogsYearsItDoesNotCover(t *testing.T) {
	var buf bytes.Buffer
	a := &activities.Activities{Logger: slog.New(slog.NewTextHandler(&buf, nil))}
	cal, err := a.LoadCalendar(context.Background(), 2026, 2028)
	if err != nil {
		t.Fatal(err)
	}
	if cal.IsWorkingDay(time.Date(2026, 2, 16, 12, 0, 0, 0, deadline.China)) {
		t.Error("the Spring Festival 2026 is not a working day")
	}
	if !strings.Contains(buf.String(), "2028") {
		t.Errorf("the missing year 2028 must be logged: %q", buf.String())
	}
	bad := filepath.Join(t.TempDir(), "cal.yaml")
	os.WriteFile(bad, []byte("2026: {holidays: [nonsense]}"), 0o600)
	if _, err := (&activities.Activities{CalendarFile: bad}).LoadCalendar(context.Background(), 2026, 2026); err == nil {
		t.Error("a broken calendar file must fail")
	}
}

func TestNonUrgentNoticesAreHeldToWorkingHours(t *testing.T) {
	cal := deadline.DefaultCalendar()
	at := func(s string) time.Time {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", s, deadline.China)
		return tm
	}
	for _, c := range []struct{ in, want string }{
		{"2026-03-02 10:00", "2026-03-02 10:00"}, // Monday, office hours
		{"2026-03-02 07:00", "2026-03-02 08:30"}, // before opening
		{"2026-03-02 19:00", "2026-03-03 08:30"}, // after closing
		{"2026-02-13 18:00", "2026-02-14 08:30"}, // Friday evening → the 调休 Saturday
		{"2026-02-15 10:00", "2026-02-24 08:30"}, // Spring Festival → first working day after
	} {
		if got := activities.WorkingHours(cal, at(c.in)); !got.Equal(at(c.want)) {
			t.Errorf("%s → %s, want %s", c.in, got.In(deadline.China).Format("2006-01-02 15:04"), c.want)
		}
	}
}

func TestProjectSealsPartiesAndTextsApplicantsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k := keys(t)
		a := &activities.Activities{DB: db, Keys: k}
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		p := activities.Projection{
			Case: fengqiao.Case{ID: "c1", Number: "HS-2026-000001", QueryCode: "QQQQQQQQQQQQ", WorkflowID: "case-c1",
				Kind: "dispute", Category: "neighbour", Channel: "visit", Status: "registered", Location: "G1",
				FirstContactUser: "clerk", FirstContactNode: "330203", Visits: 1, OpenedAt: at, UpdatedSeq: 1},
			Parties: []fengqiao.Party{{Role: fengqiao.PartyApplicant, Name: "张三", IDNumber: "11010519491231002x", Phone: "13912345678"}},
			Events:  []activities.Event{{Seq: 1, At: at, Type: "registered"}},
			Notices: []activities.Notice{{Key: "c1/1/1", At: at, Kind: "receipt", Subject: "回执",
				To: activities.Recipient{Party: &fengqiao.Party{Phone: "13912345678"}}}},
		}
		for i := 0; i < 2; i++ { // a retried activity changes nothing
			if err := a.Project(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		parties, _ := db.CaseParties(ctx, "c1")
		if len(parties) != 1 || bytes.Contains(parties[0].IDNumberEnc, []byte("11010519491231002")) ||
			parties[0].IDNumberHash != k.Hash("id_number", "11010519491231002X") || parties[0].PhoneMasked != "139****5678" {
			t.Fatalf("party row = %+v", parties)
		}
		back, err := activities.OpenParty(k, parties[0])
		if err != nil || back.IDNumber != "11010519491231002X" || back.Phone != "13912345678" {
			t.Errorf("open party = %+v, %v", back, err)
		}
		var inbox, outbox int64
		db.Model(&store.InboxRow{}).Count(&inbox)
		db.Model(&store.OutboxRow{}).Count(&outbox)
		if inbox != 1 || outbox != 1 {
			t.Errorf("inbox %d, outbox %d: want one each", inbox, outbox)
		}
	})
}

func TestProjectSealsFreeText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k := keys(t)
		a := &activities.Activities{DB: db, Keys: k}
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		const note = "王秀兰称对方电话 18655501234"
		applicant := fengqiao.Party{Role: fengqiao.PartyApplicant, Name: "张三", IDNumber: "11010519491231002x", Phone: "13912345678"}
		p := activities.Projection{
			Case: fengqiao.Case{ID: "c1", Number: "HS-2026-000001", QueryCode: "QQQQQQQQQQQQ", WorkflowID: "case-c1",
				Kind: "dispute", Category: "neighbour", Channel: "visit", Summary: "楼上漏水：" + note, Status: "closed",
				Location: "G1", FirstContactUser: "clerk", FirstContactNode: "330203", Visits: 1, OpenedAt: at,
				Outcome: "调解成功：" + note, UpdatedSeq: 2},
			Parties: []fengqiao.Party{applicant},
			Events:  []activities.Event{{Seq: 1, At: at, Type: "registered"}, {Seq: 2, At: at, Type: "closed", Detail: note}},
			Notices: []activities.Notice{{Key: "c1/2/1", At: at, Kind: "closed", Subject: "案件已办结", Body: note,
				To: activities.Recipient{Party: &applicant}}},
		}
		if err := a.Project(ctx, p); err != nil {
			t.Fatal(err)
		}
		row, _ := db.Case(ctx, "c1")
		events, _ := db.CaseEvents(ctx, "c1")
		outbox, _ := db.CaseOutbox(ctx, "c1")
		var inbox []store.InboxRow
		db.Find(&inbox)
		if len(events) != 2 || len(outbox) != 1 || len(inbox) != 1 {
			t.Fatalf("%d events, %d notices, %d messages", len(events), len(outbox), len(inbox))
		}
		if row.Summary != "" || row.Outcome != "" || events[1].Detail != "" || outbox[0].Subject != "" || outbox[0].Body != "" ||
			inbox[0].Text != "" {
			t.Fatalf("clear columns hold text: %q %q %q %q %q %q", row.Summary, row.Outcome, events[1].Detail,
				outbox[0].Subject, outbox[0].Body, inbox[0].Text)
		}
		if err := errors.Join(row.Open(k), events[1].Open(k), outbox[0].Open(k), inbox[0].Open(k)); err != nil {
			t.Fatal(err)
		}
		if row.Summary != p.Case.Summary || row.Outcome != p.Case.Outcome || events[1].Detail != note ||
			outbox[0].Subject != "案件已办结" || outbox[0].Body != note || inbox[0].Text != "案件已办结："+note {
			t.Errorf("opened: %q %q %q %q %q %q", row.Summary, row.Outcome, events[1].Detail, outbox[0].Subject,
				outbox[0].Body, inbox[0].Text)
		}
		for _, text := range []string{"18655501234", "王秀兰"} {
			if where := storetest.InStorage(t, db, text); len(where) > 0 {
				t.Errorf("%q stored in clear: %v", text, where)
			}
		}
	})
}
