package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func newCaseRow(id string) store.CaseRow {
	return store.CaseRow{Case: fengqiao.Case{ID: id, QueryCode: "Q" + id, WorkflowID: "case-" + id, Kind: "dispute", Category: "neighbour",
		Channel: "visit", Status: "registered", Location: "330203001001", FirstContactUser: "clerk",
		FirstContactNode: "330203", Visits: 1, OpenedAt: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}}
}

func TestRule3OneCasePerMatterUnderTenSimultaneousIntakes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		var mu sync.Mutex
		created, taken := []store.CaseRow{}, []string{}
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				row, err := db.CreateCase(ctx, newCaseRow(fmt.Sprintf("c%02d", i)), "HS", []string{"matter-A"})
				mu.Lock()
				defer mu.Unlock()
				var mt *store.ErrMatterTaken
				switch {
				case err == nil:
					created = append(created, row)
				case errors.As(err, &mt):
					taken = append(taken, mt.CaseID)
				default:
					t.Errorf("intake %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		if len(created) != 1 || len(taken) != 9 {
			t.Fatalf("created %d cases, %d duplicates; want 1 and 9", len(created), len(taken))
		}
		for _, id := range taken {
			if id != created[0].ID {
				t.Errorf("duplicate points at %s, want %s", id, created[0].ID)
			}
		}
		if created[0].Number != "HS-2026-000001" {
			t.Errorf("number = %s (a refused intake must not use up a number)", created[0].Number)
		}
		var n int64
		db.Model(&store.CaseRow{}).Count(&n)
		if n != 1 {
			t.Errorf("%d case rows", n)
		}
	})
}

func TestCaseNumbersArePerPrefixPerYearSequences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		nums := make(chan string, 8)
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				row, err := db.CreateCase(ctx, newCaseRow(fmt.Sprintf("n%d", i)), "HS", []string{fmt.Sprintf("m%d", i)})
				if err != nil {
					t.Errorf("create: %v", err)
					return
				}
				nums <- row.Number
			}(i)
		}
		wg.Wait()
		close(nums)
		seen := map[string]bool{}
		for n := range nums {
			seen[n] = true
		}
		for i := 1; i <= 8; i++ {
			if !seen[fmt.Sprintf("HS-2026-%06d", i)] {
				t.Errorf("numbers %v lack %d", seen, i)
			}
		}
		other, err := db.CreateCase(ctx, newCaseRow("o1"), "JB", []string{"mo"})
		if err != nil || other.Number != "JB-2026-000001" {
			t.Errorf("another county: %s, %v", other.Number, err)
		}
	})
}

func TestProjectionIsIdempotentAndNeverGoesBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.CreateCase(ctx, newCaseRow("p1"), "HS", []string{"mp"}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		var china time.Time // as it arrives from a workflow payload: a fixed +08:00 zone without a name
		if err := china.UnmarshalJSON([]byte(`"2026-03-10T00:00:00+08:00"`)); err != nil {
			t.Fatal(err)
		}
		step := func(seq int64, status string, release bool) store.CaseProjection {
			row := newCaseRow("p1")
			row.Status, row.UpdatedSeq, row.Tier, row.HandlingNode = status, seq, "village", "330203001001"
			due := china // deadlines come in China time (deadline.China)
			row.TierDueAt = &due
			return store.CaseProjection{Case: row, MatterKeys: []string{"mp"}, Release: release,
				Events:  []store.EventRow{{CaseID: "p1", Seq: seq, OccurredAt: at, Type: status}},
				Outbox:  []store.OutboxRow{{IdemKey: fmt.Sprintf("p1/%d/1", seq), CaseID: "p1", Kind: status, Subject: "s", CreatedAt: at, SendAfter: at}},
				Parties: []store.PartyRow{{CaseID: "p1", Idx: 0, Role: "applicant", Name: "张三"}}}
		}
		for _, p := range []store.CaseProjection{step(1, "registered", false), step(2, "mediating", false),
			step(2, "mediating", false), step(1, "registered", false), step(3, "closed", true), step(3, "closed", true)} {
			if err := db.Project(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		row, err := db.Case(ctx, "p1")
		if err == nil && (row.TierDueAt == nil || !row.TierDueAt.Equal(china)) {
			t.Errorf("tier due = %v, want %s", row.TierDueAt, china)
		}
		if err != nil || row.Status != "closed" || row.UpdatedSeq != 3 || row.Number != "HS-2026-000001" {
			t.Errorf("row = %s seq %d number %s, %v", row.Status, row.UpdatedSeq, row.Number, err)
		}
		ev, _ := db.CaseEvents(ctx, "p1")
		if len(ev) != 3 || ev[0].Seq != 1 || ev[2].Seq != 3 {
			t.Errorf("events = %+v", ev)
		}
		out, _ := db.CaseOutbox(ctx, "p1")
		parties, _ := db.CaseParties(ctx, "p1")
		if len(out) != 3 || len(parties) != 1 {
			t.Errorf("outbox %d, parties %d", len(out), len(parties))
		}
		if _, err := db.Matter(ctx, "mp"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a closed case must release its matter: %v", err)
		}
	})
}

func TestListCasesFiltersBySubtreeStatusAndFlags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, c := range []struct {
			path, status string
			overdue      bool
		}{
			{"/330200/330203/330203001/", "registered", true},
			{"/330200/330203/330203002/", "registered", false},
			{"/330200/330204/", "closed", true},
		} {
			id := fmt.Sprintf("l%d", i)
			if _, err := db.CreateCase(ctx, newCaseRow(id), "HS", []string{id}); err != nil {
				t.Fatal(err)
			}
			row := newCaseRow(id)
			row.Status, row.HandlingPath, row.LocationPath, row.Overdue, row.UpdatedSeq = c.status, c.path, c.path, c.overdue, 1
			if err := db.Project(ctx, store.CaseProjection{Case: row}); err != nil {
				t.Fatal(err)
			}
		}
		yes := true
		rows, err := db.ListCases(ctx, store.CaseFilter{Under: "/330200/330203/", Overdue: &yes})
		if err != nil || len(rows) != 1 || rows[0].ID != "l0" {
			t.Errorf("overdue under 330203 = %v, %v", rows, err)
		}
		for _, c := range []struct {
			name  string
			scope store.ReadScope
			want  int
		}{
			{"nothing", store.ReadScope{User: "u"}, 0},
			{"whole tree", store.ReadScope{Subtrees: []string{"/"}}, 3},
			{"a township", store.ReadScope{Subtrees: []string{"/330200/330203/330203002/"}}, 1},
			{"own first contacts", store.ReadScope{User: "clerk", FirstContact: true}, 3},
			{"own assignments", store.ReadScope{User: "clerk", Assigned: true}, 0},
		} {
			got, err := db.ListCases(ctx, store.CaseFilter{Scope: &c.scope})
			if err != nil || len(got) != c.want {
				t.Errorf("scope %s: %d rows, %v; want %d", c.name, len(got), err, c.want)
			}
		}
		rows, _ = db.ListCases(ctx, store.CaseFilter{Status: "registered", Limit: 1})
		next, _ := db.ListCases(ctx, store.CaseFilter{Status: "registered", After: rows[0].ID})
		if len(rows) != 1 || len(next) != 1 || next[0].ID == rows[0].ID {
			t.Errorf("pages %v / %v", rows, next)
		}
	})
}

// TestReadScopeReadsAPetitionThroughItsHandlingPathOnly: a subtree covering a petition's location but
// not its handling node does not list it (policy.CanOnCase, XGTL 30); a dispute there it does.
func TestReadScopeReadsAPetitionThroughItsHandlingPathOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, id := range []string{"pet", "dis"} {
			if _, err := db.CreateCase(ctx, newCaseRow(id), "HS", []string{id}); err != nil {
				t.Fatal(err)
			}
			row := newCaseRow(id)
			row.Kind = map[string]string{"pet": "petition", "dis": "dispute"}[id]
			row.LocationPath, row.HandlingPath, row.UpdatedSeq = "/330200/330203/330203001/330203001001/", "/330200/330203/330203001/", 1
			if err := db.Project(ctx, store.CaseProjection{Case: row}); err != nil {
				t.Fatal(err)
			}
		}
		village := store.ReadScope{Subtrees: []string{"/330200/330203/330203001/330203001001/"}}
		got, err := db.ListCases(ctx, store.CaseFilter{Scope: &village})
		if err != nil || len(got) != 1 || got[0].ID != "dis" {
			t.Errorf("the village lists %v, %v; want the dispute only", got, err)
		}
		township := store.ReadScope{Subtrees: []string{"/330200/330203/330203001/"}}
		if got, err := db.ListCases(ctx, store.CaseFilter{Scope: &township}); err != nil || len(got) != 2 {
			t.Errorf("the township lists %d, %v; want both", len(got), err)
		}
	})
}
