package app

import (
	"context"
	"errors"
	"time"
)

// MaintainEvery is how often a worker process (RunWorker) does its housekeeping (Maintain).
const MaintainEvery = time.Minute

// ReconcileAfter is how old a case row without a workflow must be before Maintain starts its workflow:
// a younger one may still be in the hands of the intake that wrote it.
const ReconcileAfter = time.Minute

// Maintain does one round of housekeeping: it starts the workflows of cases committed without them
// (cases.Service.Reconcile: the intake's transaction committed, then its process died before the
// start) and prunes the policy changes no process needs any more (policy.Authorizer.PruneChanges).
// Every worker process runs it once at start and then every MaintainEvery; several processes doing it
// at once do no harm (a start is idempotent, a prune deletes the same rows).
func (a *App) Maintain(ctx context.Context) error {
	started, rerr := a.Cases.Reconcile(ctx, ReconcileAfter)
	if started > 0 {
		a.log.Warn("maintenance: started the workflows of cases committed without them", "started", started)
	}
	pruned, perr := a.Policy.PruneChanges(ctx)
	if pruned > 0 {
		a.log.Info("maintenance: pruned old policy changes", "deleted", pruned)
	}
	return errors.Join(rerr, perr)
}

// maintain runs Maintain at once and then every MaintainEvery until ctx ends, logging failures (the
// next round tries again).
func (a *App) maintain(ctx context.Context) {
	for {
		round, cancel := context.WithTimeout(ctx, MaintainEvery)
		if err := a.Maintain(round); err != nil && ctx.Err() == nil {
			a.log.Error("maintenance failed", "error", err)
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-time.After(MaintainEvery):
		}
	}
}
