package bench

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
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

	// Fengqiao's storm. The lead time comes first from the intake rate measured now (warm-up cases with
	// the default policy, elsewhere in the tree) and, when the intake measure ran, from its rate; then
	// from the rate the storm's own intake achieves (openStorm moves the instant if it must).
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
	base := deadline.DefaultPolicy()
	var opened atomic.Int64
	openAt := func(ctx context.Context, at time.Time) (string, error) {
		p := base
		p.Tiers = maps.Clone(base.Tiers)
		p.Tiers[fengqiao.TierVillage] = deadline.Fixed(time.Until(at))
		p.AtRisk = 0.1 // the at-risk timers fire during the intake, not in the storm
		p.Version = p.Fingerprint()
		svc := &cases.Service{DB: s.Cases.DB, Temporal: s.Cases.Temporal, Keys: s.Cases.Keys, Policy: p,
			Logger: s.Cases.Logger, Prefixes: s.Cases.Prefixes, HistoryLimit: s.Cases.HistoryLimit}
		loc := stormLocations[int(opened.Add(1))%len(stormLocations)]
		v, created, err := svc.Open(ctx, actor, disputeRequest(loc, ids.Next()))
		if err == nil && !created {
			err = errors.New("the intake was taken as a duplicate")
		}
		return v.ID, err
	}
	si, err := openStorm(ctx, cfg, clients, m, rate, openAt)
	if err != nil {
		return nil, fmt.Errorf("storm intake: %w", err)
	}
	at, lead := si.at, si.lead
	storm := make(map[string]bool, len(si.ids))
	for _, id := range si.ids {
		storm[id] = true
	}
	m = len(si.ids) // at least the size asked for: a few more when the last ones were in flight together
	var rows []struct {
		ID        string
		TierDueAt time.Time
	}
	for { // the projection follows the workflows: wait until it shows every case's deadline
		var all []struct {
			ID        string
			TierDueAt time.Time
		}
		if err := s.DB.WithContext(ctx).Model(&store.CaseRow{}).Select("id, tier_due_at").Where(
			"location_path LIKE ? AND tier = ? AND tier_due_at IS NOT NULL", "%/"+stormTownship+"/%", "village").
			Scan(&all).Error; err != nil {
			return nil, err
		}
		rows = rows[:0]
		for _, r := range all {
			if storm[r.ID] {
				rows = append(rows, r)
			}
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
			if _, ok := seen[id]; !ok && storm[id] {
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
	if len(q.Unacknowledged) < min(m, 500) { // cases of an instant given up are on it too
		return nil, fmt.Errorf("storm: the supervisor's board lists %d unacknowledged, want %d", len(q.Unacknowledged), min(m, 500))
	}
	cfg.logf("storm: every case escalated and on the board at most %.2f s after its deadline (%.2f s after the first deadline)",
		oursTime.Seconds(), allSeen.Sub(first).Seconds())
	ratio := bareTime.Seconds() / oursTime.Seconds()
	sizes := map[string]any{"cases": m, "setup_clients": clients, "repetitions": 1, "deadline_spread_ms": ms(spread),
		"poll_ms": ms(poll), "from_first_deadline_s": allSeen.Sub(first).Seconds(), "lead_s": lead.Seconds(),
		"instant_moves": si.moves, "cases_of_given_up_instants": si.stale}
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

// stormOpened is what openStorm opened: the cases whose deadlines fall at the instant, and how the
// instant was reached.
type stormOpened struct {
	at    time.Time     // the instant
	lead  time.Duration // from the start of the intake to the instant
	ids   []string      // the cases whose deadline is at
	moves int           // how often the instant was moved later
	stale int           // cases opened for an instant given up (they escalate early, outside the storm)
}

// openStorm opens cases with open until want of them have their deadline at one instant. The instant
// is set from rate (cases/s, measured just before) and watched while the intake runs: once a second,
// the rate achieved so far (overall, or over the last ten seconds when that is lower: a machine slows
// as the at-risk timers start firing) says whether the cases still to open would be open a margin
// before the instant. If not, the instant moves later, far enough for all want cases at that rate, and
// the cases opened for the old instant no longer count: their deadlines are already fixed, so the
// storm is the want cases of the new instant. A slow machine therefore never runs the intake past the
// instant, it only takes longer.
func openStorm(ctx context.Context, cfg *Config, clients, want int, rate float64,
	open func(ctx context.Context, at time.Time) (string, error)) (stormOpened, error) {
	const margin = 10 * time.Second
	leadFor := func(rate float64) time.Duration {
		return time.Duration(float64(want)/rate*1.5*float64(time.Second)) + 20*time.Second
	}
	start := time.Now()
	out := stormOpened{lead: leadFor(rate)}
	out.at = start.Add(out.lead).Truncate(time.Second)
	cfg.logf("storm: opening %d cases at ~%.1f/s, deadline %s", want, rate, out.at.Format("15:04:05"))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		inflight int
		total    int // cases opened, for any instant
		firstErr error
		wg       sync.WaitGroup
	)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				if len(out.ids)+inflight >= want {
					mu.Unlock()
					return
				}
				inflight++
				at := out.at
				mu.Unlock()
				id, err := open(ctx, at)
				mu.Lock()
				inflight--
				switch {
				case err != nil:
					if firstErr == nil {
						firstErr = err
						cancel()
					}
				case at.Equal(out.at):
					total++
					out.ids = append(out.ids, id)
				default:
					total++
					out.stale++
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	type sample struct {
		at    time.Time
		total int
	}
	var samples []sample // one a second, the last ten seconds
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-done:
			if firstErr != nil {
				return stormOpened{}, firstErr
			}
			return out, ctx.Err()
		case now := <-tick.C:
			mu.Lock()
			samples = append(samples, sample{now, total})
			if len(samples) > 11 {
				samples = samples[1:]
			}
			if total < 2*clients { // too few to tell a rate
				mu.Unlock()
				continue
			}
			r := float64(total) / now.Sub(start).Seconds()
			if old := samples[0]; len(samples) == 11 && total-old.total >= clients {
				r = min(r, float64(total-old.total)/now.Sub(old.at).Seconds())
			}
			left := want - len(out.ids)
			finish := now.Add(time.Duration(float64(left) / r * float64(time.Second)))
			if finish.Add(margin).After(out.at) {
				out.lead = now.Sub(start) + leadFor(r)
				out.at = start.Add(out.lead).Truncate(time.Second)
				out.moves++
				cfg.logf("storm: at %.1f cases/s the intake would end %s, past the instant less %s; "+
					"moved to %s for %d cases anew (%d opened so far)", r, finish.Format("15:04:05"), margin,
					out.at.Format("15:04:05"), want, total)
				out.stale += len(out.ids)
				out.ids = out.ids[:0]
			}
			mu.Unlock()
		}
	}
}
