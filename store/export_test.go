package store

import "context"

// MigrateTo applies the pending migrations up to version: a test builds a database as an older
// release left it, writes rows the old way, and migrates the rest.
func (db *DB) MigrateTo(ctx context.Context, version int) error { return db.migrate(ctx, version) }
