package worker_test

import (
	"log/slog"
	"path/filepath"
	"testing"

	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"

	"fengqiao/worker"
)

// TestReplayRecordedHistories replays every history recorded from the real in-process server
// (testdata/histories, rewritten by `FENGQIAO_RECORD_HISTORIES=1 go test ./cases/`), so a change to the
// workflow that would break running cases fails the build. Such a change needs workflow.GetVersion.
// The *-v0.json histories were recorded before "one-task-steps" (a projection activity task and a fresh
// timer per step), the *-v1.json ones before "law-periods" and "risk-rules" (deadlines counted as the
// law counts, risk flags): cases opened then may still be running, so they are kept when re-recording
// (rename the current ones to the next -vN before recording anew).
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("want at least 3 recorded histories, found %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := sdkworker.NewWorkflowReplayer()
			worker.Register(r, nil)
			if err := r.ReplayWorkflowHistoryFromJSONFile(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)), f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
