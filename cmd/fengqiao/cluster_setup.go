package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fengqiao/internal/clustersetup"
	"fengqiao/workflows"
)

// runClusterSetup registers the namespace (TEMPORAL_NAMESPACE, retention TEMPORAL_NAMESPACE_RETENTION)
// and the case workflow's search attributes on the cluster at TEMPORAL_ADDRESS, waiting up to
// FENGQIAO_SETUP_TIMEOUT (default 3m) for the frontend: make cluster and docker compose run it once the
// Temporal services are started.
func runClusterSetup(ctx context.Context, logger *slog.Logger, cfg config) error {
	if cfg.TemporalAddr == "" {
		return fmt.Errorf("cluster-setup needs TEMPORAL_ADDRESS")
	}
	retention, err := time.ParseDuration(env("TEMPORAL_NAMESPACE_RETENTION", "720h"))
	if err != nil {
		return fmt.Errorf("TEMPORAL_NAMESPACE_RETENTION: %w", err)
	}
	timeout, err := time.ParseDuration(env("FENGQIAO_SETUP_TIMEOUT", "3m"))
	if err != nil {
		return fmt.Errorf("FENGQIAO_SETUP_TIMEOUT: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	began := time.Now()
	if err := clustersetup.Ensure(ctx, clustersetup.Options{HostPort: cfg.TemporalAddr, Namespace: cfg.Namespace,
		Retention: retention, SearchAttributes: workflows.SearchAttributes(), Logger: logger}); err != nil {
		return err
	}
	logger.Info("cluster ready", "temporal", cfg.TemporalAddr, "namespace", cfg.Namespace,
		"search_attributes", len(workflows.SearchAttributes()), "took", time.Since(began).Round(time.Millisecond))
	return nil
}
