package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"

	"fengqiao/accounts"
	"fengqiao/activities"
	"fengqiao/api"
	"fengqiao/api/web"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/devserver"
	"fengqiao/internal/temporalmetrics"
	"fengqiao/notify"
	"fengqiao/policy"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/worker"
	"fengqiao/workflows"
)

// DrainTimeout is how long Serve lets in-flight requests finish once its context ends.
const DrainTimeout = 15 * time.Second

// Config is everything a Fengqiao process needs. The zero value of each field is a usable default
// except where a field says otherwise: a process needs a database (DatabaseDSN or DB), keys (DataDir
// or Keys) and a Temporal server (TemporalHostPort or Embedded).
type Config struct {
	// DatabaseDSN is a postgres:// URL or the path of a SQLite file; New opens it and migrates it.
	DatabaseDSN string
	// DB, when set, is an open, migrated database used instead of DatabaseDSN. Close leaves it open.
	DB *store.DB

	// DataDir is the data folder the keys come from (secret.LoadKeyring: FENGQIAO_KEYS, FENGQIAO_KEY,
	// else a key file in the folder) when Keys is nil, and where attachments are stored (sealed, in
	// DataDir/attachments/<case>/<id>); without it attachments are kept in the database.
	DataDir string
	// Keys, when set, are the keys for personal data and workflow payloads.
	Keys *secret.Keyring

	// TemporalHostPort is the frontend of the Temporal server to dial.
	TemporalHostPort string
	// Namespace is the Temporal namespace; empty is "default".
	Namespace string
	// Embedded, when set, starts an in-process Temporal server with these options and dials it instead
	// of TemporalHostPort; Close stops it. Its Namespace defaults to Namespace, its SearchAttributes to
	// the case workflow's and its Logger to Logger.
	Embedded *devserver.Options
	// LazyTemporal makes the Temporal connection on first use instead of in New (tests on a loaded
	// machine, where a dial can time out). Production dials at once, so that a wrong address fails
	// the start.
	LazyTemporal bool
	// DataConverter, when set, replaces the keys' encrypting converter for workflow payloads (only
	// tests that record histories to replay without the key want this).
	DataConverter converter.DataConverter

	// Deadlines is the policy new cases start with; a Policy without tiers is deadline.DefaultPolicy().
	Deadlines deadline.Policy
	// Prefixes maps a county (or city) code to its case number prefix, e.g. "330203" → "HS".
	Prefixes map[string]string
	// HistoryLimit, when set, makes a case continue as new after that many history events (tests).
	HistoryLimit int

	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client (rate limits count
	// by it); none by default.
	TrustedProxies []string
	// SecureCookies marks the web session cookies Secure: set it when serving behind HTTPS.
	SecureCookies bool
	// TokenTTL is how long a login (API token or web session) stays valid; zero is the API's default.
	TokenTTL time.Duration
	// Logger receives the logs of every part, each with its component; nil discards them.
	Logger *slog.Logger
	// Version is reported by /healthz.
	Version string
	// Notify configures the delivery of the outbox's notices (notify.Worker, run by RunWorker): the
	// in-app inbox always, an SMS gateway and a DingTalk robot when configured.
	Notify NotifyConfig
	// Registry receives the metrics that /metrics serves: the HTTP ones and the Temporal SDK's worker
	// and client ones (internal/temporalmetrics, prefixed fengqiao_); nil is a fresh registry with the
	// Go runtime and process collectors.
	Registry *prometheus.Registry
}

// NotifyConfig names the external notice channels; an empty URL leaves that channel out.
type NotifyConfig struct {
	// SMSURL is the SMS gateway's endpoint (FENGQIAO_SMS_URL) and SMSKey its signing key
	// (FENGQIAO_SMS_KEY); with it, the projection texts parties through the gateway instead of the
	// dev inbox.
	SMSURL string
	SMSKey string
	// DingTalkWebhook is the supervisors' group robot (FENGQIAO_DINGTALK_WEBHOOK) and DingTalkSecret
	// its signing secret (FENGQIAO_DINGTALK_SECRET).
	DingTalkWebhook string
	DingTalkSecret  string
}

// App is one assembled Fengqiao process. Its fields are set by New and shared by the HTTP handler,
// the case service and the worker; read them, do not replace them.
type App struct {
	// DB is the application database.
	DB *store.DB
	// Policy decides who may do what where in the jurisdiction tree.
	Policy *policy.Authorizer
	// Keys seal personal data and workflow payloads.
	Keys *secret.Keyring
	// Temporal is the client of the Temporal namespace.
	Temporal client.Client
	// Cases is the application service of cases both front ends call.
	Cases *cases.Service
	// Accounts logs staff in and administers users, grants and the tree, for both front ends.
	Accounts *accounts.Service
	// TemporalServer is the embedded Temporal server, or nil when the App dials one elsewhere.
	TemporalServer *devserver.Server
	// Notifier delivers the outbox's notices; RunWorker runs it.
	Notifier *notify.Worker

	log       *slog.Logger
	hostPort  string
	sms       *notify.SMS
	calendars *activities.Calendars
	ownDB     bool
	handler   *api.Server

	mu        sync.Mutex
	stops     []func() // the workers StartWorker started, each stop safe to call twice
	closeOnce sync.Once
}

// New assembles the process described by cfg: it starts the embedded Temporal server if asked, loads
// the keys, opens and migrates the database, builds the authorizer, connects to Temporal and builds
// the case service and the HTTP handler. On error everything opened so far is closed again.
func New(ctx context.Context, cfg Config) (_ *App, err error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Namespace == "" {
		cfg.Namespace = "default"
	}
	if cfg.Deadlines.Tiers == nil {
		cfg.Deadlines = deadline.DefaultPolicy()
	}
	a := &App{log: logger, hostPort: cfg.TemporalHostPort}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()

	if cfg.Embedded != nil {
		opts := *cfg.Embedded
		if opts.Namespace == "" {
			opts.Namespace = cfg.Namespace
		}
		if opts.SearchAttributes == nil {
			opts.SearchAttributes = workflows.SearchAttributes()
		}
		if opts.Logger == nil {
			opts.Logger = logger.With("component", "temporal-server")
		}
		if a.TemporalServer, err = devserver.Start(opts); err != nil {
			return nil, err
		}
		a.hostPort = a.TemporalServer.HostPort()
	}
	if a.hostPort == "" {
		return nil, errors.New("app: no Temporal server: set TemporalHostPort or Embedded")
	}

	if a.Keys = cfg.Keys; a.Keys == nil {
		if a.Keys, err = secret.LoadKeyring(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
	}

	if a.DB = cfg.DB; a.DB == nil {
		if cfg.DatabaseDSN == "" {
			return nil, errors.New("app: no database: set DatabaseDSN or DB")
		}
		if a.DB, err = store.Open(ctx, cfg.DatabaseDSN); err != nil {
			return nil, err
		}
		a.ownDB = true
	}
	if a.Policy, err = policy.New(ctx, a.DB); err != nil {
		return nil, err
	}

	dc := cfg.DataConverter
	if dc == nil {
		// personal data in workflow payloads is encrypted before it reaches Temporal's store
		dc = a.Keys.DataConverter()
	}
	if cfg.Registry == nil {
		cfg.Registry = api.NewRegistry() // one registry for the SDK's metrics and the HTTP ones
	}
	opts := client.Options{HostPort: a.hostPort, Namespace: cfg.Namespace, DataConverter: dc,
		Logger:         tlog.NewStructuredLogger(logger.With("component", "temporal-client")),
		MetricsHandler: temporalmetrics.New(cfg.Registry, "fengqiao_"),
		// The first call to the server (GetSystemInfo, also made when a worker starts) gets 30 s, not the
		// SDK's 5 s: a busy machine (2 cores, a cluster restarting) answers late, and a process that gives up
		// at start-up helps no one.
		ConnectionOptions: client.ConnectionOptions{GetSystemInfoTimeout: 30 * time.Second}}
	if cfg.LazyTemporal {
		a.Temporal, err = client.NewLazyClient(opts)
	} else {
		a.Temporal, err = client.DialContext(ctx, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", a.hostPort, err)
	}

	// the holiday calendar administrators keep: read now (a database that cannot be read fails the start),
	// then again at most once a minute, and at once in the process that saves a year
	a.calendars = &activities.Calendars{DB: a.DB, Logger: logger.With("component", "calendars")}
	if _, err = a.calendars.Reload(ctx); err != nil {
		return nil, err
	}
	a.Cases = &cases.Service{DB: a.DB, Temporal: a.Temporal, Keys: a.Keys, Authz: a.Policy, Bodies: a.DB, Policy: cfg.Deadlines,
		Prefixes: cfg.Prefixes, HistoryLimit: cfg.HistoryLimit, Calendars: a.calendars,
		Logger: logger.With("component", "cases")}
	if cfg.DataDir != "" {
		a.Cases.AttachmentDir = filepath.Join(cfg.DataDir, "attachments")
	}
	// one accounts service for both front ends, so that they share its login throttle
	a.Accounts = accounts.New(a.DB, a.Policy, accounts.Options{TokenTTL: cfg.TokenTTL, Logger: logger.With("component", "accounts")})
	channels := []notify.Channel{&notify.Inbox{DB: a.DB}}
	if cfg.Notify.SMSURL != "" {
		a.sms = &notify.SMS{URL: cfg.Notify.SMSURL, Key: []byte(cfg.Notify.SMSKey)}
	}
	if cfg.Notify.DingTalkWebhook != "" {
		channels = append(channels, &notify.DingTalk{Webhook: cfg.Notify.DingTalkWebhook, Secret: cfg.Notify.DingTalkSecret})
	}
	a.Notifier = &notify.Worker{DB: a.DB, Keys: a.Keys, Directory: &notify.Staff{DB: a.DB, Policy: a.Policy},
		Channels: channels, Logger: logger.With("component", "notify")}
	pages := web.New(web.Deps{DB: a.DB, Policy: a.Policy, Cases: a.Cases, Accounts: a.Accounts, Secure: cfg.SecureCookies,
		TokenTTL: cfg.TokenTTL, Logger: logger.With("component", "web")})
	a.handler = api.NewServer(api.Deps{
		DB: a.DB, Policy: a.Policy, Temporal: a.Temporal, Cases: a.Cases, Accounts: a.Accounts, Pages: pages,
		TrustedProxies: cfg.TrustedProxies,
		TokenTTL:       cfg.TokenTTL, Registry: cfg.Registry, Version: cfg.Version,
		Logger: logger.With("component", "http"),
	})
	return a, nil
}

// Handler is the HTTP handler users get: the JSON API under /api/v1, /healthz, /readyz and /metrics,
// and the web pages on every other path.
func (a *App) Handler() http.Handler { return a.handler }

// TemporalHostPort is the address of the Temporal frontend the App uses (the embedded server's, if
// it runs one).
func (a *App) TemporalHostPort() string { return a.hostPort }

// activities are the case workflow's side effects over this App's database and keys.
func (a *App) activities() *activities.Activities {
	acts := &activities.Activities{DB: a.DB, Keys: a.Keys, Calendars: a.calendars, Logger: a.log.With("component", "activities")}
	if a.sms != nil {
		acts.SMS = notify.PartyTexts{SMS: a.sms}
	}
	return acts
}

// StartWorker starts a worker for the case task queue with opts and returns the function that stops
// it. Close stops every worker still running.
func (a *App) StartWorker(opts sdkworker.Options) (stop func(), err error) {
	w := worker.New(a.Temporal, a.activities(), opts)
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("worker: start: %w", err)
	}
	stop = sync.OnceFunc(w.Stop)
	a.mu.Lock()
	a.stops = append(a.stops, stop)
	a.mu.Unlock()
	return stop, nil
}

// RunWorker runs a worker until ctx ends, then stops it gracefully. Beside it, it runs Maintain at
// once and then every MaintainEvery, and delivers due notices every notify.DefaultInterval.
func (a *App) RunWorker(ctx context.Context) error {
	stop, err := a.StartWorker(sdkworker.Options{})
	if err != nil {
		return err
	}
	done, delivered := make(chan struct{}), make(chan struct{})
	go func() { defer close(done); a.maintain(ctx) }()
	go func() { defer close(delivered); a.Notifier.Run(ctx, notify.DefaultInterval) }()
	<-ctx.Done()
	stop()
	<-done
	<-delivered
	return nil
}

// Serve serves Handler on ln (with api.NewHTTPServer's timeouts) until ctx ends, then lets in-flight
// requests finish for up to DrainTimeout.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := api.NewHTTPServer(ln.Addr().String(), a.handler)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	drainCtx, cancel := context.WithTimeout(context.Background(), DrainTimeout)
	defer cancel()
	if err := srv.Shutdown(drainCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close stops the workers still running, closes the Temporal client, stops the embedded server and
// closes the database New opened. It is safe to call more than once.
func (a *App) Close() {
	a.closeOnce.Do(func() {
		a.mu.Lock()
		stops := a.stops
		a.mu.Unlock()
		for _, stop := range stops {
			stop()
		}
		if a.Temporal != nil {
			a.Temporal.Close()
		}
		if a.TemporalServer != nil {
			a.TemporalServer.Stop()
		}
		if a.DB != nil && a.ownDB {
			a.DB.Close()
		}
	})
}
