package apptest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ReadyTimeout is how long StartProc waits for a child's /readyz, and StopTimeout how long Stop
// waits for it to exit after SIGTERM (its drain is app.DrainTimeout).
const (
	ReadyTimeout = 90 * time.Second
	StopTimeout  = 45 * time.Second
)

var build struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// Binary builds cmd/fengqiao once per test binary, the way a user gets it, into a temporary folder
// that Main removes, and returns its path. It skips the test under -short.
func Binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the fengqiao binary; skipped with -short")
	}
	build.once.Do(func() {
		if build.dir, build.err = os.MkdirTemp("", "fengqiao-bin"); build.err != nil {
			return
		}
		build.path = filepath.Join(build.dir, "fengqiao")
		if out, err := exec.Command("go", "build", "-o", build.path, "fengqiao/cmd/fengqiao").CombinedOutput(); err != nil {
			build.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.path
}

func removeBinary() {
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
}

// FreeAddr returns a 127.0.0.1 address with a port nothing listens on.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Proc is one fengqiao child process.
type Proc struct {
	// Name names the process in failures.
	Name string
	// URL is the process's web server, when it has one.
	URL string
	// Out is everything the process wrote to stdout and stderr.
	Out *Output

	t    testing.TB
	cmd  *exec.Cmd
	done chan error // holds Wait's result once the process has exited
}

// StartProc runs the binary with args, this process's environment, FENGQIAO_LOG_LEVEL=WARN and env
// (later entries win). With addr set it serves there (FENGQIAO_ADDR) and StartProc waits until its
// /readyz answers 200. The process is killed when the test ends, if it still runs.
func StartProc(t testing.TB, name string, env []string, addr string, args ...string) *Proc {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	cmd.Env = append(append(os.Environ(), "FENGQIAO_LOG_LEVEL=WARN"), env...)
	if addr != "" {
		cmd.Env = append(cmd.Env, "FENGQIAO_ADDR="+addr)
	}
	p := &Proc{Name: name, Out: &Output{}, t: t, cmd: cmd, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.Out, p.Out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(p.Kill9)
	if addr == "" {
		return p
	}
	p.URL = "http://" + addr
	deadline := time.Now().Add(ReadyTimeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("%s exited early: %v\n%s", name, err, p.Out)
		default:
		}
		if res, err := http.Get(p.URL + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s not ready within %v:\n%s", name, ReadyTimeout, p.Out)
	return nil
}

// Kill9 sends SIGKILL — no shutdown hooks, no drain — and waits for the process to be gone.
func (p *Proc) Kill9() {
	select {
	case err := <-p.done: // already gone
		p.done <- err
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	err := <-p.done
	p.done <- err
}

// Stop sends SIGTERM and fails the test unless the process exits cleanly within StopTimeout.
func (p *Proc) Stop() {
	p.t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err
		if err != nil {
			p.t.Fatalf("%s: exit after SIGTERM: %v\n%s", p.Name, err, p.Out)
		}
	case <-time.After(StopTimeout):
		p.t.Fatalf("%s: no exit within %v of SIGTERM\n%s", p.Name, StopTimeout, p.Out)
	}
}

// Output collects a child's output while the test reads it.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

// String returns everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}
