package cases_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"fengqiao/app/apptest"
	"fengqiao/cases"
	"fengqiao/store"
	"fengqiao/store/storetest"
	"fengqiao/workflows"
)

// TestReconcileStartsTheWorkflowOfACaseCommittedWithoutIt: an intake whose transaction committed but
// whose workflow did not start (here Temporal refuses the start: the namespace does not exist; in
// production the process died in between) is started by Reconcile once its row is older than the
// grace period, and its projection catches up; a younger row is left to its intake.
func TestReconcileStartsTheWorkflowOfACaseCommittedWithoutIt(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	ctx := context.Background()
	elsewhere, err := client.NewLazyClient(client.Options{HostPort: apptest.TemporalHostPort(t), Namespace: "no-such-namespace"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(elsewhere.Close)
	broken := &cases.Service{DB: e.db, Temporal: elsewhere, Keys: e.svc.Keys, Policy: e.svc.Policy, Prefixes: e.svc.Prefixes}
	var ids []string
	for _, respondent := range []string{"李四", "王五"} {
		in := disputeIntake()
		in.Parties[1].Name = respondent
		if _, _, err := broken.Open(ctx, countyClerk, in); err == nil {
			t.Fatal("the start in a namespace that does not exist succeeded")
		}
	}
	if err := e.db.WithContext(ctx).Model(&store.CaseRow{}).Order("id").Pluck("id", &ids).Error; err != nil || len(ids) != 2 {
		t.Fatalf("case rows committed: %v %v", ids, err)
	}
	old, young := ids[0], ids[1]
	if err := e.db.WithContext(ctx).Model(&store.CaseRow{}).Where("id = ?", old).
		Update("created_at", time.Now().UTC().Add(-2*time.Minute)).Error; err != nil {
		t.Fatal(err)
	}

	started, err := e.svc.Reconcile(ctx, time.Minute)
	if err != nil || started != 1 {
		t.Fatalf("Reconcile: started %d, %v; want 1", started, err)
	}
	row := waitRow(t, e, cases.View{ID: old, Seq: 1})
	if row.Tier != "village" || row.HandlingNode != village {
		t.Errorf("projection after the reconciler's start: tier %q node %q", row.Tier, row.HandlingNode)
	}
	if v, err := e.svc.Get(ctx, old); err != nil || v.ID != old || v.Number != row.Number {
		t.Errorf("the started case: %+v %v", v, err)
	}
	var nf *serviceerror.NotFound
	if _, err := e.client.DescribeWorkflowExecution(ctx, workflows.WorkflowID(young), ""); !errors.As(err, &nf) {
		t.Errorf("the young row's workflow was started (%v): its intake may still be starting it", err)
	}
	if started, err := e.svc.Reconcile(ctx, time.Minute); err != nil || started != 0 {
		t.Errorf("a second pass: started %d, %v; want 0", started, err)
	}
}
