package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsUnavailable reports whether err means the database could not be reached or refused work for now
// — a lost or refused connection, a server shutting down, a busy SQLite file — rather than that the
// request was wrong. Callers answer such errors 503 with Retry-After: the client should try again.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// class 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot connect now
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	var connErr *pgconn.ConnectError
	var opErr *net.OpError
	switch {
	case errors.As(err, &connErr), errors.As(err, &opErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	msg := err.Error()
	// "database is closed": this process's pool is shut (it is stopping); another may answer
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY") ||
		strings.Contains(msg, "sql: database is closed") ||
		strings.Contains(msg, "conn closed") || strings.Contains(msg, "unexpected EOF")
}
