package app_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/app/apptest"
	"fengqiao/cases"
)

// TestMetricsShowTheTemporalWorker checks that /metrics serves the Temporal SDK's worker metrics
// (through internal/temporalmetrics) beside the HTTP ones once a case has run: how long workflow
// tasks waited for the worker and took, how long the projection activity took, and the sticky cache.
func TestMetricsShowTheTemporalWorker(t *testing.T) {
	s := apptest.New(t)
	s.AddNodes(t,
		fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity},
		fengqiao.Node{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"},
		fengqiao.Node{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"},
		fengqiao.Node{Code: "330203001001", Name: "某社区", Tier: fengqiao.TierVillage, ParentCode: "330203001"})
	ctx := context.Background()
	clerk := cases.Actor{Username: "clerk", Role: fengqiao.RoleClerk, Node: "330203"}
	v, _, err := s.Cases.Open(ctx, clerk, cases.OpenRequest{Kind: fengqiao.KindDispute, Channel: fengqiao.ChannelVisit,
		Category: "neighbour", Summary: "楼上漏水", Location: "330203001001", Parties: []cases.PartyInput{
			{Party: fengqiao.Party{Role: fengqiao.PartyApplicant, Name: "张三", IDNumber: "11010519491231002X", Phone: "13912345678"}}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`fengqiao_temporal_workflow_task_schedule_to_start_latency_seconds_bucket{`,
		`fengqiao_temporal_workflow_task_execution_latency_seconds_count{`,
		`fengqiao_temporal_activity_execution_latency_seconds_count{`,
		`fengqiao_temporal_sticky_cache_size{`,
		`workflow_type="CaseWorkflow"`,
		`fengqiao_http_requests_total{`,
	}
	var body string
	for deadline := time.Now().Add(20 * time.Second); ; {
		body = get(t, s.URL+"/metrics")
		missing := ""
		for _, w := range want {
			if !strings.Contains(body, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics lacks %s:\n%s", missing, grepLines(body, "fengqiao_temporal_"))
		}
		time.Sleep(200 * time.Millisecond) // the projection activity finishes after the intake answers
	}
	if strings.Contains(body, v.ID) {
		t.Error("a case's (workflow's) id is a label: unbounded series")
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	return string(b)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
