package reliability_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fengqiao/deadline"
	"fengqiao/store"
)

// caseActionNames are every action endpoint of a case (POST /api/v1/cases/{id}/{action}).
var caseActionNames = []string{"assign", "accept", "consent", "sessions", "agreement", "escalate", "return",
	"acknowledge", "suspend", "resume", "extend", "visits", "confirmation", "court-accept", "court-decision",
	"alternative", "performance", "close", "route-decision", "answer", "review", "review-reply", "follow-up",
	"forward", "decide-organ", "refer-out", "not-accept", "object", "accept-petition", "supervise",
	"migrate-policy"}

// actionBodies are plausible bodies, so that a refusal is the authorizer's and not the decoder's.
var actionBodies = map[string]any{
	"assign":   map[string]string{"mediator": "med-south"},
	"escalate": map[string]string{"reason": "重大风险"},
	"return":   map[string]string{"to": "330203001001", "reason": "下沉"},
	"suspend":  map[string]string{"reason": "鉴定"},
	"extend":   map[string]any{"days": 10, "reason": "双方申请"},
	"visits":   map[string]string{"channel": "visit", "note": "再次来访"},
	"close":    map[string]string{"outcome": "withdrawn", "note": "x"},
	"sessions": map[string]any{"held_at": "2026-03-03T10:00:00+08:00", "notes": "x", "outcome": "failed"},
}

// TestNobodyReachesAnotherJurisdictionsCase tries every endpoint that takes a case id (and the ones
// that take a node, a username, an ID number or a query code) as users of a sibling township, of
// another county, as ancestors without a case role, and with forged ids. None may read or change
// anything: every answer is 403 or 404, no answer carries the case's data, and the case, its
// timeline and its projection are exactly as before.
func TestNobodyReachesAnotherJurisdictionsCase(t *testing.T) {
	t.Parallel()
	s := newStack(t, deadline.DefaultPolicy())
	c := s.open(intakeBody(1))
	id, code := c["id"].(string), c["query_code"].(string)
	for _, step := range []struct{ who, action string }{{"sup-town", "assign"}, {"med-village", "accept"}} {
		body := any(map[string]string{})
		if step.action == "assign" {
			body = map[string]string{"mediator": "med-village"}
		}
		if r := mustCall(t, s.url, "POST", "/api/v1/cases/"+id+"/"+step.action, s.tok[step.who], body); r.status != 200 {
			t.Fatalf("%s: %s", step.action, r)
		}
	}
	before := snapshot(t, s, id)
	secrets := []string{code, "楼上漏水", "申请人1", idNumber(1)}
	leaks := func(t *testing.T, what string, r reply) {
		t.Helper()
		for _, sec := range secrets {
			if strings.Contains(string(r.body), sec) {
				t.Errorf("%s: the answer leaks %q: %s", what, sec, r.body)
			}
		}
	}
	denied := func(t *testing.T, what string, r reply) {
		t.Helper()
		if r.err != nil || (r.status != 403 && r.status != 404) {
			t.Errorf("%s: %s, want 403 or 404", what, r)
		}
		leaks(t, what, r)
	}
	// not "grid" nor "grid-county": a grid worker reads the cases located under their grant (the case
	// lies in grid's grid, and under grid-county's county), as they may take cases in there
	intruders := []string{"med-south", "sup-south", "sup-jb", "clerk-jb", "med-jb", "admin-city",
		"court-jb", "court", "auditor-south", "clerk-village2"}
	for _, who := range intruders {
		t.Run(who, func(t *testing.T) {
			tok := s.tok[who]
			denied(t, "GET case", mustCall(t, s.url, "GET", "/api/v1/cases/"+id, tok, nil))
			denied(t, "GET timeline", mustCall(t, s.url, "GET", "/api/v1/cases/"+id+"/timeline", tok, nil))
			for _, action := range caseActionNames {
				body, ok := actionBodies[action]
				if !ok {
					body = "{}"
				}
				denied(t, "POST "+action, mustCall(t, s.url, "POST", "/api/v1/cases/"+id+"/"+action, tok, body))
			}
			r := mustCall(t, s.url, "POST", "/api/v1/supervision/bulk", tok, map[string]any{
				"case_ids": []string{id}, "action": "escalate", "args": map[string]string{"reason": "越权"}})
			leaks(t, "bulk", r)
			if r.status == 200 {
				res := r.json()["results"].([]any)[0].(map[string]any)
				if res["ok"] == true || (res["status"] != float64(404) && res["status"] != float64(403)) {
					t.Errorf("bulk escalate: %s", r.body)
				}
			} else {
				denied(t, "bulk", r)
			}
			r = mustCall(t, s.url, "POST", "/api/v1/cases/lookup", tok, map[string]string{"id_number": idNumber(1)})
			leaks(t, "lookup", r)
			if r.status == 200 && len(r.json()["items"].([]any)) != 0 {
				t.Errorf("lookup by ID number finds the case: %s", r.body)
			}
			r = mustCall(t, s.url, "GET", "/api/v1/cases?limit=500", tok, nil)
			leaks(t, "list", r)
			for _, path := range []string{"/api/v1/supervision/queue?node=330203001", "/api/v1/stats?node=330203001"} {
				denied(t, "GET "+path, mustCall(t, s.url, "GET", path, tok, nil))
			}
		})
	}
	t.Run("forged ids", func(t *testing.T) {
		tok := s.tok["sup-county"]        // reads every case of the county: only a wrong id can stop it
		neighbour := id[:len(id)-1] + "a" // one character off
		if neighbour == id {
			neighbour = id[:len(id)-1] + "b"
		}
		for _, forged := range []string{strings.ToUpper(id), neighbour, "AAAAAAAAAAAAAAAAAAAA", strings.Repeat("a", 65),
			"..%2f..%2fetc%2fpasswd", "%27%20OR%20%271%27%3D%271", "%00", "%E6%A1%88"} {
			denied(t, "GET "+forged, mustCall(t, s.url, "GET", "/api/v1/cases/"+forged, tok, nil))
			denied(t, "timeline "+forged, mustCall(t, s.url, "GET", "/api/v1/cases/"+forged+"/timeline", tok, nil))
			denied(t, "visits "+forged, mustCall(t, s.url, "POST", "/api/v1/cases/"+forged+"/visits", tok, actionBodies["visits"]))
		}
		for _, forged := range []string{"2222222222222", code[:11] + "2", "%27%20OR%201%3D1--"} {
			if forged == code {
				continue
			}
			r := mustCall(t, s.url, "GET", "/api/v1/public/cases/"+forged+"?phone_last4=0001", "", nil)
			denied(t, "public "+forged, r)
		}
		denied(t, "public wrong digits", mustCall(t, s.url, "GET", "/api/v1/public/cases/"+code+"?phone_last4=0000", "", nil))
		denied(t, "rating wrong digits", mustCall(t, s.url, "POST", "/api/v1/public/cases/"+code+"/rating", "",
			map[string]any{"phone_last4": "0000", "score": 1}))
		denied(t, "grant by a supervisor", mustCall(t, s.url, "POST", "/api/v1/users/sup-south/roles", s.tok["sup-county"],
			map[string]string{"role": "supervisor", "jurisdiction": "330203001"}))
		denied(t, "other's account", mustCall(t, s.url, "GET", "/api/v1/users/med-village", s.tok["sup-south"], nil))
	})
	if after := snapshot(t, s, id); after != before {
		t.Fatalf("the refused requests changed the case:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot is what must not change: the workflow's view (seq, status, assignee, visits), the projected
// timeline and the case row.
func snapshot(t *testing.T, s *stack, id string) string {
	t.Helper()
	var v map[string]any
	var events []store.EventRow
	var row store.CaseRow
	poll(t, 30*time.Second, func() string { // the projection follows the workflow
		r := mustCall(t, s.url, "GET", "/api/v1/cases/"+id, s.tok["sup-county"], nil)
		if r.status != 200 {
			t.Fatalf("GET case: %s", r)
		}
		v = r.json()
		var err error
		if events, err = s.db.CaseEvents(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		if row, err = s.db.Case(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		if float64(row.UpdatedSeq) != v["seq"] || float64(len(events)) != v["seq"] {
			return fmt.Sprintf("projection at seq %d (%d events), workflow at %v", row.UpdatedSeq, len(events), v["seq"])
		}
		return ""
	})
	return fmt.Sprintf("seq=%v status=%v tier=%v assignee=%v visits=%v events=%d row(seq=%d status=%s assignee=%s visits=%d)",
		v["seq"], v["status"], v["tier"], v["assignee"], v["visits"], len(events), row.UpdatedSeq, row.Status, row.Assignee, row.Visits)
}
