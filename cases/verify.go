package cases

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/converter"

	"fengqiao/store"
	"fengqiao/workflows"
)

// Mismatch is a difference between a case's projection and its workflow's own state.
type Mismatch struct {
	CaseID string
	Field  string
	Row    string // the projection's value
	Flow   string // the workflow's value
}

// Error implements error.
func (m *Mismatch) Error() string {
	return fmt.Sprintf("case %s: projection says %s=%q, workflow says %q", m.CaseID, m.Field, m.Row, m.Flow)
}

// CompareProjection checks one case row against its workflow's search attributes — the state the
// workflow itself published (status, tier, handling node). It needs no worker: the server answers.
// It returns a *Mismatch for the first difference, or nil.
func (s *Service) CompareProjection(ctx context.Context, row store.CaseRow) error {
	desc, err := s.Temporal.DescribeWorkflowExecution(ctx, row.WorkflowID, "")
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return &Mismatch{CaseID: row.ID, Field: "workflow", Row: row.WorkflowID, Flow: "(none)"}
	}
	if err != nil {
		return fmt.Errorf("cases: describe %s: %w", row.WorkflowID, err)
	}
	fields := desc.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields()
	attr := func(name string) string {
		p, ok := fields[name]
		if !ok {
			return ""
		}
		var v string
		if err := converter.GetDefaultDataConverter().FromPayload(p, &v); err != nil {
			return "(unreadable)"
		}
		return v
	}
	for _, f := range []struct{ field, row, flow string }{
		{"status", row.Status, attr(workflows.AttrStatus.GetName())},
		{"tier", row.Tier, attr(workflows.AttrTier.GetName())},
		{"handling_node", row.HandlingNode, attr(workflows.AttrNode.GetName())},
	} {
		if f.row != f.flow {
			return &Mismatch{CaseID: row.ID, Field: f.field, Row: f.row, Flow: f.flow}
		}
	}
	return nil
}

// VerifyProjection compares every case row with its workflow, a page at a time, and returns how many
// were checked and the first mismatch (or error).
func (s *Service) VerifyProjection(ctx context.Context) (int, error) {
	n, after := 0, ""
	for {
		rows, err := s.DB.ListCases(ctx, store.CaseFilter{After: after, Limit: 200})
		if err != nil {
			return n, err
		}
		for _, r := range rows {
			if err := s.CompareProjection(ctx, r); err != nil {
				return n, err
			}
			n++
		}
		if len(rows) < 200 {
			return n, nil
		}
		after = rows[len(rows)-1].ID
	}
}
