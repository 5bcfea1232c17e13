package store_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"fengqiao/store"
)

// EnvBenchBig names the variable that lets BenchmarkSearch build its 1,000,000-case databases: without
// it the benchmark skips, so that `go test -bench .` and `make test` never build them.
const EnvBenchBig = "FENGQIAO_BENCH_BIG"

// BenchmarkSearch builds a city of 1,000,000 cases (FENGQIAO_BENCH_CASES to change the number) with two
// parties each and their search keys, on SQLite in a temporary folder and on PostgreSQL when
// FENGQIAO_TEST_POSTGRES is set, and times each kind of search as a township clerk (and a county
// supervisor for the broadest one) against a primary-key read of one case in the same run, alternating
// with it. It reports p50 and p99 per kind in milliseconds; the target is p99 ≤ 100 ms. Run it with
//
//	FENGQIAO_BENCH_BIG=1 go test -run '^$' -bench BenchmarkSearch -benchtime 1x -timeout 2h ./store/
func BenchmarkSearch(b *testing.B) {
	if os.Getenv(EnvBenchBig) == "" {
		b.Skip("builds 1,000,000 cases: set " + EnvBenchBig + "=1 to run it")
	}
	n := benchCases()
	b.Run("sqlite", func(b *testing.B) { benchSearch(b, false, n) })
	b.Run("postgres", func(b *testing.B) { benchSearch(b, true, n) })
}

// benchCases is the size of the search world: 1,000,000 cases, or FENGQIAO_BENCH_CASES.
func benchCases() int {
	if v, err := strconv.Atoi(os.Getenv("FENGQIAO_BENCH_CASES")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

func benchSearch(b *testing.B, postgres bool, n int) {
	ctx := context.Background()
	start := time.Now()
	db, w := searchWorldDB(b, postgres, n)
	b.Logf("%d cases ready in %v", n, time.Since(start).Round(time.Second))
	type kind struct {
		name  string
		query func(s searchSample) store.SearchQuery
	}
	township := func(s searchSample) *store.ReadScope {
		return &store.ReadScope{User: "clerk", Subtrees: []string{s.township}}
	}
	kinds := []kind{
		{"name", func(s searchSample) store.SearchQuery {
			return store.SearchQuery{Kind: store.SearchName, Name: s.name, Scope: township(s)}
		}},
		{"name_part", func(s searchSample) store.SearchQuery {
			return store.SearchQuery{Kind: store.SearchName, Name: string([]rune(s.name)[:2]), Scope: township(s)}
		}},
		{"name_part_county", func(s searchSample) store.SearchQuery {
			return store.SearchQuery{Kind: store.SearchName, Name: string([]rune(s.name)[:2]), Scope: &store.ReadScope{User: "sup", Subtrees: []string{s.county}}}
		}},
		{"name_phone4", func(s searchSample) store.SearchQuery {
			return store.SearchQuery{Kind: store.SearchNamePhone4, Name: s.name, Last4: s.phone[len(s.phone)-4:], Scope: township(s)}
		}},
		{"id_number", func(s searchSample) store.SearchQuery {
			return store.SearchQuery{Kind: store.SearchIDNumber, IDHashes: w.keys.HashAll("id_number", s.id), Scope: township(s)}
		}},
		{"phone", func(s searchSample) store.SearchQuery {
			return store.SearchQuery{Kind: store.SearchPhone, PhoneHashes: w.keys.HashAll("phone", s.phone), Scope: township(s)}
		}},
		{"number", func(s searchSample) store.SearchQuery {
			return store.SearchQuery{Kind: store.SearchNumber, Number: s.number, Scope: township(s)}
		}},
		{"number_prefix", func(s searchSample) store.SearchQuery {
			return store.SearchQuery{Kind: store.SearchNumber, Number: s.number[:len(s.number)-3], Scope: township(s)}
		}},
		{"query_code", func(s searchSample) store.SearchQuery {
			return store.SearchQuery{Kind: store.SearchQueryCode, QueryCode: s.queryCode, Scope: township(s)}
		}},
	}
	const rounds = 300
	// warm up: caches and connections, one pass of every kind
	for _, k := range kinds {
		for _, s := range w.samples[:20] {
			if _, err := db.SearchCases(ctx, w.keys, k.query(s)); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, k := range kinds {
		plan, err := db.ExplainSearch(ctx, w.keys, k.query(w.samples[0]))
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s plan:\n%s", k.name, plan)
		var lat, base []time.Duration
		missed := 0
		for i := 0; i < rounds; i++ {
			s := w.samples[(i*7919)%len(w.samples)]
			t0 := time.Now()
			if _, err := db.Case(ctx, s.caseID); err != nil {
				b.Fatal(err)
			}
			base = append(base, time.Since(t0))
			t0 = time.Now()
			hits, err := db.SearchCases(ctx, w.keys, k.query(s))
			lat = append(lat, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			if !slices.ContainsFunc(hits, func(h store.SearchHit) bool { return h.Case.ID == s.caseID }) && len(hits) < 50 {
				missed++
			}
		}
		if missed > 0 {
			b.Errorf("%s: %d of %d searches missed their case", k.name, missed, rounds)
		}
		p50, p99 := pct(lat, 50), pct(lat, 99)
		b.ReportMetric(ms(p50), k.name+"_p50_ms")
		b.ReportMetric(ms(p99), k.name+"_p99_ms")
		b.Logf("%-17s p50 %7.2f ms  p99 %7.2f ms   baseline (primary key) p50 %5.2f ms p99 %5.2f ms   %s", k.name, ms(p50), ms(p99),
			ms(pct(base, 50)), ms(pct(base, 99)), map[bool]string{true: "ok", false: "MISS (target p99 ≤ 100 ms)"}[p99 <= 100*time.Millisecond])
	}
	var size string
	if db.IsPostgres() {
		db.Raw("SELECT pg_size_pretty(pg_total_relation_size('case_search_keys'))").Scan(&size)
	} else {
		var pages int64
		db.Raw("SELECT COUNT(*) FROM dbstat WHERE name = 'case_search_keys'").Scan(&pages)
		size = fmt.Sprintf("%d pages", pages)
	}
	var keys int64
	db.Raw("SELECT COUNT(*) FROM case_search_keys").Scan(&keys)
	b.Logf("case_search_keys: %d rows, %s", keys, size)
}

// pct is the nearest-rank percentile p of d.
func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return s[i-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
