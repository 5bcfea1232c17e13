package app_test

import (
	"context"
	"testing"

	"fengqiao/app/apptest"
)

// TestMaintainRunsOnBothDatabases: the worker's housekeeping (the reconciler, the pruning of policy
// changes) runs without error on SQLite and PostgreSQL; cases and policy test what each part does.
func TestMaintainRunsOnBothDatabases(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { maintain(t, apptest.New(t)) })
	t.Run("postgres", func(t *testing.T) { maintain(t, apptest.New(t, apptest.Postgres())) })
}

func maintain(t *testing.T, s *apptest.Stack) {
	if err := s.Maintain(context.Background()); err != nil {
		t.Fatal(err)
	}
}
