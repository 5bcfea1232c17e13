package reliability_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fengqiao/demo"
	"fengqiao/secret"
	"fengqiao/store/storetest"
)

// TestSplitServeAndWorker runs the production topology: two `fengqiao serve` and a `fengqiao worker`
// as separate processes on one Temporal server (in this test process) and one database (SQLite in
// WAL mode, or PostgreSQL when FENGQIAO_TEST_POSTGRES is set). Under load it kills -9 the worker in
// the middle of its activities and starts another, then kills -9 one serve while updates are in
// flight. Every client got an answer or an error — never a silent loss: afterwards every
// acknowledged case and visit is there exactly once, retries with the same Idempotency-Key are safe,
// the projection catches up, timers fire and `fengqiao verify` is clean. On the cluster pass
// (FENGQIAO_TEST_CLUSTER) the processes run on the real Temporal cluster, in a namespace of their own.
func TestSplitServeAndWorker(t *testing.T) {
	t.Parallel()
	hostPort, namespace := temporalNamespace(t)
	dir := t.TempDir()
	dsn := filepath.Join(dir, "fengqiao.db")
	if os.Getenv(storetest.EnvPostgres) != "" {
		dsn = storetest.PostgresDSN(t)
	}
	seedDemo(t, dsn)
	ctx := context.Background()
	env := []string{"TEMPORAL_ADDRESS=" + hostPort, "TEMPORAL_NAMESPACE=" + namespace, "DATABASE_URL=" + dsn, "FENGQIAO_DATA=" + dir,
		secret.EnvKeys + "=" + secret.GenerateKey().EnvValue(), "FENGQIAO_ADMIN_PASSWORD=admin-password-1",
		"FENGQIAO_POLICY=" + shortTierPolicy(t)}

	serveA := startProc(t, "serve A", env, freeAddr(t), "serve")
	serveB := startProc(t, "serve B", env, freeAddr(t), "serve")
	worker := startProc(t, "worker 1", env, "", "worker")
	clerk := login(t, serveA.url, "clerk", demo.Password)
	reader := login(t, serveB.url, "sup-county", demo.Password)

	var mu sync.Mutex
	live := []string{serveA.url, serveB.url}
	base := func(rnd *rand.Rand) string {
		mu.Lock()
		defer mu.Unlock()
		return live[rnd.IntN(len(live))]
	}
	l := newLedger()
	loadCtx, stopLoad := context.WithCancel(ctx)
	wg := runLoad(loadCtx, l, "split", pick(4, 8), base, clerk)
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	for round := 0; round < pick(1, 5); round++ {
		waitForAcks(t, l, pick(4, 15))
		time.Sleep(time.Duration(rnd.IntN(1000)) * time.Millisecond)
		worker.kill9()
		t.Logf("round %d: worker killed -9", round+1)
		time.Sleep(time.Duration(rnd.IntN(2000)) * time.Millisecond) // the load goes on without a worker
		worker = startProc(t, "worker", env, "", "worker")
	}
	waitForAcks(t, l, pick(4, 15))
	time.Sleep(time.Duration(rnd.IntN(1000)) * time.Millisecond)
	serveA.kill9()
	t.Log("serve A killed -9")
	waitForAcks(t, l, pick(4, 15)) // a client that hit A goes on with B
	mu.Lock()
	live = []string{serveB.url}
	mu.Unlock()
	waitForAcks(t, l, 2)
	stopLoad()
	wg.Wait()
	logLedger(t, l)

	if stuck := settleIntakes(t, serveB.url, clerk, l); stuck > 0 {
		t.Logf("%d retries found their Idempotency-Key held by a killed serve, and took it over when its lease ran out", stuck)
	}
	checkNothingLost(t, serveB.url, reader, l, openProjection(t, dsn), true)
	serveB.stop()
	worker.stop()
	verify(t, env...)
}
