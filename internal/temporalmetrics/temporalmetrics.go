package temporalmetrics

import (
	"errors"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// Labels are the SDK tags kept as Prometheus labels, in this order on every collector.
var Labels = []string{"namespace", "task_queue", "worker_type", "poller_type", "workflow_type",
	"activity_type", "operation", "status_code", "failure_reason", "cause"}

// MaxValues is how many distinct values one label keeps before it reports "other".
const MaxValues = 64

// Buckets are the timers' histogram buckets, in seconds: 1 ms to about 2.5 minutes.
var Buckets = prometheus.ExponentialBuckets(0.001, 2.5, 14)

// Handler is a client.MetricsHandler over a Prometheus registry. Build it with New; WithTags returns
// handlers sharing its collectors.
type Handler struct {
	r    *registry
	tags map[string]string
}

var _ client.MetricsHandler = (*Handler)(nil)

type registry struct {
	reg    prometheus.Registerer
	prefix string

	mu       sync.Mutex
	counters map[string]*prometheus.CounterVec
	gauges   map[string]*prometheus.GaugeVec
	timers   map[string]*prometheus.HistogramVec
	values   map[string]map[string]bool // label → the values kept
}

// New returns a handler that registers its collectors with reg as the SDK first emits each metric,
// every name prefixed with prefix (e.g. "fengqiao_": fengqiao_temporal_sticky_cache_size).
func New(reg prometheus.Registerer, prefix string) *Handler {
	return &Handler{r: &registry{reg: reg, prefix: prefix, counters: map[string]*prometheus.CounterVec{},
		gauges: map[string]*prometheus.GaugeVec{}, timers: map[string]*prometheus.HistogramVec{},
		values: map[string]map[string]bool{}}}
}

// WithTags returns a handler whose metrics carry tags on top of h's (a key in both takes tags' value).
func (h *Handler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := make(map[string]string, len(h.tags)+len(tags))
	for k, v := range h.tags {
		merged[k] = v
	}
	for k, v := range tags {
		merged[k] = v
	}
	return &Handler{r: h.r, tags: merged}
}

// Counter returns the counter name under h's tags.
func (h *Handler) Counter(name string) client.MetricsCounter {
	c := h.r.counter(name).With(h.r.labels(h.tags))
	return counterFunc(func(d int64) {
		if d > 0 {
			c.Add(float64(d))
		}
	})
}

// Gauge returns the gauge name under h's tags.
func (h *Handler) Gauge(name string) client.MetricsGauge {
	g := h.r.gauge(name).With(h.r.labels(h.tags))
	return gaugeFunc(g.Set)
}

// Timer returns the timer name under h's tags.
func (h *Handler) Timer(name string) client.MetricsTimer {
	o := h.r.timer(name).With(h.r.labels(h.tags))
	return timerFunc(func(d time.Duration) { o.Observe(d.Seconds()) })
}

type counterFunc func(int64)

func (f counterFunc) Inc(d int64) { f(d) }

type gaugeFunc func(float64)

func (f gaugeFunc) Update(v float64) { f(v) }

type timerFunc func(time.Duration)

func (f timerFunc) Record(d time.Duration) { f(d) }

// labels are the label values of tags: the kept labels only, each value bounded.
func (r *registry) labels(tags map[string]string) prometheus.Labels {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(prometheus.Labels, len(Labels))
	for _, l := range Labels {
		v, ok := tags[l]
		if !ok || v == "" {
			out[l] = ""
			continue
		}
		seen := r.values[l]
		if seen == nil {
			seen = map[string]bool{}
			r.values[l] = seen
		}
		if !seen[v] && len(seen) >= MaxValues {
			v = "other"
		} else {
			seen[v] = true
		}
		out[l] = v
	}
	return out
}

func (r *registry) counter(name string) *prometheus.CounterVec {
	return vec(r, r.counters, name, func() *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: r.prefix + name + "_total",
			Help: "Temporal SDK counter " + name + "."}, Labels)
	})
}

func (r *registry) gauge(name string) *prometheus.GaugeVec {
	return vec(r, r.gauges, name, func() *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: r.prefix + name,
			Help: "Temporal SDK gauge " + name + "."}, Labels)
	})
}

func (r *registry) timer(name string) *prometheus.HistogramVec {
	return vec(r, r.timers, name, func() *prometheus.HistogramVec {
		return prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: r.prefix + name + "_seconds",
			Help: "Temporal SDK timer " + name + ", in seconds.", Buckets: Buckets}, Labels)
	})
}

// vec returns the collector kept under name in seen, making and registering it the first time.
func vec[C prometheus.Collector](r *registry, seen map[string]C, name string, make func() C) C {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := seen[name]; ok {
		return c
	}
	c := register(r.reg, make())
	seen[name] = c
	return c
}

// register registers c with reg, or returns the collector already registered under its name (a
// second handler on the same registry, e.g. two clients of one process, shares the series).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	// Another error (a name clash with a different kind of collector) leaves c unregistered: its
	// figures are lost, the SDK is not disturbed.
	return c
}
