package cases_test

import (
	"testing"
	"time"

	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/workflows"
)

// TestExplainShowsEveryDayAndTheLastDayAsTheLawCounts: the 复查 window of an answer received on
// 2 December 2026 is explained day by day — 2 December not counted, 1 January 2027 a holiday on which the
// 30th day falls, so the window runs to Monday 4 January (民法典 203) — and ends "2027年1月4日（24:00）".
func TestExplainShowsEveryDayAndTheLastDayAsTheLawCounts(t *testing.T) {
	cal := deadline.DefaultCalendar()
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, deadline.China)
	due := cal.Due(start, deadline.Days(30))
	v := cases.View{ID: "c1", Number: "N-1"}
	v.Deadlines.Running = []workflows.ClockDetail{{Kind: "review_request", Start: start, Duration: deadline.Days(30), DueAt: &due, Basis: "信访工作条例 第三十五条"}}
	e := cases.ExplainClocks(cal, v)
	if len(e.Clocks) != 1 {
		t.Fatalf("clocks = %+v", e.Clocks)
	}
	c := e.Clocks[0]
	if c.LastDayText != "2027年1月4日（24:00）" || c.Counting.LastDay != "2027-01-04" {
		t.Fatalf("last day %q / %q", c.LastDayText, c.Counting.LastDay)
	}
	steps := map[string]deadline.Step{}
	for _, s := range c.Counting.Steps {
		steps[s.Date] = s
	}
	if s := steps["2026-12-02"]; s.Reason != deadline.ReasonStart || s.Counted {
		t.Errorf("the start day must be listed and not counted: %+v", s)
	}
	if s := steps["2027-01-01"]; s.N != 30 || s.Rest != deadline.ReasonHoliday {
		t.Errorf("1 January 2027 is day 30 and a holiday: %+v", s)
	}
	if s := steps["2027-01-02"]; s.Reason != deadline.ReasonMoved {
		t.Errorf("2 January 2027 is a rest day the period runs over: %+v", s)
	}
	if s := steps["2027-01-04"]; s.Reason != deadline.ReasonLastDay {
		t.Errorf("4 January 2027 is the last day: %+v", s)
	}
}
