package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"fengqiao/store"
	"fengqiao/store/storetest"
)

func TestAuditChainDetectsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fill := func(t *testing.T) {
			t.Helper()
			db.Exec("DELETE FROM audit_log")
			db.Exec("UPDATE audit_head SET seq = 0, hash = ''")
			for i := 0; i < 5; i++ {
				if _, err := db.Audit(ctx, store.AuditEntry{Actor: "clerk", Action: "case.open", Object: fmt.Sprintf("case/%d", i), Outcome: "ok"}); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := db.VerifyAudit(ctx); err != nil || n != 5 {
				t.Fatalf("intact chain: n=%d err=%v", n, err)
			}
		}
		tests := []struct {
			name    string
			tamper  []string
			wantSeq int64
		}{
			{"an edited entry", []string{"UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"}, 3},
			{"a deleted entry", []string{"DELETE FROM audit_log WHERE seq = 2"}, 2},
			{"reordered entries", []string{"UPDATE audit_log SET seq = -1 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 4", "UPDATE audit_log SET seq = 4 WHERE seq = -1"}, 2},
			{"an entry cut from the end", []string{"DELETE FROM audit_log WHERE seq = 5"}, 5},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fill(t)
				for _, stmt := range tt.tamper {
					if err := db.Exec(stmt).Error; err != nil {
						t.Fatal(err)
					}
				}
				_, err := db.VerifyAudit(ctx)
				var br *store.ChainBreak
				if !errors.As(err, &br) || br.Seq != tt.wantSeq {
					t.Fatalf("VerifyAudit = %v, want a break at %d", err, tt.wantSeq)
				}
			})
		}
	})
}

func TestAuditAppendsConcurrentlyWithoutGaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := db.Audit(ctx, store.AuditEntry{Actor: fmt.Sprintf("u%d", i), Action: "case.read", Outcome: "read"})
				errs <- err
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != 40 {
			t.Fatalf("after 40 concurrent appends: n=%d err=%v", n, err)
		}
	})
}
