package deadline_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"fengqiao/deadline"
)

func TestDue(t *testing.T) {
	c := deadline.DefaultCalendar()
	tests := []struct {
		name  string
		start time.Time
		d     deadline.Duration
		want  time.Time
	}{
		{
			// 5 working days from Friday 2026-02-13 (春节 2026-02-15..02-23; 调休 Saturdays 02-14 and 02-28).
			// The start day is not counted. 02-14 Sat is worked: day 1. 02-15 Sun .. 02-23 Mon are
			// holidays. 02-24 Tue: 2, 02-25 Wed: 3, 02-26 Thu: 4, 02-27 Fri: 5. The period ends at 24:00 on
			// Friday 2026-02-27, the instant 2026-02-28 00:00 CST.
			name:  "5 working days across the 2026 Spring Festival",
			start: date(t, "2026-02-13", 10*time.Hour),
			d:     deadline.WorkingDays(5),
			want:  date(t, "2026-02-28"),
		},
		{
			// As above; the 6th working day is Saturday 02-28, worked under 调休.
			name:  "6th working day is the 调休 Saturday",
			start: date(t, "2026-02-13", 10*time.Hour),
			d:     deadline.WorkingDays(6),
			want:  date(t, "2026-03-01"),
		},
		{
			// As above; Sunday 03-01 is a rest day, the 7th working day is Monday 03-02.
			name:  "7th working day skips the Sunday",
			start: date(t, "2026-02-13", 10*time.Hour),
			d:     deadline.WorkingDays(7),
			want:  date(t, "2026-03-03"),
		},
		{
			// 7 calendar days from 02-13: day 7 is 02-20, a holiday; so are 02-21..02-23; the next
			// working day is Tuesday 02-24 (民法典 第二百零三条), ending at 24:00.
			name:  "7 days ending in the Spring Festival move to the next working day",
			start: date(t, "2026-02-13", 10*time.Hour),
			d:     deadline.Days(7),
			want:  date(t, "2026-02-25"),
		},
		{
			// 1 day from Friday 2026-03-06 is Saturday 03-07, a rest day; Sunday too; Monday 03-09.
			name:  "1 day ending on a weekend moves to Monday",
			start: date(t, "2026-03-06", 9*time.Hour),
			d:     deadline.Days(1),
			want:  date(t, "2026-03-10"),
		},
		{
			// 1 day from Friday 2026-02-27 is Saturday 02-28, a 调休 working day: the period ends then.
			name:  "1 day ending on a 调休 Saturday stays",
			start: date(t, "2026-02-27", 9*time.Hour),
			d:     deadline.Days(1),
			want:  date(t, "2026-03-01"),
		},
		{
			// 30 days from Tuesday 2026-09-01 is Thursday 10-01, National Day (10-01..10-07); the next
			// working day is Thursday 10-08 (10-10 is the 调休 Saturday, not needed).
			name:  "30 days ending on National Day",
			start: date(t, "2026-09-01", 15*time.Hour),
			d:     deadline.Days(30),
			want:  date(t, "2026-10-09"),
		},
		{
			// 15 days from 2026-03-02 is Tuesday 03-17, a working day: no move.
			name:  "15 days ending on a working day",
			start: date(t, "2026-03-02", 23*time.Hour),
			d:     deadline.Days(15),
			want:  date(t, "2026-03-18"),
		},
		{
			// 2025-12-31 + 1 working day: 2026-01-01..01-03 are 元旦 holidays, Sunday 01-04 is worked.
			name:  "working days across the new year",
			start: date(t, "2025-12-31", 12*time.Hour),
			d:     deadline.WorkingDays(1),
			want:  date(t, "2026-01-05"),
		},
		{
			// 2028 has no notice: 元旦 (Saturday) is made up on Monday 01-03 (放假办法 第六条), so the first
			// working day after Friday 2027-12-31 is Tuesday 2028-01-04.
			name:  "a year without a notice counts on the statutory holidays",
			start: date(t, "2027-12-31", 12*time.Hour),
			d:     deadline.WorkingDays(1),
			want:  date(t, "2028-01-05"),
		},
		{
			// 2026-02-12T20:00Z is 02-13 04:00 in China: the start day is Friday 02-13, day 1 is 调休 Sat 02-14.
			name:  "start day is taken in China time",
			start: time.Date(2026, 2, 12, 20, 0, 0, 0, time.UTC),
			d:     deadline.WorkingDays(1),
			want:  date(t, "2026-02-15"),
		},
		{
			// 2026-02-12T15:59Z is 02-12 23:59 in China: the start day is Thursday, day 1 is Friday 02-13.
			name:  "one minute before midnight in China",
			start: time.Date(2026, 2, 12, 15, 59, 0, 0, time.UTC),
			d:     deadline.WorkingDays(1),
			want:  date(t, "2026-02-14"),
		},
		{
			name:  "fixed",
			start: date(t, "2026-02-13", 10*time.Hour),
			d:     deadline.Fixed(90 * time.Second),
			want:  date(t, "2026-02-13", 10*time.Hour+90*time.Second),
		},
		{
			name:  "zero is due at once",
			start: date(t, "2026-02-13", 10*time.Hour),
			d:     deadline.Duration{},
			want:  date(t, "2026-02-13", 10*time.Hour),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Due(tt.start, tt.d)
			if !got.Equal(tt.want) {
				t.Fatalf("Due(%v, %v) = %v, want %v", tt.start, tt.d, got, tt.want)
			}
		})
	}
}

func TestDueWithPauses(t *testing.T) {
	c := deadline.DefaultCalendar()
	// 5 working days from Monday 2026-03-02: 03-03, 03-04, 03-05, 03-06, 03-09 → due 03-10 00:00.
	start := date(t, "2026-03-02", 9*time.Hour)
	at := func(day string, hour int) time.Time { return date(t, day, time.Duration(hour)*time.Hour) }
	tests := []struct {
		name   string
		d      deadline.Duration
		pauses []deadline.Pause
		want   time.Time
	}{
		{"no pause", deadline.WorkingDays(5), nil, at("2026-03-10", 0)},
		{
			// Begins and ends on Tuesday: paused at no day's end, nothing given back.
			"pause within one day", deadline.WorkingDays(5),
			[]deadline.Pause{{From: at("2026-03-03", 10), To: at("2026-03-03", 11)}},
			at("2026-03-10", 0),
		},
		{
			// Paused at the end of Tue 03-03 and Wed 03-04: both given back; Thu 03-05 counts again.
			// 03-05, 03-06, 03-09, 03-10, 03-11 → due 03-12 00:00.
			"pause over two day ends", deadline.WorkingDays(5),
			[]deadline.Pause{{From: at("2026-03-03", 16), To: at("2026-03-05", 9)}},
			at("2026-03-12", 0),
		},
		{
			// Paused at the end of Fri 03-06, Sat and Sun: only Friday is a working day given back.
			// 03-03, 03-04, 03-05, 03-09, 03-10 → due 03-11 00:00.
			"pause over a weekend gives back one working day", deadline.WorkingDays(5),
			[]deadline.Pause{{From: at("2026-03-06", 18), To: at("2026-03-09", 8)}},
			at("2026-03-11", 0),
		},
		{
			// Overlapping pauses cover the ends of 03-03, 03-04, 03-05 once each.
			// 03-06, 03-09, 03-10, 03-11, 03-12 → due 03-13 00:00.
			"overlapping pauses count once", deadline.WorkingDays(5),
			[]deadline.Pause{
				{From: at("2026-03-04", 10), To: at("2026-03-06", 9)},
				{From: at("2026-03-03", 16), To: at("2026-03-05", 9)},
			},
			at("2026-03-13", 0),
		},
		{
			// Paused on the last day (Mon 03-09) until Thu 03-12 10:00: 03-09..03-11 given back; the
			// 5th working day is the day it resumes, so the case is not overdue on resuming.
			"pause on the last day", deadline.WorkingDays(5),
			[]deadline.Pause{{From: at("2026-03-09", 15), To: at("2026-03-12", 10)}},
			at("2026-03-13", 0),
		},
		{
			"still paused: no deadline", deadline.WorkingDays(5),
			[]deadline.Pause{{From: at("2026-03-04", 10)}},
			time.Time{},
		},
		{
			"pause begun after the deadline does not revive it", deadline.WorkingDays(5),
			[]deadline.Pause{{From: at("2026-03-10", 10)}},
			at("2026-03-10", 0),
		},
		{
			"pause ended before the period's first day", deadline.WorkingDays(5),
			[]deadline.Pause{{From: at("2026-02-27", 10), To: at("2026-03-02", 10)}},
			at("2026-03-10", 0),
		},
		{
			"pause ending before it begins is ignored", deadline.WorkingDays(5),
			[]deadline.Pause{{From: at("2026-03-05", 10), To: at("2026-03-03", 10)}},
			at("2026-03-10", 0),
		},
		{
			// 10 days from 03-02: day 10 is Thu 03-12. Paused at the ends of 03-05, 03-06, 03-07: three
			// days given back, day 10 becomes Sun 03-15, a rest day; Monday 03-16 ends the period.
			"calendar days given back, then the last day moves off the weekend", deadline.Days(10),
			[]deadline.Pause{{From: at("2026-03-05", 12), To: at("2026-03-08", 12)}},
			at("2026-03-17", 0),
		},
		{
			"fixed: lengthened by the paused time", deadline.Fixed(time.Hour),
			[]deadline.Pause{{From: start.Add(10 * time.Minute), To: start.Add(40 * time.Minute)}},
			start.Add(90 * time.Minute),
		},
		{
			"fixed: overlapping pauses count once", deadline.Fixed(time.Hour),
			[]deadline.Pause{
				{From: start.Add(30 * time.Minute), To: start.Add(50 * time.Minute)},
				{From: start.Add(10 * time.Minute), To: start.Add(40 * time.Minute)},
			},
			start.Add(100 * time.Minute),
		},
		{
			"fixed: pause begun before the start counts from the start", deadline.Fixed(time.Hour),
			[]deadline.Pause{{From: start.Add(-time.Hour), To: start.Add(10 * time.Minute)}},
			start.Add(70 * time.Minute),
		},
		{
			"fixed: pause after the deadline", deadline.Fixed(time.Hour),
			[]deadline.Pause{{From: start.Add(2 * time.Hour), To: start.Add(3 * time.Hour)}},
			start.Add(time.Hour),
		},
		{
			"fixed: still paused", deadline.Fixed(time.Hour),
			[]deadline.Pause{{From: start.Add(30 * time.Minute)}},
			time.Time{},
		},
		{
			"fixed: open pause after the deadline", deadline.Fixed(time.Hour),
			[]deadline.Pause{{From: start.Add(2 * time.Hour)}},
			start.Add(time.Hour),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.DueWithPauses(start, tt.d, tt.pauses)
			if !got.Equal(tt.want) {
				t.Fatalf("DueWithPauses = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestDueWithPausesProperties checks, over many random pauses, that a pause never shortens a period and
// that a case paused before its deadline is not overdue on the day it resumes.
func TestDueWithPausesProperties(t *testing.T) {
	c := deadline.DefaultCalendar()
	r := rand.New(rand.NewPCG(1, 2))
	durations := []deadline.Duration{deadline.Days(1), deadline.Days(15), deadline.WorkingDays(2), deadline.WorkingDays(10), deadline.Fixed(36 * time.Hour)}
	base := date(t, "2025-12-01")
	for i := range 2000 {
		start := base.Add(time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
		d := durations[i%len(durations)]
		plain := c.Due(start, d)
		from := start.Add(time.Duration(r.Int64N(int64(plain.Sub(start)))))
		to := from.Add(time.Duration(r.Int64N(int64(20 * 24 * time.Hour))))
		p := []deadline.Pause{{From: from, To: to}}
		got := c.DueWithPauses(start, d, p)
		if got.Before(plain) {
			t.Fatalf("start %v, %v, pause %v..%v: due %v is before the unpaused %v", start, d, from, to, got, plain)
		}
		resumeDayEnd := time.Date(to.In(deadline.China).Year(), to.In(deadline.China).Month(), to.In(deadline.China).Day()+1, 0, 0, 0, 0, deadline.China)
		if d.Fixed == 0 && got.Before(resumeDayEnd) {
			t.Fatalf("start %v, %v, pause %v..%v: due %v falls before the end of the day the case resumed", start, d, from, to, got)
		}
		if d.Fixed != 0 && !got.Equal(plain.Add(to.Sub(from))) {
			t.Fatalf("fixed: due %v, want %v", got, plain.Add(to.Sub(from)))
		}
	}
}

func TestAtRiskAt(t *testing.T) {
	start := date(t, "2026-03-02", 9*time.Hour)
	due := start.Add(10 * 24 * time.Hour)
	tests := []struct {
		name  string
		due   time.Time
		share float64
		want  time.Time
	}{
		{"80 percent", due, 0.8, start.Add(8 * 24 * time.Hour)},
		{"half", due, 0.5, start.Add(5 * 24 * time.Hour)},
		{"share above 1 is the deadline", due, 1.5, due},
		{"negative share is the start", due, -1, start},
		{"NaN share is the start", due, math.NaN(), start},
		{"no deadline while paused", time.Time{}, 0.8, time.Time{}},
		{"deadline before start", start.Add(-time.Hour), 0.8, start.Add(-time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deadline.AtRiskAt(start, tt.due, tt.share); !got.Equal(tt.want) {
				t.Fatalf("AtRiskAt = %v, want %v", got, tt.want)
			}
		})
	}
}
