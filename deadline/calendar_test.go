package deadline_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"fengqiao/deadline"
)

// date is 00:00 China time of a "YYYY-MM-DD" day, plus an optional offset.
func date(t *testing.T, s string, plus ...time.Duration) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", s, deadline.China)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plus {
		d = d.Add(p)
	}
	return d
}

func TestDefaultCalendar(t *testing.T) {
	c := deadline.DefaultCalendar()
	for _, y := range []int{2025, 2026, 2027} {
		if !c.Covers(y) {
			t.Errorf("Covers(%d) = false", y)
		}
	}
	if c.Covers(2028) {
		t.Error("Covers(2028) = true; no 2028 notice is in the file")
	}
	if !c.Provisional(2028) || c.Fallback != deadline.FallbackStatutory {
		t.Error("2028 must be counted on the statutory holidays and marked provisional")
	}
	if got := len(c.Years[1].Holidays); got != 3+9+3+5+3+3+7 {
		t.Errorf("2026 has %d holidays, want 33", got)
	}
	// The embedded copy must be the shared file (ship the data with the binary, keep one source).
	shared, err := os.ReadFile("../../shared/calendar/cn-holidays.yaml")
	if err != nil {
		t.Skipf("shared calendar not reachable: %v", err)
	}
	embedded, err := os.ReadFile("cn-holidays.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(shared) != string(embedded) {
		t.Error("deadline/cn-holidays.yaml differs from ../shared/calendar/cn-holidays.yaml: copy it again")
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := deadline.DefaultCalendar()
	tests := []struct {
		day  string
		want bool
		why  string
	}{
		{"2026-02-13", true, "Friday before the Spring Festival"},
		{"2026-02-14", true, "Saturday worked instead (调休)"},
		{"2026-02-15", false, "Spring Festival, a Sunday"},
		{"2026-02-17", false, "Spring Festival, a Tuesday"},
		{"2026-02-23", false, "last day of the Spring Festival, a Monday"},
		{"2026-02-24", true, "Tuesday after the Spring Festival"},
		{"2026-02-28", true, "Saturday worked instead (调休)"},
		{"2026-03-01", false, "ordinary Sunday"},
		{"2026-03-07", false, "ordinary Saturday"},
		{"2026-01-04", true, "Sunday worked instead (调休)"},
		{"2025-10-08", false, "National Day 2025"},
		{"2025-10-11", true, "Saturday worked instead 2025"},
		{"2027-01-01", false, "元旦 2027 (notice shipped)"},
		{"2027-02-14", true, "Sunday worked instead 2027"},
		{"2028-01-03", false, "2028 without a notice: 元旦 on Saturday made up on Monday (放假办法 第六条)"},
		{"2028-01-04", true, "2028 without a notice: an ordinary Tuesday"},
		{"2028-01-26", false, "2028 without a notice: 春节 (正月初一) from the lunar calendar"},
	}
	for _, tt := range tests {
		t.Run(tt.day+" "+tt.why, func(t *testing.T) {
			if got := c.IsWorkingDay(date(t, tt.day, 12*time.Hour)); got != tt.want {
				t.Fatalf("IsWorkingDay(%s) = %v, want %v (%s)", tt.day, got, tt.want, tt.why)
			}
		})
	}
	t.Run("day boundary in China time", func(t *testing.T) {
		// 2026-02-14T16:30Z is 2026-02-15 00:30 in China: a holiday, although the UTC date is a 调休 Saturday.
		if c.IsWorkingDay(time.Date(2026, 2, 14, 16, 30, 0, 0, time.UTC)) {
			t.Fatal("the day must be taken in China time")
		}
	})
	t.Run("nil calendar", func(t *testing.T) {
		var nc *deadline.Calendar
		if nc.IsWorkingDay(date(t, "2026-02-17")) != true || nc.Covers(2026) {
			t.Fatal("a nil calendar must fall back to Monday–Friday")
		}
	})
}

func TestMissingYears(t *testing.T) {
	c := deadline.DefaultCalendar()
	tests := []struct {
		from, to string
		want     []int
	}{
		{"2025-03-01", "2026-12-31", nil},
		{"2026-12-01", "2027-02-01", nil},
		{"2027-12-01", "2028-02-01", []int{2028}},
		{"2024-06-01", "2028-01-01", []int{2024, 2028}},
		{"2027-01-01", "2026-01-01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.from+".."+tt.to, func(t *testing.T) {
			got := c.MissingYears(date(t, tt.from), date(t, tt.to))
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("MissingYears = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("new year's eve in UTC is already next year in China", func(t *testing.T) {
		got := c.MissingYears(time.Date(2027, 12, 31, 17, 0, 0, 0, time.UTC), time.Date(2027, 12, 31, 17, 0, 0, 0, time.UTC))
		if !reflect.DeepEqual(got, []int{2028}) {
			t.Fatalf("MissingYears = %v, want [2028]", got)
		}
	})
}

func TestParseCalendar(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{"empty file", "", ""},
		{"one year", "2030:\n  holidays: [2030-01-01, 2030-02-02..2030-02-05]\n  workdays: [2030-02-09]\n", ""},
		{"no workdays", "2030:\n  holidays: [2030-01-01]\n", ""},
		{"not a mapping", "- 2030\n", "want a mapping"},
		{"year not a number", "abc:\n  holidays: [2030-01-01]\n", `key "abc" is not a year`},
		{"duplicate year", "2030:\n  holidays: [2030-01-01]\n2030:\n  holidays: [2030-01-02]\n", "duplicate year"},
		{"year null", "2030:\n", "2030: want a mapping"},
		{"unknown key", "2030:\n  holiday: [2030-01-01]\n", "2030.holiday: unknown key"},
		{"bad date", "2030:\n  holidays: [2030-13-01]\n", `2030.holidays[0]: bad date "2030-13-01"`},
		{"date in another year", "2030:\n  holidays: [2030-01-01, 2031-01-01]\n", "2030.holidays[1]: date 2031-01-01 is not in 2030"},
		{"range backwards", "2030:\n  holidays: [2030-02-05..2030-02-02]\n", "ends before it starts"},
		{"range across years", "2030:\n  holidays: [2030-12-31..2031-01-01]\n", "not in 2030"},
		{"workday is a weekday", "2030:\n  holidays: [2030-01-01]\n  workdays: [2030-01-02]\n", "2030.workdays[0]: 2030-01-02 is a Wednesday"},
		{"workday is a holiday", "2030:\n  holidays: [2030-01-05]\n  workdays: [2030-01-05]\n", "2030-01-05 is also a holiday"},
		{"no holidays", "2030:\n  workdays: [2030-01-05]\n", "2030.holidays: no holidays listed"},
		{"holidays not a list", "2030:\n  holidays: 2030-01-01\n", "2030.holidays: line 2: want a list"},
		{"invalid YAML", "2030: [\n", "deadline: calendar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := deadline.ParseCalendar([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCalendar = %v; want error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || c == nil {
				t.Fatalf("ParseCalendar = %v, %v", c, err)
			}
		})
	}
	t.Run("range expands inclusively", func(t *testing.T) {
		c, err := deadline.ParseCalendar([]byte("2030:\n  holidays: [2030-02-02..2030-02-05]\n"))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2030-02-02", "2030-02-03", "2030-02-04", "2030-02-05"}
		if !reflect.DeepEqual(c.Years[0].Holidays, want) {
			t.Fatalf("holidays = %v, want %v", c.Years[0].Holidays, want)
		}
	})
}

func TestCalendarJSON(t *testing.T) {
	c := deadline.DefaultCalendar()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back deadline.Calendar
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*c, back) {
		t.Fatal("JSON round trip changed the calendar")
	}
	start := date(t, "2026-02-13", 10*time.Hour)
	if got, want := back.Due(start, deadline.WorkingDays(5)), c.Due(start, deadline.WorkingDays(5)); !got.Equal(want) {
		t.Fatalf("Due after JSON round trip = %v, want %v", got, want)
	}
}
