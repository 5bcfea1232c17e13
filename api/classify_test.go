package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"fengqiao/api"

	"go.temporal.io/api/serviceerror"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestEngineOutageIs503NotInternal: while the workflow engine (or the database under it) is down or
// overloaded, a request is answered 503 with Retry-After — a retry with the same key is safe — not a 500
// that tells the client nothing; a timeout because the client itself went away, or a plain bug, is not an
// outage.
func TestEngineOutageIs503NotInternal(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want int
	}{
		{"engine unavailable", context.Background(), fmt.Errorf("open: %w", serviceerror.NewUnavailable("frontend restarting")), 503},
		{"engine overloaded", context.Background(), serviceerror.NewResourceExhausted(0, "busy"), 503},
		{"engine deadline exceeded", context.Background(), fmt.Errorf("update: %w", serviceerror.NewDeadlineExceeded("persistence")), 503},
		{"our call timed out", context.Background(), fmt.Errorf("update: %w", context.DeadlineExceeded), 503},
		{"namespace unreadable while the engine's database restarts", context.Background(),
			fmt.Errorf("start workflow: %w", serviceerror.NewNamespaceNotFound("default")), 503},
		{"gRPC unavailable", context.Background(), fmt.Errorf("poll: %w", status.Error(codes.Unavailable, "connection refused")), 503},
		{"the client went away", gone, fmt.Errorf("update: %w", context.DeadlineExceeded), 500},
		{"a bug", context.Background(), errors.New("nil map"), 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodPost, "/api/v1/cases", nil).WithContext(tt.ctx)
			_, got := api.Classify(log, w, r, tt.err)
			if got != tt.want {
				t.Fatalf("status %d, want %d", got, tt.want)
			}
			if got == 503 && w.Header().Get("Retry-After") == "" {
				t.Error("a 503 without Retry-After")
			}
		})
	}
}
