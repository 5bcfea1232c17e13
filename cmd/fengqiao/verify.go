package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"fengqiao/app"
	"fengqiao/devserver"
)

// runVerify walks the audit chain and compares every case's projection with its workflow, and fails
// naming the first broken link or mismatch. Temporal is TEMPORAL_ADDRESS, else the embedded server of
// a running `fengqiao dev`, else the embedded server started here on the data folder.
func runVerify(ctx context.Context, logger *slog.Logger, cfg config) error {
	// the embedded server's and the client's chatter is of no use here
	ac := cfg.appConfig(slog.New(slog.DiscardHandler))
	if ac.TemporalHostPort == "" {
		ac.TemporalHostPort = cfg.TemporalListen
		if c, err := net.DialTimeout("tcp", ac.TemporalHostPort, time.Second); err == nil {
			c.Close()
		} else {
			ac.Embedded = &devserver.Options{Listen: "127.0.0.1:0", DatabaseFile: filepath.Join(cfg.Data, "temporal.db")}
		}
	}
	a, err := app.New(ctx, ac)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := a.DB.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Printf("audit log: %d entries, chain intact\n", n)
	checked, err := a.Cases.VerifyProjection(ctx)
	if err != nil {
		return fmt.Errorf("projection: %w", err)
	}
	fmt.Printf("projection: %d cases match their workflows\n", checked)
	return nil
}
