package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"fengqiao/internal/clustersetup"
)

// Result is one row of the table and one entry of bench-results.json.
type Result struct {
	// Name is the measure's row name, e.g. "intake_rate".
	Name string `json:"name"`
	// Value is the median of the repetitions, in Unit.
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	// Baseline is the bare engine's or database's figure measured in the same run (0: none).
	Baseline float64 `json:"baseline_value,omitempty"`
	// Ratio is the figure the target applies to (ours ÷ bare, or bare ÷ ours for times; see Target).
	Ratio float64 `json:"ratio,omitempty"`
	// Target is the target in words, e.g. "ratio ≥ 0.8".
	Target string `json:"target,omitempty"`
	// Pass reports whether the target is met (nil: no target).
	Pass *bool `json:"pass,omitempty"`
	// Sizes are the sizes the figure was measured at (cases, clients, rows, repetitions...).
	Sizes map[string]any `json:"sizes,omitempty"`
	// Note explains how to read the row.
	Note string `json:"note,omitempty"`
}

// Sizes are the sizes of one run: Full for `make bench`, Quick for `make bench-quick`.
type Sizes struct {
	Clients        int // concurrent HTTP clients (and concurrent bare starters)
	Reps           int // repetitions per measure; the median is reported
	IntakeCases    int // cases per intake repetition
	LifecycleCases int // cases per lifecycle repetition
	StormCases     int // cases whose tier deadlines fall at one instant
	QueueRows      int // case rows bulk-loaded for the supervisor queue
	QueueRequests  int // queue requests per supervisor per repetition
	AuthzCount     int // go test -count for the policy city benchmark
	AuthzBenchtime string
	MemoryCases    int // open cases in the `fengqiao dev` child
}

// Full are the full sizes: a county's busy day of intakes and a city's million-case projection.
var Full = Sizes{Clients: 32, Reps: 3, IntakeCases: 2000, LifecycleCases: 200, StormCases: 5000,
	QueueRows: 1_000_000, QueueRequests: 200, AuthzCount: 3, AuthzBenchtime: "1s", MemoryCases: 10_000}

// Quick are sizes small enough for a run of about two minutes.
var Quick = Sizes{Clients: 32, Reps: 3, IntakeCases: 32, LifecycleCases: 8, StormCases: 40,
	QueueRows: 10_000, QueueRequests: 30, AuthzCount: 1, AuthzBenchtime: "2000x", MemoryCases: 100}

// Config is one run of the harness.
type Config struct {
	Sizes Sizes
	Quick bool
	// Postgres is a DSN; when set the database measures run on PostgreSQL too.
	Postgres string
	// Only lists the measures to run (empty: all).
	Only []string
	// TempDir holds the run's databases and binaries.
	TempDir string
	// ModuleDir is the repository root (for `go build` and `go test`).
	ModuleDir string
	// QueueIndexes adds ProposedQueueIndexes to the queue measure's database after the load: the
	// "after" figures of a proposed migration, measured without changing store/.
	QueueIndexes bool
	// ProfileDir, when set, receives a CPU profile per measure.
	ProfileDir string
	Log        io.Writer
	// Cluster, when set (make bench BENCH_FLAGS=-cluster), is a make cluster on which the measures of
	// the stack (intake, lifecycle, storm) run a second time, Fengqiao and the bare workflows on the same
	// cluster; their rows are named cluster_<row>.
	Cluster *clustersetup.State
	// clusterPass is set while the stack measures run on Cluster.
	clusterPass bool
}

func (c *Config) logf(format string, args ...any) {
	fmt.Fprintf(c.Log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// Measure is one measure of the harness.
type Measure struct {
	Name string
	// Stack reports whether the measure runs on the shared embedded stack (it is stopped before the
	// first measure that does not, so that its worker does not weigh on the others).
	Stack bool
	Run   func(ctx context.Context, cfg *Config, st *State) ([]Result, error)
}

// State carries what one measure learns for a later one (the intake rate sizes the storm's lead time)
// and the shared embedded stack.
type State struct {
	IntakeRate float64
	stack      *Stack
}

// Measures are the six measures in the order they run.
func Measures() []Measure {
	return []Measure{
		{"intake", true, runIntake},
		{"lifecycle", true, runLifecycle},
		{"storm", true, runStorm},
		{"queue", false, runQueue},
		{"authz", false, runAuthz},
		{"memory", false, runMemory},
	}
}

// Names lists the measure names.
func Names() []string {
	var out []string
	for _, m := range Measures() {
		out = append(out, m.Name)
	}
	return out
}

// Run runs the selected measures and returns every result; the error lists the measures that failed
// (a failed or refused request fails its measure).
func Run(ctx context.Context, cfg *Config) ([]Result, error) {
	st := &State{}
	defer func() {
		if st.stack != nil {
			st.stack.Close()
		}
	}()
	var all []Result
	var failed []string
	for _, m := range Measures() {
		if len(cfg.Only) > 0 && !slices.Contains(cfg.Only, m.Name) {
			continue
		}
		if !m.Stack && st.stack != nil {
			st.stack.Close()
			st.stack = nil
		}
		cfg.logf("== %s", m.Name)
		start := time.Now()
		stop := startProfile(cfg, m.Name)
		res, err := m.Run(ctx, cfg, st)
		stop()
		all = append(all, res...)
		if err != nil {
			cfg.logf("%s FAILED: %v", m.Name, err)
			failed = append(failed, fmt.Sprintf("%s: %v", m.Name, err))
			continue
		}
		cfg.logf("%s done in %s", m.Name, time.Since(start).Round(time.Second))
	}
	if cfg.Cluster != nil {
		if st.stack != nil {
			st.stack.Close()
		}
		cst := &State{}
		ccfg := *cfg
		ccfg.clusterPass = true
		for _, m := range Measures() {
			if !m.Stack || len(cfg.Only) > 0 && !slices.Contains(cfg.Only, m.Name) {
				continue
			}
			cfg.logf("== %s on the cluster (%s)", m.Name, cfg.Cluster.Frontend)
			start := time.Now()
			stop := startProfile(cfg, "cluster_"+m.Name)
			res, err := m.Run(ctx, &ccfg, cst)
			stop()
			for i := range res {
				res[i].Name = "cluster_" + res[i].Name
			}
			all = append(all, res...)
			if err != nil {
				cfg.logf("%s on the cluster FAILED: %v", m.Name, err)
				failed = append(failed, fmt.Sprintf("cluster %s: %v", m.Name, err))
				continue
			}
			cfg.logf("%s on the cluster done in %s", m.Name, time.Since(start).Round(time.Second))
		}
		if cst.stack != nil {
			cst.stack.Close()
		}
	}
	if len(failed) > 0 {
		return all, fmt.Errorf("%d measure(s) failed:\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
	return all, nil
}

// Median is the middle value (the mean of the middle two for an even count).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of ds, in milliseconds.
func Percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = max(1, min(rank, len(s)))
	return ms(s[rank-1])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func pass(ok bool) *bool { return &ok }

// PrintTable writes the results as a table: measure, value, unit, baseline, ratio, target, pass/miss.
func PrintTable(w io.Writer, results []Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tvalue\tunit\tbaseline\tratio\ttarget\tresult")
	for _, r := range results {
		base, ratio, verdict := "-", "-", "-"
		if r.Baseline != 0 {
			base = num(r.Baseline)
		}
		if r.Ratio != 0 {
			ratio = fmt.Sprintf("%.2f", r.Ratio)
		}
		if r.Pass != nil {
			verdict = "pass"
			if !*r.Pass {
				verdict = "MISS"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, num(r.Value), r.Unit, base, ratio, orDash(r.Target), verdict)
	}
	tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func num(v float64) string {
	switch {
	case v == math.Trunc(v) && math.Abs(v) < 1e9:
		return fmt.Sprintf("%.0f", v)
	case math.Abs(v) >= 100:
		return fmt.Sprintf("%.0f", v)
	case math.Abs(v) >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// Report is bench-results.json.
type Report struct {
	Started  time.Time `json:"started"`
	Duration string    `json:"duration"`
	Quick    bool      `json:"quick"`
	Machine  Machine   `json:"machine"`
	Results  []Result  `json:"results"`
	Error    string    `json:"error,omitempty"`
}

// WriteJSON writes the report to path.
func WriteJSON(path string, rep Report) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
