package worker

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"fengqiao/activities"
	"fengqiao/workflows"
)

// CacheSize is how many case workflows a process keeps in memory between their steps (the SDK's sticky
// cache, whose default is 10,000). A case takes a step every few hours or days, and each cached one
// holds ~100 KB and two goroutines (make bench: `fengqiao dev` passed 1.3 GB on its way to 10,000 open
// cases), so keeping thousands resident buys nothing; a case not in the cache replays its short
// history when its next step comes.
const CacheSize = 1000

// The cache size is process-wide and must be set before the first worker starts.
func init() { sdkworker.SetStickyWorkflowCacheSize(CacheSize) }

// Register registers the case workflow (and, when a is not nil, its activities) on r: a worker or a
// replayer.
func Register(r interface {
	RegisterWorkflowWithOptions(any, workflow.RegisterOptions)
}, a *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.CaseWorkflow, workflow.RegisterOptions{Name: workflows.WorkflowType})
	if reg, ok := r.(interface {
		RegisterActivityWithOptions(any, activity.RegisterOptions)
	}); ok && a != nil {
		reg.RegisterActivityWithOptions(a, activity.RegisterOptions{})
	}
}

// New returns a worker for the case task queue with the workflow and the activities registered.
func New(c client.Client, a *activities.Activities, opts sdkworker.Options) sdkworker.Worker {
	w := sdkworker.New(c, workflows.TaskQueue, opts)
	Register(w, a)
	return w
}

// Run runs a worker until ctx is cancelled, then stops it gracefully.
func Run(ctx context.Context, c client.Client, a *activities.Activities) error {
	w := New(c, a, sdkworker.Options{})
	if err := w.Start(); err != nil {
		return fmt.Errorf("worker: start: %w", err)
	}
	<-ctx.Done()
	w.Stop()
	return nil
}
