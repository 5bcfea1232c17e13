package deadline_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"fengqiao/deadline"
)

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"7d", "2wd", "30s", "2m", "1h30m", "0d", "", "-1d", "1.5h", "36600wd", "99999999999d", "1d2h", "wd", " 3d "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := deadline.ParseDuration(s)
		if err != nil {
			return
		}
		back, err := deadline.ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDuration(%q) = %#v; ParseDuration(%q) = %#v, %v", s, d, d.String(), back, err)
		}
		var fromJSON deadline.Duration
		data, _ := json.Marshal(d)
		if err := json.Unmarshal(data, &fromJSON); err != nil || fromJSON != d {
			t.Fatalf("JSON round trip of %#v: %#v, %v", d, fromJSON, err)
		}
		if d.IsZero() != (d.Validate() != nil) {
			t.Fatalf("%#v: IsZero %v but Validate %v", d, d.IsZero(), d.Validate())
		}
		// Due must terminate and never run backwards.
		start := time.Date(2026, 2, 13, 10, 0, 0, 0, deadline.China)
		if due := deadline.DefaultCalendar().Due(start, d); due.Before(start) {
			t.Fatalf("Due(%v) = %v is before the start", d, due)
		}
	})
}

func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{
		"", apiExample, "tiers:\n  village: 30s\n", "at_risk: 0.5\n", "tiers: 7d\n", "- 1\n", "a: &x 1\nb: *x\n",
		"petition: {route: 1m, handle: 2m}\n", "tiers: {grid: 1d}\n", "at_risk: .inf\n", "<<: {mediation: 1d}\n",
		apiRouting, "routing:\n  - {match: {category: [labour, wage_arrears], parties: 2}, to: {type: committee, tier: township}, then: {type: arbitration}}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := deadline.ParsePolicy(data)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePolicy accepted an invalid policy: %v", err)
		}
		if p.Version != p.Fingerprint() {
			t.Fatalf("Version %q != Fingerprint %q", p.Version, p.Fingerprint())
		}
		j, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back deadline.Policy
		if err := json.Unmarshal(j, &back); err != nil || !reflect.DeepEqual(back, p) {
			t.Fatalf("JSON round trip: %v", err)
		}
	})
}

func FuzzParseCalendar(f *testing.F) {
	shipped, err := os.ReadFile("cn-holidays.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		string(shipped), "", "2030:\n  holidays: [2030-01-01..2030-12-31]\n", "2030:\n  holidays: [2030-02-05..2030-02-02]\n",
		"0:\n  holidays: [0000-01-01]\n", "9999:\n  holidays: [9999-12-31]\n  workdays: [9999-12-25]\n", "x: &a [1]\ny: *a\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := deadline.ParseCalendar(data)
		if err != nil {
			return
		}
		for _, y := range c.Years {
			if !c.Covers(y.Year) {
				t.Fatalf("Covers(%d) = false for a parsed year", y.Year)
			}
			for _, h := range y.Holidays {
				d, err := time.ParseInLocation("2006-01-02", h, deadline.China)
				if err != nil {
					t.Fatalf("holiday %q: %v", h, err)
				}
				if c.IsWorkingDay(d) {
					t.Fatalf("holiday %s is a working day", h)
				}
			}
			for _, w := range y.Workdays {
				d, err := time.ParseInLocation("2006-01-02", w, deadline.China)
				if err != nil || !c.IsWorkingDay(d) {
					t.Fatalf("workday %s: %v, working %v", w, err, err == nil && c.IsWorkingDay(d))
				}
			}
		}
		j, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back deadline.Calendar
		if err := json.Unmarshal(j, &back); err != nil || !reflect.DeepEqual(back, *c) {
			t.Fatalf("JSON round trip: %v", err)
		}
	})
}
