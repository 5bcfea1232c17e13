package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"fengqiao"

	"github.com/gin-gonic/gin"
)

// maxBody is the largest request body accepted (API.md: over 1 MiB → 413).
const maxBody = 1 << 20

// decode reads the request body as strict JSON into v: a body over 1 MiB is request_too_large (413), a
// body that is not JSON is malformed_request (400), and an unknown field or a value of the wrong type is
// validation_failed (422) naming the field.
func decode(c *gin.Context, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fengqiao.Errorf(fengqiao.ECodeTooLarge, "the request body is larger than %d bytes", maxBody)
		}
		return fengqiao.Errorf(fengqiao.ECodeMalformed, "the request body could not be read")
	}
	return decodeBytes(body, v)
}

// decodeBytes decodes body as strict JSON into v, with decode's errors.
func decodeBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fengqiao.Errorf(fengqiao.ECodeMalformed, "the request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return fengqiao.Errorf(fengqiao.ECodeMalformed, "the request body holds more than one JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fengqiao.Errorf(fengqiao.ECodeMalformed, "malformed JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fengqiao.Errorf(fengqiao.ECodeMalformed, "malformed JSON: the body ends too early")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return fengqiao.Errorf(fengqiao.ECodeMalformed, "the request body must be a JSON object")
		}
		msg := fmt.Sprintf("must be a %s, not a JSON %s", typ.Type.String(), typ.Value)
		return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: field + " " + msg,
			Fields: []fengqiao.FieldError{{Field: field, Message: msg}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "unknown field " + field,
			Fields: []fengqiao.FieldError{{Field: field, Message: "is not a field of this request"}}}
	}
	return fengqiao.Errorf(fengqiao.ECodeMalformed, "malformed JSON: %s", err.Error())
}
