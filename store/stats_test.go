package store_test

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// cst is a time in China time (UTC+8).
func cst(month time.Month, day, hour int) time.Time {
	return time.Date(2026, month, day, hour, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// statsCase is one case of the statistics fixture.
type statsCase struct {
	id, kind, category, location, status, tier, resolvedTier, outcome string
	opened                                                            time.Time
	closed                                                            *time.Time
	overdue, breach                                                   bool
	events                                                            []store.EventRow
}

func at(t time.Time) *time.Time { return &t }

func rated(caseID string, seq int64, when time.Time, score string) store.EventRow {
	args := ""
	if score != "" {
		args = `{"score":"` + score + `"}`
	}
	return store.EventRow{CaseID: caseID, Seq: seq, OccurredAt: when, Type: "rated", Actor: "party", Args: args}
}

// statsFixture seeds a county with two townships and cases of known outcomes; the period is March 2026
// in China time.
func statsFixture(t *testing.T, db *store.DB) {
	t.Helper()
	mustNode(t, db, fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity})
	mustNode(t, db, fengqiao.Node{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"})
	mustNode(t, db, fengqiao.Node{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"})
	mustNode(t, db, fengqiao.Node{Code: "330203001001", Name: "中山社区", Tier: fengqiao.TierVillage, ParentCode: "330203001"})
	mustNode(t, db, fengqiao.Node{Code: "330203002", Name: "南门街道", Tier: fengqiao.TierTownship, ParentCode: "330203"})
	mustNode(t, db, fengqiao.Node{Code: "330203002001", Name: "南门社区", Tier: fengqiao.TierVillage, ParentCode: "330203002"})
	paths := map[string]string{
		"330203": "/330200/330203/", "330203001": "/330200/330203/330203001/", "330203001001": "/330200/330203/330203001/330203001001/",
		"330203002": "/330200/330203/330203002/", "330203002001": "/330200/330203/330203002/330203002001/",
	}
	cases := []statsCase{
		// resolved at the village in 3 days, rated 5
		{id: "c1", kind: "dispute", category: "neighbour", location: "330203001001", status: "closed", tier: "village",
			resolvedTier: "village", outcome: "resolved", opened: cst(3, 2, 10), closed: at(cst(3, 5, 10)),
			events: []store.EventRow{rated("c1", 9, cst(3, 6, 9), "5")}},
		// closed because a party refused mediation: closed, not resolved
		{id: "c2", kind: "dispute", category: "neighbour", location: "330203001001", status: "closed", tier: "village",
			resolvedTier: "village", outcome: "mediation_refused", opened: cst(3, 3, 10), closed: at(cst(3, 10, 10))},
		// resolved at the county after a second visit, in 16 days; rated 1 (the rating reopens nothing here)
		{id: "c3", kind: "dispute", category: "labour", location: "330203002", status: "closed", tier: "county",
			resolvedTier: "county", outcome: "resolved", opened: cst(3, 4, 10), closed: at(cst(3, 20, 10)), breach: true,
			events: []store.EventRow{rated("c3", 9, cst(3, 21, 9), "1")}},
		// an open petition, overdue now
		{id: "c4", kind: "petition", category: "land", location: "330203002001", status: "registered", tier: "county",
			opened: cst(3, 5, 10), overdue: true},
		// opened in February, resolved on the spot in March after 14 days, rated 4; and a rating made
		// before ratings carried their score, which cannot count
		{id: "c5", kind: "dispute", category: "neighbour", location: "330203002001", status: "closed", tier: "grid",
			resolvedTier: "grid", outcome: "resolved_on_spot: 当场协商一致", opened: cst(2, 20, 10), closed: at(cst(3, 6, 10)),
			events: []store.EventRow{rated("c5", 9, cst(3, 8, 9), "4"), rated("c5", 10, cst(3, 8, 10), "")}},
		// wholly in February, rated in February: outside the period
		{id: "c6", kind: "dispute", category: "neighbour", location: "330203001001", status: "closed", tier: "village",
			resolvedTier: "village", outcome: "resolved", opened: cst(2, 10, 10), closed: at(cst(2, 15, 10)),
			events: []store.EventRow{rated("c6", 9, cst(2, 16, 9), "4")}},
		// opened half an hour into April in China time (still 31 March in UTC): outside
		{id: "c7", kind: "dispute", category: "neighbour", location: "330203001001", status: "registered", tier: "village",
			opened: time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC)},
		// opened half an hour into March in China time (still 28 February in UTC), located at the county
		{id: "c8", kind: "dispute", category: "debt", location: "330203", status: "registered", tier: "county",
			opened: time.Date(2026, 2, 28, 16, 30, 0, 0, time.UTC)},
		// a petition sent to litigation: counted apart, not closed
		{id: "c9", kind: "petition", category: "contract", location: "330203002001", status: "referred_out", tier: "county",
			outcome: "referred_out: litigation", opened: cst(3, 6, 10), closed: at(cst(3, 6, 11))},
		// went past its statutory deadline, no longer flagged: still overdue
		{id: "c10", kind: "dispute", category: "neighbour", location: "330203001", status: "mediating", tier: "township",
			opened: cst(3, 7, 10), events: []store.EventRow{{CaseID: "c10", Seq: 5, OccurredAt: cst(3, 20, 0), Type: "statutory_overdue"}}},
	}
	for _, c := range cases {
		row := store.CaseRow{Case: fengqiao.Case{ID: c.id, Number: "HS-" + c.id, QueryCode: "Q" + c.id, WorkflowID: "case-" + c.id,
			Kind: c.kind, Category: c.category, Channel: "visit", Status: c.status, Tier: c.tier, Location: c.location,
			LocationPath: paths[c.location], HandlingNode: c.location, HandlingPath: paths[c.location], FirstContactUser: "clerk",
			FirstContactNode: "330203", Visits: 1, OpenedAt: c.opened, ClosedAt: c.closed, ResolvedTier: c.resolvedTier,
			Outcome: c.outcome, Overdue: c.overdue, OneVisitBreach: c.breach, UpdatedSeq: 1}}
		if err := db.Project(context.Background(), store.CaseProjection{Case: row, Events: c.events}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStatsFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		statsFixture(t, db)
		ctx := context.Background()
		st, err := db.CaseStats(ctx, "/330200/330203/", cst(3, 1, 0), cst(4, 1, 0))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{"opened": st.Opened, "closed": st.Closed, "resolved": st.Resolved, "local": st.ResolvedLocal,
			"overdue": st.Overdue, "breaches": st.OneVisitBreaches, "referred": st.ReferredOut, "rated": st.Rated, "satisfied": st.Satisfied}
		want := map[string]int64{"opened": 7, "closed": 4, "resolved": 3, "local": 2, "overdue": 2, "breaches": 1, "referred": 1,
			"rated": 3, "satisfied": 2}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("counts = %v\nwant     %v", got, want)
		}
		rates := map[string][2]float64{
			"resolution":  {st.ResolutionRate, 3.0 / 4},
			"local share": {st.ShareTownshipBelow, 2.0 / 3},
			"overdue":     {st.OverdueRate, 2.0 / 7},
			"one visit":   {st.OneVisitRate, 3.0 / 4},
			"median days": {st.MedianDaysToResolve, 14},
			"average":     {st.Satisfaction, 10.0 / 3},
			"satisfied":   {st.SatisfiedShare, 2.0 / 3},
		}
		for name, r := range rates {
			if math.Abs(r[0]-r[1]) > 1e-9 {
				t.Errorf("%s = %v, want %v", name, r[0], r[1])
			}
		}
		if want := map[string]int64{"village": 1, "county": 1, "grid": 1}; !reflect.DeepEqual(st.ResolvedByTier, want) {
			t.Errorf("resolved by tier = %v, want %v", st.ResolvedByTier, want)
		}
		if want := map[string]int64{"5": 1, "4": 1, "1": 1}; !reflect.DeepEqual(st.Ratings, want) {
			t.Errorf("ratings = %v, want %v", st.Ratings, want)
		}
		wantKind := []store.Breakdown{{Key: "dispute", Opened: 5, Closed: 4, Resolved: 3, Overdue: 1},
			{Key: "petition", Opened: 2, Overdue: 1}}
		if !reflect.DeepEqual(st.ByKind, wantKind) {
			t.Errorf("by kind = %+v", st.ByKind)
		}
		wantTier := []store.Breakdown{{Key: "grid", Closed: 1, Resolved: 1}, {Key: "village", Opened: 2, Closed: 2, Resolved: 1},
			{Key: "township", Opened: 1, Overdue: 1}, {Key: "county", Opened: 4, Closed: 1, Resolved: 1, Overdue: 1}}
		if !reflect.DeepEqual(st.ByTier, wantTier) {
			t.Errorf("by tier = %+v", st.ByTier)
		}
		wantCat := []store.Breakdown{{Key: "neighbour", Opened: 3, Closed: 3, Resolved: 2, Overdue: 1},
			{Key: "contract", Opened: 1}, {Key: "debt", Opened: 1}, {Key: "labour", Opened: 1, Closed: 1, Resolved: 1},
			{Key: "land", Opened: 1, Overdue: 1}}
		if !reflect.DeepEqual(st.ByCategory, wantCat) {
			t.Errorf("by category = %+v", st.ByCategory)
		}
		wantChild := []store.Breakdown{
			{Key: "330203001", Name: "鼓楼街道", Opened: 3, Closed: 2, Resolved: 1, Overdue: 1},
			{Key: "330203002", Name: "南门街道", Opened: 3, Closed: 2, Resolved: 2, Overdue: 1},
			{Key: "", Opened: 1}, // c8, located at the county itself
		}
		if !reflect.DeepEqual(st.ByChild, wantChild) {
			t.Errorf("by child = %+v", st.ByChild)
		}
		if st.TrendUnit != "day" || len(st.Trend) != 31 {
			t.Fatalf("trend: %s × %d", st.TrendUnit, len(st.Trend))
		}
		var opened, closed, resolved int64
		for _, p := range st.Trend {
			opened, closed, resolved = opened+p.Opened, closed+p.Closed, resolved+p.Resolved
		}
		if opened != st.Opened || closed != st.Closed || resolved != st.Resolved {
			t.Errorf("the trend adds up to %d/%d/%d", opened, closed, resolved)
		}
		if st.Trend[0].Opened != 1 || st.Trend[1].Opened != 1 || st.Trend[4].Closed != 1 {
			t.Errorf("trend days: %+v", st.Trend[:6])
		}
	})
}

func TestStatsShareIsUndefinedWithNothingResolved(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		statsFixture(t, db)
		// 鼓楼街道 in the week of 8-14 March: c2 closed (refused), nothing resolved
		st, err := db.CaseStats(context.Background(), "/330200/330203/330203001/", cst(3, 8, 0), cst(3, 15, 0))
		if err != nil {
			t.Fatal(err)
		}
		if st.Closed != 1 || st.Resolved != 0 || st.ShareTownshipBelow != 0 || st.ResolutionRate != 0 || st.MedianDaysToResolve != 0 {
			t.Fatalf("closed %d resolved %d share %v rate %v median %v", st.Closed, st.Resolved, st.ShareTownshipBelow,
				st.ResolutionRate, st.MedianDaysToResolve)
		}
	})
}

func TestOutcomeCodeNeverKeepsFreeText(t *testing.T) {
	for in, want := range map[string]string{"resolved": "resolved", "resolved_on_spot: 当场协商，赔偿500元": "resolved_on_spot",
		"final_after_review: support": "final_after_review", "调解成功，张三赔偿": "other", "": "", "answered": "answered"} {
		if got := store.OutcomeCode(in); got != want {
			t.Errorf("OutcomeCode(%q) = %q, want %q", in, got, want)
		}
	}
}
