package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fengqiao/demo"
)

// kpiValue is the value a statistics page shows for a figure.
func kpiValue(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="kpi-` + id + `-value">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page has no figure %s", id)
	}
	return m[1]
}

// TestStatsCountEveryRatingAndNeverShowAShareOfNothing: a matter resolved on the spot is rated 2 stars
// on the public page — the rating reopens the dispute, and it still counts; a closed but unresolved
// period shows "—" for the share resolved locally, never 100 %; the period excludes cases outside it.
func TestStatsCountEveryRatingAndNeverShowAShareOfNothing(t *testing.T) {
	e := newEnv(t)
	grid := e.browser(t)
	grid.login("grid", demo.Password)
	f := intakeForm("占道堆放杂物")
	f.Set("channel", "patrol")
	f.Set("on_spot", "1")
	f.Set("on_spot_outcome", "当场协商一致，已清理")
	grid.get("/cases/new")
	receipt := grid.post("/cases/new", f).want(http.StatusOK)
	code := queryCodeRe.FindStringSubmatch(receipt.body)[1]

	sup := e.browser(t)
	sup.login("sup-county", demo.Password)
	st := sup.get("/stats").want(http.StatusOK).translated()
	for id, want := range map[string]string{"opened": "1", "closed": "1", "resolved": "1", "resolution-rate": "100.0%",
		"local-share": "100.0%", "satisfied": "—", "average": "—"} {
		if got := kpiValue(t, st.body, id); got != want {
			t.Errorf("before the rating, %s = %q, want %q", id, got, want)
		}
	}

	party := e.browser(t)
	party.get("/public")
	party.post("/public/rating", url.Values{"code": {code}, "last4": {"5678"}, "score": {"2"}, "comment": {"又堆回来了"}}).
		want(http.StatusOK)
	st = sup.get("/stats").want(http.StatusOK)
	for id, want := range map[string]string{"satisfied": "0.0%", "average": "2.00 / 5", "closed": "0", "resolved": "0",
		"local-share": "—", "resolution-rate": "—", "median": "—"} {
		if got := kpiValue(t, st.body, id); got != want {
			t.Errorf("after a 2-star rating that reopened the case, %s = %q, want %q", id, got, want)
		}
	}
	st.has(`id="kpi-local-share"`).lacks(`id="kpi-local-share-value">100.0%<`)

	t.Run("the date range excludes cases outside it", func(t *testing.T) {
		last := time.Now().AddDate(0, -2, 0).Format("2006-01-02")
		first := time.Now().AddDate(0, -3, 0).Format("2006-01-02")
		old := sup.get("/stats?node=330203&from=" + first + "&to=" + last).want(http.StatusOK).has(`value="` + first + `"`)
		if got := kpiValue(t, old.body, "opened"); got != "0" {
			t.Errorf("opened %s..%s = %s, want 0", first, last, got)
		}
		if got := kpiValue(t, old.body, "average"); got != "—" {
			t.Errorf("a rating of today counted in %s..%s: %s", first, last, got)
		}
		sup.get("/stats?node=330203&from=2026-13-01").want(http.StatusUnprocessableEntity)
	})
}

// TestStatsCSVMatchesThePage: the export holds the page's figures, a byte order mark for Excel and
// Chinese headers.
func TestStatsCSVMatchesThePage(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	clerk.post("/cases/new", intakeForm("噪音扰民")).want(http.StatusOK)

	sup := e.browser(t)
	sup.login("sup-county", demo.Password)
	page := sup.get("/stats?node=330203").want(http.StatusOK)
	link := regexp.MustCompile(`href="(/stats\.csv\?[^"]+)"`).FindStringSubmatch(page.body)
	if link == nil {
		t.Fatal("no CSV link")
	}
	res := sup.get(strings.ReplaceAll(link[1], "&amp;", "&")).want(http.StatusOK)
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	if !strings.HasPrefix(res.body, "\uFEFF") {
		t.Fatal("the CSV has no byte order mark: Excel would read the Chinese as mojibake")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\uFEFF")))
	r.FieldsPerRecord = -1 // sections of different widths
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	figures := map[string]string{}
	for _, r := range recs {
		if len(r) >= 2 {
			figures[r[0]] = r[1]
		}
	}
	for label, id := range map[string]string{"受理": "opened", "办结": "closed", "化解率": "resolution-rate",
		"镇街及以下化解占比": "local-share", "超期率": "overdue-rate", "最多跑一次率": "one-visit", "满意率": "satisfied"} {
		if got, want := figures[label], kpiValue(t, page.body, id); got != want {
			t.Errorf("CSV %s = %q, page %q", label, got, want)
		}
	}
	if figures["受理"] != "1" || figures["统计范围"] != "海曙区" {
		t.Errorf("CSV figures %v", figures)
	}
	if !strings.Contains(res.body, "指标,数值,计算依据,口径") || !strings.Contains(res.body, "按纠纷类别") || !strings.Contains(res.body, "邻里纠纷,1,") {
		t.Errorf("CSV lacks its Chinese headers or the category split:\n%s", res.body)
	}
}
