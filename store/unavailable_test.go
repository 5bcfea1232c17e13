package store_test

import (
	"context"
	"testing"

	"fengqiao/store"
	"fengqiao/store/storetest"
)

func TestIsUnavailable(t *testing.T) {
	gone, err := store.Connect("postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2")
	if err == nil {
		err = gone.Ping(context.Background())
		gone.Close()
	}
	if !store.IsUnavailable(err) {
		t.Fatalf("a refused connection is not 'unavailable': %v", err)
	}
	db := storetest.SQLite(t)
	bad := db.Exec("SELECT * FROM no_such_table").Error
	if bad == nil || store.IsUnavailable(bad) {
		t.Fatalf("a wrong query is 'unavailable': %v", bad)
	}
	if store.IsUnavailable(nil) {
		t.Fatal("nil is 'unavailable'")
	}
}
