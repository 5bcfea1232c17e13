package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"fengqiao"
	"fengqiao/store"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
)

// StatusOf is the one place where an error code becomes an HTTP status (the web pages use it too).
func StatusOf(code fengqiao.Code) int {
	switch code {
	case fengqiao.ECodeInvalid, fengqiao.ECodeFinalAfterReview, fengqiao.ECodeIdempotency:
		return http.StatusUnprocessableEntity
	case fengqiao.ECodeMalformed:
		return http.StatusBadRequest
	case fengqiao.ECodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case fengqiao.ECodeUnauthenticated:
		return http.StatusUnauthorized
	case fengqiao.ECodeForbidden:
		return http.StatusForbidden
	case fengqiao.ECodeNotFound:
		return http.StatusNotFound
	case fengqiao.ECodeConflict, fengqiao.ECodeDuplicateCase, fengqiao.ECodeNotAllowed, fengqiao.ECodeTierSkip:
		return http.StatusConflict
	case fengqiao.ECodeRateLimited:
		return http.StatusTooManyRequests
	case fengqiao.ECodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail answers with err as a problem document and stops the request.
func (s *Server) fail(c *gin.Context, err error) {
	status, body := s.problem(c, err)
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "5")
	}
	if status == http.StatusTooManyRequests && c.Writer.Header().Get("Retry-After") == "" {
		c.Header("Retry-After", "60")
	}
	data, _ := json.Marshal(body)
	c.Data(status, "application/problem+json", data)
	c.Abort()
}

// problem turns err into an HTTP status and an RFC 9457 problem document. A *fengqiao.Error is shown as
// it is; anything else is logged with the request's route and shown as a bare 500, never its text.
func (s *Server) problem(c *gin.Context, err error) (int, gin.H) {
	var fe *fengqiao.Error
	switch {
	case errors.As(err, &fe):
	case store.IsUnavailable(err), errors.As(err, new(*serviceerror.Unavailable)):
		s.log.WarnContext(c.Request.Context(), "database unavailable", "route", c.FullPath(), "error", err)
		fe = errUnavailable
	default:
		s.log.ErrorContext(c.Request.Context(), "request failed", "route", c.FullPath(), "method", c.Request.Method, "error", err)
		fe = &fengqiao.Error{Code: fengqiao.ECodeInternal, Message: "an internal error occurred; it has been logged"}
	}
	status := StatusOf(fe.Code)
	body := gin.H{
		"type":   "https://fengqiao.dev/problems/" + string(fe.Code),
		"title":  http.StatusText(status),
		"status": status,
		"detail": fe.Message,
		"code":   fe.Code,
	}
	if len(fe.Fields) > 0 {
		body["fields"] = fe.Fields
	}
	for k, v := range fe.Details {
		if _, taken := body[k]; !taken {
			body[k] = v
		}
	}
	return status, body
}
