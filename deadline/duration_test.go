package deadline_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"fengqiao/deadline"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    deadline.Duration
		wantErr string // substring; "" means no error
	}{
		{in: "7d", want: deadline.Days(7)},
		{in: "30d", want: deadline.Days(30)},
		{in: "2wd", want: deadline.WorkingDays(2)},
		{in: " 15d ", want: deadline.Days(15)},
		{in: "30s", want: deadline.Fixed(30 * time.Second)},
		{in: "2m", want: deadline.Fixed(2 * time.Minute)},
		{in: "1h30m", want: deadline.Fixed(90 * time.Minute)},
		{in: "0d", want: deadline.Duration{}},
		{in: "36600d", want: deadline.Days(36600)},
		{in: "", wantErr: "empty duration"},
		{in: "7", wantErr: "want Nd"},
		{in: "7x", wantErr: "want Nd"},
		{in: "1.5d", wantErr: "want Nd"},
		{in: "d", wantErr: "want Nd"},
		{in: "wd", wantErr: "want Nd"},
		{in: "-7d", wantErr: "want Nd"},
		{in: "+7d", wantErr: "want Nd"},
		{in: "-5s", wantErr: "must not be negative"},
		{in: "36601d", wantErr: "at most 36600 days"},
		{in: "99999999999999999999999wd", wantErr: "at most 36600 days"},
		{in: "1d2h", wantErr: "want Nd"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := deadline.ParseDuration(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDuration(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDuration(%q) = %#v, %v; want %#v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDurationString(t *testing.T) {
	tests := []struct {
		d    deadline.Duration
		want string
	}{
		{deadline.Days(7), "7d"},
		{deadline.WorkingDays(2), "2wd"},
		{deadline.Fixed(90 * time.Second), "1m30s"},
		{deadline.Duration{}, "0s"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.d.String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
			back, err := deadline.ParseDuration(tt.d.String())
			if err != nil || back != tt.d {
				t.Fatalf("ParseDuration(String()) = %#v, %v; want %#v", back, err, tt.d)
			}
		})
	}
}

func TestDurationValidate(t *testing.T) {
	tests := []struct {
		name    string
		d       deadline.Duration
		wantErr string
	}{
		{"days", deadline.Days(1), ""},
		{"working days", deadline.WorkingDays(1), ""},
		{"fixed", deadline.Fixed(time.Second), ""},
		{"zero", deadline.Duration{}, "longer than zero"},
		{"two fields", deadline.Duration{Days: 1, Fixed: time.Second}, "exactly one"},
		{"negative", deadline.Days(-1), "negative"},
		{"too long", deadline.WorkingDays(deadline.MaxDays + 1), "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.Validate()
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Validate() = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestDurationMarshal(t *testing.T) {
	type doc struct {
		D deadline.Duration `json:"d" yaml:"d"`
	}
	for _, d := range []deadline.Duration{deadline.Days(7), deadline.WorkingDays(2), deadline.Fixed(30 * time.Second)} {
		t.Run(d.String(), func(t *testing.T) {
			j, err := json.Marshal(doc{d})
			if err != nil {
				t.Fatal(err)
			}
			if want := `{"d":"` + d.String() + `"}`; string(j) != want {
				t.Fatalf("JSON = %s, want %s", j, want)
			}
			var fromJSON doc
			if err := json.Unmarshal(j, &fromJSON); err != nil || fromJSON.D != d {
				t.Fatalf("JSON round trip = %#v, %v", fromJSON.D, err)
			}
			y, err := yaml.Marshal(doc{d})
			if err != nil {
				t.Fatal(err)
			}
			if want := "d: " + d.String() + "\n"; string(y) != want {
				t.Fatalf("YAML = %q, want %q", y, want)
			}
			var fromYAML doc
			if err := yaml.Unmarshal(y, &fromYAML); err != nil || fromYAML.D != d {
				t.Fatalf("YAML round trip = %#v, %v", fromYAML.D, err)
			}
		})
	}
	t.Run("bad JSON", func(t *testing.T) {
		var v doc
		if err := json.Unmarshal([]byte(`{"d":"7x"}`), &v); err == nil {
			t.Fatal("want error")
		}
	})
	t.Run("YAML list", func(t *testing.T) {
		var v doc
		if err := yaml.Unmarshal([]byte("d: [7d]\n"), &v); err == nil {
			t.Fatal("want error")
		}
	})
}

// TestDurationChinese: a period stored in a reason reads as 矛调中心 staff write it, never "2160h0m0s".
func TestDurationChinese(t *testing.T) {
	for _, tc := range []struct {
		d    deadline.Duration
		want string
	}{
		{deadline.Duration{Days: 90}, "90日"}, {deadline.Duration{WorkingDays: 5}, "5个工作日"}, {deadline.Duration{Months: 3}, "3个月"},
		{deadline.Duration{Fixed: 2160 * time.Hour}, "90日"}, {deadline.Duration{Fixed: 3 * time.Hour}, "3小时"},
		{deadline.Duration{Fixed: 2 * time.Minute}, "2分钟"},
	} {
		if got := tc.d.Chinese(); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.d, got, tc.want)
		}
	}
}
