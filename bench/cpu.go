package bench

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat (USER_HZ, 100 on every Linux this runs on).
const userHZ = 100

// cpuUse is the CPU time (user + system) the processes doing a measure's work have used so far, by
// process: "bench" is this process (the Fengqiao stack — HTTP, cases service, worker, projection —
// its load clients and, on the embedded stack, the Temporal server itself); on a make cluster each
// Temporal service by its pid file ("temporal-history"...); "postgres" every process named postgres
// (the cluster's persistence and visibility, and the projection there). On a 2-core machine that
// runs out of CPU, this is where a step's cost goes. Empty where /proc is not Linux's.
type cpuUse map[string]time.Duration

// readCPU reads the CPU used so far; pids is the cluster's pid folder ("" on the embedded stack).
func readCPU(pids string) cpuUse {
	use := cpuUse{}
	add := func(name, pid string) {
		if t, ok := procCPU(pid); ok {
			use[name] += t
		}
	}
	add("bench", "self")
	if pids != "" {
		files, _ := filepath.Glob(filepath.Join(pids, "temporal-*.pid"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err == nil {
				add(strings.TrimSuffix(filepath.Base(f), ".pid"), strings.TrimSpace(string(b)))
			}
		}
	}
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		if _, err := strconv.Atoi(p.Name()); err != nil {
			continue
		}
		if comm, err := os.ReadFile(filepath.Join("/proc", p.Name(), "comm")); err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			add("postgres", p.Name())
		}
	}
	return use
}

// clusterPids is the pid folder of the make cluster the measures run on, "" on the embedded stack.
func (cfg *Config) clusterPids() string {
	if !cfg.clusterPass {
		return ""
	}
	return filepath.Join(cfg.Cluster.Data, "pids")
}

// procCPU is the user + system time of /proc/<pid>/stat (pid may be "self").
func procCPU(pid string) (time.Duration, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0, false
	}
	// the command name is in parentheses and may hold spaces: the fields after it start at ") "
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 { // state is field 3 of stat; utime and stime are 14 and 15
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * time.Second / userHZ, true
}

// since is the CPU used from before to now, by process (a process started in between counts whole;
// one that ended counts nothing: postgres backends of closed connections are lost, a small part).
func (now cpuUse) since(before cpuUse) cpuUse {
	d := cpuUse{}
	for k, v := range now {
		d[k] = v - before[k]
	}
	return d
}

// add adds other to u.
func (u cpuUse) add(other cpuUse) {
	for k, v := range other {
		u[k] += v
	}
}

// total is the CPU of every process.
func (u cpuUse) total() time.Duration {
	var t time.Duration
	for _, v := range u {
		t += v
	}
	return t
}

// cpuResults are rows <prefix>_cpu_<process> and <prefix>_cpu_total: the CPU milliseconds one unit
// (a case) took of each process, ours against bare, both over n units.
func cpuResults(prefix string, ours, bare cpuUse, n int, sizes map[string]any) []Result {
	names := make([]string, 0, len(ours))
	for k := range ours {
		names = append(names, k)
	}
	slices.Sort(names)
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	row := func(name string, o, b time.Duration) Result {
		r := Result{Name: prefix + "_cpu_" + name, Value: per(o), Unit: "CPU ms/case", Baseline: per(b), Sizes: sizes,
			Note: "CPU time (user + system) of this process per case, ours vs bare (/proc); bench is the Fengqiao stack, its clients and, embedded, the Temporal server"}
		if b > 0 {
			r.Ratio = float64(o) / float64(b)
		}
		return r
	}
	var out []Result
	for _, k := range names {
		out = append(out, row(strings.ReplaceAll(k, "-", "_"), ours[k], bare[k]))
	}
	return append(out, row("total", ours.total(), bare.total()))
}
