package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestListsShowTheClockThatRunsAtEachStatus: once an agreement is recorded the parties' 30 days to
// apply for judicial confirmation run (PML 33), and once they apply the court's clocks (SPC 2011 art.
// 4-5): the case list carries that clock (next_due_kind, next_due_at) beside the tier and statutory
// ones, so a board can show it.
func TestListsShowTheClockThatRunsAtEachStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		id := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()["id"].(string)
		nextKind := func(want string) {
			t.Helper()
			var got any
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				items, _ := e.do("GET", "/api/v1/cases?status=", tok["sup-town"], nil).want(http.StatusOK).json()["items"].([]any)
				for _, it := range items {
					if m := it.(map[string]any); m["id"] == id {
						if got = m["next_due_kind"]; got == want && m["next_due_at"] != nil {
							return
						}
					}
				}
			}
			t.Fatalf("next_due_kind %v, want %v", got, want)
		}
		e.play(tok, id, []step{
			{"sup-town", "assign", map[string]string{"mediator": "med-village"}, "registered"},
			{"med-village", "accept", nil, "mediating"},
			{"med-village", "sessions", map[string]any{"held_at": "2026-03-03T10:00:00+08:00", "notes": "面谈", "outcome": "agreement"}, ""},
			{"med-village", "agreement", map[string]any{"terms": "赔偿维修费 2000 元", "form": "written", "signed_by_all": true}, "agreement"},
		})
		nextKind("confirmation_apply")
		e.play(tok, id, []step{{"med-village", "confirmation", map[string]any{"court": "330203-FY", "joint": true}, "confirmation_pending"}})
		nextKind("court_accept")
		row, err := db.Case(context.Background(), id)
		if err != nil || row.NextDueAt == nil || row.NextDueKind != "court_accept" {
			t.Fatalf("projection: %v %v %v", row.NextDueAt, row.NextDueKind, err)
		}
	})
}
