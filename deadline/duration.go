package deadline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// MaxDays is the largest number of calendar or working days a Duration may hold (about a century). It
// bounds the day-by-day counting in Calendar.Due, which runs inside workflow code.
const MaxDays = 36600

// Duration is a legal or configured period. Exactly one field is set:
//   - Days: calendar days (日), counted by the rules of 民法典 第二百零一条、第二百零三条 — see Calendar.Due;
//   - WorkingDays: working days (工作日) on the holiday calendar;
//   - Months: months (月), ending on the same-numbered day of the end month or, if it has none, on its
//     last day (民法典 第二百零二条) — see Calendar.Due;
//   - Fixed: an exact span of time, for demos and tests ("30s", "2m").
//
// The zero Duration is "no time at all" (IsZero). Its text form is what ParseDuration reads: "7d", "2wd",
// "1mo", "1h30m0s"; it marshals to and from JSON and YAML as that string.
type Duration struct {
	// Days is a number of calendar days (日).
	Days int
	// WorkingDays is a number of working days (工作日) on the Calendar.
	WorkingDays int
	// Months is a number of months (月).
	Months int
	// Fixed is an exact span of time.
	Fixed time.Duration
}

// MaxMonths is the largest number of months a Duration may hold (a century).
const MaxMonths = 1200

// Months returns a Duration of n months.
func Months(n int) Duration { return Duration{Months: n} }

// Days returns a Duration of n calendar days.
func Days(n int) Duration { return Duration{Days: n} }

// WorkingDays returns a Duration of n working days.
func WorkingDays(n int) Duration { return Duration{WorkingDays: n} }

// Fixed returns a Duration of exactly d.
func Fixed(d time.Duration) Duration { return Duration{Fixed: d} }

// ParseDuration reads "Nd" (N calendar days), "Nwd" (N working days), "Nmo" (N months) or a Go duration such as "30s", "2m"
// or "1h30m". N is a decimal number from 0 to MaxDays; negative durations are refused. Surrounding spaces
// are ignored.
func ParseDuration(s string) (Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Duration{}, errors.New("empty duration: want Nd (calendar days), Nwd (working days), Nmo (months) or a Go duration such as 30s")
	}
	if n, ok := strings.CutSuffix(t, "wd"); ok && isDigits(n) {
		v, err := parseDayCount(n)
		if err != nil {
			return Duration{}, fmt.Errorf("duration %q: %w", s, err)
		}
		return Duration{WorkingDays: v}, nil
	}
	if n, ok := strings.CutSuffix(t, "mo"); ok && isDigits(n) {
		v, err := strconv.Atoi(n)
		if err != nil || v > MaxMonths {
			return Duration{}, fmt.Errorf("duration %q: at most %d months", s, MaxMonths)
		}
		return Duration{Months: v}, nil
	}
	if n, ok := strings.CutSuffix(t, "d"); ok && isDigits(n) {
		v, err := parseDayCount(n)
		if err != nil {
			return Duration{}, fmt.Errorf("duration %q: %w", s, err)
		}
		return Duration{Days: v}, nil
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return Duration{}, fmt.Errorf("duration %q: want Nd (calendar days), Nwd (working days), Nmo (months) or a Go duration such as 30s, 2m, 1h30m: %w", s, err)
	}
	if d < 0 {
		return Duration{}, fmt.Errorf("duration %q: must not be negative", s)
	}
	return Duration{Fixed: d}, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func parseDayCount(s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v > MaxDays {
		return 0, fmt.Errorf("at most %d days", MaxDays)
	}
	return v, nil
}

// IsZero reports whether d is no time at all.
func (d Duration) IsZero() bool { return d == Duration{} }

// String is the text form ParseDuration reads back: "7d", "2wd", "1mo", or the Go duration ("1h30m0s", "0s" for
// the zero Duration).
func (d Duration) String() string {
	switch {
	case d.Days != 0:
		return strconv.Itoa(d.Days) + "d"
	case d.WorkingDays != 0:
		return strconv.Itoa(d.WorkingDays) + "wd"
	case d.Months != 0:
		return strconv.Itoa(d.Months) + "mo"
	}
	return d.Fixed.String()
}

// Chinese is the period as a notice or a stored reason writes it: "90日", "5个工作日", "3个月", a fixed span
// in whole days, hours or minutes. (Pages render periods per language from their catalogue.)
func (d Duration) Chinese() string {
	switch {
	case d.Days != 0:
		return strconv.Itoa(d.Days) + "日"
	case d.WorkingDays != 0:
		return strconv.Itoa(d.WorkingDays) + "个工作日"
	case d.Months != 0:
		return strconv.Itoa(d.Months) + "个月"
	case d.Fixed%(24*time.Hour) == 0 && d.Fixed != 0:
		return strconv.Itoa(int(d.Fixed/(24*time.Hour))) + "日"
	case d.Fixed%time.Hour == 0 && d.Fixed != 0:
		return strconv.Itoa(int(d.Fixed/time.Hour)) + "小时"
	}
	return strconv.Itoa(int(d.Fixed/time.Minute)) + "分钟"
}

// Validate reports whether d is usable as a deadline: exactly one field set, positive, at most MaxDays
// (MaxMonths).
func (d Duration) Validate() error {
	set := 0
	if d.Days != 0 {
		set++
	}
	if d.WorkingDays != 0 {
		set++
	}
	if d.Months != 0 {
		set++
	}
	if d.Fixed != 0 {
		set++
	}
	switch {
	case set == 0:
		return errors.New("must be longer than zero")
	case set > 1:
		return fmt.Errorf("days %d, working days %d, months %d and fixed %s: set exactly one", d.Days, d.WorkingDays, d.Months, d.Fixed)
	case d.Days < 0 || d.WorkingDays < 0 || d.Months < 0 || d.Fixed < 0:
		return fmt.Errorf("%s: must not be negative", d)
	case d.Days > MaxDays || d.WorkingDays > MaxDays:
		return fmt.Errorf("%s: at most %d days", d, MaxDays)
	case d.Months > MaxMonths:
		return fmt.Errorf("%s: at most %d months", d, MaxMonths)
	}
	return nil
}

// MarshalText writes the String form; JSON uses it too.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads the ParseDuration form; JSON uses it too.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalYAML writes the String form.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalYAML reads the ParseDuration form from a scalar.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a duration such as 7d, 2wd, 1mo or 30s", n.Line)
	}
	return d.UnmarshalText([]byte(n.Value))
}
