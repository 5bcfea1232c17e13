package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"fengqiao"
	"fengqiao/store"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// statuses maps each error code to its HTTP status; any other code is 500.
var statuses = map[fengqiao.Code]int{
	fengqiao.ECodeInvalid:          http.StatusUnprocessableEntity,
	fengqiao.ECodeFinalAfterReview: http.StatusUnprocessableEntity,
	fengqiao.ECodeIdempotency:      http.StatusUnprocessableEntity,
	fengqiao.ECodeMalformed:        http.StatusBadRequest,
	fengqiao.ECodeTooLarge:         http.StatusRequestEntityTooLarge,
	fengqiao.ECodeUnauthenticated:  http.StatusUnauthorized,
	fengqiao.ECodeForbidden:        http.StatusForbidden,
	fengqiao.ECodeNotFound:         http.StatusNotFound,
	fengqiao.ECodeConflict:         http.StatusConflict,
	fengqiao.ECodeDuplicateCase:    http.StatusConflict,
	fengqiao.ECodeNotAllowed:       http.StatusConflict,
	fengqiao.ECodeTierSkip:         http.StatusConflict,
	fengqiao.ECodeRateLimited:      http.StatusTooManyRequests,
	fengqiao.ECodeMethod:           http.StatusMethodNotAllowed,
	fengqiao.ECodeTimeout:          http.StatusRequestTimeout,
	fengqiao.ECodeUnavailable:      http.StatusServiceUnavailable,
}

// StatusOf is the one place where an error code becomes an HTTP status (the web pages use it too).
func StatusOf(code fengqiao.Code) int {
	if status, ok := statuses[code]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// Classify is the one place where an error becomes what a client is told, for the API and the pages
// alike: a *fengqiao.Error as it is; a database or Temporal outage as unavailable (503); anything else
// logged with the request and shown as a bare internal error, never its text. It also sets the
// Retry-After header a 503 or a 429 needs.
func Classify(log *slog.Logger, w http.ResponseWriter, r *http.Request, err error) (*fengqiao.Error, int) {
	var fe *fengqiao.Error
	switch {
	case errors.As(err, &fe):
	case store.IsUnavailable(err), engineUnavailable(r, err):
		log.WarnContext(r.Context(), "backing service unavailable", "path", r.URL.Path, "error", err)
		fe = errUnavailable
	default:
		log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "method", r.Method, "error", err)
		fe = &fengqiao.Error{Code: fengqiao.ECodeInternal, Message: "an internal error occurred; it has been logged"}
	}
	status := StatusOf(fe.Code)
	switch status {
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "5")
	case http.StatusTooManyRequests:
		if after := fe.Details["retry_after"]; after != "" {
			w.Header().Set("Retry-After", after)
		} else if w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", "60")
		}
	}
	return fe, status
}

// engineUnavailable reports whether err means the workflow engine could not do the work for now: it is
// down or restarting (Unavailable), overloaded (ResourceExhausted), or did not answer within the time
// the server gives it while the request itself was still waiting — as when its own database is down.
// The namespace the server runs in reported "not found" is the same outage: the engine's frontend
// cannot read its namespace registry while its database restarts (seen in the cluster fault suite). A
// namespace really missing is a deployment fault that the worker refuses at start-up (the SDK checks
// it); until it is mended the serve answers 503 too, and logs the error.
// A retry with the same Idempotency-Key is safe, so the client is told 503, not 500.
func engineUnavailable(r *http.Request, err error) bool {
	switch {
	case errors.As(err, new(*serviceerror.Unavailable)), errors.As(err, new(*serviceerror.ResourceExhausted)),
		errors.As(err, new(*serviceerror.DeadlineExceeded)), errors.As(err, new(*serviceerror.NamespaceNotFound)):
		return true
	case errors.Is(err, context.DeadlineExceeded):
		return r.Context().Err() == nil
	}
	switch status.Code(err) {
	case codes.Unavailable, codes.ResourceExhausted:
		return true
	}
	return false
}

// fail answers with err as a problem document and stops the request.
func (s *Server) fail(c *gin.Context, err error) {
	status, body := s.problem(c, err)
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="fengqiao"`)
	}
	data, _ := json.Marshal(body)
	c.Data(status, "application/problem+json", data)
	c.Abort()
}

// problem turns err into an HTTP status and an RFC 9457 problem document (see Classify).
func (s *Server) problem(c *gin.Context, err error) (int, gin.H) {
	fe, status := Classify(s.log, c.Writer, c.Request, err)
	body := gin.H{
		"type":   "https://fengqiao.dev/problems/" + string(fe.Code),
		"title":  http.StatusText(status),
		"status": status,
		"detail": fe.Message,
		"code":   fe.Code,
	}
	if s.Pages != nil { // the same words a page shows, in the request's language; detail stays English
		body["text"] = s.Pages.ErrorText(c.Request, fe)
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
