package bench

import (
	"testing"
	"time"

	"fengqiao"
)

func TestIDNumbersAreValidAndDistinct(t *testing.T) {
	var g IDNumbers
	seen := map[string]bool{}
	for i := 0; i < 20000; i++ {
		id := g.Next()
		if !fengqiao.ValidIDNumber(id) {
			t.Fatalf("invalid ID number %s", id)
		}
		if seen[id] {
			t.Fatalf("ID number %s handed out twice", id)
		}
		seen[id] = true
	}
}

func TestMedianAndPercentile(t *testing.T) {
	if m := Median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median of 3 = %v", m)
	}
	if m := Median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median of 4 = %v", m)
	}
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if p := Percentile(ds, 50); p != 50 {
		t.Errorf("p50 = %v", p)
	}
	if p := Percentile(ds, 99); p != 99 {
		t.Errorf("p99 = %v", p)
	}
}

func TestParseAuthz(t *testing.T) {
	out := `goos: linux
BenchmarkAuthorizeCity/sqlite/allow-2         	    2000	      3737 ns/op	        49.70 heap-MB	      1300 load-cpu-ms	      1459 load-ms
BenchmarkAuthorizeCity/sqlite/deny-2          	    2000	      1165 ns/op	        49.70 heap-MB	      1300 load-cpu-ms	      1459 load-ms
PASS`
	res, err := parseAuthz(out, Quick)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range res {
		got[r.Name] = r.Value
	}
	if got["authz_sqlite_allow"] != 3737 || got["authz_sqlite_deny"] != 1165 || got["authz_sqlite_load"] != 1459 || got["authz_sqlite_heap"] != 49.7 {
		t.Fatalf("parsed %v", got)
	}
}

func TestNingboTree(t *testing.T) {
	tr := NingboTree(10, 156, 3000)
	if len(tr.Counties) != 10 || len(tr.Townships) != 156 || len(tr.Villages) != 3000 || len(tr.Nodes) != 1+10+156+3000 {
		t.Fatalf("tree: %d counties, %d townships, %d villages, %d nodes", len(tr.Counties), len(tr.Townships), len(tr.Villages), len(tr.Nodes))
	}
	if p := tr.Path[tr.Villages[0]]; p != "/330200/330201/330201001/330201001001/" {
		t.Fatalf("first village path %s", p)
	}
}
