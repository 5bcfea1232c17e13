package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB is the application database.
type DB struct {
	*gorm.DB
	dialect string
	// writer admits one write transaction at a time on SQLite (nil on PostgreSQL). SQLite has one
	// writer; without the lane, concurrent writers collide on the file lock and SQLite's busy handler
	// sleeps them in steps of up to 100 ms, so under load the lock sits idle between sleepers while
	// requests wait seconds. Queueing in Go hands the lock over at once, in arrival order.
	writer chan struct{}
}

// Tx runs fn in a transaction: on SQLite through the write lane (see DB.writer), on PostgreSQL
// directly. A caller that gives up while queued gets its context's error and changes nothing.
func (db *DB) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if db.writer != nil {
		select {
		case db.writer <- struct{}{}:
			defer func() { <-db.writer }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return db.WithContext(ctx).Transaction(fn)
}

// IsPostgres reports whether the database is PostgreSQL.
func (db *DB) IsPostgres() bool { return db.dialect == "postgres" }

// Open connects to dsn — a postgres:// or postgresql:// URL (or "host=... dbname=..." keywords) for
// PostgreSQL, anything else a SQLite file path or "file:" URI — and applies pending migrations.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := Connect(dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Connect connects to dsn without migrating.
func Connect(dsn string) (*DB, error) {
	cfg := &gorm.Config{
		Logger:                                   logger.Discard,
		DisableForeignKeyConstraintWhenMigrating: true,
		TranslateError:                           true,
		NowFunc:                                  func() time.Time { return time.Now().UTC() },
	}
	if IsPostgresDSN(dsn) {
		g, err := gorm.Open(postgres.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		sqlDB, err := g.DB()
		if err != nil {
			return nil, fmt.Errorf("store: postgres pool: %w", err)
		}
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(16)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return &DB{DB: g, dialect: "postgres"}, nil
	}
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path != "" && path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("store: data folder: %w", err)
		}
	}
	g, err := gorm.Open(sqlite.Open(sqliteDSN(dsn)), cfg)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("store: sqlite pool: %w", err)
	}
	// One writer at a time is SQLite's nature; WAL lets readers go on beside it, and the busy timeout
	// makes a second writer wait instead of failing.
	sqlDB.SetMaxOpenConns(8)
	return &DB{DB: g, dialect: "sqlite", writer: make(chan struct{}, 1)}, nil
}

// IsPostgresDSN reports whether dsn names a PostgreSQL database.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") ||
		strings.Contains(dsn, "dbname=") || strings.HasPrefix(dsn, "host=")
}

// sqliteDSN adds the pragmas Fengqiao relies on: WAL, a busy timeout, foreign keys, immediate write
// transactions (so two writers queue on the lock instead of deadlocking on an upgrade), and
// secure_delete FAST: what a write frees inside the pages it rewrites anyway is zeroed, at no extra
// I/O, so that a deleted or rewritten row (a text sealed after the fact) does not linger in the file.
func sqliteDSN(dsn string) string {
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(FAST)&_txlock=immediate"
}

// Close closes the connection pool.
func (db *DB) Close() error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrDuplicate is returned when a unique key is already taken.
var ErrDuplicate = errors.New("store: duplicate")

// translate maps GORM's errors onto the package's.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %v", ErrDuplicate, err)
	}
	return err
}
