package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	"fengqiao/app"
	"fengqiao/deadline"
	"fengqiao/demo"
	"fengqiao/devserver"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/workflows"
)

// appConfig is what every subcommand's App is built from; the embedded server and the deadline policy
// are added by the subcommands that need them.
func (c config) appConfig(logger *slog.Logger) app.Config {
	return app.Config{
		DatabaseDSN:      c.databaseDSN(),
		DataDir:          c.Data,
		TemporalHostPort: c.TemporalAddr,
		Namespace:        c.Namespace,
		SecureCookies:    c.SecureCookies,
		TrustedProxies:   c.TrustedProxies,
		Logger:           logger,
		Version:          version,
		Notify: app.NotifyConfig{SMSURL: c.SMSURL, SMSKey: c.SMSKey,
			DingTalkWebhook: c.DingTalkWebhook, DingTalkSecret: c.DingTalkSecret},
	}
}

// withDeadlines adds the deadline policy of FENGQIAO_POLICY (the legal defaults when unset).
func (c config) withDeadlines(ac app.Config) (app.Config, error) {
	p, err := deadline.LoadPolicy(c.PolicyFile)
	if err != nil {
		return ac, fmt.Errorf("policy file %s: %w", c.PolicyFile, err)
	}
	ac.Deadlines = p
	return ac, nil
}

// runDev runs everything in one process on embedded defaults.
func runDev(ctx context.Context, logger *slog.Logger, cfg config) error {
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return fmt.Errorf("data folder %s: %w", cfg.Data, err)
	}
	ac, err := cfg.withDeadlines(cfg.appConfig(logger))
	if err != nil {
		return err
	}
	if cfg.TemporalAddr == "" {
		ac.Embedded = &devserver.Options{Listen: cfg.TemporalListen, DatabaseFile: filepath.Join(cfg.Data, "temporal.db"),
			Level: slog.LevelWarn}
		if cfg.TemporalUI != "off" {
			ac.Embedded.UIListen = cfg.TemporalUI
			ac.Embedded.UIWriteActions = cfg.TemporalUIWrite
		}
	}
	a, err := app.New(ctx, ac)
	if err != nil {
		return err
	}
	defer a.Close()

	admin, err := ensureAdmin(ctx, a, cfg.AdminPassword)
	if err != nil {
		return err
	}
	var logins []demo.Login
	if cfg.Demo {
		if logins, err = demo.Seed(ctx, a.DB, a.Policy); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}

	workerCtx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		if err := a.RunWorker(workerCtx); err != nil {
			logger.Error("worker stopped", "error", err)
		}
	}()
	defer func() { stopWorker(); <-workerDone }()

	ln, err := listen(cfg.Addr)
	if err != nil {
		return err
	}
	var uiURL string
	if a.TemporalServer != nil {
		uiURL = a.TemporalServer.UIURL()
	}
	banner(os.Stdout, "http://"+ln.Addr().String(), a.TemporalHostPort(), uiURL, cfg, admin, logins)
	return a.Serve(ctx, ln)
}

// onCluster runs fn on the App of a production process (serve or worker), which needs TEMPORAL_ADDRESS.
func onCluster(ctx context.Context, logger *slog.Logger, cfg config, command string, fn func(*app.App) error) error {
	if cfg.TemporalAddr == "" {
		return fmt.Errorf("%s needs TEMPORAL_ADDRESS (use `fengqiao dev` for the embedded server)", command)
	}
	ac, err := cfg.withDeadlines(cfg.appConfig(logger))
	if err != nil {
		return err
	}
	a, err := app.New(ctx, ac)
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}

// runServe runs the web server against a Temporal cluster.
func runServe(ctx context.Context, logger *slog.Logger, cfg config) error {
	return onCluster(ctx, logger, cfg, "serve", func(a *app.App) error {
		admin, err := ensureAdmin(ctx, a, cfg.AdminPassword)
		if err != nil {
			return err
		}
		if admin.generated {
			fmt.Printf("bootstrap admin created: username admin, password %s (shown once)\n", admin.password)
		}
		ln, err := listen(cfg.Addr)
		if err != nil {
			return err
		}
		logger.Info("serving", "addr", ln.Addr().String(), "temporal", cfg.TemporalAddr)
		return a.Serve(ctx, ln)
	})
}

// runWorker runs the Temporal worker against a cluster.
func runWorker(ctx context.Context, logger *slog.Logger, cfg config) error {
	return onCluster(ctx, logger, cfg, "worker", func(a *app.App) error {
		logger.Info("worker started", "temporal", cfg.TemporalAddr, "task_queue", workflows.TaskQueue)
		return a.RunWorker(ctx)
	})
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
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
	// free text written before it was sealed at rest is sealed now (safe to repeat, safe while serving)
	keys, err := secret.LoadKeyring(cfg.Data)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	n, err := db.SealPlaintext(ctx, keys)
	if err != nil {
		return err
	}
	logger.Info("free text sealed", "rows", n)
	// parties projected before the search keys (migration 0021) get theirs (safe to repeat, resumes)
	n, err = db.IndexSearchBackfill(ctx, keys)
	if err != nil {
		return err
	}
	logger.Info("parties indexed for search", "parties", n)
	return nil
}
