package deadline

import (
	"fmt"
	"time"
)

// Reasons a day counted or did not count toward a period (Step.Reason).
const (
	ReasonStart     = "start"        // the day the period starts: not counted (民法典 201, 民事诉讼法 85)
	ReasonCounted   = "counted"      // a day counted
	ReasonWeekend   = "weekend"      // a Saturday or Sunday: not a working day
	ReasonHoliday   = "holiday"      // a public holiday (法定节假日)
	ReasonSwapWork  = "swap_workday" // a weekend day worked instead (调休上班): a working day
	ReasonPaused    = "paused"       // the clock stood still (a pause the law allows)
	ReasonMoved     = "moved"        // the last day was a rest day: the period runs on (民法典 203)
	ReasonOpenPause = "open_pause"   // paused now: no end until the clock runs again
	ReasonExtension = "extension"    // a day of an approved extension
	ReasonLastDay   = "last_day"     // the period's last day: it ends at 24:00
)

// Step is one day of an Explanation.
type Step struct {
	// Date is the day, "YYYY-MM-DD" China time.
	Date string `json:"date"`
	// Counted reports whether the day counted toward the period.
	Counted bool `json:"counted"`
	// N is the day's number in the period when it counted.
	N int `json:"n,omitempty"`
	// Reason is one of the Reason constants; a counted weekday has ReasonCounted.
	Reason string `json:"reason"`
	// Rest says why the day is a rest day or a swapped working day: "weekend", "holiday", "swap_workday";
	// empty for an ordinary weekday.
	Rest string `json:"rest,omitempty"`
	// Festival names the holiday where the calendar knows it (provisional years).
	Festival string `json:"festival,omitempty"`
	// Provisional reports that the day's year is counted on the statutory stand-in, not on a notice.
	Provisional bool `json:"provisional,omitempty"`
}

// Explanation is a period counted day by day: what a supervisor or a court reads to check a deadline.
type Explanation struct {
	// Start is when the period started; its day is not counted.
	Start time.Time `json:"start"`
	// Duration is the period.
	Duration Duration `json:"duration"`
	// Steps are the days looked at, in order, from the starting day to the last day.
	Steps []Step `json:"steps"`
	// Due is the instant the period runs out (the last day's 24:00, stored as the next day's 00:00);
	// zero while an open pause holds the clock.
	Due time.Time `json:"due"`
	// LastDay is the period's last day, "YYYY-MM-DD"; empty when Due is zero.
	LastDay string `json:"last_day,omitempty"`
	// ProvisionalYears lists the years counted on the statutory stand-in, whose notice may move Due.
	ProvisionalYears []int `json:"provisional_years,omitempty"`
}

// Explain counts a period exactly as DueWithPauses does and lists every day with the reason it counted
// or not. Fixed periods have no days to list: Steps is empty.
func (c *Calendar) Explain(start time.Time, d Duration, pauses []Pause) Explanation {
	r := &recorder{}
	due := c.count(start, d, pauses, r)
	e := Explanation{Start: start, Duration: d, Steps: r.steps, Due: due}
	if !due.IsZero() {
		e.LastDay = LastDate(due).Format(dateLayout)
	}
	seen := map[int]bool{}
	for _, s := range e.Steps {
		if s.Provisional {
			var y int
			fmt.Sscanf(s.Date, "%d", &y)
			if !seen[y] {
				seen[y] = true
				e.ProvisionalYears = append(e.ProvisionalYears, y)
			}
		}
	}
	return e
}

// ExplainExtension lists the days of an extension of d to a period due at due, counted as ExtendDue
// counts them; each counted day has ReasonExtension.
func (c *Calendar) ExplainExtension(due time.Time, d Duration) Explanation {
	if due.IsZero() || d.Fixed != 0 || d.IsZero() {
		return Explanation{Start: due, Duration: d, Due: c.ExtendDue(due, d)}
	}
	e := c.Explain(lastDay(due).start(), d, nil)
	for i := range e.Steps {
		if e.Steps[i].Reason == ReasonCounted {
			e.Steps[i].Reason = ReasonExtension
		}
	}
	return e
}

// DayInfo tells how the calendar sees a day: whether it is a working day, why ("weekend", "holiday",
// "swap_workday" or "" for an ordinary weekday), the festival where known, and whether its year is
// provisional.
func (c *Calendar) DayInfo(t time.Time) (working bool, rest, festival string, provisional bool) {
	t = t.In(China)
	working = c.IsWorkingDay(t)
	provisional = c.Provisional(t.Year())
	key := t.Format(dateLayout)
	wd := t.Weekday()
	weekend := wd == time.Saturday || wd == time.Sunday
	switch {
	case working && weekend:
		rest = ReasonSwapWork
	case !working && !weekend:
		rest = ReasonHoliday
	case !working:
		rest = ReasonWeekend
		if y := c.effective(t.Year()); y != nil && containsDate(y.Holidays, key) {
			rest = ReasonHoliday
		}
	}
	if rest == ReasonHoliday && c != nil && c.Fallback == FallbackStatutory && c.year(t.Year()) == nil {
		festival = statutoryFestivals(t.Year())[key]
	}
	return working, rest, festival, provisional
}

func containsDate(list []string, d string) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}

// recorder collects the Steps of one count; a nil recorder records nothing.
type recorder struct{ steps []Step }

func (r *recorder) add(c *Calendar, d day, st Step) {
	t := d.start()
	st.Date = t.Format(dateLayout)
	_, rest, fest, prov := c.DayInfo(t)
	st.Rest, st.Festival, st.Provisional = rest, fest, prov
	r.steps = append(r.steps, st)
}

func (r *recorder) start(d day) {
	if r != nil {
		r.steps = append(r.steps, Step{Date: d.start().Format(dateLayout), Reason: ReasonStart})
	}
}

func (r *recorder) counted(c *Calendar, d day, n int) {
	if r != nil {
		r.add(c, d, Step{Counted: true, N: n, Reason: ReasonCounted})
	}
}

func (r *recorder) skipped(c *Calendar, d day) {
	if r != nil {
		_, rest, _, _ := c.DayInfo(d.start())
		r.add(c, d, Step{Reason: rest})
	}
}

func (r *recorder) paused(from, next day) {
	if r != nil {
		for d := from; d < next; d++ {
			r.steps = append(r.steps, Step{Date: d.start().Format(dateLayout), Reason: ReasonPaused})
		}
	}
}

func (r *recorder) open(d day) {
	if r != nil {
		r.steps = append(r.steps, Step{Date: d.start().Format(dateLayout), Reason: ReasonOpenPause})
	}
}

// moved marks a rest day the period runs over (民法典 203): the Nth day itself, which keeps its number,
// or a later rest day.
func (r *recorder) moved(c *Calendar, d day) {
	if r == nil {
		return
	}
	if n := len(r.steps); n > 0 && r.steps[n-1].Date == d.start().Format(dateLayout) {
		r.steps[n-1].Reason = ReasonMoved
		return
	}
	r.add(c, d, Step{Reason: ReasonMoved})
}

// last marks the period's last day: the day last counted, or a working day reached by moving on.
func (r *recorder) last(c *Calendar, d day) {
	if r == nil {
		return
	}
	key := d.start().Format(dateLayout)
	if n := len(r.steps); n > 0 && r.steps[n-1].Date == key {
		r.steps[n-1].Reason = ReasonLastDay
		return
	}
	r.add(c, d, Step{Counted: true, Reason: ReasonLastDay})
}
