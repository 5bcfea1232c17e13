package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fengqiao"
)

// Machine describes where a run happened.
type Machine struct {
	CPUs      int    `json:"cpus"`
	MemoryMB  int    `json:"memory_mb"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
}

// ThisMachine reads the CPU count, memory and Go version.
func ThisMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if kb, err := procField("/proc/meminfo", "MemTotal:"); err == nil {
		m.MemoryMB = int(kb / 1024)
	}
	return m
}

// procField reads a "Name:  123 kB" field of a /proc file, in kB.
func procField(path, name string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, name) {
			fields := strings.Fields(strings.TrimPrefix(line, name))
			if len(fields) == 0 {
				break
			}
			return strconv.ParseInt(fields[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("%s: no %s", path, name)
}

// startProfile writes a CPU profile of the measure to cfg.ProfileDir, if set.
func startProfile(cfg *Config, name string) func() {
	if cfg.ProfileDir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(cfg.ProfileDir, name+".cpu.pprof"))
	if err != nil {
		cfg.logf("profile: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		cfg.logf("profile: %v", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// IDNumbers hands out distinct valid resident ID numbers (GB 11643: region, birth date, sequence and
// the mod 11-2 check digit), one per matter, so that no intake is a duplicate of another.
type IDNumbers struct {
	next atomic.Int64
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// Next returns the next ID number: birth dates from 1950-01-01 on, 999 sequence numbers a day.
func (g *IDNumbers) Next() string {
	n := g.next.Add(1)
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n/999))
	body := fmt.Sprintf("330203%s%03d", birth.Format("20060102"), n%999+1)
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * idWeights[i]
	}
	id := body + string("10X98765432"[sum%11])
	if !fengqiao.ValidIDNumber(id) {
		panic("bench: generated an invalid ID number " + id)
	}
	return id
}

// Client calls the API over HTTP like a browser or a court system would.
type Client struct {
	Base string
	HTTP *http.Client
}

// NewClient returns a client for the server at base with room for many concurrent connections.
func NewClient(base string) *Client {
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute}
	return &Client{Base: base, HTTP: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}

// Do sends a JSON request and decodes the JSON answer into out (if not nil); any status other than
// want is an error naming the body.
func (c *Client) Do(ctx context.Context, method, path, token string, body any, want int, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read: %w", method, path, err)
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %.300s", method, path, res.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// Login returns a bearer token.
func (c *Client) Login(ctx context.Context, user, password string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	if err := c.Do(ctx, "POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": password}, 200, &out); err != nil {
		return "", err
	}
	return out.Token, nil
}

// parallel runs n jobs on `workers` goroutines and returns each job's duration; the first error stops
// the rest and is returned.
func parallel(ctx context.Context, workers, n int, job func(ctx context.Context, i int) error) ([]time.Duration, time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var once sync.Once
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				if err := job(ctx, i); err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	return lat, time.Since(start), firstErr
}
