package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/deadline"
	"fengqiao/policy"
	"fengqiao/store"
)

// The statistics page: the figures of store.CaseStats for a node and a period, each with its written
// definition (口径), split by kind, category, tier and child node, a trend chart drawn on the server
// (inline SVG, no script), and the same figures as CSV.

// svgText, svgLine and svgRect are the elements of a chart, laid out on the server.
type svgText struct {
	X, Y         float64
	Text, Anchor string
	Class        string
}

type svgLine struct {
	X1, Y1, X2, Y2 float64
	Class          string
}

type svgRect struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

// chart is an SVG chart: its elements in drawing order, a polyline and its points.
type chart struct {
	ID, Title, Note string
	Width, Height   float64
	Rects           []svgRect
	Lines           []svgLine
	Texts           []svgText
	Line            string // polyline points of a second series
	Dots            []svgRect
}

// hbars lays out horizontal bars, one row of 28 px per value, with the value at the end of each bar
// and the axis the bars start from.
func hbars(id, title string, labels []string, values []int64, warn []bool) chart {
	const rowH, labelW, width = 28.0, 150.0, 560.0
	c := chart{ID: id, Title: title, Width: width, Height: rowH*float64(len(values)) + 10}
	var top int64 = 1
	for _, v := range values {
		top = max(top, v)
	}
	c.Lines = append(c.Lines, svgLine{X1: labelW, Y1: 2, X2: labelW, Y2: c.Height - 2, Class: "axis"})
	for i, v := range values {
		w := (width - labelW - 60) * float64(v) / float64(top)
		y := 5 + rowH*float64(i)
		class := "bar"
		if warn != nil && warn[i] {
			class = "bar warn"
		}
		c.Texts = append(c.Texts, svgText{X: labelW - 6, Y: y + rowH/2 + 4, Text: labels[i], Anchor: "end", Class: "label"})
		c.Rects = append(c.Rects, svgRect{X: labelW, Y: y + 4, W: w, H: rowH - 10, Class: class, Title: fmt.Sprintf("%s: %d", labels[i], v)})
		c.Texts = append(c.Texts, svgText{X: labelW + w + 6, Y: y + rowH/2 + 4, Text: fmt.Sprint(v), Class: "value"})
	}
	return c
}

// niceTop is the smallest of 1, 2, 2.5 or 5 × 10ⁿ at least v (the top of a value axis).
func niceTop(v int64) int64 {
	if v <= 4 {
		return 4
	}
	p := int64(math.Pow(10, math.Floor(math.Log10(float64(v)))))
	for _, m := range []int64{1, 2, 5, 10} {
		if m*p >= v && (m*p)%4 == 0 {
			return m * p
		}
	}
	return 10 * p
}

// trendChart draws the opened cases as columns with their values above and the closed ones as a line,
// over a value axis with four ticks and a time axis with the buckets' labels.
func trendChart(id, title, yTitle string, labels []string, opened, closed []int64, legendOpened, legendClosed string) chart {
	const width, height, left, right, top, bottom = 720.0, 280.0, 44.0, 12.0, 30.0, 46.0
	c := chart{ID: id, Title: title, Width: width, Height: height}
	var most int64
	for i := range opened {
		most = max(most, opened[i], closed[i])
	}
	ymax := niceTop(most)
	plotH, plotW := height-top-bottom, width-left-right
	y := func(v int64) float64 { return top + plotH - plotH*float64(v)/float64(ymax) }
	// the value axis, its ticks and grid lines
	c.Lines = append(c.Lines, svgLine{X1: left, Y1: top, X2: left, Y2: top + plotH, Class: "axis"},
		svgLine{X1: left, Y1: top + plotH, X2: width - right, Y2: top + plotH, Class: "axis"})
	for i := int64(1); i <= 4; i++ {
		v := ymax * i / 4
		c.Lines = append(c.Lines, svgLine{X1: left, Y1: y(v), X2: width - right, Y2: y(v), Class: "grid"})
		c.Texts = append(c.Texts, svgText{X: left - 6, Y: y(v) + 4, Text: fmt.Sprint(v), Anchor: "end", Class: "tick"})
	}
	c.Texts = append(c.Texts, svgText{X: left - 6, Y: top + plotH + 4, Text: "0", Anchor: "end", Class: "tick"},
		svgText{X: 4, Y: 14, Text: yTitle, Class: "tick"})
	// the legend
	c.Rects = append(c.Rects, svgRect{X: width - 250, Y: 6, W: 14, H: 10, Class: "bar"})
	c.Texts = append(c.Texts, svgText{X: width - 232, Y: 15, Text: legendOpened, Class: "tick"})
	c.Lines = append(c.Lines, svgLine{X1: width - 130, Y1: 11, X2: width - 114, Y2: 11, Class: "trend"})
	c.Texts = append(c.Texts, svgText{X: width - 110, Y: 15, Text: legendClosed, Class: "tick"})
	n := len(opened)
	if n == 0 {
		return c
	}
	step := plotW / float64(n)
	every := (n + 11) / 12 // at most 12 labels under the axis
	var pts []string
	for i := range opened {
		x := left + step*float64(i)
		h := top + plotH - y(opened[i])
		c.Rects = append(c.Rects, svgRect{X: x + step*0.15, Y: y(opened[i]), W: step * 0.7, H: h, Class: "bar",
			Title: fmt.Sprintf("%s: %s %d, %s %d", labels[i], legendOpened, opened[i], legendClosed, closed[i])})
		if opened[i] > 0 {
			c.Texts = append(c.Texts, svgText{X: x + step/2, Y: y(opened[i]) - 3, Text: fmt.Sprint(opened[i]), Anchor: "middle", Class: "value small"})
		}
		if i%every == 0 {
			c.Lines = append(c.Lines, svgLine{X1: x + step/2, Y1: top + plotH, X2: x + step/2, Y2: top + plotH + 4, Class: "axis"})
			c.Texts = append(c.Texts, svgText{X: x + step/2, Y: top + plotH + 18, Text: labels[i], Anchor: "middle", Class: "tick"})
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x+step/2, y(closed[i])))
		c.Dots = append(c.Dots, svgRect{X: x + step/2, Y: y(closed[i]), Title: fmt.Sprintf("%s: %s %d", labels[i], legendClosed, closed[i])})
	}
	c.Line = strings.Join(pts, " ")
	return c
}

// kpi is one figure of the page: its value, what it was computed from, and its definition, numbered
// as the footnote that prints it.
type kpi struct {
	ID, Label, Value, Detail, Def string
	Note                          int
}

// statsRow is a row of a breakdown table.
type statsRow struct {
	Label                             string
	Opened, Closed, Resolved, Overdue int64
	Rate                              string
}

// statsTable is a breakdown of the figures.
type statsTable struct {
	ID, Title, KeyHeader, Note string
	Rows                       []statsRow
	Total                      statsRow
}

// statsData is the statistics page.
type statsData struct {
	Node, NodeName string
	Nodes          []nodeOption
	From, To       string // the period's first and last day, as the date inputs show them
	Query          string // the page's query, for the CSV link
	Cards          []kpi
	Charts         []chart
	Tables         []statsTable
	Trend          statsTable // the trend's figures, for the CSV
	// Risks are the risk figures (rule 9): found, closed, open, and ages in days.
	Risks store.RiskFigures
	// RiskDays and RiskAge are the mean days to close and the mean age of the open ones, printed.
	RiskDays, RiskAge string
}

// pct is n ÷ d as a percentage with one decimal, "—" when d is 0.
func pct(n, d int64) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
}

// stats shows the statistics of a node the caller holds stats.read at (their first such grant by
// default) for a period (this month by default).
func (h *handler) stats(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "nav.stats")
	p.Nav = "stats"
	d, ok := h.statsData(w, r, p)
	if !ok {
		return
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "stats", p)
}

// statsCSV answers the page's figures as a CSV file: UTF-8 with a byte order mark (so that Excel reads
// the Chinese), the page's headings and labels in the page's language.
func (h *handler) statsCSV(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "nav.stats")
	d, ok := h.statsData(w, r, p)
	if !ok {
		return
	}
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	cw := csv.NewWriter(&b)
	_ = cw.WriteAll(statsCSVRecords(p, d))
	name := fmt.Sprintf("stats-%s-%s-%s.csv", orAll(d.Node), d.From, d.To)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
}

func orAll(node string) string {
	if node == "" {
		return "all"
	}
	return node
}

// statsCSVRecords are the CSV's rows: the area and period, every figure with its definition, every
// breakdown with its total, and the trend.
func statsCSVRecords(p *page, d statsData) [][]string {
	area := d.NodeName
	recs := [][]string{{p.T("stats.node"), area}, {p.T("stats.period"), d.From + " — " + d.To}, {}}
	recs = append(recs, []string{p.T("stats.csv.figure"), p.T("stats.csv.value"), p.T("stats.csv.basis"), p.T("stats.csv.definition")})
	for _, c := range d.Cards {
		recs = append(recs, []string{c.Label, c.Value, c.Detail, c.Def})
	}
	for _, t := range append(append([]statsTable{}, d.Tables...), d.Trend) {
		recs = append(recs, []string{}, []string{t.Title})
		recs = append(recs, []string{t.KeyHeader, p.T("stats.col.opened"), p.T("stats.col.closed"), p.T("stats.col.resolved"),
			p.T("stats.col.rate"), p.T("stats.col.overdue")})
		for _, row := range append(append([]statsRow{}, t.Rows...), t.Total) {
			recs = append(recs, []string{row.Label, fmt.Sprint(row.Opened), fmt.Sprint(row.Closed), fmt.Sprint(row.Resolved),
				row.Rate, fmt.Sprint(row.Overdue)})
		}
	}
	return recs
}

// statsData computes the page's figures, or answers the error and reports false.
func (h *handler) statsData(w http.ResponseWriter, r *http.Request, p *page) (statsData, bool) {
	user := sessionOf(r).user.Username
	q := r.URL.Query()
	node := q.Get("node")
	if !q.Has("node") {
		for _, g := range h.Policy.Grants(user) {
			if ok, _ := h.Policy.Can(user, policy.ActionStatsRead, g.Node); ok {
				node = g.Node
				if node == policy.Global {
					node = ""
				}
				break
			}
		}
	}
	from, to, err := api.StatsPeriod(p.now, q.Get("from"), q.Get("to"))
	if err != nil {
		h.fail(w, r, err)
		return statsData{}, false
	}
	s, err := h.Cases.Stats(r.Context(), user, node, from, to)
	if err != nil {
		h.fail(w, r, err)
		return statsData{}, false
	}
	d := statsData{Node: node, NodeName: p.T("stats.all"), RiskDays: "—", RiskAge: "—",
		From: from.In(deadline.China).Format("2006-01-02"), To: to.Add(-time.Second).In(deadline.China).Format("2006-01-02")}
	d.Query = url.Values{"node": {node}, "from": {d.From}, "to": {d.To}}.Encode()
	if s.Risks != nil {
		d.Risks = *s.Risks
		if s.Risks.Closed > 0 {
			d.RiskDays = fmt.Sprintf("%.1f", s.Risks.MeanDaysToClose)
		}
		if s.Risks.Open > 0 {
			d.RiskAge = fmt.Sprintf("%.1f", s.Risks.OpenMeanAgeDays)
		}
	}
	nodes, err := h.DB.AllNodes(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return statsData{}, false
	}
	if ok, _ := h.Policy.Can(user, policy.ActionStatsRead, policy.Global); ok {
		d.Nodes = append(d.Nodes, nodeOption{Code: "", Label: p.T("stats.all"), Selected: node == ""})
	}
	for _, n := range nodes {
		if n.Code == node {
			d.NodeName = n.Name
		}
		if n.Tier == fengqiao.TierGrid || n.Tier == fengqiao.TierCourt {
			continue
		}
		if ok, _ := h.Policy.Can(user, policy.ActionStatsRead, n.Code); ok {
			d.Nodes = append(d.Nodes, nodeOption{Code: n.Code, Label: indent(len(store.PathCodes(n.Path))-1) + n.Name, Selected: n.Code == node})
		}
	}
	d.Cards = statsCards(p, s)
	d.Tables = statsTables(p, s)
	d.Trend = trendTable(p, s)
	d.Charts = statsCharts(p, s, d.Trend)
	return d, true
}

// statsCards are the figures with their definitions, in the order the footnotes number them.
func statsCards(p *page, s store.Stats) []kpi {
	median, avg := "—", "—"
	if s.Resolved > 0 {
		median = p.T("stats.days", fmt.Sprintf("%.1f", s.MedianDaysToResolve))
	}
	if s.Rated > 0 {
		avg = fmt.Sprintf("%.2f / 5", s.Satisfaction)
	}
	ratio := func(n, d int64) string { return fmt.Sprintf("%d / %d", n, d) }
	cards := []kpi{
		{ID: "opened", Value: fmt.Sprint(s.Opened)},
		{ID: "closed", Value: fmt.Sprint(s.Closed)},
		{ID: "resolved", Value: fmt.Sprint(s.Resolved)},
		{ID: "resolution-rate", Value: pct(s.Resolved, s.Closed), Detail: ratio(s.Resolved, s.Closed)},
		{ID: "local-share", Value: pct(s.ResolvedLocal, s.Resolved), Detail: ratio(s.ResolvedLocal, s.Resolved)},
		{ID: "overdue-rate", Value: pct(s.Overdue, s.Opened), Detail: ratio(s.Overdue, s.Opened)},
		{ID: "one-visit", Value: pct(s.Closed-s.OneVisitBreaches, s.Closed), Detail: ratio(s.Closed-s.OneVisitBreaches, s.Closed)},
		{ID: "median", Value: median, Detail: p.T("stats.of_resolved", s.Resolved)},
		{ID: "satisfied", Value: pct(s.Satisfied, s.Rated), Detail: ratio(s.Satisfied, s.Rated)},
		{ID: "average", Value: avg, Detail: p.T("stats.ratings_n", s.Rated)},
		{ID: "referred", Value: fmt.Sprint(s.ReferredOut)},
	}
	for i := range cards {
		k := strings.ReplaceAll(cards[i].ID, "-", "_")
		cards[i].Label, cards[i].Def, cards[i].Note = p.T("stats.k."+k), p.T("stats.def."+k), i+1
	}
	return cards
}

// statsTables are the breakdowns by kind, tier, child node and category, each with its total.
func statsTables(p *page, s store.Stats) []statsTable {
	table := func(id, title, key, note string, rows []store.Breakdown, label func(store.Breakdown) string) statsTable {
		t := statsTable{ID: id, Title: title, KeyHeader: key, Note: note, Total: statsRow{Label: p.T("stats.total")}}
		for _, b := range rows {
			t.Rows = append(t.Rows, statsRow{Label: label(b), Opened: b.Opened, Closed: b.Closed, Resolved: b.Resolved,
				Overdue: b.Overdue, Rate: pct(b.Resolved, b.Closed)})
			t.Total.Opened += b.Opened
			t.Total.Closed += b.Closed
			t.Total.Resolved += b.Resolved
			t.Total.Overdue += b.Overdue
		}
		t.Total.Rate = pct(t.Total.Resolved, t.Total.Closed)
		return t
	}
	return []statsTable{
		table("by-kind", p.T("stats.by_kind"), p.T("stats.col.kind"), "", s.ByKind,
			func(b store.Breakdown) string { return p.TOr("kind."+b.Key, b.Key) }),
		table("by-tier", p.T("stats.by_tier"), p.T("stats.col.tier"), p.T("stats.note.tier"), s.ByTier,
			func(b store.Breakdown) string { return p.TOr("tier."+b.Key, b.Key) }),
		table("by-child", p.T("stats.by_child"), p.T("stats.col.node"), p.T("stats.note.child"), s.ByChild,
			func(b store.Breakdown) string {
				if b.Key == "" {
					return p.T("stats.self")
				}
				return b.Name
			}),
		table("by-category", p.T("stats.by_category"), p.T("stats.col.category"), "", s.ByCategory,
			func(b store.Breakdown) string { return p.TOr("cat."+b.Key, b.Key) }),
	}
}

// trendLabel is a bucket's label: 3/2 for a day or a week (its first day), 2026-03 for a month.
func trendLabel(unit string, start time.Time) string {
	t := start.In(deadline.China)
	if unit == "month" {
		return t.Format("2006-01")
	}
	return t.Format("1/2")
}

// trendTable is the trend's figures as a table (the CSV's last part).
func trendTable(p *page, s store.Stats) statsTable {
	t := statsTable{ID: "trend", Title: p.T("stats.trend." + s.TrendUnit), KeyHeader: p.T("stats.col.period"),
		Total: statsRow{Label: p.T("stats.total")}}
	for _, b := range s.Trend {
		label := b.Start.In(deadline.China).Format("2006-01-02")
		if s.TrendUnit == "month" {
			label = trendLabel("month", b.Start)
		}
		t.Rows = append(t.Rows, statsRow{Label: label, Opened: b.Opened, Closed: b.Closed, Resolved: b.Resolved, Rate: pct(b.Resolved, b.Closed)})
		t.Total.Opened += b.Opened
		t.Total.Closed += b.Closed
		t.Total.Resolved += b.Resolved
	}
	t.Total.Rate = pct(t.Total.Resolved, t.Total.Closed)
	t.Total.Overdue = s.Overdue
	return t
}

// statsCharts are the trend, where cases were resolved (小事不出村、大事不出镇), the child nodes and
// the ratings.
func statsCharts(p *page, s store.Stats, trend statsTable) []chart {
	var labels []string
	var opened, closed []int64
	for _, b := range s.Trend {
		labels = append(labels, trendLabel(s.TrendUnit, b.Start))
		opened, closed = append(opened, b.Opened), append(closed, b.Closed)
	}
	charts := []chart{trendChart("chart-trend", trend.Title, p.T("stats.unit_cases"), labels, opened, closed,
		p.T("stats.col.opened"), p.T("stats.col.closed"))}

	tiers := []fengqiao.Tier{fengqiao.TierGrid, fengqiao.TierVillage, fengqiao.TierTownship, fengqiao.TierCounty, fengqiao.TierCity}
	labels, opened = nil, nil
	for _, t := range tiers {
		labels, opened = append(labels, p.T("tier."+string(t))), append(opened, s.ResolvedByTier[string(t)])
	}
	funnel := hbars("chart-tiers", p.T("stats.funnel"), labels, opened, nil)
	funnel.Note = p.T("stats.k.local_share") + " " + pct(s.ResolvedLocal, s.Resolved)
	charts = append(charts, funnel)

	labels, opened = nil, nil
	var warn []bool
	for _, b := range s.ByChild {
		name := b.Name
		if b.Key == "" {
			name = p.T("stats.self")
		}
		labels, opened, warn = append(labels, name), append(opened, b.Opened), append(warn, false)
	}
	if len(labels) > 0 {
		charts = append(charts, hbars("chart-children", p.T("stats.children_opened"), labels, opened, warn))
	}

	labels, opened = nil, nil
	for score := 5; score >= 1; score-- {
		labels, opened = append(labels, p.T("stats.stars", score)), append(opened, s.Ratings[fmt.Sprint(score)])
	}
	sat := hbars("chart-ratings", p.T("stats.ratings"), labels, opened, []bool{false, false, false, true, true})
	sat.Note = p.T("stats.k.satisfied") + " " + pct(s.Satisfied, s.Rated)
	return append(charts, sat)
}
