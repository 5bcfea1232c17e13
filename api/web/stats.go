package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/policy"
	"fengqiao/store"
)

// The statistics below are computed in SQL on the cases projection, within one node's subtree (by
// location). They belong in package store; they live here until the lead moves them.

// tierCount is how many cases were resolved at a tier.
type tierCount struct {
	Tier  string
	Count int64
}

// townshipCount is a township's open and overdue cases.
type townshipCount struct {
	Code, Name string
	Overdue    int64
	Total      int64
}

// statsResult is everything the statistics page shows.
type statsResult struct {
	Opened, Closed, Breaches int64
	ByTier                   []tierCount
	Townships                []townshipCount
	Weeks                    []int64
	WeekStarts               []time.Time
	Ratings                  [6]int64 // index 1-5
	Rated                    int64
	RatingSum                int64
}

// caseStats runs the statistics queries for the subtree at path, with weeks weekly buckets ending at now.
func caseStats(ctx context.Context, db *store.DB, path string, now time.Time, weeks int) (statsResult, error) {
	var s statsResult
	g := db.WithContext(ctx)
	like := path + "%"
	var totals struct {
		Opened, Closed, Breaches int64
	}
	err := g.Raw(`SELECT COUNT(*) AS opened,
			COALESCE(SUM(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS closed,
			COALESCE(SUM(CASE WHEN one_visit_breach THEN 1 ELSE 0 END), 0) AS breaches
		FROM cases WHERE location_path LIKE ?`, like).Scan(&totals).Error
	if err != nil {
		return s, fmt.Errorf("stats: totals: %w", err)
	}
	s.Opened, s.Closed, s.Breaches = totals.Opened, totals.Closed, totals.Breaches

	if err := g.Raw(`SELECT resolved_tier AS tier, COUNT(*) AS count FROM cases
		WHERE location_path LIKE ? AND resolved_tier <> '' GROUP BY resolved_tier`, like).Scan(&s.ByTier).Error; err != nil {
		return s, fmt.Errorf("stats: by tier: %w", err)
	}

	if err := g.Raw(`SELECT n.code AS code, n.name AS name,
			COALESCE(SUM(CASE WHEN c.overdue THEN 1 ELSE 0 END), 0) AS overdue, COUNT(c.id) AS total
		FROM nodes n LEFT JOIN cases c ON c.location_path LIKE n.path || '%'
		WHERE n.tier = 'township' AND n.path LIKE ?
		GROUP BY n.code, n.name ORDER BY n.code`, like).Scan(&s.Townships).Error; err != nil {
		return s, fmt.Errorf("stats: townships: %w", err)
	}

	// weekly buckets of opened_at, Monday 00:00 China time, oldest first
	day := now.In(deadline.China)
	monday := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, deadline.China).
		AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	var cols []string
	var args []any
	for i := weeks - 1; i >= 0; i-- {
		from := monday.AddDate(0, 0, -7*i)
		s.WeekStarts = append(s.WeekStarts, from)
		cols = append(cols, fmt.Sprintf("COALESCE(SUM(CASE WHEN opened_at >= ? AND opened_at < ? THEN 1 ELSE 0 END), 0) AS w%d", len(cols)))
		args = append(args, from.UTC(), from.AddDate(0, 0, 7).UTC())
	}
	args = append(args, like)
	row := g.Raw("SELECT "+strings.Join(cols, ", ")+" FROM cases WHERE location_path LIKE ?", args...).Row()
	s.Weeks = make([]int64, weeks)
	ptrs := make([]any, weeks)
	for i := range s.Weeks {
		ptrs[i] = &s.Weeks[i]
	}
	if err := row.Scan(ptrs...); err != nil {
		return s, fmt.Errorf("stats: weeks: %w", err)
	}

	var ratings []struct {
		Satisfaction int
		N            int64
	}
	if err := g.Raw(`SELECT satisfaction, COUNT(*) AS n FROM cases
		WHERE location_path LIKE ? AND satisfaction IS NOT NULL GROUP BY satisfaction`, like).Scan(&ratings).Error; err != nil {
		return s, fmt.Errorf("stats: ratings: %w", err)
	}
	for _, r := range ratings {
		if r.Satisfaction >= 1 && r.Satisfaction <= 5 {
			s.Ratings[r.Satisfaction] += r.N
			s.Rated += r.N
			s.RatingSum += int64(r.Satisfaction) * r.N
		}
	}
	return s, nil
}

// bar is one bar of a chart, laid out on the server.
type bar struct {
	Label, Value             string
	X, Y, W, H, TextX, TextY float64
	Warn                     bool
}

// chart is an SVG bar chart.
type chart struct {
	Title, Note   string
	Width, Height float64
	Bars          []bar
	Line          string // polyline points, for the trend
}

// hbars lays out horizontal bars, one row of 28 px per value.
func hbars(title string, labels []string, values []int64, warn []bool) chart {
	const rowH, labelW, width = 28.0, 130.0, 560.0
	c := chart{Title: title, Width: width, Height: rowH*float64(len(values)) + 10}
	var top int64 = 1
	for _, v := range values {
		top = max(top, v)
	}
	for i, v := range values {
		w := (width - labelW - 60) * float64(v) / float64(top)
		y := 5 + rowH*float64(i)
		b := bar{Label: labels[i], Value: fmt.Sprint(v), X: labelW, Y: y + 4, W: w, H: rowH - 10, TextX: labelW + w + 6, TextY: y + rowH/2 + 4}
		if warn != nil {
			b.Warn = warn[i]
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// columns lays out vertical columns with a trend line over them.
func columns(title string, labels []string, values []int64) chart {
	const width, height, base, left = 560.0, 200.0, 170.0, 10.0
	c := chart{Title: title, Width: width, Height: height}
	var top int64 = 1
	for _, v := range values {
		top = max(top, v)
	}
	step := (width - 2*left) / float64(len(values))
	var pts []string
	for i, v := range values {
		h := (base - 20) * float64(v) / float64(top)
		x := left + step*float64(i)
		c.Bars = append(c.Bars, bar{Label: labels[i], Value: fmt.Sprint(v), X: x + 4, Y: base - h, W: step - 8, H: h,
			TextX: x + step/2, TextY: base + 16})
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x+step/2, base-h))
	}
	c.Line = strings.Join(pts, " ")
	return c
}

// statsData is the statistics page.
type statsData struct {
	Node                               string
	Nodes                              []nodeOption
	Opened, Closed                     int64
	LocalShare, OneVisit, Satisfaction string
	Charts                             []chart
}

func pct(n, d int64) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
}

// stats shows the statistics of a node the caller holds stats.read at (their first such grant by default).
func (h *handler) stats(w http.ResponseWriter, r *http.Request) {
	user := sessionOf(r).user.Username
	node := r.URL.Query().Get("node")
	if node == "" {
		for _, g := range h.Policy.Grants(user) {
			if ok, _ := h.Policy.Can(user, policy.ActionStatsRead, g.Node); ok && g.Node != policy.Global {
				node = g.Node
				break
			}
		}
	}
	ok, err := h.Policy.Can(user, policy.ActionStatsRead, node)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	path, known := h.Policy.PathOf(node)
	if !ok || !known {
		h.audit(r, string(policy.ActionStatsRead), node, "stats", auditDenied, "")
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow statistics here"))
		return
	}
	p := h.newPage(r, "nav.stats")
	p.Nav = "stats"
	s, err := caseStats(r.Context(), h.DB, path, p.now, 12)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := statsData{Node: node, Opened: s.Opened, Closed: s.Closed}
	nodes, err := h.DB.AllNodes(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, n := range nodes {
		if n.Tier == fengqiao.TierGrid || n.Tier == fengqiao.TierCourt {
			continue
		}
		if ok, _ := h.Policy.Can(user, policy.ActionStatsRead, n.Code); ok {
			d.Nodes = append(d.Nodes, nodeOption{Code: n.Code, Label: indent(len(store.PathCodes(n.Path))-1) + n.Name, Selected: n.Code == node})
		}
	}
	// the funnel: 小事不出村、大事不出镇
	tiers := []fengqiao.Tier{fengqiao.TierVillage, fengqiao.TierTownship, fengqiao.TierCounty, fengqiao.TierCity}
	counts := map[string]int64{}
	var resolved, local int64
	for _, t := range s.ByTier {
		tier := t.Tier
		if tier == string(fengqiao.TierGrid) {
			tier = string(fengqiao.TierVillage) // resolved on the spot in a grid: within the village
		}
		counts[tier] += t.Count
		resolved += t.Count
		if t.Tier == string(fengqiao.TierVillage) || t.Tier == string(fengqiao.TierTownship) || t.Tier == string(fengqiao.TierGrid) {
			local += t.Count
		}
	}
	labels := make([]string, len(tiers))
	values := make([]int64, len(tiers))
	for i, t := range tiers {
		labels[i], values[i] = p.T("tier."+string(t)), counts[string(t)]
	}
	d.LocalShare = pct(local, resolved)
	funnel := hbars(p.T("stats.funnel"), labels, values, nil)
	funnel.Note = p.T("stats.local_share", d.LocalShare)
	d.Charts = append(d.Charts, funnel)

	labels, values = nil, nil
	var warn []bool
	for _, t := range s.Townships {
		labels = append(labels, t.Name)
		values = append(values, t.Overdue)
		warn = append(warn, t.Overdue > 0)
	}
	if len(labels) > 0 {
		d.Charts = append(d.Charts, hbars(p.T("stats.overdue_by_township"), labels, values, warn))
	}

	labels = nil
	for _, ws := range s.WeekStarts {
		labels = append(labels, ws.Format("01/02"))
	}
	d.Charts = append(d.Charts, columns(p.T("stats.weekly"), labels, s.Weeks))

	d.OneVisit = pct(s.Opened-s.Breaches, s.Opened)
	ov := hbars(p.T("stats.one_visit"), []string{p.T("stats.one_visit_ok"), p.T("stats.one_visit_breach")},
		[]int64{s.Opened - s.Breaches, s.Breaches}, []bool{false, true})
	ov.Note = p.T("stats.one_visit_rate", d.OneVisit)
	d.Charts = append(d.Charts, ov)

	d.Satisfaction = "—"
	if s.Rated > 0 {
		d.Satisfaction = fmt.Sprintf("%.2f / 5", float64(s.RatingSum)/float64(s.Rated))
	}
	labels, values = nil, nil
	for score := 5; score >= 1; score-- {
		labels = append(labels, p.T("stats.stars", score))
		values = append(values, s.Ratings[score])
	}
	sat := hbars(p.T("stats.satisfaction"), labels, values, []bool{false, false, false, true, true})
	sat.Note = p.T("stats.satisfaction_avg", d.Satisfaction, s.Rated)
	d.Charts = append(d.Charts, sat)

	p.Data = d
	h.render(w, r, http.StatusOK, "stats", p)
}
