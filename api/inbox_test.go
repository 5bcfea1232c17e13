package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestInboxShowsAnAssignment: assigning a case notifies the mediator through the delivery worker;
// the notice is in the mediator's inbox, unread, until the mediator marks it read; nobody else can.
func TestInboxShowsAnAssignment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		// non-urgent notices wait for working hours: deliver as if two weeks later (past any holiday)
		e.stack.App.Notifier.Now = func() time.Time { return time.Now().AddDate(0, 0, 14) }
		c := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()
		id := c["id"].(string)
		e.do("POST", "/api/v1/cases/"+id+"/assign", tok["sup-town"], map[string]string{"mediator": "med-village"}).want(200)

		var inbox map[string]any
		eventually(t, "the assignment in the mediator's inbox", func() bool {
			if _, _, err := e.stack.App.Notifier.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			inbox = e.do("GET", "/api/v1/inbox", tok["med-village"], nil).want(200).json()
			return len(inbox["entries"].([]any)) > 0
		})
		entries := inbox["entries"].([]any)
		first := entries[0].(map[string]any)
		if len(entries) != 1 || first["kind"] != "assigned" || first["case_id"] != id || first["read_at"] != nil ||
			first["subject"] == "" || inbox["unread"] != float64(1) {
			t.Fatalf("inbox: %v", inbox)
		}
		entry := fmt.Sprint(int64(first["id"].(float64)))

		e.do("POST", "/api/v1/inbox/"+entry+"/read", tok["med-south"], nil).problem(404, fengqiao.ECodeNotFound, "")
		e.do("POST", "/api/v1/inbox/nope/read", tok["med-village"], nil).problem(404, fengqiao.ECodeNotFound, "")
		e.do("POST", "/api/v1/inbox/"+entry+"/read", tok["med-village"], nil).want(204)
		e.do("POST", "/api/v1/inbox/"+entry+"/read", tok["med-village"], nil).want(204)
		inbox = e.do("GET", "/api/v1/inbox", tok["med-village"], nil).want(200).json()
		if inbox["unread"] != float64(0) || inbox["entries"].([]any)[0].(map[string]any)["read_at"] == nil {
			t.Fatalf("after reading: %v", inbox)
		}
		e.do("GET", "/api/v1/inbox", "", nil).want(401)
	})
}
