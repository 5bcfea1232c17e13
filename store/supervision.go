package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// openStatuses are the statuses of a case still being handled.
var openStatuses = []string{"registered", "mediating", "suspended", "agreement", "confirmation_pending",
	"confirmed", "rejected_by_court", "answered", "under_review"}

// SupervisionQueue is a supervisor's board: overdue cases (most overdue first), cases at risk (nearest
// deadline first) and escalations nobody has acknowledged (oldest first), all open cases under scope.
type SupervisionQueue struct {
	Overdue        []CaseRow
	AtRisk         []CaseRow
	Unacknowledged []CaseRow
}

// Supervision returns the queue for the cases scope may read, at most limit per list.
func (db *DB) Supervision(ctx context.Context, scope ReadScope, limit int) (SupervisionQueue, error) {
	var q SupervisionQueue
	lists := []struct {
		dst   *[]CaseRow
		where string
		order string
	}{
		{&q.Overdue, "overdue = TRUE", "tier_due_at, id"},
		{&q.AtRisk, "at_risk = TRUE AND overdue = FALSE", "tier_due_at, id"},
		{&q.Unacknowledged, "unacknowledged = TRUE", "escalated_at, id"},
	}
	for _, l := range lists {
		tx := db.WithContext(ctx).Model(&CaseRow{}).Where(l.where).Where("status IN ?", openStatuses).
			Order(l.order).Limit(limit)
		if err := scope.apply(tx).Find(l.dst).Error; err != nil {
			return SupervisionQueue{}, fmt.Errorf("store: supervision queue: %w", err)
		}
	}
	return q, nil
}

// Stats are the figures of GET /api/v1/stats for one subtree and period.
type Stats struct {
	Opened              int64            `json:"opened"`
	Resolved            int64            `json:"resolved"`
	ResolvedByTier      map[string]int64 `json:"resolved_by_tier"`
	ShareTownshipBelow  float64          `json:"share_resolved_at_township_or_below"`
	Overdue             int64            `json:"overdue"`
	OverdueRate         float64          `json:"overdue_rate"`
	OneVisitRate        float64          `json:"one_visit_rate"`
	MedianDaysToResolve float64          `json:"median_days_to_resolution"`
	Rated               int64            `json:"rated"`
	Satisfaction        float64          `json:"satisfaction_average"`
	SatisfiedShare      float64          `json:"satisfied_share"`
	// Closed counts the cases of the period closed by now (resolved or not); OneVisitBreaches those
	// whose party came more than once (rule 3).
	Closed           int64 `json:"closed"`
	OneVisitBreaches int64 `json:"one_visit_breaches"`
	// Ratings counts the ratings by score ("1" to "5").
	Ratings map[string]int64 `json:"ratings"`
	// ByTownship are the townships under the node with their cases of the period and how many are overdue.
	ByTownship []TownshipCount `json:"by_township"`
	// Weekly counts the cases opened in each 7-day bucket of the period, oldest first.
	Weekly []WeekCount `json:"weekly"`
	// Risks are the risk figures of the subtree and period (cases.Service.Stats fills them).
	Risks *RiskFigures `json:"risks,omitempty"`
}

// TownshipCount is one township's cases of a period.
type TownshipCount struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Opened  int64  `json:"opened"`
	Overdue int64  `json:"overdue"`
}

// WeekCount is the number of cases opened in the 7 days from Start.
type WeekCount struct {
	Start  time.Time `json:"start"`
	Opened int64     `json:"opened"`
}

// maxWeeks bounds the weekly buckets of one statistics query.
const maxWeeks = 60

// CaseStats computes the figures in SQL over the cases located under path opened in [from, to).
func (db *DB) CaseStats(ctx context.Context, path string, from, to time.Time) (Stats, error) {
	st := Stats{ResolvedByTier: map[string]int64{}, Ratings: map[string]int64{}, ByTownship: []TownshipCount{},
		Weekly: []WeekCount{}}
	base := func() *DB {
		under, args := underPath(db.DB, "location_path", path)
		return &DB{DB: db.WithContext(ctx).Model(&CaseRow{}).Where(under, args...).
			Where("opened_at >= ? AND opened_at < ?", from.UTC(), to.UTC()), dialect: db.dialect, writer: db.writer}
	}
	var agg struct {
		Opened   int64
		Closed   int64
		Breaches int64
		Overdue  int64
		Rated    int64
		SatSum   int64
		SatGood  int64
	}
	err := base().Select(`COUNT(*) AS opened,
		COALESCE(SUM(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS closed,
		COALESCE(SUM(CASE WHEN one_visit_breach THEN 1 ELSE 0 END), 0) AS breaches,
		COALESCE(SUM(CASE WHEN overdue THEN 1 ELSE 0 END), 0) AS overdue,
		COUNT(satisfaction) AS rated,
		COALESCE(SUM(satisfaction), 0) AS sat_sum,
		COALESCE(SUM(CASE WHEN satisfaction >= 4 THEN 1 ELSE 0 END), 0) AS sat_good`).Scan(&agg).Error
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	st.Opened, st.Overdue, st.Rated = agg.Opened, agg.Overdue, agg.Rated
	st.Closed, st.OneVisitBreaches = agg.Closed, agg.Breaches
	if err := db.statsBreakdowns(ctx, base, path, from, to, &st); err != nil {
		return Stats{}, err
	}
	var byTier []struct {
		ResolvedTier string
		N            int64
	}
	if err := base().Select("resolved_tier, COUNT(*) AS n").Where("resolved_tier <> ''").Group("resolved_tier").
		Scan(&byTier).Error; err != nil {
		return Stats{}, fmt.Errorf("store: stats by tier: %w", err)
	}
	var low int64
	for _, r := range byTier {
		st.ResolvedByTier[r.ResolvedTier] = r.N
		st.Resolved += r.N
		if r.ResolvedTier == "village" || r.ResolvedTier == "township" || r.ResolvedTier == "grid" {
			low += r.N
		}
	}
	if st.Resolved > 0 {
		st.ShareTownshipBelow = float64(low) / float64(st.Resolved)
		// the median time to resolution, picked in SQL: the middle row by duration
		var closed []CaseRow
		if err := base().Select("opened_at, closed_at").Where("resolved_tier <> '' AND closed_at IS NOT NULL").
			Order(db.durationOrder()).Offset(int(st.Resolved / 2)).Limit(1).Find(&closed).Error; err != nil {
			return Stats{}, fmt.Errorf("store: stats median: %w", err)
		}
		if len(closed) == 1 && closed[0].ClosedAt != nil {
			st.MedianDaysToResolve = closed[0].ClosedAt.Sub(closed[0].OpenedAt).Hours() / 24
		}
	}
	if st.Opened > 0 {
		st.OverdueRate = float64(st.Overdue) / float64(st.Opened)
		st.OneVisitRate = 1 - float64(agg.Breaches)/float64(st.Opened)
	}
	if st.Rated > 0 {
		st.Satisfaction = float64(agg.SatSum) / float64(st.Rated)
		st.SatisfiedShare = float64(agg.SatGood) / float64(st.Rated)
	}
	return st, nil
}

// statsBreakdowns adds the ratings by score, the townships and the weekly counts to st.
func (db *DB) statsBreakdowns(ctx context.Context, base func() *DB, path string, from, to time.Time, st *Stats) error {
	var ratings []struct {
		Satisfaction int
		N            int64
	}
	if err := base().Select("satisfaction, COUNT(*) AS n").Where("satisfaction IS NOT NULL").Group("satisfaction").
		Scan(&ratings).Error; err != nil {
		return fmt.Errorf("store: stats ratings: %w", err)
	}
	for _, r := range ratings {
		st.Ratings[fmt.Sprint(r.Satisfaction)] = r.N
	}
	under, args := underPath(db.DB, "n.path", path)
	args = append([]any{from.UTC(), to.UTC()}, args...)
	if err := db.WithContext(ctx).Raw(`SELECT n.code AS code, n.name AS name, COUNT(c.id) AS opened,
			COALESCE(SUM(CASE WHEN c.overdue THEN 1 ELSE 0 END), 0) AS overdue
		FROM nodes n LEFT JOIN cases c ON c.location_path LIKE n.path || '%' AND c.opened_at >= ? AND c.opened_at < ?
		WHERE n.tier = 'township' AND `+under+`
		GROUP BY n.code, n.name ORDER BY n.code`, args...).Scan(&st.ByTownship).Error; err != nil {
		return fmt.Errorf("store: stats townships: %w", err)
	}
	var cols []string
	var colArgs []any
	for start := from; start.Before(to) && len(st.Weekly) < maxWeeks; start = start.AddDate(0, 0, 7) {
		st.Weekly = append(st.Weekly, WeekCount{Start: start})
		cols = append(cols, fmt.Sprintf("COALESCE(SUM(CASE WHEN opened_at >= ? AND opened_at < ? THEN 1 ELSE 0 END), 0) AS w%d", len(cols)))
		colArgs = append(colArgs, start.UTC(), start.AddDate(0, 0, 7).UTC())
	}
	if len(cols) == 0 {
		return nil
	}
	counts := make([]any, len(cols))
	for i := range st.Weekly {
		counts[i] = &st.Weekly[i].Opened
	}
	if err := base().Select(strings.Join(cols, ", "), colArgs...).Row().Scan(counts...); err != nil {
		return fmt.Errorf("store: stats weekly: %w", err)
	}
	return nil
}

// durationOrder orders rows by time from opening to closing.
func (db *DB) durationOrder() string {
	if db.IsPostgres() {
		return "closed_at - opened_at"
	}
	return "julianday(closed_at) - julianday(opened_at)"
}
