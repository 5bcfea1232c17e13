package reliability_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fengqiao/app/apptest"
	"fengqiao/demo"
	"fengqiao/policy"
	"fengqiao/store"
)

// soak reports whether the long runs were asked for (make soak sets FENGQIAO_SOAK=1).
func soak() bool { return os.Getenv("FENGQIAO_SOAK") == "1" }

// pick returns short in `make test` and long under FENGQIAO_SOAK=1.
func pick[T any](short, long T) T {
	if soak() {
		return long
	}
	return short
}

func TestMain(m *testing.M) { apptest.MainWithCluster(m) }

// binary is the fengqiao binary, built once per test binary.
func binary(t *testing.T) string { return apptest.Binary(t) }

// temporalNamespace returns the Temporal server (the cluster's on the cluster pass) and a namespace for
// the test's processes alone.
func temporalNamespace(t *testing.T) (hostPort, namespace string) { return apptest.Namespace(t) }

// embeddedOnly skips a test about `fengqiao dev` (its embedded server) on the cluster pass.
func embeddedOnly(t *testing.T) {
	t.Helper()
	if apptest.OnCluster() != nil {
		t.Skip("about fengqiao dev and its embedded server: runs in the embedded pass")
	}
}

func freeAddr(t *testing.T) string { return apptest.FreeAddr(t) }

// seedDemo writes the demo county, its bodies and users into the projection database at dsn, before
// any process loads the grants.
func seedDemo(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pol, err := policy.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, pol); err != nil {
		t.Fatal(err)
	}
}

// proc is one fengqiao process the test runs and kills.
type proc struct {
	*apptest.Proc
	url string // the web server, when the process has one
}

// startProc runs the binary with args and env (and no Temporal Web UI); with addr set it waits until
// /readyz answers 200.
func startProc(t *testing.T, name string, env []string, addr string, args ...string) *proc {
	t.Helper()
	p := apptest.StartProc(t, name, append([]string{"FENGQIAO_TEMPORAL_UI=off"}, env...), addr, args...)
	return &proc{Proc: p, url: p.URL}
}

// kill9 sends SIGKILL — no shutdown hooks, no drain — and waits for the process to be gone.
func (p *proc) kill9() { p.Kill9() }

// stop sends SIGTERM and expects a clean exit.
func (p *proc) stop() { p.Stop() }

// reply is one HTTP answer, or the transport error that took its place.
type reply struct {
	status int
	header http.Header
	body   []byte
	err    error
}

func (r reply) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.body, &m)
	return m
}

func (r reply) String() string {
	if r.err != nil {
		return "error: " + r.err.Error()
	}
	return fmt.Sprintf("%d %s", r.status, r.body)
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

// call sends one request; key, when set, is the Idempotency-Key. It never fails the test: a load
// goroutine records what the client saw.
func call(ctx context.Context, base, method, path, token, key string, body any) reply {
	req, err := apptest.NewRequest(ctx, method, base+path, token, body)
	if err != nil {
		return reply{err: err}
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := httpClient.Do(req)
	if err != nil {
		return reply{err: err}
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: data, err: err}
}

// mustCall is call for the test goroutine: a transport error fails the test.
func mustCall(t *testing.T, base, method, path, token string, body any) reply {
	t.Helper()
	r := call(context.Background(), base, method, path, token, "", body)
	if r.err != nil {
		t.Fatalf("%s %s: %v", method, path, r.err)
	}
	return r
}

func login(t *testing.T, base, username, password string) string {
	t.Helper()
	return apptest.Login(t, base, username, password)
}

// idNumber is the n-th valid, distinct resident ID number (GB 11643 check digit): a birth date that
// moves one day per thousand and a sequence number.
func idNumber(n int) string {
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/1000)
	s := fmt.Sprintf("330203%s%03d", birth.Format("20060102"), n%1000)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s[i]-'0') * weights[i]
	}
	return s + string("10X98765432"[sum%11])
}

// intakeBody is a neighbours' dispute of the n-th applicant: every n is a different matter.
func intakeBody(n int) map[string]any {
	return map[string]any{
		"kind": "dispute", "channel": "visit", "category": "neighbour",
		"summary":  fmt.Sprintf("楼上漏水 #%d", n),
		"location": "330203001001-01",
		"parties": []map[string]string{
			{"role": "applicant", "name": fmt.Sprintf("申请人%d", n), "id_number": idNumber(n), "phone": fmt.Sprintf("139%08d", n)},
			{"role": "respondent", "name": "李四"},
		},
	}
}

// intake is one intake the load sent, and what its client saw.
type intake struct {
	n     int
	key   string
	body  map[string]any
	acked bool   // the client saw 201
	id    string // the case, once known
}

// ledger is the client side's record of a load: every request sent and every answer seen.
type ledger struct {
	mu          sync.Mutex
	next        int
	intakes     []*intake
	visitsAcked map[string]int    // case → visits the client saw succeed
	visitsTried map[string]int    // case → visits sent (succeeded, failed or unknown)
	errors      map[string]int    // what went wrong, by kind, for the log
	firstBody   map[string]string // the first answer of each 5xx kind but 502 and 503, for the log
	dueAt       map[string]string
}

func newLedger() *ledger {
	return &ledger{visitsAcked: map[string]int{}, visitsTried: map[string]int{}, errors: map[string]int{}, firstBody: map[string]string{}, dueAt: map[string]string{}}
}

func (l *ledger) newIntake(prefix string) *intake {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.next++
	in := &intake{n: l.next, key: fmt.Sprintf("%s-intake-%d", prefix, l.next), body: intakeBody(l.next)}
	l.intakes = append(l.intakes, in)
	return in
}

func (l *ledger) ackedCase(rnd *rand.Rand) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var ids []string
	for _, in := range l.intakes {
		if in.acked {
			ids = append(ids, in.id)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return ids[rnd.IntN(len(ids))]
}

// noteError counts what went wrong with r (what: intake or visit); of an unexpected server error
// (5xx but 502, from the proxy, and 503, the outage answer) it keeps the first answer for the log.
func (l *ledger) noteError(what string, r reply) {
	kind := errKind(what, r)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errors[kind]++
	if _, seen := l.firstBody[kind]; !seen && r.err == nil && r.status >= 500 && r.status != 502 && r.status != 503 {
		l.firstBody[kind] = string(r.body)
	}
}

func (l *ledger) counts() (acked, unacked, visits int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, in := range l.intakes {
		if in.acked {
			acked++
		} else {
			unacked++
		}
	}
	for _, v := range l.visitsAcked {
		visits += v
	}
	return
}

// runLoad sends intakes (with Idempotency-Keys) and repeat-visit actions from workers goroutines
// until ctx ends. base picks the server for each request (a split topology has several). Like a real
// client, a worker whose intake got no answer, a 5xx or a 429 retries it with the same key and body
// before it opens anything else; an intake left unanswered when ctx ends is settled afterwards.
func runLoad(ctx context.Context, l *ledger, prefix string, workers int, base func(*rand.Rand) string, clerk string) *sync.WaitGroup {
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(seed, 8))
			var pending *intake
			for ctx.Err() == nil {
				if id := l.ackedCase(rnd); pending == nil && id != "" && rnd.IntN(10) < 4 {
					l.mu.Lock()
					l.visitsTried[id]++
					l.mu.Unlock()
					r := call(ctx, base(rnd), "POST", "/api/v1/cases/"+id+"/visits", clerk, "",
						map[string]string{"channel": "phone", "note": "来电询问进度"})
					if r.err == nil && r.status == 200 {
						l.mu.Lock()
						l.visitsAcked[id]++
						l.mu.Unlock()
						continue
					}
					l.noteError("visit", r)
					pause(ctx, 200*time.Millisecond)
					continue
				}
				in := pending
				if in == nil {
					in = l.newIntake(prefix)
				}
				r := call(ctx, base(rnd), "POST", "/api/v1/cases", clerk, in.key, in.body)
				if r.err == nil && r.status == 201 {
					l.mu.Lock()
					in.acked, in.id = true, r.json()["id"].(string)
					l.mu.Unlock()
					pending = nil
					continue
				}
				l.noteError("intake", r)
				pending = in
				if r.err == nil && r.status < 500 && r.status != 429 {
					pending = nil // a definite refusal (or a stuck key): settleIntakes deals with it
				}
				pause(ctx, 200*time.Millisecond)
			}
		}(uint64(w) + uint64(time.Now().UnixNano()))
	}
	return &wg
}

// waitForAcks waits until n more intakes have been acknowledged than when it was called.
func waitForAcks(t *testing.T, l *ledger, n int) {
	t.Helper()
	before, _, _ := l.counts()
	poll(t, 90*time.Second, func() string {
		if acked, _, _ := l.counts(); acked < before+n {
			return fmt.Sprintf("the load got %d of %d more intakes acknowledged", acked-before, n)
		}
		return ""
	})
}

func errKind(what string, r reply) string {
	if r.err != nil {
		return what + ": transport error"
	}
	return fmt.Sprintf("%s: %d", what, r.status)
}

func pause(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// poll calls cond until it returns "" (done) or the deadline passes, then fails with its last word.
func poll(t *testing.T, within time.Duration, cond func() string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		msg := cond()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, msg)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// settleIntakes retries every intake the client never saw acknowledged, with its own
// Idempotency-Key and body, as a real client must after a lost answer: the retry is answered with
// the case (201, maybe replayed) or names the case the first attempt opened (409
// duplicate_open_case) — never a second case. It also replays a sample of acknowledged intakes,
// which must return the very first answer. It reports how many retries found their key stuck.
func settleIntakes(t *testing.T, base, clerk string, l *ledger) (stuck int) {
	t.Helper()
	for _, in := range l.intakes {
		if in.acked {
			continue
		}
		id, wasStuck := retryIntake(t, base, clerk, in)
		in.id = id
		if wasStuck {
			stuck++
		}
	}
	replayed := 0
	for _, in := range l.intakes {
		if !in.acked || replayed >= 10 {
			continue
		}
		replayed++
		r := mustCall(t, base, "POST", "/api/v1/cases", clerk, in.body)
		if r.status != 409 || r.json()["existing_case_id"] != in.id {
			t.Errorf("intake %d again without a key: %s, want 409 naming %s", in.n, r, in.id)
		}
		r = call(context.Background(), base, "POST", "/api/v1/cases", clerk, in.key, in.body)
		if r.err != nil || r.status != 201 || r.json()["id"] != in.id || r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("acknowledged intake %d replayed with its key: %s, want the first 201 for %s", in.n, r, in.id)
		}
	}
	return stuck
}

func retryIntake(t *testing.T, base, clerk string, in *intake) (id string, stuck bool) {
	t.Helper()
	key := in.key
	deadline := time.Now().Add(60 * time.Second)
	for {
		r := call(context.Background(), base, "POST", "/api/v1/cases", clerk, key, in.body)
		m := r.json()
		switch {
		case r.err == nil && r.status == 201:
			return m["id"].(string), stuck
		case r.err == nil && r.status == 409 && m["code"] == "duplicate_open_case":
			return m["existing_case_id"].(string), stuck
		case r.err == nil && r.status == 409 && m["code"] == "conflict":
			// The key is held by a request that died with its process: its claim is a lease nobody renews
			// now, and the same key is taken over once it is store.StaleClaim old (within the deadline).
			stuck = true
		case r.err == nil && r.status < 500 && r.status != 429:
			t.Fatalf("retry of intake %d (key %s): %s", in.n, key, r)
		}
		if time.Now().After(deadline) {
			t.Fatalf("retry of intake %d never answered: %s", in.n, r)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// caseRow is what the checks read from the projection.
type caseRow struct {
	ID         string
	Status     string
	Tier       string
	Visits     int
	UpdatedSeq int64
}

// dbQuery is the little the checks need from a database handle.
type dbQuery interface {
	cases(t *testing.T) []caseRow
	events(t *testing.T) map[string][]int64
}

// checkNothingLost is the invariant after every fault: each intake is exactly one case, and no case
// exists that no intake asked for; every case answers GET; its projected timeline is exactly the
// workflow's events 1..seq — none duplicated, none missing — and the case row matches the workflow;
// every visit the client saw is counted, and none that was never sent. With escalated set, every case
// has also left the village (its 3 s tier clock fired).
func checkNothingLost(t *testing.T, base, reader string, l *ledger, db dbQuery, escalated bool) {
	t.Helper()
	want := map[string]int{} // case → intake
	for _, in := range l.intakes {
		if in.id == "" {
			t.Fatalf("intake %d has no case after its retries", in.n)
		}
		if prev, dup := want[in.id]; dup {
			t.Fatalf("intakes %d and %d (different matters) share case %s", prev, in.n, in.id)
		}
		want[in.id] = in.n
	}
	rows := db.cases(t)
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.ID] {
			t.Fatalf("case %s is in the database twice", r.ID)
		}
		seen[r.ID] = true
		if _, ok := want[r.ID]; !ok {
			t.Errorf("case %s (status %q) exists but no intake opened it: an orphan", r.ID, r.Status)
		}
	}
	for id, n := range want {
		if !seen[id] {
			t.Errorf("intake %d: case %s is not in the database", n, id)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	poll(t, pick(90*time.Second, 5*time.Minute), func() string {
		rows := map[string]caseRow{}
		for _, r := range db.cases(t) {
			rows[r.ID] = r
		}
		events := db.events(t)
		ids := make([]string, 0, len(want))
		for id := range want {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r := call(context.Background(), base, "GET", "/api/v1/cases/"+id, reader, "", nil)
			if r.err != nil || r.status != 200 {
				return fmt.Sprintf("GET case %s: %s", id, r)
			}
			v := r.json()
			seq := int64(v["seq"].(float64))
			evs := events[id]
			for i, s := range evs {
				if s != int64(i+1) {
					return fmt.Sprintf("case %s: projected timeline seqs %v, want 1..%d with no gap or repeat", id, evs, seq)
				}
			}
			row := rows[id]
			if int64(len(evs)) != seq || row.UpdatedSeq != seq || row.Status != v["status"] || row.Tier != v["tier"] {
				return fmt.Sprintf("case %s: projection (row seq %d, %d events, %s/%s) behind workflow (seq %d, %v/%v)",
					id, row.UpdatedSeq, len(evs), row.Status, row.Tier, seq, v["status"], v["tier"])
			}
			visits := int(v["visits"].(float64))
			if lo, hi := 1+l.visitsAcked[id], 1+l.visitsTried[id]; visits < lo || visits > hi {
				t.Fatalf("case %s: %d visits, but the client saw %d acknowledged of %d sent (+1 intake)", id, visits, lo-1, hi-1)
			}
			if escalated && v["tier"] == "village" {
				return fmt.Sprintf("case %s still at the village: its 3 s tier clock has not fired", id)
			}
			if due, ok := l.dueAt[id]; ok {
				got := v["deadlines"].(map[string]any)["tier"].(map[string]any)["due_at"]
				if got != due {
					t.Fatalf("case %s: tier due_at %v after restarts, was %s", id, got, due)
				}
			}
		}
		return ""
	})
}

// recordLongDeadlines remembers the tier due_at of every case that has reached the township (15 days
// away): it must not move by a nanosecond across kills and restarts.
func recordLongDeadlines(t *testing.T, base, reader string, l *ledger) int {
	t.Helper()
	n := 0
	for _, in := range l.intakes {
		if !in.acked {
			continue
		}
		r := call(context.Background(), base, "GET", "/api/v1/cases/"+in.id, reader, "", nil)
		if r.err != nil || r.status != 200 {
			continue
		}
		v := r.json()
		if v["tier"] != "township" {
			continue
		}
		due := v["deadlines"].(map[string]any)["tier"].(map[string]any)["due_at"].(string)
		at, err := time.Parse(time.RFC3339, due)
		if err != nil || time.Until(at) < 24*time.Hour {
			t.Fatalf("case %s at the township has tier due_at %q, want days away", in.id, due)
		}
		if prev, ok := l.dueAt[in.id]; ok && prev != due {
			t.Fatalf("case %s: tier due_at moved from %s to %s", in.id, prev, due)
		}
		l.dueAt[in.id] = due
		n++
	}
	return n
}

func logLedger(t *testing.T, l *ledger) {
	t.Helper()
	acked, unacked, visits := l.counts()
	kinds := make([]string, 0, len(l.errors))
	for k, v := range l.errors {
		kinds = append(kinds, fmt.Sprintf("%s ×%d", k, v))
	}
	sort.Strings(kinds)
	t.Logf("load: %d intakes acknowledged, %d not (retried), %d visits acknowledged; errors seen: %s (GOMAXPROCS %d)",
		acked, unacked, visits, strings.Join(kinds, ", "), runtime.GOMAXPROCS(0))
	for k, b := range l.firstBody {
		t.Logf("first %s answer: %s", k, b)
	}
}
