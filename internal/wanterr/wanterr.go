// Package wanterr holds the test assertions on *fengqiao.Error that every package's tests share.
package wanterr

import (
	"errors"
	"testing"

	"fengqiao"
)

// Code fails t unless err is a *fengqiao.Error with code, and returns it.
func Code(t testing.TB, err error, code fengqiao.Code) *fengqiao.Error {
	t.Helper()
	var fe *fengqiao.Error
	if !errors.As(err, &fe) || fe.Code != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	return fe
}

// Field fails t unless err is a validation error naming field.
func Field(t testing.TB, err error, field string) {
	t.Helper()
	fe := Code(t, err, fengqiao.ECodeInvalid)
	for _, f := range fe.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("want field %s in %+v", field, fe.Fields)
}
