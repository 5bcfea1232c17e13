package bench

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
)

// intakeLocations are the demo villages and a grid intakes are spread over.
var intakeLocations = []string{"330203001001", "330203001002", "330203001001-01", "330203001002-01"}

// runIntake opens N cases over HTTP with 32 clients (login token, validation, policy, database,
// workflow start and first task) against N bare starts of a trivial workflow with the same
// concurrency, alternating the two in each repetition.
func runIntake(ctx context.Context, cfg *Config, st *State) ([]Result, error) {
	s, err := st.getStack(ctx, cfg)
	if err != nil {
		return nil, err
	}
	sz := cfg.Sizes
	ids := &IDNumbers{}
	tok := s.Tokens["clerk"]
	ours := func(n int) ([]time.Duration, time.Duration, error) {
		return parallel(ctx, sz.Clients, n, func(ctx context.Context, i int) error {
			return s.API.Do(ctx, "POST", "/api/v1/cases", tok, dispute(intakeLocations[i%len(intakeLocations)], ids.Next()), 201, nil)
		})
	}
	run := 0
	// bare starts a trivial workflow per request. Without task the workflows go to a task queue no worker
	// polls: what is timed is the start alone, and no trailing tasks of the baseline run during ours.
	// With task each start also waits for the workflow's first (and only) task, the engine work an
	// intake needs before it can say where the case went.
	bare := func(n int, task bool) ([]time.Duration, time.Duration, error) {
		run++
		queue := BareIdleTaskQueue
		if task {
			queue = BareTaskQueue
		}
		return parallel(ctx, sz.Clients, n, func(ctx context.Context, i int) error {
			r, err := s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("bare-intake-%d-%d", run, i),
				TaskQueue: queue}, "BareTrivial")
			if err == nil && task {
				err = r.Get(ctx, nil)
			}
			return err
		})
	}
	// warm-up: connections, caches, the workers' pollers
	warm := min(sz.Clients, sz.IntakeCases/2)
	if _, _, err := ours(warm); err != nil {
		return nil, fmt.Errorf("warm-up: %w", err)
	}
	if _, _, err := bare(warm, true); err != nil {
		return nil, fmt.Errorf("bare warm-up: %w", err)
	}
	oursCPU, taskCPU := cpuUse{}, cpuUse{}
	var rate, bareRate, taskRate, p50, p99, bp50, bp99, tp50, tp99 []float64
	for r := 0; r < sz.Reps; r++ {
		lat, wall, err := bare(sz.IntakeCases, false)
		if err != nil {
			return nil, fmt.Errorf("bare starts: %w", err)
		}
		bareRate = append(bareRate, float64(sz.IntakeCases)/wall.Seconds())
		bp50, bp99 = append(bp50, Percentile(lat, 50)), append(bp99, Percentile(lat, 99))
		before := readCPU(cfg.clusterPids())
		lat, wall, err = bare(sz.IntakeCases, true)
		if err != nil {
			return nil, fmt.Errorf("bare starts with their first task: %w", err)
		}
		mid := readCPU(cfg.clusterPids())
		taskCPU.add(mid.since(before))
		taskRate = append(taskRate, float64(sz.IntakeCases)/wall.Seconds())
		tp50, tp99 = append(tp50, Percentile(lat, 50)), append(tp99, Percentile(lat, 99))
		lat, wall, err = ours(sz.IntakeCases)
		if err != nil {
			return nil, fmt.Errorf("intake: %w", err)
		}
		oursCPU.add(readCPU(cfg.clusterPids()).since(mid))
		rate = append(rate, float64(sz.IntakeCases)/wall.Seconds())
		p50, p99 = append(p50, Percentile(lat, 50)), append(p99, Percentile(lat, 99))
		cfg.logf("intake rep %d: %.1f cases/s (p50 %.0f ms, p99 %.0f ms); bare %.1f starts/s (p50 %.0f ms, p99 %.0f ms), %.1f with their task/s (p50 %.0f ms, p99 %.0f ms)",
			r+1, rate[r], p50[r], p99[r], bareRate[r], bp50[r], bp99[r], taskRate[r], tp50[r], tp99[r])
	}
	st.IntakeRate = Median(rate)
	sizes := map[string]any{"cases": sz.IntakeCases, "clients": sz.Clients, "repetitions": sz.Reps}
	ratio := Median(rate) / Median(bareRate)
	out := []Result{
		{Name: "intake_rate", Value: Median(rate), Unit: "cases/s", Baseline: Median(bareRate), Ratio: ratio,
			Target: "ratio ≥ 0.8", Pass: pass(ratio >= 0.8), Sizes: sizes,
			Note: "POST /api/v1/cases over HTTP vs bare starts of a trivial workflow; ratio = intake_ratio"},
		{Name: "intake_p50", Value: Median(p50), Unit: "ms", Baseline: Median(bp50), Ratio: Median(p50) / Median(bp50), Sizes: sizes},
		{Name: "intake_p99", Value: Median(p99), Unit: "ms", Baseline: Median(bp99), Ratio: Median(p99) / Median(bp99), Sizes: sizes},
		{Name: "intake_rate_vs_first_task", Value: Median(rate), Unit: "cases/s", Baseline: Median(taskRate),
			Ratio: Median(rate) / Median(taskRate), Sizes: sizes,
			Note: "the same intakes vs bare starts that also wait for the trivial workflow's first task: the engine work an intake needs before it can answer where the case went"},
		{Name: "intake_p50_vs_first_task", Value: Median(p50), Unit: "ms", Baseline: Median(tp50), Ratio: Median(p50) / Median(tp50), Sizes: sizes},
		{Name: "intake_p99_vs_first_task", Value: Median(p99), Unit: "ms", Baseline: Median(tp99), Ratio: Median(p99) / Median(tp99), Sizes: sizes},
	}
	// where an intake's cost goes, against a bare start with its first task
	return append(out, cpuResults("intake", oursCPU, taskCPU, sz.IntakeCases*sz.Reps, sizes)...), nil
}
