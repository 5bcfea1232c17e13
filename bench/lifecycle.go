package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"fengqiao/workflows"
)

// lifecycleActions are a dispute's life after intake, as TestDisputeStory drives it, without the court.
var lifecycleActions = []struct {
	who, action string
	body        any
}{
	{"sup-town", "assign", map[string]string{"mediator": "med-village"}},
	{"med-village", "accept", nil},
	{"med-village", "sessions", map[string]any{"held_at": "2026-03-03T10:00:00+08:00", "notes": "面谈", "outcome": "agreement"}},
	{"med-village", "agreement", map[string]any{"terms": "赔偿维修费 2000 元", "form": "written", "signed_by_all": true}},
	{"med-village", "close", map[string]any{"outcome": "agreement_performed", "note": "已履行"}},
}

// lifecycleLocations lie in 孝闻社区, where the demo's village mediator works.
var lifecycleLocations = []string{"330203001001", "330203001001-01"}

// runLifecycle drives cases through intake → assign → accept → session → agreement → close over HTTP
// against bare workflows started and sent the same number of Updates, with the same concurrency.
func runLifecycle(ctx context.Context, cfg *Config, st *State) ([]Result, error) {
	s, err := st.getStack(ctx, cfg)
	if err != nil {
		return nil, err
	}
	sz := cfg.Sizes
	ids := &IDNumbers{}
	ids.next.Store(500_000) // other matters than the intake measure's
	var mu sync.Mutex
	var actions []time.Duration
	var lastCase, lastBare string // one workflow of each kind, whose histories are counted
	note := func(d time.Duration) { mu.Lock(); actions = append(actions, d); mu.Unlock() }
	ours := func(n int) (time.Duration, error) {
		_, wall, err := parallel(ctx, sz.Clients, n, func(ctx context.Context, i int) error {
			var c struct {
				ID string `json:"id"`
			}
			if err := s.API.Do(ctx, "POST", "/api/v1/cases", s.Tokens["clerk"], dispute(lifecycleLocations[i%2], ids.Next()), 201, &c); err != nil {
				return err
			}
			for _, a := range lifecycleActions {
				t0 := time.Now()
				if err := s.API.Do(ctx, "POST", "/api/v1/cases/"+c.ID+"/"+a.action, s.Tokens[a.who], a.body, 200, nil); err != nil {
					return err
				}
				note(time.Since(t0))
			}
			mu.Lock()
			lastCase = c.ID
			mu.Unlock()
			return nil
		})
		return wall, err
	}
	run := 0
	bare := func(n int) (time.Duration, error) {
		run++
		_, wall, err := parallel(ctx, sz.Clients, n, func(ctx context.Context, i int) error {
			id := fmt.Sprintf("bare-life-%d-%d", run, i)
			if _, err := s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: BareTaskQueue},
				"BareUpdates", len(lifecycleActions)); err != nil {
				return err
			}
			for step := 1; step <= len(lifecycleActions); step++ {
				t0 := time.Now()
				h, err := s.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, UpdateName: "act",
					Args: []any{step}, WaitForStage: client.WorkflowUpdateStageCompleted})
				if err != nil {
					return fmt.Errorf("bare update %d: %w", step, err)
				}
				var got int
				if err := h.Get(ctx, &got); err != nil || got != step {
					return fmt.Errorf("bare update %d: got %d, %v", step, got, err)
				}
				note(time.Since(t0))
			}
			mu.Lock()
			lastBare = id
			mu.Unlock()
			return nil
		})
		return wall, err
	}
	take := func() []time.Duration { mu.Lock(); defer mu.Unlock(); a := actions; actions = nil; return a }
	warm := min(sz.Clients, max(4, sz.LifecycleCases/2))
	if _, err := ours(warm); err != nil {
		return nil, fmt.Errorf("warm-up: %w", err)
	}
	if _, err := bare(warm); err != nil {
		return nil, fmt.Errorf("bare warm-up: %w", err)
	}
	take()
	pids := cfg.clusterPids()
	oursCPU, bareCPU := cpuUse{}, cpuUse{}
	var rate, bareRate, p50, p99, bp50, bp99 []float64
	for r := 0; r < sz.Reps; r++ {
		before := readCPU(pids)
		wall, err := bare(sz.LifecycleCases)
		if err != nil {
			return nil, err
		}
		mid := readCPU(pids)
		bareCPU.add(mid.since(before))
		lat := take()
		bareRate = append(bareRate, float64(sz.LifecycleCases)/wall.Seconds())
		bp50, bp99 = append(bp50, Percentile(lat, 50)), append(bp99, Percentile(lat, 99))
		if wall, err = ours(sz.LifecycleCases); err != nil {
			return nil, err
		}
		oursCPU.add(readCPU(pids).since(mid))
		lat = take()
		rate = append(rate, float64(sz.LifecycleCases)/wall.Seconds())
		p50, p99 = append(p50, Percentile(lat, 50)), append(p99, Percentile(lat, 99))
		cfg.logf("lifecycle rep %d: %.1f cases/s (action p50 %.0f ms, p99 %.0f ms); bare %.1f/s (update p50 %.0f ms, p99 %.0f ms)",
			r+1, rate[r], p50[r], p99[r], bareRate[r], bp50[r], bp99[r])
	}
	sizes := map[string]any{"cases": sz.LifecycleCases, "actions_per_case": len(lifecycleActions), "clients": sz.Clients, "repetitions": sz.Reps}
	ratio := Median(rate) / Median(bareRate)
	out := []Result{
		{Name: "lifecycle_rate", Value: Median(rate), Unit: "cases/s", Baseline: Median(bareRate), Ratio: ratio,
			Target: "ratio ≥ 0.5", Pass: pass(ratio >= 0.5), Sizes: sizes,
			Note: "intake + 5 actions over HTTP vs start + 5 Updates of a bare workflow; ratio = lifecycle_ratio"},
		{Name: "lifecycle_action_p50", Value: Median(p50), Unit: "ms", Baseline: Median(bp50), Ratio: Median(p50) / Median(bp50), Sizes: sizes},
		{Name: "lifecycle_action_p99", Value: Median(p99), Unit: "ms", Baseline: Median(bp99), Ratio: Median(p99) / Median(bp99),
			Target: "≤ 300 ms", Pass: pass(Median(p99) <= 300), Sizes: sizes},
	}
	// Where the cost goes: the CPU of each process per case, and the engine's work per case (the
	// events, workflow tasks and activity tasks in one case's history against one bare workflow's).
	out = append(out, cpuResults("lifecycle", oursCPU, bareCPU, sz.LifecycleCases*sz.Reps, sizes)...)
	oursH, err1 := historyCounts(ctx, s.Client, workflows.WorkflowID(lastCase))
	bareH, err2 := historyCounts(ctx, s.Client, lastBare)
	if err1 != nil || err2 != nil {
		cfg.logf("lifecycle: histories not counted: %v %v", err1, err2)
		return out, nil
	}
	for _, k := range []string{"events", "workflow_tasks", "activity_tasks"} {
		r := Result{Name: "lifecycle_history_" + k, Value: float64(oursH[k]), Unit: "per case", Baseline: float64(bareH[k]), Sizes: sizes,
			Note: "in one case's history after intake + 5 actions, vs one bare workflow's after start + 5 Updates"}
		if bareH[k] > 0 {
			r.Ratio = float64(oursH[k]) / float64(bareH[k])
		}
		out = append(out, r)
	}
	return out, nil
}

// historyCounts counts the events of a workflow's history, its completed workflow tasks and its
// scheduled activities.
func historyCounts(ctx context.Context, c client.Client, id string) (map[string]int, error) {
	n := map[string]int{}
	it := c.GetWorkflowHistory(ctx, id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		n["events"]++
		switch e.GetEventType() {
		case enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			n["workflow_tasks"]++
		case enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			n["activity_tasks"]++
		}
	}
	return n, nil
}
