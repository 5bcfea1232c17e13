package api_test

import (
	"net/http"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestExplainDeadlinesDayByDay: GET /cases/{id}/deadlines/explain lists each running clock with its
// basis, its last day as the law counts it ("X年X月X日（24:00）") and every day from the start, the start
// day itself not counted (民法典 201); someone who may not read the case gets 404.
func TestExplainDeadlinesDayByDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		c := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(http.StatusCreated).json()
		id := c["id"].(string)
		x := e.do("GET", "/api/v1/cases/"+id+"/deadlines/explain", tok["sup-town"], nil).want(http.StatusOK).json()
		clocks, _ := x["clocks"].([]any)
		if len(clocks) == 0 {
			t.Fatalf("no clock explained: %v", x)
		}
		for _, raw := range clocks {
			clock := raw.(map[string]any)
			last, _ := clock["last_day_text"].(string)
			if !strings.HasSuffix(last, "日（24:00）") || !strings.Contains(last, "年") {
				t.Errorf("last day %q is not as the law counts it", last)
			}
			counting, _ := clock["counting"].(map[string]any)
			steps, _ := counting["steps"].([]any)
			if len(steps) == 0 {
				t.Fatalf("no day explained: %v", clock)
			}
			if first := steps[0].(map[string]any); first["counted"] == true {
				t.Errorf("the start day must not be counted (民法典 201): %v", first)
			}
			if clock["rule"] == "" {
				t.Errorf("no counting rule: %v", clock)
			}
		}
		e.do("GET", "/api/v1/cases/"+id+"/deadlines/explain", tok["med-south"], nil).problem(404, fengqiao.ECodeNotFound, "")
	})
}
