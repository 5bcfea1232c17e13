package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"fengqiao"
	"fengqiao/store"

	"github.com/gin-gonic/gin"
)

// idempotent makes a create safe to retry (API.md): the first request with an Idempotency-Key runs and
// its answer is kept for 24 hours; a repeat with the same key and body gets that answer again (with
// Idempotent-Replayed: true) without acting twice; the same key with another body is refused with 422;
// a repeat while the first is still running gets 409. A 5xx is not kept, so a retry runs again.
func (s *Server) idempotent(c *gin.Context) {
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		c.Next()
		return
	}
	if len(key) > 255 {
		s.fail(c, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "Idempotency-Key must be at most 255 characters",
			Fields: []fengqiao.FieldError{{Field: "Idempotency-Key", Message: "must be at most 255 characters"}}})
		return
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, maxBody+1))
	if err != nil {
		s.fail(c, fengqiao.Errorf(fengqiao.ECodeMalformed, "the request body could not be read"))
		return
	}
	if len(body) > maxBody {
		s.fail(c, fengqiao.Errorf(fengqiao.ECodeTooLarge, "the request body is larger than %d bytes", maxBody))
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.Sum256(append([]byte(c.Request.Method+" "+c.Request.URL.Path+"\n"), body...))
	hash := hex.EncodeToString(sum[:])
	user := caller(c).Username
	ctx := c.Request.Context()

	row, claimed, err := s.DB.ClaimIdempotencyKey(ctx, user, key, c.FullPath(), hash)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !claimed {
		switch {
		case row.RequestHash != hash:
			s.fail(c, fengqiao.Errorf(fengqiao.ECodeIdempotency, "this Idempotency-Key was used for a different request; use a new key"))
		case row.Status == 0:
			s.fail(c, fengqiao.Errorf(fengqiao.ECodeConflict, "the first request with this Idempotency-Key is still being handled; retry shortly"))
		default:
			body, err := store.OpenResponse(s.Cases.Keys, user, key, row.Body)
			if err != nil {
				s.fail(c, err)
				return
			}
			c.Header("Idempotent-Replayed", "true")
			c.Data(row.Status, row.ContentType, body)
			c.Abort()
		}
		return
	}
	rec := &recorder{ResponseWriter: c.Writer}
	c.Writer = rec
	stopRenewing := s.renewClaim(ctx, user, key)
	c.Next()
	stopRenewing()
	// Record the outcome even if the client has gone away, or a retry would find the key stuck.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if status := rec.Status(); status >= 500 || status == http.StatusTooManyRequests {
		err = s.DB.ReleaseIdempotencyKey(ctx, user, key)
	} else {
		// the kept answer holds what the case holds (summaries, names): sealed like the case
		var body []byte
		if body, err = store.SealResponse(s.Cases.Keys, user, key, rec.body.Bytes()); err == nil {
			err = s.DB.CompleteIdempotencyKey(ctx, user, key, status, rec.Header().Get("Content-Type"), body)
		}
	}
	if err != nil {
		s.log.Error("idempotency key not recorded", "route", c.FullPath(), "error", err)
	}
}

// renewClaim renews the key's claim every store.ClaimRenewal while the request runs (the claim is a lease
// that a dead process stops renewing); the function it returns stops it.
func (s *Server) renewClaim(ctx context.Context, user, key string) (stop func()) {
	done := make(chan struct{})
	ctx = context.WithoutCancel(ctx)
	go func() {
		t := time.NewTicker(store.ClaimRenewal)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				rctx, cancel := context.WithTimeout(ctx, store.ClaimRenewal)
				if err := s.DB.RenewIdempotencyClaim(rctx, user, key); err != nil {
					s.log.Warn("idempotency claim not renewed", "error", err)
				}
				cancel()
			}
		}
	}()
	return func() { close(done) }
}

// recorder keeps a copy of the response body as it is written.
type recorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(p []byte) (int, error) {
	r.body.Write(p)
	return r.ResponseWriter.Write(p)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.body.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}
