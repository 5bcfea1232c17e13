package fengqiao

import "testing"

func TestValidIDNumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"11010519491231002X", true},  // GB 11643 standard example
		{"11010519491231002x", true},  // lower-case check character
		{"110105194912310021", false}, // wrong check digit
		{"11010519491331002X", false}, // month 13
		{"1101051949123100", false},   // too short
		{"A1010519491231002X", false}, // letter in body
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ValidIDNumber(tt.in); got != tt.want {
				t.Fatalf("ValidIDNumber(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidPhone(t *testing.T) {
	for in, want := range map[string]bool{
		"13912345678": true, "19912345678": true, "12912345678": false, "1391234567": false,
		"0574-87654321": true, "057487654321": true, "0574-876": false, "abc": false,
	} {
		if got := ValidPhone(in); got != want {
			t.Errorf("ValidPhone(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestMasks(t *testing.T) {
	if got := MaskIDNumber("33020319800101001X"); got != "3302**********001X" {
		t.Errorf("MaskIDNumber = %q", got)
	}
	if got := MaskPhone("13912345678"); got != "139****5678" {
		t.Errorf("MaskPhone = %q", got)
	}
}

func TestTierParents(t *testing.T) {
	if !TierVillage.CanHangUnder(TierTownship) || TierVillage.CanHangUnder(TierCounty) {
		t.Fatal("a village hangs under a township only")
	}
	if !TierCourt.CanHangUnder(TierCounty) || !TierCourt.CanHangUnder(TierCity) || TierCourt.CanHangUnder(TierTownship) {
		t.Fatal("a court hangs under a county or a city")
	}
	if len(TierCity.ParentTiers()) != 0 {
		t.Fatal("a city is a root")
	}
}

func FuzzValidIDNumber(f *testing.F) {
	f.Add("11010519491231002X")
	f.Add("33020319800101001X")
	f.Fuzz(func(t *testing.T, s string) {
		if ValidIDNumber(s) {
			if len(s) != 18 {
				t.Fatalf("accepted %q of length %d", s, len(s))
			}
			if m := MaskIDNumber(s); len(m) != 18 || m[4:14] != "**********" {
				t.Fatalf("mask of %q = %q", s, m)
			}
		}
	})
}
