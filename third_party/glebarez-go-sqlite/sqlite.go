// Package sqlite stands in for github.com/glebarez/go-sqlite, a fork of modernc.org/sqlite that
// registers the database/sql driver "sqlite" — the same name under which modernc.org/sqlite itself, used
// by the embedded Temporal server, registers. Linking both panics at start ("Register called twice for
// driver sqlite"). GORM's glebarez/sqlite dialector and Casbin's GORM adapter import the fork; this
// stand-in makes it the real modernc.org/sqlite, so there is one SQLite engine and one driver in the
// binary. Wired with a replace directive in Fengqiao's go.mod.
package sqlite

import (
	msqlite "modernc.org/sqlite"
)

// Error is modernc.org/sqlite's error, whose Code() the GORM dialector translates.
type Error = msqlite.Error

// Driver is modernc.org/sqlite's driver, registered as "sqlite".
type Driver = msqlite.Driver
