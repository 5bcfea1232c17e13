package cases_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/cases"
)

// TestValidateCalendarNamesTheEntryAndTheDate: each mistake of a notice is a field error on the entry
// that makes it, naming the date; a good notice comes back with its ranges expanded and sorted.
func TestValidateCalendarNamesTheEntryAndTheDate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    cases.CalendarInput
		field string
		date  string
	}{
		{"a date twice", cases.CalendarInput{Holidays: []string{"2028-01-01", "2028-01-01"}}, "holidays[1]", "2028-01-01"},
		{"a date outside the year", cases.CalendarInput{Holidays: []string{"2027-12-31"}}, "holidays[0]", "2027-12-31"},
		{"a 调休 working day that is a weekday", cases.CalendarInput{Holidays: []string{"2028-01-01"}, Workdays: []string{"2028-01-03"}}, "workdays[0]", "2028-01-03"},
		{"a working day that is also a holiday", cases.CalendarInput{Holidays: []string{"2028-01-01..2028-01-02"}, Workdays: []string{"2028-01-02"}}, "workdays[0]", "2028-01-02"},
		{"a bad date", cases.CalendarInput{Holidays: []string{"2028-13-01"}}, "holidays[0]", "2028-13-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cases.ValidateCalendar(2028, tc.in)
			var fe *fengqiao.Error
			if !errors.As(err, &fe) || fe.Code != fengqiao.ECodeInvalid {
				t.Fatalf("err = %v, want validation_failed", err)
			}
			for _, f := range fe.Fields {
				if f.Field == tc.field && strings.Contains(f.Message, tc.date) {
					return
				}
			}
			t.Fatalf("fields %+v, want %s naming %s", fe.Fields, tc.field, tc.date)
		})
	}
	y, err := cases.ValidateCalendar(2028, cases.CalendarInput{Holidays: []string{"2028-01-25..2028-01-27", "2028-01-01"}, Workdays: []string{"2028-01-29"}})
	if err != nil || !slices.Equal(y.Holidays, []string{"2028-01-01", "2028-01-25", "2028-01-26", "2028-01-27"}) || !slices.Equal(y.Workdays, []string{"2028-01-29"}) {
		t.Fatalf("good notice: %+v, %v", y, err)
	}
}

// TestParseCalendarTextReadsYAMLAndCSV: the shared calendar file's YAML (with or without the year key)
// and a CSV of date,kind give the same lists; a YAML for another year is refused.
func TestParseCalendarTextReadsYAMLAndCSV(t *testing.T) {
	want := cases.CalendarInput{Holidays: []string{"2028-01-01", "2028-01-25..2028-01-27"}, Workdays: []string{"2028-01-29"}}
	for name, text := range map[string]string{
		"yaml with year":    "2028:\n  holidays:\n    - 2028-01-01   # 元旦\n    - 2028-01-25..2028-01-27\n  workdays: [2028-01-29]\n",
		"yaml without year": "holidays: [2028-01-01, 2028-01-25..2028-01-27]\nworkdays: [2028-01-29]\n",
		"csv":               "date,kind\n2028-01-01,holiday\n2028-01-25..2028-01-27,假\n2028-01-29,班\n",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := cases.ParseCalendarText(2028, text)
			if err != nil || !slices.Equal(got.Holidays, want.Holidays) || !slices.Equal(got.Workdays, want.Workdays) {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
	}
	if _, err := cases.ParseCalendarText(2028, "2029:\n  holidays: [2029-01-01]\n"); err == nil {
		t.Fatal("a notice for 2029 was read as 2028's")
	}
}
