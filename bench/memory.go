package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"fengqiao/demo"
)

// runMemory builds `fengqiao dev`, runs it as a child process on a fresh data folder, opens N cases in
// it over HTTP and reads the child's resident memory (VmRSS) against its resident memory when idle.
func runMemory(ctx context.Context, cfg *Config, st *State) ([]Result, error) {
	n := cfg.Sizes.MemoryCases
	bin := filepath.Join(cfg.TempDir, "fengqiao")
	cfg.logf("memory: building fengqiao")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/fengqiao")
	build.Dir = cfg.ModuleDir
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %w\n%s", err, out)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	tAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(cfg.TempDir, "memory-data")
	cmd := exec.Command(bin, "dev")
	cmd.Env = append(filterEnv(os.Environ(), "DATABASE_URL", "TEMPORAL_ADDRESS", "FENGQIAO_POLICY"),
		"FENGQIAO_DATA="+data, "FENGQIAO_ADDR="+addr, "FENGQIAO_TEMPORAL_LISTEN="+tAddr, "FENGQIAO_TEMPORAL_UI=off",
		"FENGQIAO_ADMIN_PASSWORD=bench-admin-password", "FENGQIAO_DEMO=1")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}()
	c := NewClient("http://" + addr)
	ready := time.Now().Add(3 * time.Minute)
	for c.Do(ctx, "GET", "/readyz", "", nil, 200, nil) != nil {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("fengqiao dev exited: %v\n%s", err, logs.String())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(ready) {
			return nil, errors.New("fengqiao dev not ready after 3 minutes")
		}
	}
	pid := cmd.Process.Pid
	tok, err := c.Login(ctx, "clerk", demo.Password)
	if err != nil {
		return nil, err
	}
	ids := &IDNumbers{}
	open := func(k int) (time.Duration, error) {
		_, wall, err := parallel(ctx, cfg.Sizes.Clients, k, func(ctx context.Context, i int) error {
			return c.Do(ctx, "POST", "/api/v1/cases", tok, dispute(intakeLocations[i%len(intakeLocations)], ids.Next()), 201, nil)
		})
		return wall, err
	}
	if _, err := open(cfg.Sizes.Clients); err != nil { // warm-up
		return nil, err
	}
	idle, err := sampleRSS(ctx, pid)
	if err != nil {
		return nil, err
	}
	cfg.logf("memory: fengqiao dev (pid %d) idle at %.0f MB; opening %d cases", pid, idle, n)
	wall, err := open(n)
	if err != nil {
		return nil, err
	}
	rss, err := sampleRSS(ctx, pid)
	if err != nil {
		return nil, err
	}
	hwm, _ := procField(fmt.Sprintf("/proc/%d/status", pid), "VmHWM:")
	cfg.logf("memory: %d cases opened in %s; VmRSS %.0f MB, peak %.0f MB", n, wall.Round(time.Second), rss, float64(hwm)/1024)
	return []Result{{Name: "memory_rss", Value: rss, Unit: "MB", Baseline: idle, Ratio: rss / idle, Target: "≤ 500 MB",
		Pass: pass(rss <= 500), Sizes: map[string]any{"open_cases": n + cfg.Sizes.Clients, "peak_mb": float64(hwm) / 1024,
			"intake_rate": float64(n) / wall.Seconds()},
		Note: "VmRSS of a `fengqiao dev` child with the open cases (median of 3 samples); baseline = the same process idle after a warm-up"}}, nil
}

// sampleRSS is the median VmRSS of pid over three samples a second apart, in MB.
func sampleRSS(ctx context.Context, pid int) (float64, error) {
	var xs []float64
	for i := 0; i < 3; i++ {
		if err := sleep(ctx, time.Second); err != nil {
			return 0, err
		}
		kb, err := procField(fmt.Sprintf("/proc/%d/status", pid), "VmRSS:")
		if err != nil {
			return 0, err
		}
		xs = append(xs, float64(kb)/1024)
	}
	return Median(xs), nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

func filterEnv(env []string, drop ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, d := range drop {
			if len(kv) > len(d) && kv[:len(d)+1] == d+"=" {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
