package fengqiao

import (
	"strings"
	"time"
)

// ValidIDNumber reports whether s is a well-formed 18-digit resident identity number (GB 11643-1999):
// 17 digits, a valid birth date, and the ISO 7064 MOD 11-2 check character (0-9 or X).
func ValidIDNumber(s string) bool {
	if len(s) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	if _, err := time.Parse("20060102", s[6:14]); err != nil {
		return false
	}
	check := "10X98765432"[sum%11]
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	return last == check
}

// NormalizeIDNumber upper-cases a trailing x so that equal numbers compare equal.
func NormalizeIDNumber(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ValidPhone reports whether s is a mainland mobile number (11 digits starting 13-19) or a fixed line
// with area code (0 + 2-3 digit area code + 7-8 digits, an optional hyphen after the area code).
func ValidPhone(s string) bool {
	if len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' {
		return allDigits(s)
	}
	if strings.HasPrefix(s, "0") {
		d := strings.Replace(s, "-", "", 1)
		return allDigits(d) && len(d) >= 10 && len(d) <= 12
	}
	return false
}

// MaskIDNumber shows the first four and last four characters: 3302**********001X.
func MaskIDNumber(s string) string {
	if len(s) < 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}

// MaskPhone shows the first three and last four digits: 139****5678.
func MaskPhone(s string) string {
	if len(s) < 7 {
		return strings.Repeat("*", len(s))
	}
	return s[:3] + strings.Repeat("*", len(s)-7) + s[len(s)-4:]
}

// ValidNodeCode reports whether s can be a node code: 2 to 32 characters of digits, ASCII letters,
// hyphens and underscores (division codes are digits; grids and courts may carry local codes).
func ValidNodeCode(s string) bool {
	if len(s) < 2 || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
