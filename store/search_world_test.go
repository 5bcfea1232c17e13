package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// EnvBenchDir names a folder where BenchmarkSearch keeps the SQLite database it built
// (search-<n>.db) and makes it keep its PostgreSQL schema (bench_search_<n>) in the test database, so
// that a later run of the same size reuses them (migrated to the current schema by store.Open, as a
// deployment would be) instead of loading for most of an hour. Without it every run builds its
// databases afresh and drops them.
const EnvBenchDir = "FENGQIAO_BENCH_DIR"

// searchWorldDB opens the search world of n cases on SQLite or PostgreSQL (skipping when PostgreSQL is
// not configured): a fresh one, or the one kept under EnvBenchDir.
func searchWorldDB(tb testing.TB, postgres bool, n int) (*store.DB, searchWorld) {
	tb.Helper()
	dir := os.Getenv(EnvBenchDir)
	if dir == "" {
		db := storetest.SQLite(tb)
		if postgres {
			db = storetest.Postgres(tb)
		}
		return db, loadSearchWorld(tb, db, n)
	}
	ctx := context.Background()
	var dsn string
	var reset func()
	if postgres {
		base := os.Getenv(storetest.EnvPostgres)
		if base == "" {
			tb.Skip("PostgreSQL skipped: set " + storetest.EnvPostgres)
		}
		schema := fmt.Sprintf("bench_search_%d", n)
		admin, err := store.Connect(base)
		if err != nil {
			tb.Fatal(err)
		}
		defer admin.Close()
		if err := admin.Exec("CREATE SCHEMA IF NOT EXISTS " + schema).Error; err != nil {
			tb.Fatal(err)
		}
		u, err := url.Parse(base)
		if err != nil {
			tb.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
		reset = func() {
			if err := admin.Exec("DROP SCHEMA " + schema + " CASCADE").Error; err != nil {
				tb.Fatal(err)
			}
			if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
				tb.Fatal(err)
			}
		}
	} else {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			tb.Fatal(err)
		}
		dsn = filepath.Join(dir, fmt.Sprintf("search-%d.db", n))
		reset = func() {
			for _, p := range []string{dsn, dsn + "-wal", dsn + "-shm"} {
				if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
					tb.Fatal(err)
				}
			}
		}
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	if w, ok := restoreSearchWorld(ctx, db, n); ok {
		tb.Cleanup(func() { db.Close() })
		tb.Logf("reusing the kept world of %d cases (%s)", n, db.Dialector.Name())
		return db, w
	}
	db.Close() // unfinished or another size: build it again
	reset()
	if db, err = store.Open(ctx, dsn); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	w := loadSearchWorld(tb, db, n)
	saveSearchWorld(tb, db, n, w)
	return db, w
}

// saveSearchWorld writes what a later run needs beside the cases: the key their hashes are under and
// the samples. It is written last, so a load that did not finish is not taken for a world.
func saveSearchWorld(tb testing.TB, db *store.DB, n int, w searchWorld) {
	tb.Helper()
	err := db.Exec(`CREATE TABLE bench_samples (case_id TEXT, number TEXT, query_code TEXT, township TEXT, county TEXT,
		name TEXT, id TEXT, phone TEXT)`).Error
	for _, s := range w.samples {
		if err != nil {
			break
		}
		err = db.Exec("INSERT INTO bench_samples VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			s.caseID, s.number, s.queryCode, s.township, s.county, s.name, s.id, s.phone).Error
	}
	if err == nil {
		err = db.Exec("CREATE TABLE bench_world (key TEXT NOT NULL, n INTEGER NOT NULL)").Error
	}
	if err == nil {
		err = db.Exec("INSERT INTO bench_world VALUES (?, ?)", w.key.EnvValue(), n).Error
	}
	if err != nil {
		tb.Fatalf("keep the search world: %v", err)
	}
}

func restoreSearchWorld(ctx context.Context, db *store.DB, n int) (searchWorld, bool) {
	var meta struct {
		Key string
		N   int
	}
	if err := db.WithContext(ctx).Raw("SELECT key, n FROM bench_world").Scan(&meta).Error; err != nil || meta.N != n {
		return searchWorld{}, false
	}
	key, err := secret.ParseKey(meta.Key)
	if err != nil {
		return searchWorld{}, false
	}
	keys, err := secret.NewKeyring(key)
	if err != nil {
		return searchWorld{}, false
	}
	w := searchWorld{keys: keys, key: key}
	w.counties, w.townships, _ = searchTree()
	rows, err := db.WithContext(ctx).Raw("SELECT case_id, number, query_code, township, county, name, id, phone FROM bench_samples").Rows()
	if err != nil {
		return searchWorld{}, false
	}
	defer rows.Close()
	for rows.Next() {
		var s searchSample
		if err := rows.Scan(&s.caseID, &s.number, &s.queryCode, &s.township, &s.county, &s.name, &s.id, &s.phone); err != nil {
			return searchWorld{}, false
		}
		w.samples = append(w.samples, s)
	}
	return w, rows.Err() == nil && len(w.samples) > 0
}
