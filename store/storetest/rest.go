package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fengqiao/store"
)

// InStorage reports where text lies in the database as it is stored: on SQLite, in the bytes of the
// database file, its write-ahead log and its shared-memory index (what a stolen disk or backup holds,
// free pages and not yet checkpointed writes included); on PostgreSQL, in any column of any table of
// the test's schema, as the server returns it (what a dump holds). It returns one "file: offset" or
// "table.column" per place, none when the text is nowhere.
func InStorage(t testing.TB, db *store.DB, text string) []string {
	t.Helper()
	if db.IsPostgres() {
		return inTables(t, db, text)
	}
	return inFiles(t, db, text)
}

func inFiles(t testing.TB, db *store.DB, text string) []string {
	t.Helper()
	var path string
	if err := db.Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path).Error; err != nil || path == "" {
		t.Fatalf("the SQLite file: %q, %v", path, err)
	}
	var found []string
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for off, i := 0, bytes.Index(data, []byte(text)); i >= 0; i = bytes.Index(data[off:], []byte(text)) {
			found = append(found, fmt.Sprintf("%s: %d", filepath.Base(p), off+i))
			off += i + len(text)
		}
	}
	return found
}

func inTables(t testing.TB, db *store.DB, text string) []string {
	t.Helper()
	var tables []string
	if err := db.Raw(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	if len(tables) == 0 {
		t.Fatal("no tables in the current schema")
	}
	var found []string
	for _, table := range tables {
		rows, err := db.Raw(`SELECT * FROM "` + table + `"`).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				var hit bool
				switch v := v.(type) {
				case []byte:
					hit = bytes.Contains(v, []byte(text))
				case string:
					hit = strings.Contains(v, text)
				case nil:
				default:
					hit = strings.Contains(fmt.Sprint(v), text)
				}
				if hit {
					found = append(found, table+"."+cols[i])
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return found
}
