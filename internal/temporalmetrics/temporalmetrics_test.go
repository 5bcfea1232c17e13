package temporalmetrics_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"fengqiao/internal/temporalmetrics"
)

func TestKindsNamesAndBoundedLabels(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := temporalmetrics.New(reg, "x_").WithTags(map[string]string{"namespace": "default", "client_name": "temporal_go"})

	h.WithTags(map[string]string{"workflow_type": "CaseWorkflow"}).Counter("temporal_sticky_cache_hit").Inc(2)
	h.Gauge("temporal_sticky_cache_size").Update(7)
	h.WithTags(map[string]string{"task_queue": "cases"}).Timer("temporal_workflow_task_execution_latency").Record(30 * time.Millisecond)
	// a tag outside the kept labels (as a workflow id would be) adds no series
	h.WithTags(map[string]string{"workflow_id": "case-1"}).Counter("temporal_sticky_cache_hit").Inc(1)
	h.WithTags(map[string]string{"workflow_id": "case-2"}).Counter("temporal_sticky_cache_hit").Inc(1)
	// and a kept label stops taking new values after MaxValues
	for i := range temporalmetrics.MaxValues + 10 {
		h.WithTags(map[string]string{"operation": fmt.Sprint("Op", i)}).Counter("temporal_request").Inc(1)
	}

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*dto.MetricFamily{}
	for _, f := range families {
		got[f.GetName()] = f
	}
	label := func(m *dto.Metric, name string) string {
		for _, l := range m.GetLabel() {
			if l.GetName() == name {
				return l.GetValue()
			}
		}
		return "(none)"
	}
	if f := got["x_temporal_sticky_cache_hit_total"]; f.GetType() != dto.MetricType_COUNTER || len(f.GetMetric()) != 2 {
		t.Errorf("sticky cache hits: %v, want a counter with 2 series (by workflow type; the id dropped)", f)
	}
	if f := got["x_temporal_sticky_cache_size"]; f.GetType() != dto.MetricType_GAUGE || f.GetMetric()[0].GetGauge().GetValue() != 7 ||
		label(f.GetMetric()[0], "namespace") != "default" || label(f.GetMetric()[0], "client_name") != "(none)" {
		t.Errorf("sticky cache size: %v", f)
	}
	if f := got["x_temporal_workflow_task_execution_latency_seconds"]; f.GetType() != dto.MetricType_HISTOGRAM ||
		f.GetMetric()[0].GetHistogram().GetSampleSum() != 0.03 {
		t.Errorf("task latency: %v", f)
	}
	f := got["x_temporal_request_total"]
	if len(f.GetMetric()) != temporalmetrics.MaxValues+1 {
		t.Fatalf("request series: %d, want %d (the first values and other)", len(f.GetMetric()), temporalmetrics.MaxValues+1)
	}
	other := 0.0
	for _, m := range f.GetMetric() {
		if label(m, "operation") == "other" {
			other = m.GetCounter().GetValue()
		}
	}
	if other != 10 {
		t.Errorf("other: %v, want 10", other)
	}
}
