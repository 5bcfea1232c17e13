package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestMarksNameOpenRisksAndTheLeaderOfTheLatestStep: list marks hold the open flags, most severe first,
// and the leader; a leader survives a step without flags, and an older step never overwrites a newer one.
func TestMarksNameOpenRisksAndTheLeaderOfTheLatestStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		since := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		closed := since.Add(time.Hour)
		risks := []fengqiao.Risk{
			{Kind: fengqiao.RiskStale, Severity: 1, Since: since},
			{Kind: fengqiao.RiskGroup, Severity: 3, Since: since},
			{Kind: fengqiao.RiskRepeat, Severity: 2, Since: since, ClosedAt: &closed},
		}
		if err := db.ReplaceRisks(ctx, "c1", 5, risks, "sup-town"); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceRisks(ctx, "c2", 3, nil, "sup-county"); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceRisks(ctx, "c2", 2, nil, "someone-older"); err != nil {
			t.Fatal(err)
		}
		m, err := db.Marks(ctx, []string{"c1", "c2", "c3"})
		if err != nil {
			t.Fatal(err)
		}
		if got := m["c1"]; !slices.Equal(got.Risks, []string{"group", "stale"}) || got.Leader != "sup-town" {
			t.Errorf("c1 marks = %+v", got)
		}
		if got := m["c2"]; len(got.Risks) != 0 || got.Leader != "sup-county" {
			t.Errorf("c2 marks = %+v", got)
		}
		if _, ok := m["c3"]; ok {
			t.Errorf("c3 has marks: %+v", m["c3"])
		}
	})
}
