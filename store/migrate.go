package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A migration is one versioned step of the schema. SQL is written once for both databases; these
// placeholders stand for what differs between them:
//
//	{{serial}}  an auto-incrementing 64-bit primary key
//	{{time}}    a timestamp with time zone
//	{{bytes}}   a binary string
//	{{bool}}    a boolean
//	{{postgres}} at the start of a statement: PostgreSQL only (SQLite skips it)
//	{{without_rowid}} after a table with a primary key: SQLite keeps the rows in the key's b-tree
//	{{bytewise}} after a text column: compared byte by byte (C collation on PostgreSQL, SQLite's default),
//	            so that a range of the column is a range of prefixes whatever the database's collation
//
// Statements are separated by ";\n". A migration, once released, never changes: add a new one.
type migration struct {
	version int
	name    string
	sql     string
}

// migrationFills are, by version, what runs after a migration's statements in the same transaction:
// the data SQL alone cannot write (keys computed in Go).
var migrationFills = map[int]func(tx *gorm.DB) error{
	24: indexDirectory,
}

// migrations lists every step in order; each lives in a file named after its version.
var migrations = []migration{
	migration0001Foundation,
	migration0002Cases,
	migration0003Audit,
	migration0004QueueIndexes,
	migration0005QueueScopeIndexes,
	migration0006SealedText,
	migration0007Calendars,
	migration0008Risks,
	migration0009CaseLeaders,
	migration0010LeaderReceptions,
	migration0011NextClock,
	migration0012Delivery,
	migration0013NotesAttachments,
	migration0014Bodies,
	migration0015CaseBodies,
	migration0016EventArgs,
	migration0018PetitionMatterTrack,
	migration0020PartyIdentity,
	migration0022Stats,
	migration0023Search,
	migration0024Directory,
	migration0025SearchScope,
}

var dialectWords = map[string]map[string]string{
	"postgres": {"{{serial}}": "BIGSERIAL PRIMARY KEY", "{{time}}": "TIMESTAMPTZ", "{{bytes}}": "BYTEA", "{{bool}}": "BOOLEAN", "{{postgres}}": "", "{{without_rowid}}": "", "{{bytewise}}": `COLLATE "C"`},
	"sqlite":   {"{{serial}}": "INTEGER PRIMARY KEY AUTOINCREMENT", "{{time}}": "DATETIME", "{{bytes}}": "BLOB", "{{bool}}": "BOOLEAN", "{{without_rowid}}": "WITHOUT ROWID", "{{bytewise}}": ""},
}

func (db *DB) render(sql string) string {
	for k, v := range dialectWords[db.dialect] {
		sql = strings.ReplaceAll(sql, k, v)
	}
	return sql
}

// SchemaVersion returns the highest applied migration, 0 on an empty database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if !db.Migrator().HasTable("schema_migrations") {
		return 0, nil
	}
	var v int
	err := db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	return v, err
}

// LatestSchemaVersion is the version this build migrates to.
func LatestSchemaVersion() int { return migrations[len(migrations)-1].version }

// Migrate applies every pending migration, each in its own transaction. Several processes may call it
// at once: on PostgreSQL an advisory lock serialises them; on SQLite the immediate write transaction does.
func (db *DB) Migrate(ctx context.Context) error { return db.migrate(ctx, LatestSchemaVersion()) }

// migrate applies the pending migrations up to version upTo.
func (db *DB) migrate(ctx context.Context, upTo int) error {
	err := db.WithContext(ctx).Exec(db.render(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at {{time}} NOT NULL)`)).Error
	if err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	for _, m := range migrations {
		if m.version > upTo {
			break
		}
		err := db.Tx(ctx, func(tx *gorm.DB) error {
			if db.IsPostgres() {
				if err := tx.Exec("SELECT pg_advisory_xact_lock(7233001)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range strings.Split(db.render(m.sql), ";\n") {
				if strings.TrimSpace(stmt) == "" || strings.HasPrefix(strings.TrimSpace(stmt), "{{postgres}}") {
					continue // empty, or for PostgreSQL only (render removed the mark there)
				}
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("%s: %w", firstLine(stmt), err)
				}
			}
			if fill := migrationFills[m.version]; fill != nil {
				if err := fill(tx); err != nil {
					return err
				}
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("store: migration %04d %s: %w", m.version, m.name, err)
		}
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
