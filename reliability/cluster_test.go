package reliability_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fengqiao/app/apptest"
	"fengqiao/demo"
)

// privateCluster is a make cluster of the test's own (deploy/cluster/cluster.sh with a data folder,
// ports and a PostgreSQL of its own), so that killing its services disturbs no other test.
type privateCluster struct {
	t     *testing.T
	pg    *privatePostgres
	env   []string
	state *apptest.Cluster
}

// startPrivateCluster starts the whole topology on pg: the four Temporal services as separate
// processes, two serve behind nginx (or used alternately), two worker, with the demo jurisdiction and
// users seeded and new cases' village tier clock at 3 s.
func startPrivateCluster(t *testing.T, pg *privatePostgres) *privateCluster {
	t.Helper()
	data := t.TempDir()
	c := &privateCluster{t: t, pg: pg, env: []string{"CLUSTER_DATA=" + data, fmt.Sprint("CLUSTER_PORT_BASE=", freePortRange(t, 30)),
		"PG_HOST=127.0.0.1", fmt.Sprint("PG_PORT=", pg.port), "PG_USER=postgres", "PG_PASSWORD=",
		"TEMPORAL_DB=temporal", "TEMPORAL_VISIBILITY_DB=temporal_visibility", "FENGQIAO_DB=fengqiao",
		"TEMPORAL_NAMESPACE=default", "FENGQIAO_POLICY=" + shortTierPolicy(t), "FENGQIAO_ADMIN_PASSWORD=admin-password-1",
		"FENGQIAO_LOG_LEVEL=WARN", "CLUSTER_TIMEOUT=240"}}
	c.env = append(c.env, "FENGQIAO_BIN="+binary(t))
	// the projection database with the demo county and users, before any serve loads the grants
	pg.run("createdb", "-h", "127.0.0.1", "-p", fmt.Sprint(pg.port), "-U", "postgres", "fengqiao")
	seedDemo(t, strings.Replace(pg.dsn, "/postgres?", "/fengqiao?", 1))
	t.Cleanup(func() {
		if out, err := c.scriptOutput("down"); err != nil {
			t.Logf("cluster down: %v\n%s", err, out)
		}
		if t.Failed() {
			c.logTails(data)
		} else {
			c.logServeErrors(data)
		}
	})
	c.script("up")
	var err error
	if c.state, err = apptest.ReadCluster(data); err != nil {
		t.Fatal(err)
	}
	t.Logf("cluster up: Fengqiao at %s, Temporal frontend %s", c.state.URL, c.state.Frontend)
	return c
}

func (c *privateCluster) scriptOutput(args ...string) ([]byte, error) {
	cmd := exec.Command("bash", append([]string{"../deploy/cluster/cluster.sh"}, args...)...)
	cmd.Env = append(os.Environ(), c.env...)
	return cmd.CombinedOutput()
}

// script runs cluster.sh with args and fails the test loudly when it fails.
func (c *privateCluster) script(args ...string) {
	c.t.Helper()
	began := time.Now()
	out, err := c.scriptOutput(args...)
	if err != nil {
		c.t.Fatalf("cluster.sh %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	c.t.Logf("cluster.sh %s (%v)", strings.Join(args, " "), time.Since(began).Round(100*time.Millisecond))
}

// logTails puts the end of every process's log in the test's output.
func (c *privateCluster) logTails(data string) {
	logs, _ := filepath.Glob(filepath.Join(data, "logs", "*.log"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		if len(b) > 3000 {
			b = b[len(b)-3000:]
		}
		c.t.Logf("--- %s (end)\n%s", filepath.Base(l), b)
	}
}

// logServeErrors logs the errors the serves logged (at most 20 lines): the cause of a 500 a client saw
// during the faults is there, not in the answer's body.
func (c *privateCluster) logServeErrors(data string) {
	logs, _ := filepath.Glob(filepath.Join(data, "logs", "serve-*.log"))
	n := 0
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "level=ERROR") && n < 20 {
				c.t.Logf("%s: %s", filepath.Base(l), line)
				n++
			}
		}
	}
}

// verifyEnv is what `fengqiao verify` needs to reach the cluster's workflows and projection.
func (c *privateCluster) verifyEnv() []string {
	key, err := os.ReadFile(filepath.Join(c.state.Data, "fengqiao.key"))
	if err != nil {
		c.t.Fatal(err)
	}
	return []string{"TEMPORAL_ADDRESS=" + c.state.Frontend, "TEMPORAL_NAMESPACE=" + c.state.Namespace,
		"DATABASE_URL=" + c.state.DatabaseURL, "FENGQIAO_DATA=" + c.state.Env["FENGQIAO_DATA"],
		"FENGQIAO_KEY=" + strings.TrimSpace(string(key))}
}

// freePortRange returns a base port with n free ports from it, below 32768: Temporal's SQL membership
// table keeps ports as smallint.
func freePortRange(t *testing.T, n int) int {
	t.Helper()
	for try := 0; try < 50; try++ {
		base := 20000 + rand.IntN(120)*100
		free := true
		for p := base; p < base+n && free; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				free = false
				continue
			}
			l.Close()
		}
		if free {
			return base
		}
	}
	t.Fatal("no free range of ports for the cluster")
	return 0
}

// TestClusterFaults runs the production topology — the upstream Temporal server's frontend, history,
// matching and internal worker as separate processes on PostgreSQL, two serve behind one address, two
// worker — under a load of intakes and visits (updates), and breaks it piece by piece: kill -9 of the
// history service (restarted), of the matching service (restarted), of one serve mid-update, of one
// worker mid-activity, and a PostgreSQL restart while the cases' 3 s tier timers fall due. Afterwards
// nothing the clients were told is lost or doubled, every timer that fell due in the outage has fired,
// and `fengqiao verify` is clean. It runs on the cluster pass (FENGQIAO_TEST_CLUSTER, which .ci/run
// sets), on a cluster and a PostgreSQL of its own; asked for, it fails rather than skips when it
// cannot run.
func TestClusterFaults(t *testing.T) {
	if os.Getenv(apptest.EnvCluster) == "" {
		t.Skip("the cluster fault suite: set " + apptest.EnvCluster + " (.ci/run does, after make cluster)")
	}
	if apptest.OnCluster() == nil {
		t.Skip("runs once, in the cluster pass")
	}
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(m) == 0 || os.Geteuid() != 0 {
		t.Fatal("the cluster fault suite needs PostgreSQL's server binaries and root (to run a PostgreSQL of its own)")
	}
	t.Parallel()
	began := time.Now()
	pg := startPrivatePostgres(t)
	c := startPrivateCluster(t, pg)
	base := c.state.URL
	clerk := login(t, base, "clerk", demo.Password)
	reader := login(t, base, "sup-county", demo.Password)
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))

	l := newLedger()
	// the clients use the one address when nginx fronts the serves; otherwise each picks a serve
	urls := []string{base}
	if len(c.state.ServeURLs) > 1 && base == c.state.ServeURLs[0] {
		urls = c.state.ServeURLs
	}
	loadCtx, stopLoad := context.WithCancel(context.Background())
	wg := runLoad(loadCtx, l, "cluster", 4, func(r *rand.Rand) string { return urls[r.IntN(len(urls))] }, clerk)
	step := func(what string) { t.Logf("%v: %s", time.Since(began).Round(time.Second), what) }
	waitForAcks(t, l, 4)

	for _, fault := range []struct{ name, what string }{
		{"temporal-history", "kill -9 of the history service under load"},
		{"temporal-matching", "kill -9 of the matching service"},
		{"serve-1", "kill -9 of one serve mid-update"},
		{"worker-1", "kill -9 of one worker mid-activity"},
	} {
		time.Sleep(time.Duration(rnd.IntN(1500)) * time.Millisecond)
		c.script("kill9", fault.name)
		step(fault.what)
		time.Sleep(time.Duration(500+rnd.IntN(2000)) * time.Millisecond) // the load goes on without it
		c.script("start", fault.name)
		waitForAcks(t, l, 4)
		step(fault.name + " restarted; the load goes on")
	}

	// PostgreSQL restarts while the tier clocks of the cases opened just before fall due (3 s)
	waitForAcks(t, l, 3)
	pg.stop()
	step("PostgreSQL stopped (immediate)")
	time.Sleep(8 * time.Second)
	pg.start()
	step("PostgreSQL back")
	waitForAcks(t, l, 4)
	step("the load goes on after the outage")
	stopLoad()
	wg.Wait()
	logLedger(t, l)

	if stuck := settleIntakes(t, base, clerk, l); stuck > 0 {
		t.Logf("%d retries found their Idempotency-Key held by a request that died with its serve, and took it over when its lease ran out", stuck)
	}
	proj := openProjection(t, c.state.DatabaseURL)
	checkNothingLost(t, base, reader, l, proj, true)
	step("nothing lost; every tier clock fired")
	verify(t, c.verifyEnv()...)
}
