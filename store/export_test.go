package store

import (
	"context"
	"testing"
)

// MigrateTo applies the pending migrations up to version: a test builds a database as an older
// release left it, writes rows the old way, and migrates the rest.
func (db *DB) MigrateTo(ctx context.Context, version int) error { return db.migrate(ctx, version) }

// AtVersion connects to dsn and migrates it up to version only, closing it when the test ends: the
// database as a release that stopped at that migration left it.
func AtVersion(t testing.TB, dsn string, version int) *DB {
	t.Helper()
	db, err := Connect(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.MigrateTo(context.Background(), version); err != nil {
		t.Fatalf("migrate to %d: %v", version, err)
	}
	return db
}
