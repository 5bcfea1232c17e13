package fengqiao

import (
	"errors"
	"fmt"
	"time"
)

// Code is a stable, machine-readable error code that clients may switch on.
type Code string

// The error codes. The HTTP layer maps each to a status in exactly one place.
const (
	ECodeInvalid          Code = "validation_failed"    // 400/422: bad input, see Fields
	ECodeMalformed        Code = "malformed_request"    // 400: body is not JSON of the right shape
	ECodeTooLarge         Code = "request_too_large"    // 413
	ECodeUnauthenticated  Code = "unauthenticated"      // 401
	ECodeForbidden        Code = "forbidden"            // 403
	ECodeNotFound         Code = "not_found"            // 404
	ECodeConflict         Code = "conflict"             // 409
	ECodeDuplicateCase    Code = "duplicate_open_case"  // 409: the matter already has an open case
	ECodeNotAllowed       Code = "not_allowed_in_state" // 409: the action does not fit the case now
	ECodeTierSkip         Code = "tier_skip_refused"    // 409: rule 2, one tier at a time
	ECodeFinalAfterReview Code = "final_after_review"   // 422: XGTL 36
	ECodeIdempotency      Code = "idempotency_key_reused"
	ECodeMethod           Code = "method_not_allowed" // 405: see the Allow header
	ECodeTimeout          Code = "request_timeout"    // 408: the body did not arrive in time
	ECodeRateLimited      Code = "rate_limited"       // 429
	ECodeUnavailable      Code = "unavailable"        // 503
	ECodeInternal         Code = "internal_error"     // 500
)

// FieldError names one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Format and Args are Message before it was formatted: its English format string (the msgid a page
	// looks its reader's language up by) and the values it names, as Texts renders them.
	Format string   `json:"-"`
	Args   []string `json:"-"`
}

// Error is a domain error: a stable code, a message fit for the client, optional field errors and
// details (e.g. the existing case's id). Internal causes stay out of it; wrap them with %w elsewhere.
type Error struct {
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Fields  []FieldError      `json:"fields,omitempty"`
	Details map[string]string `json:"details,omitempty"`
	// Format and Args are Message before it was formatted (see FieldError): a page shows the message
	// in its reader's language, the API keeps Message in English.
	Format string   `json:"-"`
	Args   []string `json:"-"`
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: Texts(args...)}
}

// FieldErrorf is the FieldError of field with a formatted message (Format and Args kept).
func FieldErrorf(field, format string, args ...any) FieldError {
	return FieldError{Field: field, Message: fmt.Sprintf(format, args...), Format: format, Args: Texts(args...)}
}

// Texts are a message's arguments as text: a time in RFC 3339 (a page shows it as a day), anything
// else as fmt prints it.
func Texts(args ...any) []string {
	if len(args) == 0 {
		return nil
	}
	out := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			out[i] = v.Format(time.RFC3339)
		case string:
			out[i] = v
		default:
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}

// ErrorCode returns the code of the first *Error in err's chain, ECodeInternal for any other error, and
// "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ECodeInternal
}

// Validation collects field errors; Err returns nil when there are none.
type Validation struct {
	fields []FieldError
}

// Add records that field is invalid.
func (v *Validation) Add(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...), Format: format, Args: Texts(args...)})
}

// Check records the field error when ok is false.
func (v *Validation) Check(ok bool, field, format string, args ...any) {
	if !ok {
		v.Add(field, format, args...)
	}
}

// Err returns a validation_failed *Error listing the fields, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: ECodeInvalid, Message: "the request has invalid fields: " + v.fields[0].Field + " " + v.fields[0].Message, Fields: v.fields}
}
