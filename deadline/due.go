package deadline

import (
	"slices"
	"time"
)

const secondsPerDay = 24 * 3600

// day is a day in China time, counted from 1970-01-01.
type day int64

func dayOf(t time.Time) day {
	s := t.Unix() + 8*3600
	d := s / secondsPerDay
	if s%secondsPerDay < 0 {
		d--
	}
	return day(d)
}

// start is 00:00 China time of the day.
func (d day) start() time.Time { return time.Unix(int64(d)*secondsPerDay-8*3600, 0).In(China) }

// end is 24:00 China time of the day, the same instant as the next day's 00:00.
func (d day) end() time.Time { return (d + 1).start() }

// Pause is a span during which a case's clock stood still (an appraisal, a hearing: XGTL 36 "听证所需时间不计算
// 在前款规定的期限内", 人民法院在线调解规则 第26条). A zero To means the case is still paused.
type Pause struct {
	// From is when the clock stopped.
	From time.Time `json:"from"`
	// To is when it started again; zero while the case is still paused.
	To time.Time `json:"to"`
}

// Open reports whether the pause has not ended.
func (p Pause) Open() bool { return p.To.IsZero() }

// Due is the instant a period of d that starts at start runs out.
//
//   - Fixed: start + d.
//   - Days: the day of start is not counted, counting starts the next day (民法典 第二百零一条第一款 "按照年、
//     月、日计算期间的，开始的当日不计入，自下一日开始计算"; 民事诉讼法 第八十五条第二款). The period ends at the end
//     (24:00 China time) of the Nth day (民法典 第二百零三条第二款 "期间的最后一日的截止时间为二十四时"). If that
//     day is not a working day, the period ends at the end of the next working day (民法典 第二百零三条第一款
//     "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日"; 民事诉讼法 第八十五条第三款). A
//     weekend day worked under 调休 is a working day, so a period may end on it.
//   - WorkingDays: the end (24:00) of the Nth working day after the day of start.
//
// An end of day is returned as the next day's 00:00 in China time (the same instant as 24:00): a page that
// shows a due date should show the day before at 24:00. The zero Duration is due at start. Negative day
// counts count as zero; counts above MaxDays as MaxDays.
func (c *Calendar) Due(start time.Time, d Duration) time.Time {
	return c.DueWithPauses(start, d, nil)
}

// DueWithPauses is Due with the clock stopped during pauses; pauses lengthen the period. It returns the
// zero Time — no deadline while paused — when a pause that began before the deadline has not ended yet.
//
// The rule, chosen so that a clerk can check it on a paper calendar:
//   - Fixed periods are lengthened by the time spent paused (overlapping pauses count once).
//   - Day periods (Days and WorkingDays) count whole days: a day counts toward the period only if the case
//     was not paused at its end (24:00 China time). So the day a pause begins is given back whole (work
//     stopped that day), and the day the pause ends counts again (work resumed that day); a pause that
//     begins and ends on the same day changes nothing. For WorkingDays only the working days given back
//     matter; for Days every calendar day given back lengthens the period, and if the new last day is
//     not a working day the period still runs to the end of the next working day.
//   - A pause lengthens a period only if it began before the period ran out: pausing an overdue case
//     does not revive its deadline. As a consequence a day period paused in time never runs out before
//     the end of the day the case resumes.
//
// Pauses may be given in any order and may overlap; one whose To is before its From is ignored.
func (c *Calendar) DueWithPauses(start time.Time, d Duration, pauses []Pause) time.Time {
	return c.count(start, d, pauses, nil)
}

// count is the one counting function behind Due, DueWithPauses, ExtendDue and Explain; rec, if not nil,
// receives every day looked at with the reason it counted or not.
func (c *Calendar) count(start time.Time, d Duration, pauses []Pause, rec *recorder) time.Time {
	switch {
	case d.Days != 0:
		return c.dueDays(start, clampDays(d.Days), false, pauses, rec)
	case d.WorkingDays != 0:
		return c.dueDays(start, clampDays(d.WorkingDays), true, pauses, rec)
	case d.Months != 0:
		return c.dueDays(start, monthDays(start, d.Months), false, pauses, rec)
	}
	return dueFixed(start, d.Fixed, pauses)
}

// monthDays is the number of calendar days from the day of start to the last day of a period of n
// months (民法典 第二百零二条 "到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日"): the
// same-numbered day n months later, or that month's last day if it has no such day.
func monthDays(start time.Time, n int) int {
	n = max(0, min(n, MaxMonths))
	s := start.In(China)
	y, m, dd := s.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, China) // normalised: the end month's 1st
	lastOfMonth := first.AddDate(0, 1, -1).Day()
	end := time.Date(first.Year(), first.Month(), min(dd, lastOfMonth), 0, 0, 0, 0, China)
	return int(dayOf(end) - dayOf(s))
}

// ExtendDue is the end of a period that was due at due, extended by d (SPC 2011 art. 5 "可以延长十日";
// XGTL 34): the extension counts from the day after the original last day, so the original last day —
// the day before due, which Due returns as the next day's 00:00 — is its starting day and not counted.
// A zero due stays zero; a Fixed d is added to due.
func (c *Calendar) ExtendDue(due time.Time, d Duration) time.Time {
	if due.IsZero() {
		return due
	}
	if d.Fixed != 0 || d.IsZero() {
		return due.Add(d.Fixed)
	}
	return c.count(lastDay(due).start(), d, nil, nil)
}

// lastDay is the last day of a period that ends at end (24:00 of that day, the next day's 00:00 as an
// instant): the day of end less one when end falls at midnight China time, else the day of end.
func lastDay(end time.Time) day {
	d := dayOf(end)
	if end.Equal(d.start()) {
		return d - 1
	}
	return d
}

// LastDate is the last day of a period that ends at end, at 00:00 China time: the day a page shows
// ("12月7日（24:00）前"). A period ending at 24:00 is stored as the next day's 00:00, so that instant gives
// the day before; any other instant gives its own day. The zero Time gives the zero Time.
func LastDate(end time.Time) time.Time {
	if end.IsZero() {
		return end
	}
	return lastDay(end).start()
}

func clampDays(n int) int { return max(0, min(n, MaxDays)) }

func dueFixed(start time.Time, d time.Duration, pauses []Pause) time.Time {
	due := start.Add(d)
	ps := slices.Clone(pauses)
	slices.SortStableFunc(ps, func(a, b Pause) int { return a.From.Compare(b.From) })
	covered := start // time before this is already accounted for
	for _, p := range ps {
		from := p.From
		if from.Before(covered) {
			from = covered
		}
		if !from.Before(due) {
			continue // began after the deadline ran out, or lies inside time already counted
		}
		if p.Open() {
			return time.Time{}
		}
		if !p.To.After(from) {
			continue
		}
		due = due.Add(p.To.Sub(from))
		covered = p.To
	}
	return due
}

// pausedAtEnd reports whether a pause covers the end (24:00) of day d — began before it and had not
// ended before it — and if so the first later day whose end it does not cover (zero if the pause is open).
func pausedAtEnd(d day, pauses []Pause) (paused, open bool, next day) {
	e := d.end()
	for _, p := range pauses {
		if !p.From.Before(e) {
			continue
		}
		if p.Open() {
			return true, true, 0
		}
		if !p.To.Before(e) {
			// The first later day whose end the pause does not cover is the day To falls in.
			n := dayOf(p.To)
			if !paused || n > next {
				next = n
			}
			paused = true
		}
	}
	return paused, false, next
}

func (c *Calendar) dueDays(start time.Time, n int, working bool, pauses []Pause, rec *recorder) time.Time {
	rec.start(dayOf(start))
	if n == 0 {
		return start
	}
	d := dayOf(start) + 1
	count := 0
	for {
		paused, open, next := pausedAtEnd(d, pauses)
		if open {
			rec.open(d)
			return time.Time{}
		}
		if paused {
			rec.paused(d, next)
			d = next
			continue
		}
		if !working || c.IsWorkingDay(d.start()) {
			count++
			rec.counted(c, d, count)
			if count == n {
				break
			}
		} else {
			rec.skipped(c, d)
		}
		d++
	}
	// 民法典 第二百零三条: a period of days whose last day is a holiday runs to the end of the next working day.
	for !working && !c.IsWorkingDay(d.start()) {
		rec.moved(c, d)
		d++
		for {
			paused, open, next := pausedAtEnd(d, pauses)
			if open {
				rec.open(d)
				return time.Time{}
			}
			if !paused {
				break
			}
			rec.paused(d, next)
			d = next
		}
	}
	rec.last(c, d)
	return d.end()
}

// AtRiskAt is the instant after which a period from start to due is at risk: when share of it has
// elapsed (share 0.8: 80 % of the time, DESIGN §3 rule 4). share is clamped to [0, 1]. A zero due (no
// deadline while paused) gives the zero Time.
func AtRiskAt(start, due time.Time, share float64) time.Time {
	if due.IsZero() {
		return time.Time{}
	}
	if !due.After(start) {
		return due
	}
	share = max(0, min(share, 1))
	if share != share { // NaN
		share = 0
	}
	return start.Add(time.Duration(float64(due.Sub(start)) * share))
}
