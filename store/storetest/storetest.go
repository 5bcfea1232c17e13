// Package storetest opens real databases for tests: a fresh SQLite file always, and a fresh PostgreSQL
// schema when FENGQIAO_TEST_POSTGRES holds a DSN (otherwise the PostgreSQL run is skipped, and says so).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fengqiao/store"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for tests.
const EnvPostgres = "FENGQIAO_TEST_POSTGRES"

// Each runs fn as a subtest on every available database: "sqlite", and "postgres" when configured.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachDSN runs fn as a subtest on the DSN of every available database, empty and not migrated: a
// SQLite file in a temporary folder, and a fresh PostgreSQL schema when configured.
func EachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "fengqiao.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresDSN(t)) })
}

// SQLite opens a migrated SQLite database in a temporary folder.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "fengqiao.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresDSN returns a DSN for a new, empty schema of the test database (dropped when the test ends),
// or skips the test when FENGQIAO_TEST_POSTGRES is unset.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skip("PostgreSQL tests skipped: set " + EnvPostgres + " to a DSN to run them")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := store.Connect(base)
	if err != nil {
		t.Fatalf("connect postgres: %v", err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	return withSearchPath(base, schema)
}

// Postgres opens a migrated PostgreSQL database in a new schema, or skips the test when
// FENGQIAO_TEST_POSTGRES is unset.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	dsn := PostgresDSN(t)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func withSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " search_path=" + schema
}
