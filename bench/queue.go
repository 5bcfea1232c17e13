package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/app"
	"fengqiao/policy"
	"fengqiao/secret"
	"fengqiao/store"
)

// Tree is a Ningbo-shaped jurisdiction: a city, its counties, townships and villages.
type Tree struct {
	Nodes     []store.NodeRow
	Counties  []string
	Townships []string
	Villages  []string
	Path      map[string]string
}

// NingboTree builds the tree of policy/bench_test.go's synthetic city down to the villages (10
// counties, 156 townships, 3,000 villages, the same codes): the case projection needs no grids. It is
// the smallest helper the queue measure needs; the policy benchmark keeps its own, fuller builder in
// its test file, which cannot be imported.
func NingboTree(counties, townships, villages int) Tree {
	now := time.Now().UTC()
	t := Tree{Path: map[string]string{}}
	add := func(code, parent string, tier fengqiao.Tier, depth int) {
		path := "/" + code + "/"
		var p *string
		if parent != "" {
			path = t.Path[parent] + code + "/"
			pc := parent
			p = &pc
		}
		t.Path[code] = path
		t.Nodes = append(t.Nodes, store.NodeRow{Code: code, Name: code, Tier: string(tier), ParentCode: p, Path: path, Depth: depth, CreatedAt: now})
	}
	add("330200", "", fengqiao.TierCity, 0)
	townsPer, villagesPer := spread(townships, counties), spread(villages, townships)
	ti := 0
	for c := 0; c < counties; c++ {
		cc := fmt.Sprintf("3302%02d", c+1)
		add(cc, "330200", fengqiao.TierCounty, 1)
		t.Counties = append(t.Counties, cc)
		for k := 0; k < townsPer[c]; k++ {
			tc := fmt.Sprintf("%s%03d", cc, k+1)
			add(tc, cc, fengqiao.TierTownship, 2)
			t.Townships = append(t.Townships, tc)
			for v := 0; v < villagesPer[ti]; v++ {
				vc := fmt.Sprintf("%s%03d", tc, v+1)
				add(vc, tc, fengqiao.TierVillage, 3)
				t.Villages = append(t.Villages, vc)
			}
			ti++
		}
	}
	return t
}

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

// caseColumns are the columns the bulk load fills; the rest keep their defaults.
var caseColumns = []string{"id", "number", "query_code", "workflow_id", "kind", "category", "channel", "summary",
	"status", "tier", "handling_node", "handling_path", "location", "location_path", "assignee", "first_contact_user",
	"first_contact_node", "tier_due_at", "at_risk", "overdue", "unacknowledged", "escalated_at", "opened_at",
	"closed_at", "resolved_tier", "created_at", "updated_at"}

var openStatuses = []string{"registered", "mediating", "mediating", "agreement", "suspended"}

// LoadCases bulk-loads n case rows over the tree's villages straight into the projection: batched
// multi-row INSERTs, 10,000 rows a transaction. About 70 % are closed; 5 % of all are overdue, 5 % at
// risk and 1 % escalated to their township and unacknowledged.
func LoadCases(ctx context.Context, db *store.DB, t Tree, n int) error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	const batch = 400
	pg := db.IsPostgres()
	insert := func(rows int) string { return store.BulkInsertSQL("cases", caseColumns, rows, pg) }
	full := insert(batch)
	// Secondary indexes are dropped for the load and built again after it: building an index from sorted
	// rows is many times faster than growing a dozen of them row by row, and the schema ends the same.
	restore, err := dropCaseIndexes(ctx, sqlDB, pg)
	if err != nil {
		return err
	}
	r := mrand.New(mrand.NewPCG(7, 11))
	now := time.Now().UTC().Truncate(time.Second)
	county := func(path string) string { return strings.Split(path, "/")[2] }
	township := func(path string) string { return strings.Split(path, "/")[3] }
	args := make([]any, 0, batch*len(caseColumns))
	row := func(i int) {
		v := t.Villages[i%len(t.Villages)]
		vp := t.Path[v]
		id := fmt.Sprintf("B%019d", i)
		opened := now.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
		status, tier, node, path := "closed", "village", v, vp
		var due, escalated, closed *time.Time
		atRisk, overdue, unack, resolved := false, false, false, ""
		x := r.Float64()
		switch {
		case x < 0.05:
			overdue = true
			d := now.Add(-time.Duration(r.Int64N(int64(10 * 24 * time.Hour))))
			due = &d
		case x < 0.10:
			atRisk = true
			d := now.Add(time.Duration(r.Int64N(int64(2 * 24 * time.Hour))))
			due = &d
		case x < 0.11:
			unack = true
			tier, node = "township", township(vp)
			path = t.Path[node]
			e := now.Add(-time.Duration(r.Int64N(int64(5 * 24 * time.Hour))))
			d := e.Add(15 * 24 * time.Hour)
			escalated, due = &e, &d
		case x < 0.30:
			d := now.Add(2*24*time.Hour + time.Duration(r.Int64N(int64(12*24*time.Hour))))
			due = &d
		}
		if due != nil {
			status = openStatuses[r.IntN(len(openStatuses))]
		} else {
			c := opened.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
			closed, resolved = &c, "village"
		}
		args = append(args, id, fmt.Sprintf("%s-%07d", county(vp), i), fmt.Sprintf("Q%011d", i), "case-"+id, "dispute",
			fengqiao.Categories[i%len(fengqiao.Categories)], "visit", "邻里纠纷", status, tier, node, path, v, vp, "",
			"clerk", county(vp), due, atRisk, overdue, unack, escalated, opened, closed, resolved, opened, opened)
	}
	for done := 0; done < n; {
		tx, err := sqlDB.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, full)
		if err != nil {
			tx.Rollback()
			return err
		}
		for k := 0; k < 25 && done < n; k++ {
			rows := min(batch, n-done)
			args = args[:0]
			for i := 0; i < rows; i++ {
				row(done + i)
			}
			if rows == batch {
				_, err = stmt.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, insert(rows), args...)
			}
			if err != nil {
				stmt.Close()
				tx.Rollback()
				return fmt.Errorf("bulk insert at row %d: %w", done, err)
			}
			done += rows
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	for _, create := range restore {
		if _, err := sqlDB.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("rebuild index: %s: %w", create, err)
		}
	}
	if pg {
		if _, err := sqlDB.ExecContext(ctx, "ANALYZE cases"); err != nil {
			return err
		}
	}
	return nil
}

// dropCaseIndexes drops the secondary indexes of cases (not those behind its keys) and returns the
// statements that create them again.
func dropCaseIndexes(ctx context.Context, sqlDB *sql.DB, pg bool) ([]string, error) {
	q := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL"
	if pg {
		q = `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases' AND schemaname = current_schema()
			AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'cases'::regclass)`
	}
	rows, err := sqlDB.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	var names, creates []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return nil, err
		}
		names, creates = append(names, name), append(creates, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := sqlDB.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	return creates, nil
}

// runQueue loads the projection on SQLite (and PostgreSQL when configured) and times the supervisor
// queue of a township and of a county supervisor through the HTTP handler against db.Supervision
// called directly (the handler's own query) and the same SQL on database/sql.
func runQueue(ctx context.Context, cfg *Config, st *State) ([]Result, error) {
	var out []Result
	dbs := []string{"sqlite"}
	if cfg.Postgres != "" {
		dbs = append(dbs, "postgres")
	}
	for _, name := range dbs {
		res, err := queueOn(ctx, cfg, name)
		out = append(out, res...)
		if err != nil {
			return out, fmt.Errorf("%s: %w", name, err)
		}
	}
	return out, nil
}

func queueOn(ctx context.Context, cfg *Config, dialect string) ([]Result, error) {
	sz := cfg.Sizes
	var db *store.DB
	var err error
	if dialect == "sqlite" {
		db, err = store.Open(ctx, filepath.Join(cfg.TempDir, "queue", "fengqiao.db"))
	} else {
		var drop func()
		db, drop, err = openPostgresSchema(ctx, cfg.Postgres)
		if drop != nil {
			defer drop()
		}
	}
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tree := NingboTree(10, 156, 3000)
	if err := db.WithContext(ctx).CreateInBatches(tree.Nodes, 500).Error; err != nil {
		return nil, fmt.Errorf("nodes: %w", err)
	}
	t0 := time.Now()
	if err := LoadCases(ctx, db, tree, sz.QueueRows); err != nil {
		return nil, err
	}
	load := time.Since(t0)
	if cfg.QueueIndexes {
		for _, ddl := range ProposedQueueIndexes {
			if err := db.WithContext(ctx).Exec(ddl).Error; err != nil {
				return nil, fmt.Errorf("%s: %w", ddl, err)
			}
		}
		dialect += "+idx"
	}
	cfg.logf("queue/%s: %d case rows loaded in %s (%.0f rows/s)", dialect, sz.QueueRows, load.Round(time.Second), float64(sz.QueueRows)/load.Seconds())
	pol, err := policy.New(ctx, db)
	if err != nil {
		return nil, err
	}
	sups := []struct{ user, node string }{{"sup-township", tree.Townships[0]}, {"sup-county", tree.Counties[0]}}
	hash, err := api.HashPassword("bench-password")
	if err != nil {
		return nil, err
	}
	for _, s := range sups {
		if _, err := db.CreateUser(ctx, store.UserRow{Username: s.user, PasswordHash: hash}); err != nil {
			return nil, err
		}
		if err := pol.Grant(ctx, s.user, fengqiao.RoleSupervisor, s.node); err != nil {
			return nil, err
		}
	}
	keys, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		return nil, err
	}
	// the whole application as users get it; the queue reads only the database, so Temporal is never dialled
	a, err := app.New(ctx, app.Config{DB: db, Keys: keys, TemporalHostPort: "127.0.0.1:1", LazyTemporal: true})
	if err != nil {
		return nil, err
	}
	defer a.Close()
	h := a.Handler()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := api.NewHTTPServer(ln.Addr().String(), h)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	c := NewClient("http://" + ln.Addr().String())
	sqlDB, err := db.DB.DB()
	if err != nil {
		return nil, err
	}
	var out []Result
	for _, s := range sups {
		tok, err := c.Login(ctx, s.user, "bench-password")
		if err != nil {
			return out, err
		}
		path := tree.Path[s.node]
		httpCall := func() error {
			var q map[string][]map[string]any
			if err := c.Do(ctx, "GET", "/api/v1/supervision/queue", tok, nil, 200, &q); err != nil {
				return err
			}
			if len(q["overdue"]) == 0 && sz.QueueRows >= 10_000 { // 5 % overdue: a township has some
				return fmt.Errorf("queue of %s has no overdue case", s.user)
			}
			return nil
		}
		scope := store.ReadScope{User: s.user, Subtrees: []string{path}}
		bareCall := func() error {
			q, err := db.Supervision(ctx, scope, 50)
			if err == nil && len(q.Overdue) == 0 && sz.QueueRows >= 10_000 {
				err = fmt.Errorf("bare queue of %s has no overdue case", s.user)
			}
			return err
		}
		rawCall := func() error { return rawSupervision(ctx, sqlDB, db.IsPostgres(), path, 50) }
		timeIt := func(n int, f func() error) ([]time.Duration, error) {
			lat := make([]time.Duration, n)
			for i := range lat {
				t := time.Now()
				if err := f(); err != nil {
					return nil, err
				}
				lat[i] = time.Since(t)
			}
			return lat, nil
		}
		for _, f := range []func() error{httpCall, bareCall, rawCall} { // warm-up
			if _, err := timeIt(20, f); err != nil {
				return out, err
			}
		}
		var p50, p99, bp50, bp99, rp99 []float64
		for r := 0; r < sz.Reps; r++ {
			lat, err := timeIt(sz.QueueRequests, bareCall)
			if err != nil {
				return out, err
			}
			bp50, bp99 = append(bp50, Percentile(lat, 50)), append(bp99, Percentile(lat, 99))
			if lat, err = timeIt(sz.QueueRequests, rawCall); err != nil {
				return out, err
			}
			rp99 = append(rp99, Percentile(lat, 99))
			if lat, err = timeIt(sz.QueueRequests, httpCall); err != nil {
				return out, err
			}
			p50, p99 = append(p50, Percentile(lat, 50)), append(p99, Percentile(lat, 99))
		}
		who := strings.TrimPrefix(s.user, "sup-")
		cfg.logf("queue/%s/%s: HTTP p50 %.1f ms p99 %.1f ms; db.Supervision p50 %.1f p99 %.1f; raw SQL p99 %.1f",
			dialect, who, Median(p50), Median(p99), Median(bp50), Median(bp99), Median(rp99))
		sizes := map[string]any{"rows": sz.QueueRows, "requests": sz.QueueRequests, "repetitions": sz.Reps,
			"node": s.node, "raw_sql_p99_ms": Median(rp99), "load_s": load.Seconds()}
		ratio := Median(p99) / Median(bp99)
		out = append(out,
			Result{Name: fmt.Sprintf("queue_%s_%s_p50", dialect, who), Value: Median(p50), Unit: "ms", Baseline: Median(bp50),
				Ratio: Median(p50) / Median(bp50), Sizes: sizes},
			Result{Name: fmt.Sprintf("queue_%s_%s_p99", dialect, who), Value: Median(p99), Unit: "ms", Baseline: Median(bp99),
				Ratio: ratio, Target: "≤ 50 ms, ≤ 2× bare", Pass: pass(Median(p99) <= 50 && ratio <= 2), Sizes: sizes,
				Note: "GET /api/v1/supervision/queue vs db.Supervision with the handler's scope; raw SQL p99 in sizes"})
	}
	if !db.IsPostgres() {
		explain(ctx, cfg, sqlDB, tree.Path[sups[1].node])
	}
	return out, nil
}

// ProposedQueueIndexes serve store.Supervision's three lists: an equality on the flag, then the rows
// in the list's order, so that LIMIT stops the scan early instead of sorting every open case found
// through cases_status (SQLite's plan without them: SEARCH cases USING INDEX cases_status; USE TEMP
// B-TREE FOR ORDER BY). The trailing status and path columns let the scope and status filters run on
// the index, so that a township's scan reads a table row only for its own cases (the path LIKE cannot
// be an index range in SQLite). They are a proposal for a store/ migration; -queue-indexes measures them.
var ProposedQueueIndexes = []string{
	"CREATE INDEX cases_queue_overdue ON cases(overdue, tier_due_at, id, status, location_path, handling_path)",
	"CREATE INDEX cases_queue_at_risk ON cases(at_risk, overdue, tier_due_at, id, status, location_path, handling_path)",
	"CREATE INDEX cases_queue_unack ON cases(unacknowledged, escalated_at, id, status, location_path, handling_path)",
}

// supervisionSQL is store/supervision.go's three queries as plain SQL (SQLite placeholders).
func supervisionSQL(limit int) []string {
	in := "'registered','mediating','suspended','agreement','confirmation_pending','confirmed','rejected_by_court','answered','under_review'"
	scope := "(location_path LIKE ? OR handling_path LIKE ?)"
	return []string{
		fmt.Sprintf("SELECT * FROM cases WHERE overdue = TRUE AND status IN (%s) AND %s ORDER BY tier_due_at, id LIMIT %d", in, scope, limit),
		fmt.Sprintf("SELECT * FROM cases WHERE at_risk = TRUE AND overdue = FALSE AND status IN (%s) AND %s ORDER BY tier_due_at, id LIMIT %d", in, scope, limit),
		fmt.Sprintf("SELECT * FROM cases WHERE unacknowledged = TRUE AND status IN (%s) AND %s ORDER BY escalated_at, id LIMIT %d", in, scope, limit),
	}
}

func rawSupervision(ctx context.Context, db *sql.DB, pg bool, path string, limit int) error {
	for _, q := range supervisionSQL(limit) {
		if pg {
			q = strings.Replace(strings.Replace(q, "?", "$1", 1), "?", "$2", 1)
		}
		rows, err := db.QueryContext(ctx, q, path+"%", path+"%")
		if err != nil {
			return err
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(sql.RawBytes)
		}
		for rows.Next() {
			if err := rows.Scan(vals...); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// explain logs SQLite's plan for each queue query (the profile's first question: which index).
func explain(ctx context.Context, cfg *Config, db *sql.DB, path string) {
	for _, q := range supervisionSQL(50) {
		rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, path+"%", path+"%")
		if err != nil {
			cfg.logf("explain: %v", err)
			return
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if rows.Scan(&id, &parent, &notused, &detail) == nil {
				plan = append(plan, detail)
			}
		}
		rows.Close()
		cfg.logf("plan: %.60s... → %s", q[strings.Index(q, "WHERE")+6:], strings.Join(plan, "; "))
	}
}

// openPostgresSchema opens a migrated database in a new schema of dsn; drop removes the schema.
func openPostgresSchema(ctx context.Context, dsn string) (*store.DB, func(), error) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "bench_" + hex.EncodeToString(b[:])
	admin, err := store.Connect(dsn)
	if err != nil {
		return nil, nil, err
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		admin.Close()
		return nil, nil, err
	}
	drop := func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() }
	scoped := dsn + " search_path=" + schema
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		scoped = u.String()
	}
	db, err := store.Open(ctx, scoped)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, drop, nil
}
