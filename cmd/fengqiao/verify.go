package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"fengqiao/cases"
	"fengqiao/devserver"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/workflows"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
)

// runVerify walks the audit chain and compares every case's projection with its workflow, and fails
// naming the first broken link or mismatch. Temporal is TEMPORAL_ADDRESS, else the embedded server of
// a running `fengqiao dev`, else the embedded server started here on the data folder.
func runVerify(ctx context.Context, logger *slog.Logger, cfg config) error {
	db, err := store.Open(ctx, cfg.databaseDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Printf("audit log: %d entries, chain intact\n", n)

	hostPort := cfg.TemporalAddr
	if hostPort == "" {
		hostPort = cfg.TemporalListen
		if c, err := net.DialTimeout("tcp", hostPort, time.Second); err == nil {
			c.Close()
		} else {
			srv, err := devserver.Start(devserver.Options{Listen: "127.0.0.1:0",
				DatabaseFile: filepath.Join(cfg.Data, "temporal.db"), Namespace: cfg.Namespace,
				SearchAttributes: workflows.SearchAttributes()}) // its shutdown chatter is of no use here
			if err != nil {
				return err
			}
			defer srv.Stop()
			hostPort = srv.HostPort()
		}
	}
	keys, err := secret.LoadKeyring(cfg.Data)
	if err != nil {
		return err
	}
	tc, err := client.DialContext(ctx, client.Options{HostPort: hostPort, Namespace: cfg.Namespace,
		DataConverter: keys.DataConverter(), Logger: tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		return fmt.Errorf("connect to Temporal at %s: %w", hostPort, err)
	}
	defer tc.Close()
	svc := &cases.Service{DB: db, Temporal: tc, Keys: keys}
	checked, err := svc.VerifyProjection(ctx)
	if err != nil {
		return fmt.Errorf("projection: %w", err)
	}
	fmt.Printf("projection: %d cases match their workflows\n", checked)
	return nil
}
