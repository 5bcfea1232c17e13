package store

import (
	"fmt"
	"strings"
)

// BulkInsertSQL is one multi-row INSERT of rows rows into table's columns, with the placeholders of the
// database's dialect ($1, $2, … on PostgreSQL, ? on SQLite): what the bulk loads of the benchmarks
// send, a batch a statement.
func BulkInsertSQL(table string, cols []string, rows int, postgres bool) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	arg := 0
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			arg++
			if postgres {
				fmt.Fprintf(&b, "$%d", arg)
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}
