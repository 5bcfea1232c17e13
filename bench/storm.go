package bench

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"go.temporal.io/sdk/client"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/store"
)

// The storm's cases lie in the villages of 南门街道 and escalate to it; the other measures use 鼓楼街道.
const stormTownship = "330203002"

var stormLocations = []string{"330203002001", "330203002002"}

// runStorm opens M cases whose village tier deadlines all fall at one instant D, then times how long
// after D every one of them is escalated and unacknowledged in the township supervisor's queue,
// against M bare workflows with a timer at one instant followed by one activity.
//
// A tier clock starts when the case workflow runs its first task, so each case is opened through
// cases.Service.Open with its own policy whose tier clock is a Go duration ending at D; the cases'
// deadlines then differ only by the lag between the call and the first task (the spread is reported).
// The storm's figure is the longest time any case waited past its own deadline before it was seen
// escalated (polled), as the bare figure is the longest wait of a timer past the instant.
func runStorm(ctx context.Context, cfg *Config, st *State) ([]Result, error) {
	s, err := st.getStack(ctx, cfg)
	if err != nil {
		return nil, err
	}
	m := cfg.Sizes.StormCases
	// The set-up is not what is measured: it opens the cases with fewer clients than the intake
	// measure, so that an overloaded machine does not time out the starts.
	clients := min(8, cfg.Sizes.Clients)

	// the bare storm first, its lead time from the rate of bare starts measured now
	prefix := fmt.Sprintf("bare-storm-%d-", time.Now().UnixNano())
	warmStarts := min(m, max(16, m/20))
	_, wall, err := parallel(ctx, clients, warmStarts, func(ctx context.Context, i int) error {
		_, err := s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("%swarm-%d", prefix, i),
			TaskQueue: BareTaskQueue}, "BareTrivial")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("bare storm warm-up: %w", err)
	}
	bareLead := time.Duration(float64(m)/(float64(warmStarts)/wall.Seconds())*2*float64(time.Second)) + 10*time.Second
	bareAt := time.Now().Add(bareLead).Truncate(time.Second)
	if _, _, err := parallel(ctx, clients, m, func(ctx context.Context, i int) error {
		_, err := s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("%s%d", prefix, i),
			TaskQueue: BareTaskQueue}, "BareTimer", bareAt)
		return err
	}); err != nil {
		return nil, fmt.Errorf("bare storm starts: %w", err)
	}
	if time.Now().After(bareAt.Add(-time.Second)) {
		return nil, errors.New("bare storm: the starts took longer than the lead time")
	}
	cfg.logf("storm: %d bare timers set for %s", m, bareAt.Format("15:04:05"))
	var bareTime time.Duration
	for {
		n, last := s.Bare.count(prefix) // the warm-up's trivial workflows run no activity
		if n == m {
			bareTime = last.Sub(bareAt)
			break
		}
		if time.Since(bareAt) > 10*time.Minute {
			return nil, fmt.Errorf("bare storm: %d of %d fired after 10 minutes", n, m)
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return nil, err
		}
	}
	cfg.logf("storm: bare timers all fired %.2f s after the instant", bareTime.Seconds())

	// Fengqiao's storm. The lead time comes from the intake rate measured now (warm-up cases with the
	// default policy, elsewhere in the tree) and, when the intake measure ran, from its rate.
	ids := &IDNumbers{}
	ids.next.Store(1_000_000 + time.Now().Unix()%1000*10_000)
	actor := cases.Actor{Username: "clerk", Role: fengqiao.RoleClerk, Node: "330203"}
	warm := min(clients, max(8, m/4))
	_, wall, err = parallel(ctx, clients, warm, func(ctx context.Context, i int) error {
		_, _, err := s.Cases.Open(ctx, actor, disputeRequest(intakeLocations[i%len(intakeLocations)], ids.Next()))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("storm warm-up: %w", err)
	}
	rate := float64(warm) / wall.Seconds()
	if st.IntakeRate > 0 {
		rate = min(rate, st.IntakeRate)
	}
	lead := time.Duration(float64(m)/rate*1.5*float64(time.Second)) + 20*time.Second
	at := time.Now().Add(lead).Truncate(time.Second)
	cfg.logf("storm: opening %d cases at ~%.1f/s, deadline %s", m, rate, at.Format("15:04:05"))
	base := deadline.DefaultPolicy()
	if _, _, err := parallel(ctx, clients, m, func(ctx context.Context, i int) error {
		p := base
		p.Tiers = maps.Clone(base.Tiers)
		p.Tiers[fengqiao.TierVillage] = deadline.Fixed(time.Until(at))
		p.AtRisk = 0.1 // the at-risk timers fire during the intake, not in the storm
		p.Version = p.Fingerprint()
		svc := &cases.Service{DB: s.Cases.DB, Temporal: s.Cases.Temporal, Keys: s.Cases.Keys, Policy: p,
			Logger: s.Cases.Logger, Prefixes: s.Cases.Prefixes, HistoryLimit: s.Cases.HistoryLimit}
		_, created, err := svc.Open(ctx, actor, disputeRequest(stormLocations[i%len(stormLocations)], ids.Next()))
		if err == nil && !created {
			err = errors.New("the intake was taken as a duplicate")
		}
		return err
	}); err != nil {
		return nil, fmt.Errorf("storm intake: %w", err)
	}
	var rows []struct {
		ID        string
		TierDueAt time.Time
	}
	for { // the projection follows the workflows: wait until it shows every case's deadline
		rows = rows[:0]
		if err := s.DB.WithContext(ctx).Model(&store.CaseRow{}).Select("id, tier_due_at").Where(
			"location_path LIKE ? AND tier = ? AND tier_due_at IS NOT NULL", "%/"+stormTownship+"/%", "village").
			Scan(&rows).Error; err != nil {
			return nil, err
		}
		if len(rows) >= m || time.Now().After(at.Add(-2*time.Second)) {
			break
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return nil, err
		}
	}
	if len(rows) != m {
		return nil, fmt.Errorf("storm: %d village cases with deadlines, want %d", len(rows), m)
	}
	due := map[string]time.Time{}
	first, last := rows[0].TierDueAt, rows[0].TierDueAt
	for _, r := range rows {
		due[r.ID] = r.TierDueAt
		if r.TierDueAt.Before(first) {
			first = r.TierDueAt
		}
		if r.TierDueAt.After(last) {
			last = r.TierDueAt
		}
	}
	spread := last.Sub(first)
	cfg.logf("storm: %d cases open, deadlines %s .. %s (spread %.0f ms)", m, first.Format("15:04:05.000"),
		last.Format("15:04:05.000"), ms(spread))
	if time.Now().After(first.Add(-time.Second)) {
		return nil, fmt.Errorf("storm: the intake ran past the deadline (lead %s too short)", lead)
	}
	// poll the projection, noting when each case is first seen escalated and unacknowledged
	seen := map[string]time.Time{}
	poll := 20 * time.Millisecond
	if m > 1000 {
		poll = 100 * time.Millisecond
	}
	for len(seen) < m {
		var ids []string
		if err := s.DB.WithContext(ctx).Model(&store.CaseRow{}).Where("handling_node = ? AND unacknowledged = ?",
			stormTownship, true).Pluck("id", &ids).Error; err != nil {
			return nil, err
		}
		now := time.Now()
		for _, id := range ids {
			if _, ok := seen[id]; !ok {
				seen[id] = now
			}
		}
		if time.Since(first) > 15*time.Minute {
			return nil, fmt.Errorf("storm: %d of %d escalated after 15 minutes", len(seen), m)
		}
		if len(seen) < m {
			if err := sleep(ctx, poll); err != nil {
				return nil, err
			}
		}
	}
	var oursTime time.Duration // the longest wait of a case past its own deadline
	var allSeen time.Time
	for id, t := range seen {
		if d, ok := due[id]; ok && t.Sub(d) > oursTime {
			oursTime = t.Sub(d)
		}
		if t.After(allSeen) {
			allSeen = t
		}
	}
	// and the supervisor sees them on the board (a page holds at most 500)
	var q struct {
		Unacknowledged []struct {
			ID   string `json:"id"`
			Tier string `json:"tier"`
		} `json:"unacknowledged"`
	}
	if err := s.API.Do(ctx, "GET", "/api/v1/supervision/queue?limit=500&node="+stormTownship, s.Tokens["sup-county"], nil, 200, &q); err != nil {
		return nil, err
	}
	if len(q.Unacknowledged) != min(m, 500) {
		return nil, fmt.Errorf("storm: the supervisor's board lists %d unacknowledged, want %d", len(q.Unacknowledged), min(m, 500))
	}
	cfg.logf("storm: every case escalated and on the board at most %.2f s after its deadline (%.2f s after the first deadline)",
		oursTime.Seconds(), allSeen.Sub(first).Seconds())
	ratio := bareTime.Seconds() / oursTime.Seconds()
	sizes := map[string]any{"cases": m, "setup_clients": clients, "repetitions": 1, "deadline_spread_ms": ms(spread),
		"poll_ms": ms(poll), "from_first_deadline_s": allSeen.Sub(first).Seconds()}
	return []Result{{Name: "storm_time", Value: oursTime.Seconds(), Unit: "s", Baseline: bareTime.Seconds(), Ratio: ratio,
		Target: "ratio ≥ 0.7", Pass: pass(ratio >= 0.7), Sizes: sizes,
		Note: "the longest time from a case's deadline until it is escalated and unacknowledged in the queue; ratio = storm_ratio = bare ÷ ours"}}, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
