package deadline

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// China is China Standard Time (UTC+8, no daylight saving time). Day boundaries — when a day starts and
// ends for a period — are in this zone, whatever zone a time.Time passed to this package carries.
var China = time.FixedZone("CST", 8*3600)

const dateLayout = "2006-01-02"

//go:embed cn-holidays.yaml
var defaultCalendarYAML []byte

// Calendar is the working-day calendar: per year, the public holidays and the weekend days worked instead
// (调休), as announced by the General Office of the State Council each November for the following year.
// A year without a notice falls back to the statutory holidays (StatutoryYear, provisional) when Fallback
// is FallbackStatutory, as every calendar built by this package is; a calendar recorded before that
// field existed falls back to Monday–Friday, so that recorded workflow histories replay as they ran.
//
// Its exported fields make it JSON-serialisable, so an activity can load it and a workflow can keep it in
// its state. Lookups do not depend on the order of the lists; the zero Calendar and a nil *Calendar are
// valid and know no holidays.
type Calendar struct {
	// Years are the covered years, in order.
	Years []CalendarYear `json:"years"`
	// Fallback says what stands in for a year that Years does not list: FallbackStatutory, or "" for
	// Monday–Friday (calendars recorded before statutory fallback existed).
	Fallback string `json:"fallback,omitempty"`
}

// FallbackStatutory is the Calendar.Fallback that counts a year without a notice on the statutory
// holidays of 全国年节及纪念日放假办法 (StatutoryYear).
const FallbackStatutory = "statutory"

// CalendarYear is one year of the Calendar. Dates are "YYYY-MM-DD" in China time, every day listed (ranges
// expanded), sorted.
type CalendarYear struct {
	// Year is the calendar year, e.g. 2026.
	Year int `json:"year"`
	// Holidays are the public holidays (法定节假日 and the rest days joined to them).
	Holidays []string `json:"holidays"`
	// Workdays are the Saturdays and Sundays that are working days this year (调休上班).
	Workdays []string `json:"workdays"`
	// Provisional marks a year that stands in for a notice not yet published (StatutoryYear): its
	// deadlines may move when the notice is imported.
	Provisional bool `json:"provisional,omitempty"`
}

// DefaultCalendar returns the calendar shipped with this package, a copy of
// ../shared/calendar/cn-holidays.yaml (2025, 2026 and 2027), with the statutory fallback for other
// years. Each call returns a fresh copy.
func DefaultCalendar() *Calendar {
	c, err := ParseCalendar(defaultCalendarYAML)
	if err != nil {
		panic("deadline: embedded cn-holidays.yaml: " + err.Error()) // guarded by TestDefaultCalendar
	}
	return c
}

// ParseCalendar reads the YAML format of cn-holidays.yaml: a mapping from year to {holidays, workdays},
// each a list of dates "YYYY-MM-DD" or inclusive ranges "YYYY-MM-DD..YYYY-MM-DD". Every date must lie in
// its year; a workday must be a Saturday or Sunday; a date cannot be both; a year must list at least one
// holiday (leave a year out to fall back to Monday–Friday). Unknown keys are errors.
func ParseCalendar(data []byte) (*Calendar, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("deadline: calendar: %w", err)
	}
	root := documentRoot(&doc)
	c := &Calendar{Fallback: FallbackStatutory}
	if root == nil {
		return c, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("deadline: calendar: line %d: want a mapping from year to {holidays, workdays}", root.Line)
	}
	seen := map[int]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolve(root.Content[i+1])
		year, err := strconv.Atoi(k.Value)
		if err != nil || year < 1 || year > 9999 {
			return nil, fmt.Errorf("deadline: calendar: line %d: key %q is not a year", k.Line, k.Value)
		}
		if seen[year] {
			return nil, fmt.Errorf("deadline: calendar %d: duplicate year", year)
		}
		seen[year] = true
		y, err := parseYear(year, v)
		if err != nil {
			return nil, fmt.Errorf("deadline: calendar %d%w", year, err)
		}
		c.Years = append(c.Years, y)
	}
	slices.SortFunc(c.Years, func(a, b CalendarYear) int { return a.Year - b.Year })
	return c, nil
}

// pathError prefixes an error with ".key" so that callers can build "2026.holidays[3]: ...".
type pathError struct {
	path string
	err  error
}

// Error is "path: cause".
func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }

// Unwrap gives the cause.
func (e *pathError) Unwrap() error { return e.err }

func atPath(path string, err error) error { return &pathError{path: path, err: err} }

func parseYear(year int, n *yaml.Node) (CalendarYear, error) {
	y := CalendarYear{Year: year}
	if n == nil || n.Kind != yaml.MappingNode {
		return y, atPath("", errors.New("want a mapping with holidays and workdays"))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, resolve(n.Content[i+1])
		if seen[k] {
			return y, atPath("."+k, errors.New("duplicate key"))
		}
		seen[k] = true
		var dst *[]string
		switch k {
		case "holidays":
			dst = &y.Holidays
		case "workdays":
			dst = &y.Workdays
		default:
			return y, atPath("."+k, errors.New("unknown key (want holidays or workdays)"))
		}
		if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
			continue
		}
		if v.Kind != yaml.SequenceNode {
			return y, atPath("."+k, fmt.Errorf("line %d: want a list of dates", v.Line))
		}
		for j, item := range v.Content {
			item = resolve(item)
			if item == nil || item.Kind != yaml.ScalarNode {
				return y, atPath(fmt.Sprintf(".%s[%d]", k, j), errors.New("want a date or a range a..b"))
			}
			days, err := expandRange(year, item.Value)
			if err != nil {
				return y, atPath(fmt.Sprintf(".%s[%d]", k, j), err)
			}
			*dst = append(*dst, days...)
		}
	}
	slices.Sort(y.Holidays)
	y.Holidays = slices.Compact(y.Holidays)
	slices.Sort(y.Workdays)
	y.Workdays = slices.Compact(y.Workdays)
	if len(y.Holidays) == 0 {
		return y, atPath(".holidays", errors.New("no holidays listed; leave the year out to fall back to Monday–Friday"))
	}
	for j, d := range y.Workdays {
		if slices.Contains(y.Holidays, d) {
			return y, atPath(fmt.Sprintf(".workdays[%d]", j), fmt.Errorf("%s is also a holiday", d))
		}
		t, _ := time.ParseInLocation(dateLayout, d, China)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return y, atPath(fmt.Sprintf(".workdays[%d]", j), fmt.Errorf("%s is a %s; workdays lists the weekend days worked instead (调休)", d, wd))
		}
	}
	return y, nil
}

// expandRange reads "a" or "a..b" (inclusive) and lists every date, all of which must lie in year.
func expandRange(year int, s string) ([]string, error) {
	from, to, isRange := strings.Cut(strings.TrimSpace(s), "..")
	a, err := parseDate(year, strings.TrimSpace(from))
	if err != nil {
		return nil, err
	}
	b := a
	if isRange {
		if b, err = parseDate(year, strings.TrimSpace(to)); err != nil {
			return nil, err
		}
		if b.Before(a) {
			return nil, fmt.Errorf("range %q ends before it starts", s)
		}
	}
	var out []string
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(dateLayout))
	}
	return out, nil
}

func parseDate(year int, s string) (time.Time, error) {
	t, err := time.ParseInLocation(dateLayout, s, China)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad date %q: want YYYY-MM-DD", s)
	}
	if t.Year() != year {
		return time.Time{}, fmt.Errorf("date %s is not in %d", s, year)
	}
	return t, nil
}

func documentRoot(doc *yaml.Node) *yaml.Node {
	n := doc
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	n = resolve(n)
	if n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil
	}
	return n
}

// resolve follows an alias (*name) to its anchor's node.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func (c *Calendar) year(y int) *CalendarYear {
	if c == nil {
		return nil
	}
	for i := range c.Years {
		if c.Years[i].Year == y {
			return &c.Years[i]
		}
	}
	return nil
}

// Covers reports whether the calendar has the notice of year. For other years IsWorkingDay uses the
// statutory holidays (StatutoryYear) or, on a calendar without Fallback, Monday–Friday.
func (c *Calendar) Covers(year int) bool {
	y := c.year(year)
	return y != nil && !y.Provisional
}

// Provisional reports whether the days of year are counted on a stand-in rather than on the State
// Council's notice: the statutory holidays, or Monday–Friday on a calendar recorded without Fallback.
func (c *Calendar) Provisional(year int) bool { return !c.Covers(year) }

// effective is the year as IsWorkingDay counts it: the listed year, else the statutory stand-in when
// Fallback asks for it, else nil (Monday–Friday).
func (c *Calendar) effective(year int) *CalendarYear {
	if y := c.year(year); y != nil {
		return y
	}
	if c != nil && c.Fallback == FallbackStatutory {
		return sharedStatutoryYear(year)
	}
	return nil
}

// Merge returns a copy of c with the years of over replacing or adding to its own; Fallback is kept
// from c unless over sets one. Neither input is changed.
func (c *Calendar) Merge(over *Calendar) *Calendar {
	out := &Calendar{}
	if c != nil {
		out.Fallback = c.Fallback
		for _, y := range c.Years {
			out.Years = append(out.Years, y.clone())
		}
	}
	if over == nil {
		return out
	}
	if over.Fallback != "" {
		out.Fallback = over.Fallback
	}
	for _, y := range over.Years {
		if i := slices.IndexFunc(out.Years, func(o CalendarYear) bool { return o.Year == y.Year }); i >= 0 {
			out.Years[i] = y.clone()
		} else {
			out.Years = append(out.Years, y.clone())
		}
	}
	slices.SortFunc(out.Years, func(a, b CalendarYear) int { return a.Year - b.Year })
	return out
}

func (y CalendarYear) clone() CalendarYear {
	y.Holidays, y.Workdays = slices.Clone(y.Holidays), slices.Clone(y.Workdays)
	return y
}

// Equal reports whether two years list the same days and provisional mark.
func (y CalendarYear) Equal(o CalendarYear) bool {
	return y.Year == o.Year && y.Provisional == o.Provisional && slices.Equal(y.Holidays, o.Holidays) &&
		slices.Equal(y.Workdays, o.Workdays)
}

// MissingYears lists, in order, the years from from to to (inclusive, China time) the calendar does not
// cover with a notice, so that the caller can log that those years are counted on a stand-in (the
// statutory holidays, provisional).
func (c *Calendar) MissingYears(from, to time.Time) []int {
	var out []int
	for y := from.In(China).Year(); y <= to.In(China).Year(); y++ {
		if !c.Covers(y) {
			out = append(out, y)
		}
	}
	return out
}

// IsWorkingDay reports whether the day containing t (in China time) is a working day: a listed workday
// (调休), else not a listed holiday and Monday to Friday.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	t = t.In(China)
	if y := c.effective(t.Year()); y != nil {
		d := t.Format(dateLayout)
		if slices.Contains(y.Workdays, d) {
			return true
		}
		if slices.Contains(y.Holidays, d) {
			return false
		}
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}
