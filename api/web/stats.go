package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/policy"
	"fengqiao/store"
)

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
	// Risks are the risk figures (rule 9): found, closed, open, and ages in days.
	Risks store.RiskFigures
	// RiskDays and RiskAge are the mean days to close and the mean age of the open ones, printed.
	RiskDays, RiskAge string
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
	p := h.newPage(r, "nav.stats")
	p.Nav = "stats"
	// twelve weeks, Monday 00:00 China time eleven weeks ago to now
	day := p.now.In(deadline.China)
	monday := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, deadline.China).
		AddDate(0, 0, -((int(day.Weekday())+6)%7)-7*11)
	s, err := h.Cases.Stats(r.Context(), user, node, monday, p.now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := statsData{Node: node, Opened: s.Opened, Closed: s.Closed, RiskDays: "—", RiskAge: "—"}
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
	for t, n := range s.ResolvedByTier {
		tier := t
		if tier == string(fengqiao.TierGrid) {
			tier = string(fengqiao.TierVillage) // resolved on the spot in a grid: within the village
		}
		counts[tier] += n
		resolved += n
		if t == string(fengqiao.TierVillage) || t == string(fengqiao.TierTownship) || t == string(fengqiao.TierGrid) {
			local += n
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
	for _, t := range s.ByTownship {
		labels = append(labels, t.Name)
		values = append(values, t.Overdue)
		warn = append(warn, t.Overdue > 0)
	}
	if len(labels) > 0 {
		d.Charts = append(d.Charts, hbars(p.T("stats.overdue_by_township"), labels, values, warn))
	}

	labels, values = nil, nil
	for _, wk := range s.Weekly {
		labels = append(labels, wk.Start.In(deadline.China).Format("01/02"))
		values = append(values, wk.Opened)
	}
	d.Charts = append(d.Charts, columns(p.T("stats.weekly"), labels, values))

	d.OneVisit = pct(s.Opened-s.OneVisitBreaches, s.Opened)
	ov := hbars(p.T("stats.one_visit"), []string{p.T("stats.one_visit_ok"), p.T("stats.one_visit_breach")},
		[]int64{s.Opened - s.OneVisitBreaches, s.OneVisitBreaches}, []bool{false, true})
	ov.Note = p.T("stats.one_visit_rate", d.OneVisit)
	d.Charts = append(d.Charts, ov)

	d.Satisfaction = "—"
	if s.Rated > 0 {
		d.Satisfaction = fmt.Sprintf("%.2f / 5", s.Satisfaction)
	}
	labels, values = nil, nil
	for score := 5; score >= 1; score-- {
		labels = append(labels, p.T("stats.stars", score))
		values = append(values, s.Ratings[fmt.Sprint(score)])
	}
	sat := hbars(p.T("stats.satisfaction"), labels, values, []bool{false, false, false, true, true})
	sat.Note = p.T("stats.satisfaction_avg", d.Satisfaction, s.Rated)
	d.Charts = append(d.Charts, sat)

	p.Data = d
	h.render(w, r, http.StatusOK, "stats", p)
}
