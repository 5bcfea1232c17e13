package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"fengqiao/activities"
	"fengqiao/api"
	"fengqiao/api/web"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/demo"
	"fengqiao/devserver"
	"fengqiao/policy"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/worker"
	"fengqiao/workflows"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
)

// stack is what every process shares: the database, the authorizer and a Temporal client.
type stack struct {
	db       *store.DB
	policy   *policy.Authorizer
	temporal client.Client
	keys     *secret.Keyring
	deadline deadline.Policy // the deadlines new cases start with
	// secureCookies marks the web session cookies Secure (set behind HTTPS)
	secureCookies bool
}

func (s *stack) close() {
	if s.temporal != nil {
		s.temporal.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
}

// openStack opens the database (migrating it), the authorizer and a Temporal client at hostPort.
func openStack(ctx context.Context, logger *slog.Logger, cfg config, hostPort string) (*stack, error) {
	s := &stack{secureCookies: cfg.SecureCookies}
	var err error
	if s.deadline, err = deadline.LoadPolicy(cfg.PolicyFile); err != nil {
		return nil, fmt.Errorf("policy file %s: %w", cfg.PolicyFile, err)
	}
	if s.keys, err = secret.LoadKeyring(cfg.Data); err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	if s.db, err = store.Open(ctx, cfg.databaseDSN()); err != nil {
		return nil, err
	}
	if s.policy, err = policy.New(ctx, s.db); err != nil {
		s.close()
		return nil, err
	}
	s.temporal, err = client.DialContext(ctx, client.Options{
		HostPort:  hostPort,
		Namespace: cfg.Namespace,
		Logger:    tlog.NewStructuredLogger(logger.With("component", "temporal-client")),
		// personal data in workflow payloads is encrypted before it reaches Temporal's store
		DataConverter: s.keys.DataConverter(),
	})
	if err != nil {
		s.close()
		return nil, fmt.Errorf("connect to Temporal at %s: %w", hostPort, err)
	}
	return s, nil
}

// runDev runs everything in one process on embedded defaults.
func runDev(ctx context.Context, logger *slog.Logger, cfg config) error {
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return fmt.Errorf("data folder %s: %w", cfg.Data, err)
	}
	hostPort := cfg.TemporalAddr
	var uiURL string
	if hostPort == "" {
		opts := devserver.Options{
			Listen:           cfg.TemporalListen,
			DatabaseFile:     filepath.Join(cfg.Data, "temporal.db"),
			Namespace:        cfg.Namespace,
			SearchAttributes: workflows.SearchAttributes(),
			Logger:           logger.With("component", "temporal-server"),
			Level:            slog.LevelWarn,
		}
		if cfg.TemporalUI != "off" {
			opts.UIListen = cfg.TemporalUI
		}
		srv, err := devserver.Start(opts)
		if err != nil {
			return err
		}
		defer srv.Stop()
		hostPort, uiURL = srv.HostPort(), srv.UIURL()
	}
	st, err := openStack(ctx, logger, cfg, hostPort)
	if err != nil {
		return err
	}
	defer st.close()

	admin, err := ensureAdmin(ctx, st, cfg.AdminPassword)
	if err != nil {
		return err
	}
	var logins []demo.Login
	if cfg.Demo {
		if logins, err = demo.Seed(ctx, st.db, st.policy); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}

	workerDone := runWorkerInBackground(ctx, logger, st)
	defer func() { <-workerDone }()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	banner(os.Stdout, "http://"+ln.Addr().String(), hostPort, uiURL, cfg, admin, logins)
	return serveHTTP(ctx, logger, st, ln)
}

// runServe runs the web server against a Temporal cluster.
func runServe(ctx context.Context, logger *slog.Logger, cfg config) error {
	if cfg.TemporalAddr == "" {
		return errors.New("serve needs TEMPORAL_ADDRESS (use `fengqiao dev` for the embedded server)")
	}
	st, err := openStack(ctx, logger, cfg, cfg.TemporalAddr)
	if err != nil {
		return err
	}
	defer st.close()
	admin, err := ensureAdmin(ctx, st, cfg.AdminPassword)
	if err != nil {
		return err
	}
	if admin.generated {
		fmt.Printf("bootstrap admin created: username admin, password %s (shown once)\n", admin.password)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "temporal", cfg.TemporalAddr)
	return serveHTTP(ctx, logger, st, ln)
}

// runWorker runs the Temporal worker against a cluster.
func runWorker(ctx context.Context, logger *slog.Logger, cfg config) error {
	if cfg.TemporalAddr == "" {
		return errors.New("worker needs TEMPORAL_ADDRESS (use `fengqiao dev` for the embedded server)")
	}
	st, err := openStack(ctx, logger, cfg, cfg.TemporalAddr)
	if err != nil {
		return err
	}
	defer st.close()
	logger.Info("worker started", "temporal", cfg.TemporalAddr, "task_queue", workflows.TaskQueue)
	return worker.Run(ctx, st.temporal, st.activities(logger))
}

// activities are the case workflow's side effects over this process's stack.
func (s *stack) activities(logger *slog.Logger) *activities.Activities {
	return &activities.Activities{DB: s.db, Keys: s.keys, Logger: logger.With("component", "activities")}
}

// runWorkerInBackground runs the worker until ctx ends; the channel closes when it has stopped.
func runWorkerInBackground(ctx context.Context, logger *slog.Logger, st *stack) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := worker.Run(ctx, st.temporal, st.activities(logger)); err != nil {
			logger.Error("worker stopped", "error", err)
		}
	}()
	return done
}

func runMigrate(ctx context.Context, logger *slog.Logger, cfg config) error {
	db, err := store.Open(ctx, cfg.databaseDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	logger.Info("database migrated", "schema_version", v)
	return nil
}

// serveHTTP serves the API on ln until ctx ends, then drains in-flight requests for up to 15 s.
func serveHTTP(ctx context.Context, logger *slog.Logger, st *stack, ln net.Listener) error {
	service := &cases.Service{DB: st.db, Temporal: st.temporal, Keys: st.keys, Policy: st.deadline,
		Logger: logger.With("component", "cases")}
	pages := web.New(web.Deps{DB: st.db, Policy: st.policy, Cases: service, Secure: st.secureCookies,
		Logger: logger.With("component", "web")})
	handler := api.NewServer(api.Deps{
		DB: st.db, Policy: st.policy, Temporal: st.temporal, Cases: service, Pages: pages,
		Logger: logger.With("component", "http"), Version: version,
	})
	srv := api.NewHTTPServer(ln.Addr().String(), handler)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
