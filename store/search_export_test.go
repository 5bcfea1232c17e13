package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ExplainSearch returns the plan the database chooses for q: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
// PostgreSQL, one line per step.
func (db *DB) ExplainSearch(ctx context.Context, h Hasher, q SearchQuery) (string, error) {
	tx, ok := db.searchQuery(ctx, h, q)
	if !ok {
		return "", fmt.Errorf("nothing to search")
	}
	var rows []CaseRow
	stmt := tx.Session(&gorm.Session{DryRun: true}).Find(&rows).Statement
	prefix := "EXPLAIN QUERY PLAN "
	if db.IsPostgres() {
		prefix = "EXPLAIN "
	}
	r, err := db.WithContext(ctx).Raw(prefix+stmt.SQL.String(), stmt.Vars...).Rows()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cols, _ := r.Columns()
	var lines []string
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
	}
	return strings.Join(lines, "\n"), r.Err()
}
