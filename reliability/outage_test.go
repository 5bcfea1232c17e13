package reliability_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fengqiao/demo"
	"fengqiao/store/storetest"
)

// privatePostgres is a throwaway PostgreSQL cluster of the test's own (initdb in a temporary folder,
// run as the postgres user), so that stopping it for an outage disturbs no other test on the shared
// server.
type privatePostgres struct {
	t    *testing.T
	bin  string
	data string
	port int
	dsn  string
}

func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		t.Skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): the outage test needs them")
	}
	sort.Strings(matches)
	if os.Geteuid() != 0 {
		t.Skip("the outage test runs its own PostgreSQL as the postgres user and needs root for that")
	}
	dir, err := os.MkdirTemp("", "fengqiao-pg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if out, err := exec.Command("chown", "postgres", dir).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v %s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	pg := &privatePostgres{t: t, bin: filepath.Dir(matches[len(matches)-1]), data: filepath.Join(dir, "data"), port: port,
		dsn: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)}
	pg.run("initdb", "-D", pg.data, "-A", "trust", "-U", "postgres", "--no-sync")
	pg.start()
	t.Cleanup(func() { pg.runQuiet("pg_ctl", "-D", pg.data, "stop", "-m", "immediate") })
	return pg
}

func (pg *privatePostgres) run(tool string, args ...string) {
	pg.t.Helper()
	if out, err := pg.runQuiet(tool, args...); err != nil {
		pg.t.Fatalf("%s: %v\n%s", tool, err, out)
	}
}

func (pg *privatePostgres) runQuiet(tool string, args ...string) ([]byte, error) {
	cmd := exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(pg.bin, tool)}, args...)...)
	cmd.Dir = "/"
	return cmd.CombinedOutput()
}

func (pg *privatePostgres) start() {
	pg.t.Helper()
	pg.run("pg_ctl", "-D", pg.data, "-w", "-l", filepath.Join(filepath.Dir(pg.data), "log"),
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", pg.port, filepath.Dir(pg.data)), "start")
}

// stop stops the server the hard way (immediate: no checkpoint, connections cut).
func (pg *privatePostgres) stop() {
	pg.t.Helper()
	pg.run("pg_ctl", "-D", pg.data, "-w", "stop", "-m", "immediate")
}

// TestDatabaseOutage stops PostgreSQL for 30 s under load. While it is down every write is refused
// with 503 and Retry-After (a 500 is a bug: the client cannot tell it may retry); nothing acknowledged
// before, during or after is lost; the projection catches up once the database is back; `fengqiao
// verify` is clean. It runs under FENGQIAO_SOAK=1 only (30 s of outage), with FENGQIAO_TEST_POSTGRES
// set; it runs a PostgreSQL of its own, so the shared one other tests use is never stopped.
func TestDatabaseOutage(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip("database outage: PostgreSQL only; set " + storetest.EnvPostgres + " (and FENGQIAO_SOAK=1)")
	}
	if !soak() {
		t.Skip("database outage: a 30 s outage under load; runs in `make soak` (FENGQIAO_SOAK=1)")
	}
	embeddedOnly(t)
	t.Parallel()
	pg := startPrivatePostgres(t)
	data := t.TempDir()
	env := []string{"FENGQIAO_DATA=" + data, "FENGQIAO_DEMO=1", "FENGQIAO_ADMIN_PASSWORD=admin-password-1",
		"DATABASE_URL=" + pg.dsn, "FENGQIAO_POLICY=" + shortTierPolicy(t), "FENGQIAO_TEMPORAL_LISTEN=" + freeAddr(t)}
	dev := startProc(t, "fengqiao dev on PostgreSQL", env, freeAddr(t), "dev")
	clerk := login(t, dev.url, "clerk", demo.Password)
	reader := login(t, dev.url, "sup-county", demo.Password)

	l := newLedger()
	ctx, stopLoad := context.WithCancel(context.Background())
	wg := runLoad(ctx, l, "outage", 4, func(*rand.Rand) string { return dev.url }, clerk)
	waitForAcks(t, l, 10)
	pg.stop()
	t.Log("PostgreSQL stopped")
	down := time.Now()
	// what writes answer while the database is down (after the requests in flight at the cut)
	var mu sync.Mutex
	statuses := map[string]int{}
	time.Sleep(2 * time.Second)
	for time.Since(down) < 30*time.Second {
		for _, w := range []struct{ what, path, key string }{
			{"intake", "/api/v1/cases", fmt.Sprint("outage-probe-", time.Now().UnixNano())},
			{"login", "/api/v1/auth/login", ""},
		} {
			body := any(intakeBody(900000 + len(statuses)))
			tok := clerk
			if w.what == "login" {
				body, tok = map[string]string{"username": "clerk", "password": demo.Password}, ""
			}
			r := call(context.Background(), dev.url, "POST", w.path, tok, w.key, body)
			kind := fmt.Sprintf("%s %d retry-after=%v", w.what, r.status, r.header.Get("Retry-After") != "")
			if r.err != nil {
				kind = w.what + " transport error"
			}
			mu.Lock()
			statuses[kind]++
			mu.Unlock()
		}
		time.Sleep(500 * time.Millisecond)
	}
	pg.start()
	t.Logf("PostgreSQL back after %v; writes during the outage answered: %v", time.Since(down).Round(time.Second), statuses)
	waitForAcks(t, l, 5)
	stopLoad()
	wg.Wait()
	logLedger(t, l)
	var bad []string
	for k := range statuses {
		// 503 is the answer; a login may also be rate-limited by these very probes (429, with Retry-After)
		if !strings.Contains(k, " 503 retry-after=true") && !strings.HasPrefix(k, "login 429 retry-after=true") {
			bad = append(bad, k)
		}
	}
	settleIntakes(t, dev.url, clerk, l)
	checkNothingLost(t, dev.url, reader, l, openProjection(t, pg.dsn), true)
	dev.stop()
	verify(t, append(env, "FENGQIAO_TEMPORAL_LISTEN="+freeAddr(t))...)
	if len(bad) > 0 {
		sort.Strings(bad)
		t.Errorf("BUG (reported): while PostgreSQL was down, writes answered %v; want only 503 with Retry-After. "+
			"A database error that is a lost connection must map to ECodeUnavailable (login, and any handler that passes "+
			"a store error to s.fail), not to a bare 500", bad)
	}
}
