package deadline_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"fengqiao"
	"fengqiao/deadline"
)

func TestDefaultPolicy(t *testing.T) {
	p := deadline.DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if p.AtRisk != 0.8 {
		t.Errorf("at_risk = %v, want 0.8", p.AtRisk)
	}
	tests := []struct {
		key  string
		got  deadline.Duration
		want string
	}{
		{"tiers.village", p.Tiers[fengqiao.TierVillage], "7d"},
		{"tiers.township", p.Tiers[fengqiao.TierTownship], "15d"},
		{"tiers.county", p.Tiers[fengqiao.TierCounty], "30d"},
		{"tiers.city", p.Tiers[fengqiao.TierCity], "30d"},
		{"acknowledge", p.Acknowledge, "2wd"},
		{"mediation", p.Mediation, "1mo"}, // NMR 27 "一个月", counted per 民法典 202
		{"confirmation.apply", p.Confirmation.Apply, "30d"},
		{"confirmation.accept", p.Confirmation.Accept, "3d"},
		{"confirmation.decide", p.Confirmation.Decide, "15d"},
		{"confirmation.decide_extension", p.Confirmation.DecideExtension, "10d"},
		{"petition.route", p.Petition.Route, "15d"},
		{"petition.handle", p.Petition.Handle, "60d"},
		{"petition.extend_max", p.Petition.ExtendMax, "30d"},
		{"petition.review_request", p.Petition.ReviewRequest, "30d"},
		{"petition.review_reply", p.Petition.ReviewReply, "30d"},
		{"performance_check", p.PerformanceCheck, "30d"},
		{"satisfaction", p.Satisfaction, "15d"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if tt.got.String() != tt.want {
				t.Fatalf("%s = %v, want %s", tt.key, tt.got, tt.want)
			}
		})
	}
	t.Run("version", func(t *testing.T) {
		if len(p.Version) != 12 || p.Version != p.Fingerprint() || p.Version != deadline.DefaultPolicy().Version {
			t.Fatalf("Version = %q, Fingerprint = %q", p.Version, p.Fingerprint())
		}
	})
}

func TestParsePolicy(t *testing.T) {
	def := deadline.DefaultPolicy()
	tests := []struct {
		name    string
		in      string
		check   func(t *testing.T, p deadline.Policy)
		wantErr string
	}{
		{name: "empty file is the default", in: "", check: func(t *testing.T, p deadline.Policy) {
			if !reflect.DeepEqual(p, def) {
				t.Fatalf("got %+v, want the default", p)
			}
		}},
		{name: "comments only", in: "# nothing\n", check: func(t *testing.T, p deadline.Policy) {
			if p.Version != def.Version {
				t.Fatal("not the default")
			}
		}},
		{name: "the API.md example is the default", in: apiExample, check: func(t *testing.T, p deadline.Policy) {
			if !reflect.DeepEqual(p, def) {
				t.Fatalf("got %+v, want the default", p)
			}
		}},
		{name: "demo policy in seconds keeps the rest", in: "tiers:\n  village: 30s\nconfirmation: {accept: 2m}\n", check: func(t *testing.T, p deadline.Policy) {
			if p.Tiers[fengqiao.TierVillage] != deadline.Fixed(30*time.Second) {
				t.Errorf("village = %v", p.Tiers[fengqiao.TierVillage])
			}
			if p.Tiers[fengqiao.TierTownship] != deadline.Days(15) {
				t.Errorf("township = %v, want the default 15d", p.Tiers[fengqiao.TierTownship])
			}
			if p.Confirmation.Accept != deadline.Fixed(2*time.Minute) || p.Confirmation.Decide != deadline.Days(15) {
				t.Errorf("confirmation = %+v", p.Confirmation)
			}
			if p.Version == def.Version || p.Version != p.Fingerprint() {
				t.Errorf("Version %q must change with the content and match Fingerprint", p.Version)
			}
		}},
		{name: "at_risk", in: "at_risk: 0.75\n", check: func(t *testing.T, p deadline.Policy) {
			if p.AtRisk != 0.75 {
				t.Fatalf("at_risk = %v", p.AtRisk)
			}
		}},
		{name: "empty section keeps defaults", in: "petition:\n", check: func(t *testing.T, p deadline.Policy) {
			if p.Petition != def.Petition {
				t.Fatal("petition changed")
			}
		}},
		{name: "unknown key", in: "mediaton: 30d\n", wantErr: "mediaton: unknown key"},
		{name: "unknown tier", in: "tiers:\n  grid: 1d\n", wantErr: "tiers.grid: unknown key (known here: village, township, county, city)"},
		{name: "unknown nested key", in: "petition: {handel: 60d}\n", wantErr: "petition.handel: unknown key"},
		{name: "version is not a key", in: "version: abc\n", wantErr: "version: unknown key"},
		{name: "bad duration", in: "tiers:\n  village: 7x\n", wantErr: `tiers.village: duration "7x"`},
		{name: "zero duration", in: "mediation: 0d\n", wantErr: "mediation: must be longer than zero"},
		{name: "number without unit", in: "satisfaction: 15\n", wantErr: "satisfaction: duration \"15\""},
		{name: "missing value", in: "petition:\n  route:\n", wantErr: "petition.route: line 2: want a value"},
		{name: "list value", in: "acknowledge: [2wd]\n", wantErr: "acknowledge: line 1: want a value"},
		{name: "at_risk 1", in: "at_risk: 1\n", wantErr: "at_risk: 1 is not between 0 and 1"},
		{name: "at_risk 0", in: "at_risk: 0\n", wantErr: "at_risk: 0 is not between"},
		{name: "at_risk percent", in: "at_risk: 80%\n", wantErr: `at_risk: "80%" is not a number`},
		{name: "at_risk NaN", in: "at_risk: .nan\n", wantErr: "at_risk"},
		{name: "section is a scalar", in: "tiers: 7d\n", wantErr: "tiers: line 1: want a mapping"},
		{name: "duplicate key", in: "tiers:\n  village: 7d\n  village: 8d\n", wantErr: "tiers.village: duplicate key"},
		{name: "top level list", in: "- 7d\n", wantErr: "policy: line 1: want a mapping"},
		{name: "invalid YAML", in: "tiers: {village: 7d\n", wantErr: "deadline: policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := deadline.ParsePolicy([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParsePolicy = %v; want error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePolicy: %v", err)
			}
			tt.check(t, p)
		})
	}
}

const apiExample = `tiers:                 # tier clock: time a case may stay at a tier before it escalates
  village: 7d
  township: 15d
  county: 30d
  city: 30d
at_risk: 0.8           # share of a deadline after which a case is at risk
acknowledge: 2wd       # a supervisor must acknowledge an escalated case within this
mediation: 1mo         # one mediation (NMR 27: one month); extendable on both parties' request
confirmation: {apply: 30d, accept: 3d, decide: 15d, decide_extension: 10d}
petition: {route: 15d, handle: 60d, extend_max: 30d, review_request: 30d, review_reply: 30d}
performance_check: 30d # after an agreement
satisfaction: 15d      # window for the party's rating after closure
`

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(p *deadline.Policy)
		wantErr []string
	}{
		{"default", func(*deadline.Policy) {}, nil},
		{"missing tier", func(p *deadline.Policy) { delete(p.Tiers, fengqiao.TierCity) }, []string{"tiers.city: must be longer than zero"}},
		{"extra tier", func(p *deadline.Policy) { p.Tiers[fengqiao.TierGrid] = deadline.Days(1) }, []string{"tiers.grid: no tier clock"}},
		{"two fields", func(p *deadline.Policy) { p.Mediation.Fixed = time.Hour }, []string{"mediation: days 0, working days 0, months 1"}},
		{"every problem named", func(p *deadline.Policy) {
			p.AtRisk = 0
			p.Petition.Handle = deadline.Duration{}
		}, []string{"at_risk", "petition.handle"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := deadline.DefaultPolicy()
			tt.edit(&p)
			err := p.Validate()
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestTierClock(t *testing.T) {
	p := deadline.DefaultPolicy()
	tests := []struct {
		tier   fengqiao.Tier
		want   deadline.Duration
		wantOK bool
	}{
		{fengqiao.TierVillage, deadline.Days(7), true},
		{fengqiao.TierTownship, deadline.Days(15), true},
		{fengqiao.TierCounty, deadline.Days(30), true},
		{fengqiao.TierCity, deadline.Days(30), true},
		{fengqiao.TierGrid, deadline.Duration{}, false},
		{fengqiao.TierCourt, deadline.Duration{}, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.tier), func(t *testing.T) {
			got, ok := p.TierClock(tt.tier)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("TierClock(%s) = %v, %v; want %v, %v", tt.tier, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestPolicyJSON(t *testing.T) {
	p, err := deadline.ParsePolicy([]byte("tiers: {village: 30s}\nacknowledge: 1m\n"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"village":"30s"`) {
		t.Errorf("JSON %s does not hold durations as strings", data)
	}
	var back deadline.Policy
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, back) {
		t.Fatalf("JSON round trip: got %+v, want %+v", back, p)
	}
}

func TestPolicyYAML(t *testing.T) {
	p, err := deadline.ParsePolicy([]byte("tiers: {county: 2wd}\nat_risk: 0.7\n"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := yaml.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := deadline.ParsePolicy(data)
	if err != nil {
		t.Fatalf("ParsePolicy of the marshalled policy: %v\n%s", err, data)
	}
	if !reflect.DeepEqual(p, back) {
		t.Fatalf("YAML round trip: got %+v, want %+v\n%s", back, p, data)
	}
}

func TestLoadPolicy(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(good, []byte("mediation: 45d\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("mediation: soon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		want    deadline.Duration
		wantErr string
	}{
		{"no file is the default", "", deadline.Months(1), ""},
		{"file", good, deadline.Days(45), ""},
		{"bad file names the file and the key", bad, deadline.Duration{}, "bad.yaml: deadline: policy: mediation:"},
		{"missing file", filepath.Join(dir, "nope.yaml"), deadline.Duration{}, "nope.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := deadline.LoadPolicy(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("LoadPolicy = %v; want error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || p.Mediation != tt.want {
				t.Fatalf("LoadPolicy = %v (mediation %v), want mediation %v", err, p.Mediation, tt.want)
			}
		})
	}
}
