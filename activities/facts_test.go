package activities_test

import (
	"context"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/store"
	"fengqiao/store/storetest"

	"go.temporal.io/sdk/converter"
)

// TestEventsStoredAsFactsReachTheProjectionStructured sends a projection through the data converter
// Temporal encodes an activity's input with, as the workflow's projection does, and projects it: an event
// written with no facts (facts{}) stays structured ("{}", so that pages render its sentence in the reader's
// language), an event with facts keeps them, and an event written before facts existed (nil) stays
// unstructured, its detail shown as it was written.
func TestEventsStoredAsFactsReachTheProjectionStructured(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := &activities.Activities{DB: db, Keys: keys(t)}
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		sent := activities.Projection{
			Case: fengqiao.Case{ID: "c1", Number: "HS-2026-000001", QueryCode: "QQQQQQQQQQQQ", WorkflowID: "case-c1",
				Kind: "dispute", Category: "neighbour", Channel: "visit", Status: "mediating", Location: "G1",
				FirstContactUser: "clerk", FirstContactNode: "330203", Visits: 1, OpenedAt: at, UpdatedSeq: 3},
			Events: []activities.Event{
				{Seq: 1, At: at, Type: "mediation_terminated", Args: map[string]string{}},
				{Seq: 2, At: at, Type: "consent", Actor: "med", Detail: "电话确认", Args: map[string]string{"party": "applicant"}},
				{Seq: 3, At: at, Type: "consent", Detail: "applicant consents to mediation"},
			},
		}
		payload, err := converter.GetDefaultDataConverter().ToPayload(sent)
		if err != nil {
			t.Fatal(err)
		}
		var got activities.Projection
		if err := converter.GetDefaultDataConverter().FromPayload(payload, &got); err != nil {
			t.Fatal(err)
		}
		if err := a.Project(ctx, got); err != nil {
			t.Fatal(err)
		}
		events, err := db.CaseEvents(ctx, "c1")
		if err != nil || len(events) != 3 {
			t.Fatalf("%d events, %v", len(events), err)
		}
		for i, want := range []string{"{}", `{"party":"applicant"}`, ""} {
			if events[i].Args != want {
				t.Errorf("event %d (%s) stored args %q, want %q", events[i].Seq, events[i].Type, events[i].Args, want)
			}
		}
	})
}
