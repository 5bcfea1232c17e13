package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"fengqiao"
	"fengqiao/app"
	"fengqiao/cases"
	"fengqiao/demo"
	"fengqiao/devserver"
	"fengqiao/internal/clustersetup"
	"fengqiao/policy"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/workflows"
)

// BareTaskQueue is the task queue of the baseline workflows, beside Fengqiao's on the same server.
const BareTaskQueue = "bench-bare"

// BareIdleTaskQueue is a task queue no worker polls: bare starts measured without their workflows running.
const BareIdleTaskQueue = "bench-bare-idle"

// Stack is the embedded system as `fengqiao dev` assembles it (app.New) — Temporal persisted to a
// SQLite file, the application database in SQLite, the authorizer, the case worker and the HTTP
// handler on a real listener — plus a worker for the bare baseline workflows on the same Temporal
// server.
type Stack struct {
	App      *app.App
	Temporal *devserver.Server
	Client   client.Client
	DB       *store.DB
	Policy   *policy.Authorizer
	Keys     *secret.Keyring
	Cases    *cases.Service
	API      *Client
	Tokens   map[string]string // demo username → token
	Bare     *BareActivities
	stops    []func()
	// afterClose runs once the App is closed (the cluster stack drops its database)
	afterClose []func()
	serveDone  chan error
	stopServe  context.CancelFunc
	closeOnce  sync.Once
}

// NewStack starts the stack in dir: on the embedded server, or, with cluster set, on that Temporal
// cluster (make cluster) in a namespace of its own, with the application database a new PostgreSQL
// database beside the cluster's.
func NewStack(ctx context.Context, dir string, cluster *clustersetup.State) (_ *Stack, err error) {
	s := &Stack{Bare: &BareActivities{}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	keys, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		return nil, err
	}
	ac := app.Config{DatabaseDSN: filepath.Join(dir, "fengqiao.db"), Keys: keys,
		Embedded: &devserver.Options{DatabaseFile: filepath.Join(dir, "temporal.db"), Level: slog.LevelError}}
	if cluster != nil {
		if ac, err = s.onCluster(ctx, ac, cluster); err != nil {
			return nil, err
		}
	}
	s.App, err = app.New(ctx, ac)
	if err != nil {
		return nil, err
	}
	a := s.App
	s.Temporal, s.Client, s.DB, s.Policy, s.Keys, s.Cases = a.TemporalServer, a.Temporal, a.DB, a.Policy, a.Keys, a.Cases
	stop, err := a.StartWorker(sdkworker.Options{})
	if err != nil {
		return nil, err
	}
	s.stops = append(s.stops, stop)
	bare := sdkworker.New(s.Client, BareTaskQueue, sdkworker.Options{})
	bare.RegisterWorkflowWithOptions(BareTrivial, workflow.RegisterOptions{Name: "BareTrivial"})
	bare.RegisterWorkflowWithOptions(BareUpdates, workflow.RegisterOptions{Name: "BareUpdates"})
	bare.RegisterWorkflowWithOptions(BareTimer, workflow.RegisterOptions{Name: "BareTimer"})
	bare.RegisterActivityWithOptions(s.Bare.Fired, activity.RegisterOptions{Name: "BareFired"})
	if err := bare.Start(); err != nil {
		return nil, fmt.Errorf("start bare worker: %w", err)
	}
	s.stops = append(s.stops, bare.Stop)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	serveCtx, stopServe := context.WithCancel(context.Background())
	s.stopServe, s.serveDone = stopServe, make(chan error, 1)
	go func() { s.serveDone <- a.Serve(serveCtx, ln) }()
	s.API = NewClient("http://" + ln.Addr().String())
	if _, err := demo.Seed(ctx, s.DB, s.Policy); err != nil {
		return nil, fmt.Errorf("demo seed: %w", err)
	}
	s.Tokens = map[string]string{}
	for _, u := range []string{"clerk", "med-village", "sup-town", "sup-county"} {
		if s.Tokens[u], err = s.API.Login(ctx, u, demo.Password); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// onCluster points ac at the cluster: a new namespace with the case workflow's search attributes, and
// a new database (dropped by Close) on the cluster's PostgreSQL.
func (s *Stack) onCluster(ctx context.Context, ac app.Config, c *clustersetup.State) (app.Config, error) {
	stamp := time.Now().UTC().Format("20060102150405")
	ns := "bench-" + stamp
	setupCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if err := clustersetup.Ensure(setupCtx, clustersetup.Options{HostPort: c.Frontend, Namespace: ns,
		Retention: 24 * time.Hour, SearchAttributes: workflows.SearchAttributes()}); err != nil {
		return ac, err
	}
	u, err := url.Parse(c.DatabaseURL)
	if err != nil {
		return ac, fmt.Errorf("cluster DATABASE_URL: %w", err)
	}
	admin, err := store.Connect(c.DatabaseURL)
	if err != nil {
		return ac, err
	}
	defer admin.Close()
	dbName := "bench_" + stamp
	if err := admin.Exec("CREATE DATABASE " + dbName).Error; err != nil {
		return ac, fmt.Errorf("create database %s: %w", dbName, err)
	}
	adminDSN := c.DatabaseURL
	s.afterClose = append(s.afterClose, func() {
		if db, err := store.Connect(adminDSN); err == nil {
			db.Exec("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)")
			db.Close()
		}
	})
	u.Path = "/" + dbName
	ac.DatabaseDSN, ac.Embedded, ac.TemporalHostPort, ac.Namespace = u.String(), nil, c.Frontend, ns
	return ac, nil
}

// Close stops everything.
func (s *Stack) Close() {
	s.closeOnce.Do(func() {
		if s.stopServe != nil {
			s.stopServe()
			<-s.serveDone
		}
		for i := len(s.stops) - 1; i >= 0; i-- {
			s.stops[i]()
		}
		if s.App != nil {
			s.App.Close()
		}
		for _, fn := range s.afterClose {
			fn()
		}
	})
}

// stack returns the run's shared stack, starting it on first use.
func (st *State) getStack(ctx context.Context, cfg *Config) (*Stack, error) {
	if st.stack != nil {
		return st.stack, nil
	}
	if cfg.clusterPass {
		cfg.logf("starting the stack on the cluster at %s (PostgreSQL, worker, HTTP)", cfg.Cluster.Frontend)
	} else {
		cfg.logf("starting the embedded stack (Temporal, SQLite, worker, HTTP)")
	}
	var cluster *clustersetup.State
	if cfg.clusterPass {
		cluster = cfg.Cluster
	}
	s, err := NewStack(ctx, filepath.Join(cfg.TempDir, "stack"), cluster)
	if err != nil {
		return nil, err
	}
	st.stack = s
	return s, nil
}

// BareTrivial is the baseline of an intake: a workflow that does nothing.
func BareTrivial(ctx workflow.Context) error { return nil }

// BareUpdates is the baseline of a case's life: it accepts n Updates (each validated, each answered with
// the count so far) and ends after the n-th.
func BareUpdates(ctx workflow.Context, n int) error {
	count := 0
	err := workflow.SetUpdateHandlerWithOptions(ctx, "act", func(ctx workflow.Context, step int) (int, error) {
		count++
		return count, nil
	}, workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, step int) error {
		if step != count+1 {
			return errors.New("out of order")
		}
		return nil
	}})
	if err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return count >= n })
}

// BareTimer is the baseline of a tier deadline: a timer at an instant, then one activity (the side
// effect, as Fengqiao's escalation writes its projection).
func BareTimer(ctx workflow.Context, at time.Time) error {
	if d := at.Sub(workflow.Now(ctx)); d > 0 {
		if err := workflow.Sleep(ctx, d); err != nil {
			return err
		}
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second})
	return workflow.ExecuteActivity(ctx, "BareFired", workflow.GetInfo(ctx).WorkflowExecution.ID).Get(ctx, nil)
}

// BareActivities records when each bare timer's activity ran.
type BareActivities struct {
	mu    sync.Mutex
	fired map[string]time.Time
}

// Fired notes that the timer of workflow id fired.
func (b *BareActivities) Fired(ctx context.Context, id string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fired == nil {
		b.fired = map[string]time.Time{}
	}
	if _, ok := b.fired[id]; !ok {
		b.fired[id] = time.Now()
	}
	return nil
}

// count returns how many of the workflows with the prefix have fired, and the last time one did.
func (b *BareActivities) count(prefix string) (int, time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, last := 0, time.Time{}
	for id, t := range b.fired {
		if len(id) >= len(prefix) && id[:len(prefix)] == prefix {
			n++
			if t.After(last) {
				last = t
			}
		}
	}
	return n, last
}

// dispute is an intake body: a neighbours' dispute at location whose applicant has the ID number.
func dispute(location, idNumber string) map[string]any {
	return map[string]any{
		"kind": "dispute", "channel": "visit", "category": "neighbour",
		"summary":  "楼上漏水，多次协商未果",
		"location": location,
		"parties": []map[string]string{
			{"role": "applicant", "name": "张三", "id_number": idNumber, "phone": phoneOf(idNumber)},
			{"role": "respondent", "name": "李四"},
		},
	}
}

// phoneOf is the applicant's own mobile number, one per ID number ("13" and the ID number's last nine
// digits before the check character: birth date and sequence). Every applicant once had the same
// number, so each intake's candidate lookup (cases.Service.Candidates) found all the open cases of
// the run and the measure paid for that instead of for a clerk's usual intake.
func phoneOf(idNumber string) string { return "13" + idNumber[8:17] }

// disputeRequest is the same intake for cases.Service.Open.
func disputeRequest(location, idNumber string) cases.OpenRequest {
	return cases.OpenRequest{Kind: fengqiao.KindDispute, Channel: "visit", Category: "neighbour",
		Summary: "楼上漏水，多次协商未果", Location: location, Parties: []cases.PartyInput{
			{Party: fengqiao.Party{Role: fengqiao.PartyApplicant, Name: "张三", IDNumber: idNumber, Phone: phoneOf(idNumber)}},
			{Party: fengqiao.Party{Role: fengqiao.PartyRespondent, Name: "李四"}}}}
}
