package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// runAuthz runs policy's BenchmarkAuthorizeCity (a Ningbo-size city: 57,204 micro-grids, 100,000
// grants) with `go test` and reports ns per decision, load time and live heap, the median over -count
// runs. The benchmark and its city live in policy/bench_test.go; this measure only runs and reads it.
func runAuthz(ctx context.Context, cfg *Config, st *State) ([]Result, error) {
	pattern := "^BenchmarkAuthorizeCity$/^sqlite$"
	if cfg.Postgres != "" {
		pattern = "^BenchmarkAuthorizeCity$"
	}
	args := []string{"test", "-run", "^$", "-bench", pattern, "-benchtime", cfg.Sizes.AuthzBenchtime,
		"-count", strconv.Itoa(cfg.Sizes.AuthzCount), "-timeout", "30m", "./policy/"}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = cfg.ModuleDir
	cmd.Env = os.Environ()
	if cfg.Postgres != "" {
		cmd.Env = append(cmd.Env, "FENGQIAO_TEST_POSTGRES="+cfg.Postgres)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cfg.logf("go %s", strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go test: %w\n%s", err, out.String())
	}
	return parseAuthz(out.String(), cfg.Sizes)
}

var benchLine = regexp.MustCompile(`^BenchmarkAuthorizeCity/(\w+)/(\w+)-\d+\s+\d+\s+(.*)$`)

// parseAuthz reads the benchmark lines: "BenchmarkAuthorizeCity/sqlite/allow-2  N  123 ns/op  900 load-ms ...".
func parseAuthz(text string, sz Sizes) ([]Result, error) {
	type key struct{ db, sub string }
	metrics := map[key]map[string][]float64{}
	var order []key
	for _, line := range strings.Split(text, "\n") {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		k := key{m[1], m[2]}
		if metrics[k] == nil {
			metrics[k] = map[string][]float64{}
			order = append(order, k)
		}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				metrics[k][f[i+1]] = append(metrics[k][f[i+1]], v)
			}
		}
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("no benchmark lines in the output:\n%s", text)
	}
	sizes := map[string]any{"micro_grids": 57204, "grants": 100000, "count": sz.AuthzCount, "benchtime": sz.AuthzBenchtime}
	var out []Result
	loaded := map[string]bool{}
	for _, k := range order {
		ns := Median(metrics[k]["ns/op"])
		out = append(out, Result{Name: fmt.Sprintf("authz_%s_%s", k.db, k.sub), Value: ns, Unit: "ns/decision",
			Target: "≤ 10 µs", Pass: pass(ns <= 10_000), Sizes: sizes})
		if !loaded[k.db] {
			loaded[k.db] = true
			load, heap := Median(metrics[k]["load-ms"]), Median(metrics[k]["heap-MB"])
			out = append(out,
				Result{Name: fmt.Sprintf("authz_%s_load", k.db), Value: load, Unit: "ms", Target: "≤ 1 s", Pass: pass(load <= 1000),
					Sizes: sizes, Note: fmt.Sprintf("policy.New on the city; %.0f ms of CPU", Median(metrics[k]["load-cpu-ms"]))},
				Result{Name: fmt.Sprintf("authz_%s_heap", k.db), Value: heap, Unit: "MB", Target: "≤ 300 MB", Pass: pass(heap <= 300),
					Sizes: sizes, Note: "live heap after policy.New"})
		}
	}
	return out, nil
}
