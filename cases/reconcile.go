package cases

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"

	"fengqiao/store"
	"fengqiao/workflows"
)

// ReconcileBatch is the most rows one Reconcile pass looks at; the next pass takes the rest.
const ReconcileBatch = 200

// Reconcile starts the workflows of cases whose rows were committed but whose workflows never
// started: Open's transaction committed and the process died (or Temporal refused) before the start.
// Such a row has never been projected (updated_seq 0); it waits otherwise until the same intake is
// made again. Rows younger than olderThan are left to the intake still under way. A row whose
// workflow exists — running with its projection behind, or already closed — is not touched. started
// counts the workflows started; err joins the failures, each row having been tried.
func (s *Service) Reconcile(ctx context.Context, olderThan time.Duration) (started int, err error) {
	var ids []string
	cutoff := time.Now().UTC().Add(-olderThan)
	if err := s.DB.WithContext(ctx).Model(&store.CaseRow{}).
		Where("updated_seq = 0 AND created_at < ?", cutoff).
		Order("created_at").Limit(ReconcileBatch).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("cases: reconcile: %w", err)
	}
	var errs []error
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		_, derr := s.Temporal.DescribeWorkflowExecution(ctx, workflows.WorkflowID(id), "")
		var nf *serviceerror.NotFound
		switch {
		case derr == nil:
			continue // the workflow runs (its first projection is on the way) or has run
		case !errors.As(derr, &nf):
			errs = append(errs, fmt.Errorf("cases: reconcile %s: %w", id, derr))
			continue
		}
		if _, err := s.ensureStarted(ctx, id); err != nil {
			s.log().Error("reconcile: case workflow not started", "case", id, "error", err)
			errs = append(errs, fmt.Errorf("cases: reconcile %s: %w", id, err))
			continue
		}
		started++
		s.log().Warn("reconcile: started the workflow of a case committed without it", "case", id)
	}
	return started, errors.Join(errs...)
}
