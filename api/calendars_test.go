package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestSavingANoticeMovesTheDeadlinesOfTheCasesItTouches: two disputes opened today whose tier clock (420
// days, by policy) ends in a year without a notice — counted on the statutory stand-in — and a petition
// whose 15-day route clock ends long before it. The administrator saves that year's notice with a
// holiday on the disputes' last day: both disputes' tier deadlines move to a later day, each with a
// timeline event in Chinese and a new due date in the projection; the petition's deadline and timeline
// stay as they were.
func TestSavingANoticeMovesTheDeadlinesOfTheCasesItTouches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		pol := deadline.DefaultPolicy()
		pol.Tiers[fengqiao.TierVillage] = deadline.Days(420)
		pol.Version = pol.Fingerprint()
		e := newEnvWithPolicy(t, db, pol)
		tok := e.seedDemo()
		ctx := context.Background()

		a := neighbourDispute("330203001001-01")
		b := neighbourDispute("330203001001-01")
		b["parties"] = []map[string]string{{"role": "applicant", "name": "王五", "id_number": otherID}, {"role": "respondent", "name": "赵六"}}
		c := neighbourDispute("330203001001")
		c["kind"], c["category"] = "petition", "land"
		var ids []string
		for _, body := range []map[string]any{a, b, c} {
			ids = append(ids, e.do("POST", "/api/v1/cases", tok["clerk"], body).want(201).json()["id"].(string))
		}
		projected := func(id string) store.CaseRow {
			t.Helper()
			var row store.CaseRow
			eventually(t, "case "+id+" projected", func() bool {
				var err error
				row, err = db.Case(ctx, id)
				return err == nil && row.UpdatedSeq > 0
			})
			return row
		}
		before := map[string]store.CaseRow{}
		for _, id := range ids {
			before[id] = projected(id)
		}
		if before[ids[0]].TierDueAt == nil || before[ids[2]].StatutoryDueAt == nil {
			t.Fatalf("clocks missing: dispute tier %v, petition route %v", before[ids[0]].TierDueAt, before[ids[2]].StatutoryDueAt)
		}
		last := deadline.LastDate(*before[ids[0]].TierDueAt)
		year := last.Year()
		if deadline.DefaultCalendar().Covers(year) {
			t.Skipf("%d has a built-in notice: no year to test on", year)
		}
		if deadline.LastDate(*before[ids[2]].StatutoryDueAt).Year() == year {
			t.Fatalf("the petition's route clock reaches into %d: the test needs it untouched", year)
		}
		listed := func() map[string]any {
			t.Helper()
			for _, it := range e.do("GET", "/api/v1/calendars", tok["clerk"], nil).want(200).json()["items"].([]any) {
				if m := it.(map[string]any); m["year"] == float64(year) {
					return m
				}
			}
			t.Fatalf("GET /calendars does not list %d", year)
			return nil
		}
		if y := listed(); y["source"] != "statutory" || y["provisional"] != true {
			t.Fatalf("before the notice %d is %v, want statutory and provisional", year, y)
		}

		path := fmt.Sprintf("/api/v1/calendars/%d", year)
		day := last.Format(time.DateOnly)
		newYear := fmt.Sprintf("%d-01-01", year)
		t.Run("a bad notice is refused field by field and nothing is saved", func(t *testing.T) {
			e := e.with(t)
			sat := firstWeekday(year, time.Saturday)
			mon := firstWeekday(year, time.Monday)
			for _, tc := range []struct {
				name  string
				body  map[string]any
				field string
			}{
				{"a date twice", map[string]any{"holidays": []string{newYear, newYear}, "workdays": []string{}}, "holidays[1]"},
				{"a date twice through a range", map[string]any{"holidays": []string{newYear + ".." + fmt.Sprintf("%d-01-03", year), fmt.Sprintf("%d-01-02", year)}}, "holidays[1]"},
				{"a date outside the year", map[string]any{"holidays": []string{fmt.Sprintf("%d-12-31", year-1)}}, "holidays[0]"},
				{"a 调休 working day on a weekday", map[string]any{"holidays": []string{newYear}, "workdays": []string{mon}}, "workdays[0]"},
				{"a working day that is also a holiday", map[string]any{"holidays": []string{newYear, sat}, "workdays": []string{sat}}, "workdays[0]"},
				{"no holiday", map[string]any{"holidays": []string{}, "workdays": []string{sat}}, "holidays"},
			} {
				res := e.do("PUT", path, e.adminToken, tc.body)
				res.problem(422, fengqiao.ECodeInvalid, tc.field)
				if tc.field != "holidays" && !strings.Contains(string(res.body), "20") {
					t.Errorf("%s: the error names no date: %s", tc.name, res.body)
				}
			}
			e.do("PUT", path, tok["clerk"], map[string]any{"holidays": []string{newYear}}).problem(403, fengqiao.ECodeForbidden, "")
			if y := listed(); y["source"] != "statutory" {
				t.Fatalf("a refused notice was saved: %v", y)
			}
		})

		saved := e.do("PUT", path, e.adminToken, map[string]any{"holidays": []string{newYear, day}, "workdays": []string{}}).want(200).json()
		if saved["cases"] != float64(3) || saved["failed"] != float64(0) {
			t.Fatalf("saved = %v, want the 3 open cases sent the year", saved)
		}
		if y := listed(); y["source"] != "notice" || y["provisional"] != false || y["updated_by"] != "admin" {
			t.Fatalf("after the notice %d is %v", year, y)
		}
		want := fmt.Sprintf("因%d年节假日安排调整，层级办理期限由%d年%02d月%02d日届满改为", year, year, int(last.Month()), last.Day())
		for _, id := range ids[:2] {
			var row store.CaseRow
			eventually(t, "the tier deadline of "+id+" moved in the projection", func() bool {
				row, _ = db.Case(ctx, id)
				return row.TierDueAt != nil && !row.TierDueAt.Equal(*before[id].TierDueAt)
			})
			if !row.TierDueAt.After(*before[id].TierDueAt) {
				t.Errorf("%s: tier due %v moved back from %v", id, row.TierDueAt, before[id].TierDueAt)
			}
			if n := recomputed(e, tok["clerk"], id); len(n) != 1 || !strings.Contains(n[0], want) {
				t.Errorf("%s: timeline events %q, want one with %q", id, n, want)
			}
		}
		untouched := ids[2]
		if n := recomputed(e, tok["clerk"], untouched); len(n) != 0 {
			t.Errorf("the petition's deadlines do not touch %d, yet its timeline has %q", year, n)
		}
		if row, _ := db.Case(ctx, untouched); !row.StatutoryDueAt.Equal(*before[untouched].StatutoryDueAt) {
			t.Errorf("the petition's route deadline moved: %v → %v", before[untouched].StatutoryDueAt, row.StatutoryDueAt)
		}

		t.Run("saving the same notice again applies nothing twice", func(t *testing.T) {
			e := e.with(t)
			e.do("PUT", path, e.adminToken, map[string]any{"holidays": []string{day, newYear}}).want(200)
			if n := recomputed(e, tok["clerk"], ids[0]); len(n) != 1 {
				t.Fatalf("timeline events after the repeat: %q", n)
			}
		})
		t.Run("new cases count on the saved notice", func(t *testing.T) {
			if cal := e.stack.Cases.Calendars; cal == nil {
				t.Fatal("the case service has no stored calendar")
			} else if got, err := cal.Get(ctx); err != nil || !got.Covers(year) || got.IsWorkingDay(last) {
				t.Fatalf("the calendar new cases start with does not have the %d notice (err %v)", year, err)
			}
		})
	})
}

// recomputed lists the texts of the case's deadline_recomputed timeline events (in Chinese: the
// request names no language).
func recomputed(e *env, token, id string) []string {
	e.t.Helper()
	var out []string
	for _, it := range e.do("GET", "/api/v1/cases/"+id+"/timeline", token, nil).want(200).json()["items"].([]any) {
		if m := it.(map[string]any); m["type"] == "deadline_recomputed" {
			out = append(out, fmt.Sprint(m["text"]))
		}
	}
	return out
}

// firstWeekday is the first day of year that falls on wd, "YYYY-MM-DD".
func firstWeekday(year int, wd time.Weekday) string {
	d := time.Date(year, 1, 1, 0, 0, 0, 0, deadline.China)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(time.DateOnly)
}
