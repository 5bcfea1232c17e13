package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The statistics count cases by these definitions (the statistics page prints them, 口径):
//
//   - opened (受理): cases located under the node whose opened_at lies in the period;
//   - closed (办结): cases whose closed_at lies in the period and that ended handled — closed, final or
//     resolved; a petition not accepted and sent to its lawful channel (referred_out, 导入法定途径) is
//     counted apart, not as closed;
//   - resolved (化解): closed cases whose outcome is a success (OutcomeResolved): a mediated agreement or
//     a matter resolved on the spot, or a petition whose written answer stood (no 复查 requested);
//   - overdue (超期): opened cases that are past a deadline now or went past one (a statutory_overdue or
//     tier_overdue event); rising a tier when the tier deadline expires is the ladder (rule 2), not 超期;
//   - one visit (最多跑一次): closed cases whose party came in person at most once (no one_visit_breach);
//   - ratings (评价): every rating submitted in the period (its rated event), whether it closed the
//     matter or reopened it, by the date it was submitted.

// OutcomeResolved are the outcome codes that count as resolved (化解).
var OutcomeResolved = []string{"resolved", "resolved_on_spot", "answered"}

// outcomeCodes are the outcome codes kept in clear; any other outcome is "other".
var outcomeCodes = []string{"resolved", "resolved_on_spot", "terminated", "withdrawn", "mediation_refused",
	"answered", "final_after_review", "referred_out"}

// OutcomeCode is the code of an outcome as the workflow writes it ("resolved", "resolved_on_spot: 当场…",
// "final_after_review: support"): the part before the colon when it is a known code, "other" for any
// other text (never the text itself: outcomes are sealed), "" for none.
func OutcomeCode(outcome string) string {
	outcome = strings.TrimSpace(outcome)
	if outcome == "" {
		return ""
	}
	code, _, _ := strings.Cut(outcome, ":")
	code = strings.TrimSpace(code)
	if slices.Contains(outcomeCodes, code) {
		return code
	}
	return "other"
}

// Stats are the figures of GET /api/v1/stats for one subtree and period [From, To).
type Stats struct {
	Opened         int64            `json:"opened"`
	Resolved       int64            `json:"resolved"`
	ResolvedByTier map[string]int64 `json:"resolved_by_tier"`
	// ShareTownshipBelow is ResolvedLocal ÷ Resolved (0 when nothing was resolved).
	ShareTownshipBelow float64 `json:"share_resolved_at_township_or_below"`
	Overdue            int64   `json:"overdue"`
	// OverdueRate is Overdue ÷ Opened.
	OverdueRate float64 `json:"overdue_rate"`
	// OneVisitRate is (Closed − OneVisitBreaches) ÷ Closed.
	OneVisitRate float64 `json:"one_visit_rate"`
	// MedianDaysToResolve is the median of the days from opening to closing of the resolved cases.
	MedianDaysToResolve float64 `json:"median_days_to_resolution"`
	// Rated counts the ratings submitted in the period.
	Rated int64 `json:"rated"`
	// Satisfaction is the mean score of those ratings.
	Satisfaction float64 `json:"satisfaction_average"`
	// SatisfiedShare is Satisfied ÷ Rated.
	SatisfiedShare float64 `json:"satisfied_share"`
	// Closed counts the cases closed in the period; OneVisitBreaches those of them whose party came in
	// person more than once (rule 3).
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

	// ResolutionRate is Resolved ÷ Closed (化解率).
	ResolutionRate float64 `json:"resolution_rate"`
	// ResolvedLocal counts the resolved cases resolved at a township, village or grid.
	ResolvedLocal int64 `json:"resolved_at_township_or_below"`
	// ReferredOut counts the petitions of the period sent to their lawful channel (not closed).
	ReferredOut int64 `json:"referred_out"`
	// Satisfied counts the ratings of 4 or 5.
	Satisfied int64 `json:"satisfied"`
	// ByKind, ByCategory and ByTier split the figures; the rows of each add up to the totals. A case's
	// tier is the tier that closed it (or reached its agreement) once closed, else the tier handling it.
	ByKind     []Breakdown `json:"by_kind"`
	ByCategory []Breakdown `json:"by_category"`
	ByTier     []Breakdown `json:"by_tier"`
	// ByChild splits the figures by the node's children (the roots for the whole tree), by where the
	// cases are located; a row with an empty code holds the cases located at the node itself.
	ByChild []Breakdown `json:"by_child"`
	// Trend counts the cases opened, closed and resolved in each bucket of TrendUnit (day, week or month,
	// by the length of the period), oldest first, in China time.
	Trend     []TrendPoint `json:"trend"`
	TrendUnit string       `json:"trend_unit"`
}

// Breakdown is one row of a split of the figures: the key (a kind, category, tier or node code), the
// node's name, and the counts by the definitions above.
type Breakdown struct {
	Key      string `json:"key"`
	Name     string `json:"name,omitempty"`
	Opened   int64  `json:"opened"`
	Closed   int64  `json:"closed"`
	Resolved int64  `json:"resolved"`
	Overdue  int64  `json:"overdue"`
}

// TrendPoint is one bucket of the trend: [Start, End).
type TrendPoint struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Opened   int64     `json:"opened"`
	Closed   int64     `json:"closed"`
	Resolved int64     `json:"resolved"`
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

// maxWeeks bounds the weekly buckets of one statistics query; maxBuckets the trend's.
const (
	maxWeeks   = 60
	maxBuckets = 62
)

// tierOrder orders the tiers of a breakdown, lowest first.
var tierOrder = []string{"grid", "village", "township", "county", "city", "court"}

// localTiers are the tiers of 镇街及以下.
var localTiers = []string{"grid", "village", "township"}

// statsConds are the SQL conditions of the definitions, over the cases table aliased c, and their
// arguments, for one period.
type statsConds struct {
	from, to time.Time
}

func (s statsConds) opened() (string, []any) {
	return "(c.opened_at >= ? AND c.opened_at < ?)", []any{s.from, s.to}
}

func (s statsConds) closed() (string, []any) {
	return "(c.closed_at >= ? AND c.closed_at < ? AND c.status IN ('closed', 'final', 'resolved'))", []any{s.from, s.to}
}

func (s statsConds) resolved() (string, []any) {
	sql, args := s.closed()
	return "(" + sql + " AND c.outcome_code IN ('" + strings.Join(OutcomeResolved, "', '") + "'))", args
}

func (s statsConds) overdue() (string, []any) {
	sql, args := s.opened()
	return "(" + sql + ` AND (c.overdue OR EXISTS (SELECT 1 FROM case_events e
		WHERE e.case_id = c.id AND e.type IN ('statutory_overdue', 'tier_overdue'))))`, args
}

func (s statsConds) breach() (string, []any) {
	sql, args := s.closed()
	return "(" + sql + " AND c.one_visit_breach)", args
}

func (s statsConds) referred() (string, []any) {
	return "(c.closed_at >= ? AND c.closed_at < ? AND c.status = 'referred_out')", []any{s.from, s.to}
}

// touched selects the cases a figure of the period can count: opened or closed in it.
func (s statsConds) touched() (string, []any) {
	return "((c.opened_at >= ? AND c.opened_at < ?) OR (c.closed_at >= ? AND c.closed_at < ?))",
		[]any{s.from, s.to, s.from, s.to}
}

// sums are the counting columns of every breakdown.
func (s statsConds) sums() (string, []any) {
	var cols []string
	var args []any
	for _, c := range []struct {
		name string
		cond func() (string, []any)
	}{{"opened", s.opened}, {"closed", s.closed}, {"resolved", s.resolved}, {"overdue", s.overdue},
		{"breaches", s.breach}, {"referred", s.referred}} {
		sql, a := c.cond()
		cols = append(cols, "COALESCE(SUM(CASE WHEN "+sql+" THEN 1 ELSE 0 END), 0) AS "+c.name)
		args = append(args, a...)
	}
	return strings.Join(cols, ",\n\t\t"), args
}

// counts are the counts of one group of cases.
type counts struct {
	Opened, Closed, Resolved, Overdue, Breaches, Referred int64
}

// statsRow is one grouped row of a statistics query (gorm fills flat fields only).
type statsRow struct {
	Kind, Category, TierKey, Code, Name                   string
	Opened, Closed, Resolved, Overdue, Breaches, Referred int64
}

func (r statsRow) counts() counts {
	return counts{Opened: r.Opened, Closed: r.Closed, Resolved: r.Resolved, Overdue: r.Overdue, Breaches: r.Breaches, Referred: r.Referred}
}

func (c *counts) add(o counts) {
	c.Opened += o.Opened
	c.Closed += o.Closed
	c.Resolved += o.Resolved
	c.Overdue += o.Overdue
	c.Breaches += o.Breaches
	c.Referred += o.Referred
}

func (c counts) row(key, name string) Breakdown {
	return Breakdown{Key: key, Name: name, Opened: c.Opened, Closed: c.Closed, Resolved: c.Resolved, Overdue: c.Overdue}
}

// CaseStats computes the figures in SQL over the cases located under path (every case for "") for
// the period [from, to), by the definitions above.
func (db *DB) CaseStats(ctx context.Context, path string, from, to time.Time) (Stats, error) {
	from, to = from.UTC(), to.UTC()
	st := Stats{ResolvedByTier: map[string]int64{}, Ratings: map[string]int64{}, ByTownship: []TownshipCount{},
		Weekly: []WeekCount{}, ByKind: []Breakdown{}, ByCategory: []Breakdown{}, ByTier: []Breakdown{},
		ByChild: []Breakdown{}, Trend: []TrendPoint{}}
	sc := statsConds{from: from, to: to}
	under, underArgs := underPath(db.DB, "c.location_path", path)
	touched, touchedArgs := sc.touched()
	sums, sumArgs := sc.sums()
	tierKey := "CASE WHEN c.closed_at IS NOT NULL AND c.resolved_tier <> '' THEN c.resolved_tier ELSE c.tier END"

	// One grouped scan gives the totals and the splits by kind, category and tier, so they agree.
	var groups []statsRow
	args := append(append(append([]any{}, sumArgs...), underArgs...), touchedArgs...)
	if err := db.WithContext(ctx).Raw(`SELECT c.kind AS kind, c.category AS category, `+tierKey+` AS tier_key,
		`+sums+`
		FROM cases c WHERE `+under+` AND `+touched+`
		GROUP BY c.kind, c.category, `+tierKey, args...).Scan(&groups).Error; err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	var total counts
	byKind, byCat, byTier := map[string]*counts{}, map[string]*counts{}, map[string]*counts{}
	for _, g := range groups {
		total.add(g.counts())
		for _, m := range []struct {
			m   map[string]*counts
			key string
		}{{byKind, g.Kind}, {byCat, g.Category}, {byTier, g.TierKey}} {
			if m.m[m.key] == nil {
				m.m[m.key] = &counts{}
			}
			m.m[m.key].add(g.counts())
		}
	}
	st.Opened, st.Closed, st.Resolved, st.Overdue = total.Opened, total.Closed, total.Resolved, total.Overdue
	st.OneVisitBreaches, st.ReferredOut = total.Breaches, total.Referred
	st.ByKind = sortedRows(byKind, []string{"dispute", "petition"})
	st.ByCategory = sortedRows(byCat, nil)
	slices.SortStableFunc(st.ByCategory, func(a, b Breakdown) int { return int(b.Opened - a.Opened) })
	st.ByTier = sortedRows(byTier, tierOrder)
	for _, r := range st.ByTier {
		if r.Resolved > 0 {
			st.ResolvedByTier[r.Key] = r.Resolved
		}
		if slices.Contains(localTiers, r.Key) {
			st.ResolvedLocal += r.Resolved
		}
	}
	st.ResolutionRate = ratio(st.Resolved, st.Closed)
	st.ShareTownshipBelow = ratio(st.ResolvedLocal, st.Resolved)
	st.OverdueRate = ratio(st.Overdue, st.Opened)
	st.OneVisitRate = ratio(st.Closed-st.OneVisitBreaches, st.Closed)

	var err error
	if st.MedianDaysToResolve, err = db.medianDays(ctx, sc, under, underArgs, st.Resolved); err != nil {
		return Stats{}, err
	}
	if err := db.ratingStats(ctx, under, underArgs, from, to, &st); err != nil {
		return Stats{}, err
	}
	if err := db.childStats(ctx, sc, path, total, &st); err != nil {
		return Stats{}, err
	}
	if err := db.trendStats(ctx, sc, under, underArgs, &st); err != nil {
		return Stats{}, err
	}
	return st, nil
}

// ratio is n ÷ d, 0 when d is 0 (the page shows "—" then).
func ratio(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// sortedRows turns the grouped counts into rows: the keys of order first in that order, the others by key.
func sortedRows(m map[string]*counts, order []string) []Breakdown {
	rows := []Breakdown{}
	for _, k := range order {
		if c, ok := m[k]; ok {
			rows = append(rows, c.row(k, ""))
		}
	}
	var rest []string
	for k := range m {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		rows = append(rows, m[k].row(k, ""))
	}
	return rows
}

// medianDays is the median of the days from opening to closing of the n resolved cases: the middle
// one, or the mean of the two middle ones, picked in SQL.
func (db *DB) medianDays(ctx context.Context, sc statsConds, under string, underArgs []any, n int64) (float64, error) {
	if n == 0 {
		return 0, nil
	}
	resolved, args := sc.resolved()
	limit := 1
	if n%2 == 0 {
		limit = 2
	}
	var rows []struct {
		OpenedAt time.Time
		ClosedAt time.Time
	}
	if err := db.WithContext(ctx).Raw(`SELECT c.opened_at AS opened_at, c.closed_at AS closed_at FROM cases c
		WHERE `+under+` AND `+resolved+` ORDER BY `+db.durationOrder()+`, c.id LIMIT ? OFFSET ?`,
		append(append(append([]any{}, underArgs...), args...), limit, (n-1)/2)...).Scan(&rows).Error; err != nil {
		return 0, fmt.Errorf("store: stats median: %w", err)
	}
	if len(rows) == 0 {
		return 0, nil
	}
	var sum float64
	for _, r := range rows {
		sum += r.ClosedAt.Sub(r.OpenedAt).Hours() / 24
	}
	return sum / float64(len(rows)), nil
}

// ratingStats counts every rating submitted in the period on a case under the node, from the rated
// events: a rating that reopened the case counts as much as one that ended it.
func (db *DB) ratingStats(ctx context.Context, under string, underArgs []any, from, to time.Time, st *Stats) error {
	var groups []struct {
		Args string
		N    int64
	}
	if err := db.WithContext(ctx).Raw(`SELECT e.args AS args, COUNT(*) AS n FROM case_events e
		JOIN cases c ON c.id = e.case_id
		WHERE e.type = 'rated' AND e.occurred_at >= ? AND e.occurred_at < ? AND `+under+`
		GROUP BY e.args`, append([]any{from, to}, underArgs...)...).Scan(&groups).Error; err != nil {
		return fmt.Errorf("store: stats ratings: %w", err)
	}
	var sum int64
	for _, g := range groups {
		var a map[string]string
		if json.Unmarshal([]byte(g.Args), &a) != nil {
			continue // a rating recorded before ratings carried their score
		}
		score, err := strconv.Atoi(a["score"])
		if err != nil || score < 1 || score > 5 {
			continue
		}
		st.Ratings[strconv.Itoa(score)] += g.N
		st.Rated += g.N
		sum += int64(score) * g.N
		if score >= 4 {
			st.Satisfied += g.N
		}
	}
	if st.Rated > 0 {
		st.Satisfaction = float64(sum) / float64(st.Rated)
		st.SatisfiedShare = float64(st.Satisfied) / float64(st.Rated)
	}
	return nil
}

// childStats splits the figures by the children of the node at path (the roots for ""), and lists
// the townships under it; the cases located at the node itself make a row of their own.
func (db *DB) childStats(ctx context.Context, sc statsConds, path string, total counts, st *Stats) error {
	sums, sumArgs := sc.sums()
	touched, touchedArgs := sc.touched()
	join := func(nodeWhere string, nodeArgs []any) ([]statsRow, error) {
		var rows []statsRow
		args := append(append(append([]any{}, sumArgs...), touchedArgs...), nodeArgs...)
		err := db.WithContext(ctx).Raw(`SELECT n.code AS code, n.name AS name,
			`+sums+`
			FROM nodes n LEFT JOIN cases c ON c.location_path LIKE n.path || '%' AND `+touched+`
			WHERE n.tier <> 'court' AND `+nodeWhere+`
			GROUP BY n.code, n.name ORDER BY n.code`, args...).Scan(&rows).Error
		return rows, err
	}
	var where string
	var args []any
	if path == "" {
		where = "n.parent_code IS NULL"
	} else {
		codes := PathCodes(path)
		where, args = "n.parent_code = ?", []any{codes[len(codes)-1]}
	}
	children, err := join(where, args)
	if err != nil {
		return fmt.Errorf("store: stats by child: %w", err)
	}
	rest := total
	for _, c := range children {
		st.ByChild = append(st.ByChild, c.counts().row(c.Code, c.Name))
		rest.Opened -= c.Opened
		rest.Closed -= c.Closed
		rest.Resolved -= c.Resolved
		rest.Overdue -= c.Overdue
	}
	if rest.Opened != 0 || rest.Closed != 0 || rest.Resolved != 0 || rest.Overdue != 0 {
		st.ByChild = append(st.ByChild, rest.row("", ""))
	}
	under, underArgs := underPath(db.DB, "n.path", path)
	towns, err := join("n.tier = 'township' AND "+under, underArgs)
	if err != nil {
		return fmt.Errorf("store: stats townships: %w", err)
	}
	for _, t := range towns {
		st.ByTownship = append(st.ByTownship, TownshipCount{Code: t.Code, Name: t.Name, Opened: t.Opened, Overdue: t.Overdue})
	}
	return nil
}

// china is the zone the buckets are cut in (deadline.China; store does not import deadline).
var china = time.FixedZone("CST", 8*3600)

// TrendBuckets cuts [from, to) into the trend's buckets: days for a period of up to 31 days, 7-day
// weeks from `from` up to 26 weeks, else calendar months (China time); at most 62.
func TrendBuckets(from, to time.Time) (unit string, starts []time.Time) {
	days := to.Sub(from).Hours() / 24
	next := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	unit = "day"
	switch {
	case days > 183:
		unit = "month"
		next = func(t time.Time) time.Time {
			c := t.In(china)
			return time.Date(c.Year(), c.Month()+1, 1, 0, 0, 0, 0, china)
		}
	case days > 31:
		unit = "week"
		next = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	}
	for t := from; t.Before(to) && len(starts) < maxBuckets; t = next(t) {
		starts = append(starts, t)
	}
	if len(starts) == 0 {
		return unit, nil
	}
	end := next(starts[len(starts)-1])
	if end.After(to) {
		end = to
	}
	return unit, append(starts, end)
}

// trendStats fills the trend and the weekly counts, each in one scan of conditional sums.
func (db *DB) trendStats(ctx context.Context, sc statsConds, under string, underArgs []any, st *Stats) error {
	unit, bounds := TrendBuckets(sc.from, sc.to)
	st.TrendUnit = unit
	var cols []string
	var args []any
	for i := 0; i+1 < len(bounds); i++ {
		end := bounds[i+1]
		if end.After(sc.to) {
			end = sc.to
		}
		b := statsConds{from: bounds[i].UTC(), to: end.UTC()}
		st.Trend = append(st.Trend, TrendPoint{Start: b.from, End: b.to})
		for _, cond := range []func() (string, []any){b.opened, b.closed, b.resolved} {
			sql, a := cond()
			cols = append(cols, fmt.Sprintf("COALESCE(SUM(CASE WHEN %s THEN 1 ELSE 0 END), 0) AS t%d", sql, len(cols)))
			args = append(args, a...)
		}
	}
	for start := sc.from; start.Before(sc.to) && len(st.Weekly) < maxWeeks; start = start.AddDate(0, 0, 7) {
		st.Weekly = append(st.Weekly, WeekCount{Start: start})
		b := statsConds{from: start, to: start.AddDate(0, 0, 7)}
		sql, a := b.opened()
		cols = append(cols, fmt.Sprintf("COALESCE(SUM(CASE WHEN %s THEN 1 ELSE 0 END), 0) AS t%d", sql, len(cols)))
		args = append(args, a...)
	}
	if len(cols) == 0 {
		return nil
	}
	dst := make([]any, 0, len(cols))
	for i := range st.Trend {
		dst = append(dst, &st.Trend[i].Opened, &st.Trend[i].Closed, &st.Trend[i].Resolved)
	}
	for i := range st.Weekly {
		dst = append(dst, &st.Weekly[i].Opened)
	}
	touched, touchedArgs := sc.touched()
	args = append(append(args, underArgs...), touchedArgs...)
	if err := db.WithContext(ctx).Raw(`SELECT `+strings.Join(cols, ", ")+` FROM cases c WHERE `+under+` AND `+touched,
		args...).Row().Scan(dst...); err != nil {
		return fmt.Errorf("store: stats trend: %w", err)
	}
	return nil
}

// durationOrder orders rows by time from opening to closing.
func (db *DB) durationOrder() string {
	if db.IsPostgres() {
		return "c.closed_at - c.opened_at"
	}
	// SQLite keeps times as Go writes them, in UTC ("2026-03-02 02:00:00.5 +0000 UTC"): the first 19
	// characters are what julianday reads
	return "julianday(substr(c.closed_at, 1, 19)) - julianday(substr(c.opened_at, 1, 19))"
}
