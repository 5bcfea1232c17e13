package cases_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"

	"fengqiao/app/apptest"
	"fengqiao/store/storetest"
	"fengqiao/workflows"
)

// holdProjection holds every execution of the projection activity until release is closed, and counts
// the ones it holds.
type holdProjection struct {
	interceptor.WorkerInterceptorBase
	release chan struct{}
	mu      sync.Mutex
	held    int
}

func (h *holdProjection) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &holdInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, h: h}
}

type holdInbound struct {
	interceptor.ActivityInboundInterceptorBase
	h *holdProjection
}

func (i *holdInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	if activity.GetInfo(ctx).ActivityType.Name == "Project" {
		i.h.mu.Lock()
		i.h.held++
		i.h.mu.Unlock()
		select {
		case <-i.h.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return i.Next.ExecuteActivity(ctx, in)
}

// TestAnActionsStepIsReadableBeforeItsProjectionActivityRuns: the answer to an action comes once the
// step is committed, and the service writes the step it carries before answering — so the case row,
// its timeline and the lists read right after show the step even while the projection activity has not
// run (held here); once released, the activities write the steps no answer carried (the intake's).
func TestAnActionsStepIsReadableBeforeItsProjectionActivityRuns(t *testing.T) {
	hold := &holdProjection{release: make(chan struct{})}
	e := newEnv(t, storetest.SQLite(t), apptest.WithWorkerOptions(func(o *sdkworker.Options) {
		o.Interceptors = append(o.Interceptors, hold)
	}))
	ctx := context.Background()
	var once sync.Once
	release := func() { once.Do(func() { close(hold.release) }) }
	t.Cleanup(release)

	// every projection activity is held from here on, the intake's first one too
	v, _, err := e.svc.Open(ctx, countyClerk, disputeIntake())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	v = act(t, e, villageSup, v.ID, workflows.UpdateAssign, `{"mediator":"med.village"}`)
	row, err := e.db.Case(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.UpdatedSeq != v.Seq || row.Assignee != "med.village" {
		t.Fatalf("the row read right after the answer is at seq %d with assignee %v, want seq %d and med.village",
			row.UpdatedSeq, row.Assignee, v.Seq)
	}
	events, err := e.db.CaseEvents(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(events); n == 0 || events[n-1].Seq != v.Seq || events[n-1].Type != "assigned" {
		t.Fatalf("the timeline read right after the answer ends with %+v, want the assignment at seq %d", events, v.Seq)
	}
	hold.mu.Lock()
	held := hold.held
	hold.mu.Unlock()
	if v.Step != nil {
		t.Error("the answer passed its step on to the caller")
	}

	release()
	// the held activities then write what no answer carried - the intake's first step - in order, and
	// every step, answered or not, is in the timeline once
	v = act(t, e, villageMed, v.ID, workflows.UpdateAccept, `{}`)
	waitRow(t, e, v)
	for wait := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		events, err = e.db.CaseEvents(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(events)) == v.Seq {
			break
		}
		if time.Now().After(wait) {
			t.Fatalf("%d events for seq %d after the projection was released: %+v", len(events), v.Seq, events)
		}
	}
	if events[0].Type != "registered" {
		t.Errorf("the intake's held step was not written: the timeline starts with %s", events[0].Type)
	}
	t.Logf("projection activities held while the answer was read: %d", held)
}
