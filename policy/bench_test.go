package policy

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	gormadapter "github.com/casbin/gorm-adapter/v3"
	"gorm.io/gorm"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// The synthetic city of BenchmarkAuthorizeCity, the size of Ningbo.
const (
	cityCounties   = 10
	cityTownships  = 156
	cityVillages   = 3000
	cityGrids      = 12652
	cityMicroGrids = 57204
	cityGrants     = 100000
)

// spread splits total into parts counts as even as possible.
func spread(total, parts int) []int {
	out := make([]int, parts)
	for i := range out {
		out[i] = total / parts
		if i < total%parts {
			out[i]++
		}
	}
	return out
}

type benchPair struct {
	user, node string
	c          CaseRef
}

// buildCity bulk-inserts the city's nodes and grants (in batches, without per-node validation;
// micro-grids are grid-tier nodes under grids) and returns allow and deny decisions to time.
func buildCity(b *testing.B, db *store.DB) (allow, deny []benchPair) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var nodes []store.NodeRow
	add := func(code, parent, parentPath string, tier fengqiao.Tier, depth int) string {
		path := parentPath + code + "/"
		row := store.NodeRow{Code: code, Name: code, Tier: string(tier), Path: path, Depth: depth, CreatedAt: now}
		if parent != "" {
			p := parent
			row.ParentCode = &p
		}
		nodes = append(nodes, row)
		return path
	}
	type town struct {
		code   string
		micros []string
		vills  []string
	}
	var towns []town
	var counties []string
	var rules []gormadapter.CasbinRule
	user := 0
	grant := func(role fengqiao.Role, node string) string {
		user++
		u := fmt.Sprintf("u%06d", user)
		rules = append(rules, gormadapter.CasbinRule{Ptype: "g", V0: u, V1: string(role), V2: node})
		return u
	}

	cityPath := add("330200", "", "/", fengqiao.TierCity, 0)
	townsPer := spread(cityTownships, cityCounties)
	villagesPer := spread(cityVillages, cityTownships)
	gridsPer := spread(cityGrids, cityVillages)
	microsPer := spread(cityMicroGrids, cityGrids)
	ti, vi, gi := 0, 0, 0
	add("330200FY", "330200", cityPath, fengqiao.TierCourt, 1)
	for c := 0; c < cityCounties; c++ {
		cc := fmt.Sprintf("3302%02d", c+1)
		counties = append(counties, cc)
		cPath := add(cc, "330200", cityPath, fengqiao.TierCounty, 1)
		add(cc+"FY", cc, cPath, fengqiao.TierCourt, 2)
		for t := 0; t < townsPer[c]; t++ {
			tc := fmt.Sprintf("%s%03d", cc, t+1)
			tPath := add(tc, cc, cPath, fengqiao.TierTownship, 2)
			tw := town{code: tc}
			for v := 0; v < villagesPer[ti]; v++ {
				vc := fmt.Sprintf("%s%03d", tc, v+1)
				vPath := add(vc, tc, tPath, fengqiao.TierVillage, 3)
				tw.vills = append(tw.vills, vc)
				for g := 0; g < gridsPer[vi]; g++ {
					gc := fmt.Sprintf("%sG%02d", vc, g+1)
					gPath := add(gc, vc, vPath, fengqiao.TierGrid, 4)
					grant(fengqiao.RoleGridWorker, gc)
					for m := 0; m < microsPer[gi]; m++ {
						mc := fmt.Sprintf("%sM%02d", gc, m+1)
						add(mc, gc, gPath, fengqiao.TierGrid, 5)
						grant(fengqiao.RoleGridWorker, mc)
						tw.micros = append(tw.micros, mc)
					}
					gi++
				}
				vi++
			}
			towns = append(towns, tw)
			ti++
		}
	}
	// staff of the villages, townships, counties, courts and city
	townMediators := map[string][]string{}
	for _, tw := range towns {
		for _, v := range tw.vills {
			grant(fengqiao.RoleClerk, v)
			for i := 0; i < 3; i++ {
				grant(fengqiao.RoleMediator, v)
			}
		}
		for i := 0; i < 10; i++ {
			grant(fengqiao.RoleClerk, tw.code)
			grant(fengqiao.RoleSupervisor, tw.code)
		}
		for i := 0; i < 40; i++ {
			townMediators[tw.code] = append(townMediators[tw.code], grant(fengqiao.RoleMediator, tw.code))
		}
		grant(fengqiao.RoleAuditor, tw.code)
		grant(fengqiao.RoleAuditor, tw.code)
	}
	for _, cc := range counties {
		for i := 0; i < 200; i++ {
			grant(fengqiao.RoleClerk, cc)
		}
		for i := 0; i < 300; i++ {
			grant(fengqiao.RoleMediator, cc)
		}
		for i := 0; i < 100; i++ {
			grant(fengqiao.RoleSupervisor, cc)
		}
		for i := 0; i < 20; i++ {
			grant(fengqiao.RoleAuditor, cc)
			grant(fengqiao.RoleCourtOfficer, cc+"FY")
		}
		for i := 0; i < 5; i++ {
			grant(fengqiao.RoleAdmin, cc)
		}
	}
	for i := 0; i < 100; i++ {
		grant(fengqiao.RoleClerk, "330200")
		grant(fengqiao.RoleSupervisor, "330200")
	}
	for i := 0; i < 20; i++ {
		grant(fengqiao.RoleAuditor, "330200")
		grant(fengqiao.RoleCourtOfficer, "330200FY")
	}
	rules = append(rules, gormadapter.CasbinRule{Ptype: "g", V0: "admin", V1: string(fengqiao.RoleAdmin), V2: Global})
	for i := 0; len(rules) < cityGrants; i++ { // the rest: more village mediators
		tw := towns[i%len(towns)]
		grant(fengqiao.RoleMediator, tw.vills[i%len(tw.vills)])
	}

	if err := setup(ctx, db); err != nil {
		b.Fatal(err)
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(nodes, 500).Error; err != nil {
			return err
		}
		return tx.Table(ruleTable).CreateInBatches(rules, 1000).Error
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("city: %d nodes, %d grants", len(nodes), len(rules))

	// Decisions: a township mediator at a micro-grid of their township (allow, four levels up) and at
	// a micro-grid of another township (deny, a walk to the root); on cases, the same people.
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 4096; i++ {
		tw := towns[r.IntN(len(towns))]
		other := towns[r.IntN(len(towns))]
		for other.code == tw.code {
			other = towns[r.IntN(len(towns))]
		}
		med := townMediators[tw.code][r.IntN(40)]
		in := tw.micros[r.IntN(len(tw.micros))]
		out := other.micros[r.IntN(len(other.micros))]
		allow = append(allow, benchPair{med, in, CaseRef{Location: in, HandlingNode: tw.code,
			FirstContactUser: "u000001", FirstContactNode: tw.code, Assignee: "u000002"}})
		deny = append(deny, benchPair{med, out, CaseRef{Location: out, HandlingNode: other.code,
			FirstContactUser: "u000001", FirstContactNode: other.code, Assignee: "u000002"}})
	}
	return allow, deny
}

// cpuTime is the CPU time the process has used (all threads): on a shared machine, load-ms also
// counts the time other processes held the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAuthorizeCity loads a Ningbo-size city (1 city, 10 counties, 156 townships, 3,000
// villages, 12,652 grids, 57,204 micro-grids; 100,000 grants) and times decisions, each a question
// put to Casbin's enforcer through the decision cache:
//
//	allow, deny             Can(case.read) at a micro-grid, by a township mediator
//	case_allow, case_deny   CanOnCase(case.read) on a case there
//	actions                 AllowedCaseActions of the case's assignee (27 actions)
//
// Warm sub-benchmarks have every answer cached; those under cold/ empty the cache (and Casbin's
// compiled matcher, as a grant, a revocation, a new node or a Reload does) before each decision, so
// they time the first decision after an invalidation. Each also reports the median and 99th
// percentile of single decisions (p50-ns, p99-ns; for warm ones from one timed pass over 4,096
// questions after the loop, for cold ones from the loop), the load time of New (load-ms) and the
// live heap after it (heap-MB). Targets: ≤ 10 µs per warm decision, load ≤ 1 s, ≤ 300 MB. Nothing is
// asserted.
func BenchmarkAuthorizeCity(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchCity(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchCity(b, storetest.Postgres(b)) })
}

func benchCity(b *testing.B, db *store.DB) {
	allow, deny := buildCity(b, db)
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cpu0 := cpuTime()
	start := time.Now()
	a, err := New(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	loadMS := float64(time.Since(start).Microseconds()) / 1000
	loadCPUMS := float64((cpuTime() - cpu0).Microseconds()) / 1000
	runtime.GC()
	runtime.ReadMemStats(&after)
	heapMB := float64(after.HeapAlloc) / (1 << 20)
	b.Logf("load %.0f ms (%.0f ms of CPU, all threads), live heap %.1f MB (%.1f MB more than before New)", loadMS, loadCPUMS, heapMB,
		(float64(after.HeapAlloc)-float64(before.HeapAlloc))/(1<<20))

	assigned := make([]benchPair, len(allow))
	for i, p := range allow {
		p.c.Assignee = p.user
		assigned[i] = p
	}
	can := func(p benchPair) (bool, error) { return a.Can(p.user, ActionCaseRead, p.node) }
	onCase := func(p benchPair) (bool, error) {
		d, err := a.CanOnCase(p.user, ActionCaseRead, p.c)
		return d.Allowed, err
	}
	actions := func(p benchPair) (bool, error) {
		acts, err := a.AllowedCaseActions(p.user, p.c)
		return slices.Contains(acts, ActionCaseAccept), err
	}
	decisions := []struct {
		name   string
		pairs  []benchPair
		want   bool
		decide func(benchPair) (bool, error)
	}{
		{"allow", allow, true, can},
		{"deny", deny, false, can},
		{"case_allow", allow, true, onCase},
		{"case_deny", deny, false, onCase},
		{"actions", assigned, true, actions},
	}
	check := func(b *testing.B, p benchPair, want bool, decide func(benchPair) (bool, error)) {
		if got, err := decide(p); err != nil || got != want {
			b.Fatalf("%s at %s: %v, %v; want %v", p.user, p.node, got, err, want)
		}
	}
	report := func(b *testing.B, lat []time.Duration) {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
		b.ReportMetric(loadMS, "load-ms")
		b.ReportMetric(loadCPUMS, "load-cpu-ms")
		b.ReportMetric(heapMB, "heap-MB")
	}
	for _, d := range decisions {
		b.Run(d.name, func(b *testing.B) {
			for _, p := range d.pairs { // fill the cache
				check(b, p, d.want, d.decide)
			}
			for i := 0; b.Loop(); i++ {
				check(b, d.pairs[i%len(d.pairs)], d.want, d.decide)
			}
			lat := make([]time.Duration, len(d.pairs))
			for i, p := range d.pairs {
				t0 := time.Now()
				check(b, p, d.want, d.decide)
				lat[i] = time.Since(t0)
			}
			report(b, lat)
		})
	}
	for _, d := range decisions {
		b.Run("cold/"+d.name, func(b *testing.B) {
			var lat []time.Duration
			for i := 0; b.Loop(); i++ {
				a.forgetDecisions()
				t0 := time.Now()
				check(b, d.pairs[i%len(d.pairs)], d.want, d.decide)
				lat = append(lat, time.Since(t0))
			}
			report(b, lat)
		})
	}
	runtime.KeepAlive(a)
}
