package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestCalendarsAreStoredPerYearAndReplaced: a saved year is read back with its days; saving it again
// replaces it; years come back in order.
func TestCalendarsAreStoredPerYearAndReplaced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2027, 11, 4, 8, 0, 0, 0, time.UTC)
		for _, r := range []store.CalendarRow{
			{Year: 2029, Holidays: []string{"2029-01-01"}, UpdatedBy: "admin", UpdatedAt: at},
			{Year: 2028, Holidays: []string{"2028-01-01"}, Workdays: []string{"2028-01-29"}, UpdatedBy: "admin", UpdatedAt: at},
			{Year: 2028, Holidays: []string{"2028-01-01", "2028-01-03"}, UpdatedBy: "admin2", UpdatedAt: at.Add(time.Hour)},
		} {
			if err := db.PutCalendar(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := db.Calendars(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Year != 2028 || rows[1].Year != 2029 {
			t.Fatalf("rows = %+v", rows)
		}
		r := rows[0]
		if !slices.Equal(r.Holidays, []string{"2028-01-01", "2028-01-03"}) || len(r.Workdays) != 0 ||
			r.UpdatedBy != "admin2" || !r.UpdatedAt.Equal(at.Add(time.Hour)) {
			t.Fatalf("2028 not replaced: %+v", r)
		}
	})
}
