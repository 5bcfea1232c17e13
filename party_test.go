package fengqiao

import (
	"testing"
	"time"
)

func TestCreditCodeCheckCharacterFollowsGB32100(t *testing.T) {
	for _, c := range []struct {
		code string
		ok   bool
	}{
		{"91350100M000100Y43", true},
		{"91110000600037341L", true},
		{"91350100M000100Y44", false}, // wrong check character
		{"91350100M000100Y4", false},  // too short
		{"91350100M000100I43", false}, // I is not in the alphabet
		{"913501A0M000100Y43", false}, // the division code is digits
	} {
		if got := ValidCreditCode(c.code); got != c.ok {
			t.Errorf("ValidCreditCode(%s) = %v, want %v", c.code, got, c.ok)
		}
	}
}

func TestIDNumberGivesGenderAndBirthDate(t *testing.T) {
	if g, b := GenderOfIDNumber("11010519491231002X"), BirthDateOfIDNumber("11010519491231002X"); g != GenderFemale || b != "1949-12-31" {
		t.Errorf("got %s %s", g, b)
	}
	if g := GenderOfIDNumber("123"); g != "" {
		t.Errorf("malformed number gave %q", g)
	}
	if ValidBirthDate("2999-01-01", time.Now()) || !ValidBirthDate("1980-02-29", time.Now()) || ValidBirthDate("1981-02-29", time.Now()) {
		t.Error("birth dates")
	}
}

func TestEthnicityIsOneOfTheFiftySix(t *testing.T) {
	if len(Ethnicities) != 56 {
		t.Fatalf("%d ethnic groups", len(Ethnicities))
	}
	if e, ok := NormalizeEthnicity("汉"); !ok || e != "汉族" {
		t.Errorf("汉 → %s %v", e, ok)
	}
	if _, ok := NormalizeEthnicity("火星族"); ok {
		t.Error("火星族 accepted")
	}
}
