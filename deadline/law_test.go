package deadline_test

import (
	"slices"
	"testing"
	"time"

	"fengqiao/deadline"
)

// TestPeriodsAreCountedAsTheLawCounts is the table of DESIGN.md rule 4 (民法典 200-204, 民事诉讼法 85):
// the starting day is not counted; a period ends at 24:00 of its last day; a last day that is a rest day
// moves to the next working day; a month ends on the same-numbered day or the month's last day; working
// days follow the 调休 calendar. Each row names its last day as a page shows it.
func TestPeriodsAreCountedAsTheLawCounts(t *testing.T) {
	c := deadline.DefaultCalendar()
	tests := []struct {
		name     string
		start    string
		at       time.Duration // time of day of the start
		d        deadline.Duration
		lastDay  string
		provYear int // a provisional year the count touches, 0 if none
	}{
		{"one day: the start day is not counted", "2026-03-02", 12 * time.Hour, deadline.Days(1), "2026-03-03", 0},
		{"start late at night still starts that day", "2026-03-02", 23*time.Hour + 59*time.Minute, deadline.Days(1), "2026-03-03", 0},
		{"SPC 2011 art. 5: 15 days from acceptance", "2026-03-02", 10 * time.Hour, deadline.Days(15), "2026-03-17", 0},
		{"复查 window of an answer received 2 Dec 2026 ends after 元旦 2027", "2026-12-02", 10 * time.Hour, deadline.Days(30), "2027-01-04", 0},
		{"one month from 31 January ends on 28 February (民法典 202)", "2026-01-31", 10 * time.Hour, deadline.Months(1), "2026-02-28", 0},
		{"one month from 31 January 2025", "2025-01-31", 10 * time.Hour, deadline.Months(1), "2025-02-28", 0},
		{"one month from 31 January of a leap year ends on 29 February", "2028-01-31", 10 * time.Hour, deadline.Months(1), "2028-02-29", 2028},
		{"one month from 31 January 2024 (leap, no notice)", "2024-01-31", 10 * time.Hour, deadline.Months(1), "2024-02-29", 2024},
		{"twelve months from 29 February end on 28 February", "2028-02-29", 10 * time.Hour, deadline.Months(12), "2029-02-28", 2029},
		{"one month from 31 March ends on 30 April", "2026-03-31", 10 * time.Hour, deadline.Months(1), "2026-04-30", 0},
		{"one month ending on a Saturday moves to Monday", "2026-04-30", 10 * time.Hour, deadline.Months(1), "2026-06-01", 0},
		{"one month ending on a 调休 Sunday ends that Sunday", "2026-12-31", 10 * time.Hour, deadline.Months(1), "2027-01-31", 0},
		{"30 days across a month end", "2026-01-31", 10 * time.Hour, deadline.Days(30), "2026-03-02", 0},
		{"30 days across 29 February", "2028-02-01", 10 * time.Hour, deadline.Days(30), "2028-03-02", 2028},
		{"Spring Festival 2025: a last day in the holiday moves to the first working day", "2025-01-20", 10 * time.Hour, deadline.Days(10), "2025-02-05", 0},
		{"Spring Festival 2026: 7 days end after the holiday", "2026-02-10", 10 * time.Hour, deadline.Days(7), "2026-02-24", 0},
		{"Spring Festival 2026: 调休 Saturday 14 Feb is a working day", "2026-02-12", 10 * time.Hour, deadline.WorkingDays(3), "2026-02-24", 0},
		{"Spring Festival 2027: the holiday ends on a 调休 Sunday", "2027-01-29", 10 * time.Hour, deadline.Days(15), "2027-02-14", 0},
		{"National Day 2025 (with 中秋) moves a last day to 9 October", "2025-09-28", 10 * time.Hour, deadline.Days(3), "2025-10-09", 0},
		{"National Day 2026 moves a last day to 8 October", "2026-09-29", 10 * time.Hour, deadline.Days(3), "2026-10-08", 0},
		{"National Day 2027 moves a last day to 8 October", "2027-09-28", 10 * time.Hour, deadline.Days(5), "2027-10-08", 0},
		{"调休 Saturday 9 Oct 2027 counts as a working day", "2027-10-08", 10 * time.Hour, deadline.WorkingDays(5), "2027-10-14", 0},
		{"Zhejiang 5 working days over 元旦 2026 and its 调休 Sunday", "2025-12-31", 10 * time.Hour, deadline.WorkingDays(5), "2026-01-08", 0},
		{"National Day 2028 (no notice): 1-3 October and the make-up day", "2028-09-28", 10 * time.Hour, deadline.Days(3), "2028-10-05", 2028},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := date(t, tt.start, tt.at)
			due := c.Due(start, tt.d)
			// The period ends at 24:00 of the last day: the instant is the next day's 00:00.
			want := date(t, tt.lastDay).AddDate(0, 0, 1)
			if !due.Equal(want) {
				t.Fatalf("Due(%s, %s) = %s, want 24:00 of %s", tt.start, tt.d, due, tt.lastDay)
			}
			if got := deadline.LastDate(due).Format("2006-01-02"); got != tt.lastDay {
				t.Fatalf("LastDate = %s, want %s", got, tt.lastDay)
			}
			e := c.Explain(start, tt.d, nil)
			if !e.Due.Equal(due) || e.LastDay != tt.lastDay {
				t.Fatalf("Explain ends %s (%s), Due %s", e.Due, e.LastDay, due)
			}
			if tt.provYear != 0 && !slices.Contains(e.ProvisionalYears, tt.provYear) {
				t.Fatalf("ProvisionalYears = %v, want %d marked provisional", e.ProvisionalYears, tt.provYear)
			}
			if tt.provYear == 0 && len(e.ProvisionalYears) > 0 {
				t.Fatalf("ProvisionalYears = %v, want none", e.ProvisionalYears)
			}
		})
	}
}

// TestCourtExtensionCountsFromTheLastDay: SPC 2011 art. 5 — accepted 2026-03-02, 15 days end on
// 17 March; the president's 10-day extension ends at 24:00 on 27 March (not 30 March, as counting from
// the stored 00:00 of 18 March gave).
func TestCourtExtensionCountsFromTheLastDay(t *testing.T) {
	c := deadline.DefaultCalendar()
	decide := c.Due(date(t, "2026-03-02", 10*time.Hour), deadline.Days(15))
	got := c.ExtendDue(decide, deadline.Days(10))
	if want := date(t, "2026-03-28"); !got.Equal(want) {
		t.Fatalf("extended decision due %s, want 24:00 on 27 March (%s)", got, want)
	}
	e := c.ExplainExtension(decide, deadline.Days(10))
	if e.LastDay != "2026-03-27" || e.Steps[0].Date != "2026-03-17" || e.Steps[1].Reason != deadline.ReasonExtension {
		t.Fatalf("extension explained as %+v", e)
	}
}

// TestStatutoryYearInsideTheNotices: every day the statutory stand-in (放假办法 2024 第二条, lunar dates
// computed) makes a holiday is a holiday in the State Council's notices of 2025, 2026 and 2027 — the
// stand-in never invents a rest day the notice does not give, so a provisional deadline is never later
// than the noticed one for the festival days themselves.
func TestStatutoryYearInsideTheNotices(t *testing.T) {
	notices := deadline.DefaultCalendar()
	for _, y := range []int{2025, 2026, 2027} {
		sy := deadline.StatutoryYear(y)
		if !sy.Provisional || len(sy.Holidays) < 11 {
			t.Fatalf("%d: stand-in %+v", y, sy)
		}
		for _, d := range sy.Holidays {
			if notices.IsWorkingDay(date(t, d, 12*time.Hour)) {
				t.Errorf("%d: stand-in holiday %s is a working day in the notice", y, d)
			}
		}
	}
	// Festival days from the lunar calendar, as the notices give them.
	for _, tt := range []struct {
		year int
		want []string
	}{
		{2025, []string{"2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-04", "2025-05-31", "2025-10-06"}},
		{2026, []string{"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-04-05", "2026-06-19", "2026-09-25"}},
		{2027, []string{"2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-04-05", "2027-06-09", "2027-09-15"}},
	} {
		sy := deadline.StatutoryYear(tt.year)
		for _, d := range tt.want {
			if !slices.Contains(sy.Holidays, d) {
				t.Errorf("%d: %s missing from the stand-in %v", tt.year, d, sy.Holidays)
			}
		}
	}
}

// TestRecordedCalendarWithoutFallbackKeepsMondayToFriday: a calendar recorded in a workflow history
// before statutory fallback existed has no Fallback and must count as it did, so histories replay.
func TestRecordedCalendarWithoutFallbackKeepsMondayToFriday(t *testing.T) {
	old := &deadline.Calendar{Years: deadline.DefaultCalendar().Years[:2]}
	if !old.IsWorkingDay(date(t, "2027-01-01", 12*time.Hour)) {
		t.Fatal("a recorded calendar without 2027 must treat Friday 1 January 2027 as a working day")
	}
	if deadline.DefaultCalendar().IsWorkingDay(date(t, "2028-01-03", 12*time.Hour)) {
		t.Fatal("the statutory fallback must make Monday 3 January 2028 a make-up holiday")
	}
}

// TestExplainAgreesWithDue: Explain counts with the same function as DueWithPauses, pauses included.
func TestExplainAgreesWithDue(t *testing.T) {
	c := deadline.DefaultCalendar()
	start := date(t, "2026-01-20", 9*time.Hour)
	pauses := []deadline.Pause{{From: date(t, "2026-02-01", 10*time.Hour), To: date(t, "2026-02-04", 15*time.Hour)}}
	for _, d := range []deadline.Duration{deadline.Days(30), deadline.WorkingDays(15), deadline.Months(1), deadline.Months(2)} {
		e := c.Explain(start, d, pauses)
		if want := c.DueWithPauses(start, d, pauses); !e.Due.Equal(want) {
			t.Errorf("%s: Explain %s, DueWithPauses %s", d, e.Due, want)
		}
		var paused, counted int
		for _, s := range e.Steps {
			switch {
			case s.Reason == deadline.ReasonPaused:
				paused++
			case s.Counted && s.N > 0:
				counted++
			}
		}
		if paused != 3 {
			t.Errorf("%s: %d paused days listed, want 3 (1-3 Feb)", d, paused)
		}
		if d.WorkingDays != 0 && counted != 15 {
			t.Errorf("%s: %d days counted", d, counted)
		}
	}
}
