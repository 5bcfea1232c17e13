// Package temporalmetrics hands the Temporal Go SDK's own metrics — task schedule-to-start and
// execution latencies, sticky cache size and hits, pollers, slots, request failures — to a Prometheus
// registry, so that /metrics shows how the worker keeps up beside the HTTP figures.
//
// The SDK emits through client.MetricsHandler (counters, gauges, timers, each under tags); Handler
// maps them onto Prometheus collectors: a counter becomes <prefix><name>_total, a gauge <prefix><name>,
// a timer a histogram <prefix><name>_seconds. Every collector has the same fixed label names (Labels):
// a tag outside them is dropped, a label the SDK does not set is empty. Label values are bounded too:
// each label keeps its first MaxValues distinct values and reports any later one as "other", so no
// tag value — the SDK tags by type, queue and operation, never by workflow ID — can grow the series
// without bound.
package temporalmetrics
