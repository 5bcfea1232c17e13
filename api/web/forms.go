package web

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/deadline"
)

// decodeForm fills the argument struct dst (a pointer from workflows.NewArgs) from the form by its
// fields' JSON names: strings as they are, booleans from checkboxes, whole numbers, and datetime-local
// inputs read in China time. A value that does not parse is a field error.
func decodeForm(form url.Values, dst any) error {
	rv := reflect.ValueOf(dst).Elem()
	rt := rv.Type()
	var v fengqiao.Validation
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		raw := strings.TrimSpace(form.Get(name))
		fv := rv.Field(i)
		switch {
		case f.Type == reflect.TypeOf(time.Time{}):
			if raw == "" {
				continue
			}
			t, err := time.ParseInLocation("2006-01-02T15:04", raw, deadline.China)
			if err != nil {
				v.Add(name, "must be a date and time")
				continue
			}
			fv.Set(reflect.ValueOf(t))
		case fv.Kind() == reflect.String:
			fv.SetString(raw)
		case fv.Kind() == reflect.Bool:
			fv.SetBool(raw == "true" || raw == "on" || raw == "1")
		case fv.Kind() == reflect.Int:
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				v.Add(name, "must be a whole number")
				continue
			}
			fv.SetInt(int64(n))
		}
	}
	return v.Err()
}
