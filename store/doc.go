// Package store keeps Fengqiao's queryable state in a relational database through GORM: PostgreSQL in
// production, SQLite (cgo-free, WAL) by default. It owns the models, the versioned schema migrations
// and the queries; Temporal owns each case's process state, and this package holds its projection.
package store
