package workflows_test

import (
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"fengqiao"
	"fengqiao/workflows"
)

func TestHistoryStaysSmallByContinueAsNewCarryingState(t *testing.T) {
	h := newHarness(t)
	in := dispute()
	in.HistoryLimit = 60 // forced small; the server's own suggestion applies in production
	var steps []func()
	steps = append(steps, h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}))
	for i := 0; i < 12; i++ {
		steps = append(steps, h.ok(workflows.UpdateVisit, countyClerk, workflows.VisitArgs{Channel: fengqiao.ChannelPhone}))
	}
	h.at(time.Minute, steps...)
	h.env.ExecuteWorkflow(workflows.WorkflowType, in)
	var can *workflow.ContinueAsNewError
	if err := h.env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("want continue-as-new, got %v", err)
	}
	var next workflows.StartInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.Carry == nil || next.HistoryLimit != 60 {
		t.Fatalf("carried input = %+v", next)
	}

	// The next run starts from the carried state, without resolving or routing again.
	h2 := newHarness(t)
	h2.at(time.Minute, h2.check(func(v workflows.CaseView) {
		if v.Number != in.Number || v.Assignee == nil || *v.Assignee != villageMed.Username || v.Visits < 5 || v.HandlingNode != village {
			t.Errorf("carried view = number %s assignee %v visits %d node %s", v.Number, v.Assignee, v.Visits, v.HandlingNode)
		}
	}), h2.ok(workflows.UpdateVisit, countyClerk, workflows.VisitArgs{Channel: fengqiao.ChannelPhone}))
	next.HistoryLimit = 0
	h2.run(next, time.Hour)
	for _, e := range h2.events() {
		if e == "registered" || e == "routed" {
			t.Errorf("the continued run registered the case again: %v", h2.events())
		}
	}
}
