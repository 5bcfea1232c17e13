// Command bench is `make bench`: Fengqiao's cost measured against the bare engine and database, side by
// side in one run. It prints a table and writes bench-results.json; a failed measure (a failed or
// refused request among them) makes it exit with status 1. See BENCHMARKS.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"fengqiao/bench"
	"fengqiao/internal/clustersetup"
)

func main() {
	quick := flag.Bool("quick", false, "small sizes: a run of about two minutes")
	only := flag.String("only", "", "comma-separated measures to run: "+strings.Join(bench.Names(), ","))
	jsonPath := flag.String("json", "bench-results.json", "where to write the results (empty: nowhere)")
	pg := flag.String("postgres", firstEnv("DATABASE_URL", "FENGQIAO_TEST_POSTGRES"),
		"PostgreSQL DSN for the database measures (default $DATABASE_URL or $FENGQIAO_TEST_POSTGRES)")
	profile := flag.String("cpuprofile", "", "folder for a CPU profile per measure")
	keep := flag.Bool("keep", false, "keep the temporary folder (databases, logs)")
	queueRows := flag.Int("queue-rows", 0, "queue measure: case rows to load (0: the size's default)")
	indexes := flag.Bool("queue-indexes", false, "queue measure: add the proposed queue indexes (what-if for a migration)")
	cluster := flag.Bool("cluster", false, "run intake, lifecycle and storm a second time on the make cluster at -cluster-state, beside bare workflows on the same cluster (rows cluster_*)")
	clusterState := flag.String("cluster-state", ".fengqiao/cluster", "the data folder of the running make cluster (its cluster.state)")
	flag.Parse()
	var target *clustersetup.State
	if *cluster {
		var err error
		if target, err = clustersetup.ReadState(*clusterState); err != nil {
			fmt.Fprintln(os.Stderr, "bench: -cluster:", err)
			os.Exit(1)
		}
	}
	if err := run(*quick, *only, *jsonPath, *pg, *profile, *keep, *indexes, *queueRows, target); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(quick bool, only, jsonPath, pg, profile string, keep, indexes bool, queueRows int, cluster *clustersetup.State) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := &bench.Config{Sizes: bench.Full, Quick: quick, Postgres: pg, ProfileDir: profile, Log: os.Stderr,
		QueueIndexes: indexes, Cluster: cluster}
	if quick {
		cfg.Sizes = bench.Quick
	}
	if queueRows > 0 {
		cfg.Sizes.QueueRows = queueRows
	}
	for _, name := range strings.Split(only, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if !slices.Contains(bench.Names(), name) {
			return fmt.Errorf("-only: no measure %q (have %s)", name, strings.Join(bench.Names(), ", "))
		}
		cfg.Only = append(cfg.Only, name)
	}
	mod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(mod)) == "" || strings.TrimSpace(string(mod)) == os.DevNull {
		return fmt.Errorf("run from inside the fengqiao module (go env GOMOD: %v)", err)
	}
	cfg.ModuleDir = filepath.Dir(strings.TrimSpace(string(mod)))
	if profile != "" {
		if err := os.MkdirAll(profile, 0o755); err != nil {
			return err
		}
	}
	if cfg.TempDir, err = os.MkdirTemp("", "fengqiao-bench-"); err != nil {
		return err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "bench: keeping", cfg.TempDir)
	} else {
		defer os.RemoveAll(cfg.TempDir)
	}
	m := bench.ThisMachine()
	size := "full"
	if quick {
		size = "quick"
	}
	fmt.Fprintf(os.Stderr, "bench: %s sizes on %d CPUs, %d MB, %s; PostgreSQL: %v\n", size, m.CPUs, m.MemoryMB, m.GoVersion, pg != "")
	started := time.Now()
	results, runErr := bench.Run(ctx, cfg)
	fmt.Println()
	bench.PrintTable(os.Stdout, results)
	fmt.Printf("\n%s sizes, %s, %d CPUs, %d MB, %s\n", size, time.Since(started).Round(time.Second), m.CPUs, m.MemoryMB, m.GoVersion)
	if jsonPath != "" {
		rep := bench.Report{Started: started.UTC(), Duration: time.Since(started).Round(time.Second).String(), Quick: quick,
			Machine: m, Results: results}
		if runErr != nil {
			rep.Error = runErr.Error()
		}
		if err := bench.WriteJSON(jsonPath, rep); err != nil {
			return err
		}
		fmt.Println("results written to", jsonPath)
	}
	return runErr
}

func firstEnv(keys ...string) string {
	for _, k := range keys {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}
