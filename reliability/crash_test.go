package reliability_test

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"fengqiao/store"
)

// projection reads the projection tables directly, as an operator would.
type projection struct{ db *store.DB }

func openProjection(t *testing.T, dsn string) projection {
	t.Helper()
	db, err := store.Connect(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return projection{db: db}
}

func (p projection) cases(t *testing.T) []caseRow {
	t.Helper()
	var rows []caseRow
	if err := p.db.Raw("SELECT id, status, tier, visits, updated_seq FROM cases ORDER BY id").Scan(&rows).Error; err != nil {
		t.Fatalf("read cases: %v", err)
	}
	return rows
}

func (p projection) events(t *testing.T) map[string][]int64 {
	t.Helper()
	var rows []struct {
		CaseID string
		Seq    int64
	}
	if err := p.db.Raw("SELECT case_id, seq FROM case_events ORDER BY case_id, seq").Scan(&rows).Error; err != nil {
		t.Fatalf("read events: %v", err)
	}
	out := map[string][]int64{}
	for _, r := range rows {
		out[r.CaseID] = append(out[r.CaseID], r.Seq)
	}
	return out
}

// shortTierPolicy writes a policy file whose village tier clock runs out in 3 s (the township keeps
// its legal 15 days: a long timer).
func shortTierPolicy(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, []byte("tiers:\n  village: 3s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// verify runs `fengqiao verify` (audit chain, every projection against its workflow) with env.
func verify(t *testing.T, env ...string) {
	t.Helper()
	cmd := exec.Command(binary(t), "verify")
	cmd.Env = append(append(os.Environ(), "FENGQIAO_LOG_LEVEL=ERROR"), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fengqiao verify: %v\n%s", err, out)
	}
	t.Logf("fengqiao verify:\n%s", out)
}

// TestKillDevUnderLoad kills the whole `fengqiao dev` process with SIGKILL at random moments while
// several clients open cases and record visits, and restarts it on the same data folder, several
// times. Afterwards nothing the clients were told is lost, nothing is doubled, retries are safe, the
// projection catches up with every workflow, timers fire, 15-day deadlines have not moved, and
// `fengqiao verify` is clean.
func TestKillDevUnderLoad(t *testing.T) {
	embeddedOnly(t)
	t.Parallel()
	data := t.TempDir()
	env := []string{"FENGQIAO_DATA=" + data, "FENGQIAO_DEMO=1", "FENGQIAO_ADMIN_PASSWORD=admin-password-1",
		"FENGQIAO_POLICY=" + shortTierPolicy(t)}
	start := func() *proc {
		return startProc(t, "fengqiao dev", append(env, "FENGQIAO_TEMPORAL_LISTEN="+freeAddr(t)), freeAddr(t), "dev")
	}
	began := time.Now()
	l := newLedger()
	rounds := pick(3, 10)
	dev := start()
	clerk := login(t, dev.url, "clerk", "fengqiao-demo")
	reader := login(t, dev.url, "sup-county", "fengqiao-demo")
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for round := 0; round < rounds; round++ {
		ctx, cancel := context.WithCancel(context.Background())
		url := dev.url
		wg := runLoad(ctx, l, "dev", pick(4, 6), func(*rand.Rand) string { return url }, clerk)
		// a random moment once the load is flowing: after a few more acknowledged intakes (the machine
		// may be slow), then 0 to 1.5 s more (8 s in soak)
		waitForAcks(t, l, pick(3, 10))
		time.Sleep(time.Duration(rnd.IntN(pick(1500, 8000))) * time.Millisecond)
		dev.kill9()
		cancel()
		wg.Wait()
		acked, unacked, _ := l.counts()
		t.Logf("%v round %d: killed -9 with %d intakes acknowledged, %d unacknowledged so far", time.Since(began).Round(time.Second), round+1, acked, unacked)
		dev = start()
		// tokens live in the database: the clients go on with them
		if n := recordLongDeadlines(t, dev.url, reader, l); round > 0 && n == 0 {
			t.Logf("round %d: no case has reached the township yet", round+1)
		}
	}
	logLedger(t, l)
	if acked, _, _ := l.counts(); acked < 5 {
		t.Fatalf("only %d intakes acknowledged: the load did not run", acked)
	}
	// A case row committed just before the kill, whose workflow was never started, waits for a retry
	// of its intake (cases.Service.ensureStarted); until then it has no timers. Count them for the log.
	proj := openProjection(t, filepath.Join(data, "fengqiao.db"))
	var unstarted int64
	proj.db.Raw("SELECT COUNT(*) FROM cases WHERE updated_seq = 0").Scan(&unstarted)
	t.Logf("%d case rows had no projection yet before the retries (workflow not started, or its first projection not written)", unstarted)
	if stuck := settleIntakes(t, dev.url, clerk, l); stuck > 0 {
		t.Logf("%d retries found their Idempotency-Key held by a request that died with the process, and took it over when its lease ran out", stuck)
	}
	t.Logf("%v: intakes settled", time.Since(began).Round(time.Second))
	checkNothingLost(t, dev.url, reader, l, proj, true)
	if n := recordLongDeadlines(t, dev.url, reader, l); n == 0 {
		t.Fatal("no case reached the township: the long-timer check checked nothing")
	}
	t.Logf("%v: nothing lost", time.Since(began).Round(time.Second))
	dev.stop()
	verify(t, "FENGQIAO_DATA="+data, "FENGQIAO_TEMPORAL_LISTEN="+freeAddr(t))
}
