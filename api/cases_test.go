package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/demo"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// A valid resident ID number (GB 11643 check digit) and one of another person.
const (
	applicantID = "11010519491231002X"
	otherID     = "110105195001010012"
)

// seedDemo loads the demo jurisdiction (海曙区 with two townships) and its users, plus a mediator of the
// other township, and returns a token per username.
func (e *env) seedDemo() map[string]string {
	e.t.Helper()
	ctx := context.Background()
	if _, err := demo.Seed(ctx, e.db, e.pol); err != nil {
		e.t.Fatal(err)
	}
	e.createUser("med-south", "south-password")
	if err := e.pol.Grant(ctx, "med-south", fengqiao.RoleMediator, "330203002"); err != nil {
		e.t.Fatal(err)
	}
	tokens := map[string]string{"med-south": e.login("med-south", "south-password")}
	for _, u := range []string{"clerk", "grid", "med-village", "med-town", "sup-town", "sup-county", "court", "auditor"} {
		tokens[u] = e.login(u, demo.Password)
	}
	return tokens
}

// caseActionNames are every action endpoint of a case.
var caseActionNames = []string{"assign", "accept", "consent", "sessions", "agreement", "escalate", "return",
	"acknowledge", "suspend", "resume", "extend", "visits", "confirmation", "court-accept", "court-decision",
	"alternative", "performance", "close", "route-decision", "answer", "review", "review-reply", "follow-up",
	"forward", "decide-organ", "refer-out", "not-accept", "object", "accept-petition", "supervise"}

func neighbourDispute(location string) map[string]any {
	return map[string]any{
		"kind": "dispute", "channel": "visit", "category": "neighbour",
		"summary":  "楼上漏水，多次协商未果",
		"location": location,
		"parties": []map[string]string{
			{"role": "applicant", "name": "张三", "id_number": applicantID, "phone": "13912345678"},
			{"role": "respondent", "name": "李四"},
		},
	}
}

func TestOpenCaseStaysLocal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		// received at the county centre, located in a grid of 孝闻社区: handled by the village committee
		res := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201)
		m := res.json()
		if m["handling_node"] != "330203001001" || m["tier"] != "village" || m["status"] != "registered" {
			t.Fatalf("routing: %v", m)
		}
		fc := m["first_contact"].(map[string]any)
		if fc["user"] != "clerk" || fc["node"] != "330203" {
			t.Fatalf("first contact = %v", fc)
		}
		t.Run("personal data only masked", func(t *testing.T) {
			body := string(res.body)
			for _, secret := range []string{applicantID, "13912345678"} {
				if strings.Contains(body, secret) {
					t.Fatalf("response holds %s in clear: %s", secret, body)
				}
			}
			p := m["parties"].([]any)[0].(map[string]any)
			if p["id_number_masked"] != "1101**********002X" || p["phone_masked"] != "139****5678" {
				t.Fatalf("masked party = %v", p)
			}
		})
		t.Run("the person's open cases are found by ID number", func(t *testing.T) {
			e := e.with(t)
			var items []any
			for i := 0; i < 100 && len(items) == 0; i++ { // the parties are projected just after intake
				items = e.do("POST", "/api/v1/cases/lookup", tok["clerk"], map[string]string{"id_number": applicantID}).want(200).json()["items"].([]any)
				if len(items) == 0 {
					time.Sleep(100 * time.Millisecond)
				}
			}
			if len(items) != 1 || items[0].(map[string]any)["id"] != m["id"] {
				t.Fatalf("lookup = %v", items)
			}
			none := e.do("POST", "/api/v1/cases/lookup", tok["clerk"], map[string]string{"id_number": otherID}).want(200).json()["items"].([]any)
			hidden := e.do("POST", "/api/v1/cases/lookup", tok["med-south"], map[string]string{"id_number": applicantID}).want(200).json()["items"].([]any)
			if len(none) != 0 || len(hidden) != 0 {
				t.Fatalf("lookup found cases it should not: %v %v", none, hidden)
			}
			e.do("POST", "/api/v1/cases/lookup", tok["clerk"], map[string]string{"id_number": "123"}).problem(422, fengqiao.ECodeInvalid, "id_number")
		})
		t.Run("the same matter again is the same case", func(t *testing.T) {
			dup := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01"))
			dup.problem(409, fengqiao.ECodeDuplicateCase, "")
			if dup.json()["existing_case_id"] != m["id"] {
				t.Fatalf("duplicate names %v, want %v", dup.json()["existing_case_id"], m["id"])
			}
		})
	})
}

func TestOpenCaseValidation(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	tok := e.seedDemo()
	bad := neighbourDispute("330203001001-01")
	bad["parties"] = []map[string]string{{"role": "applicant", "name": "张三", "id_number": "110105194912310021"}}
	e.do("POST", "/api/v1/cases", tok["clerk"], bad).problem(422, fengqiao.ECodeInvalid, "parties[0].id_number")
	bad = neighbourDispute("330203001001-01")
	bad["kind"] = "complaint"
	e.do("POST", "/api/v1/cases", tok["clerk"], bad).problem(422, fengqiao.ECodeInvalid, "kind")
	bad = neighbourDispute("no-such-place")
	e.do("POST", "/api/v1/cases", tok["clerk"], bad).problem(422, fengqiao.ECodeInvalid, "location")
	bad = neighbourDispute("330203001001-01")
	bad["priority"] = "high"
	e.do("POST", "/api/v1/cases", tok["clerk"], bad).problem(422, fengqiao.ECodeInvalid, "priority")
	rows, err := e.db.ListCases(context.Background(), store.CaseFilter{})
	if err != nil || len(rows) != 0 {
		t.Fatalf("refused intakes left cases: %v %v", rows, err)
	}
}

func TestGridWorkerOpensOnlyInTheirGrid(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	tok := e.seedDemo()
	e.do("POST", "/api/v1/cases", tok["grid"], neighbourDispute("330203001001-02")).problem(403, fengqiao.ECodeForbidden, "")
	e.do("POST", "/api/v1/cases", tok["grid"], neighbourDispute("330203001001-01")).want(201)
}

// TestCaseObjectAuthorization tries every endpoint that takes a case id as users who must not reach
// the case (OWASP API1): a mediator of the sibling township, a court with no confirmation pending, a
// forged id — none may read or change anything.
func TestCaseObjectAuthorization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		c := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()
		id := c["id"].(string)

		e.do("GET", "/api/v1/cases/"+id, tok["sup-town"], nil).want(200)
		e.do("GET", "/api/v1/cases/"+id, tok["sup-county"], nil).want(200)
		e.do("GET", "/api/v1/cases/"+id, tok["clerk"], nil).want(200) // first-contact owner
		for _, who := range []string{"med-south", "court"} {
			t.Run(who+" cannot see the case", func(t *testing.T) {
				e := e.with(t)
				e.do("GET", "/api/v1/cases/"+id, tok[who], nil).problem(404, fengqiao.ECodeNotFound, "")
				e.do("GET", "/api/v1/cases/"+id+"/timeline", tok[who], nil).problem(404, fengqiao.ECodeNotFound, "")
				for _, action := range caseActionNames {
					e.do("POST", "/api/v1/cases/"+id+"/"+action, tok[who], "{}").problem(404, fengqiao.ECodeNotFound, "")
				}
			})
		}
		t.Run("a forged id is 404", func(t *testing.T) {
			e := e.with(t)
			e.do("GET", "/api/v1/cases/AAAAAAAAAAAAAAAAAAAA", tok["sup-county"], nil).problem(404, fengqiao.ECodeNotFound, "")
			e.do("GET", "/api/v1/cases/..%2f..%2fetc", tok["sup-county"], nil).problem(404, fengqiao.ECodeNotFound, "")
		})
		t.Run("an auditor reads but may not act", func(t *testing.T) {
			e := e.with(t)
			e.do("GET", "/api/v1/cases/"+id, tok["auditor"], nil).want(200)
			e.do("POST", "/api/v1/cases/"+id+"/assign", tok["auditor"], map[string]string{"mediator": "med-village"}).problem(403, fengqiao.ECodeForbidden, "")
		})
		t.Run("lists hold only readable cases", func(t *testing.T) {
			e := e.with(t)
			for who, want := range map[string]int{"sup-town": 1, "sup-county": 1, "clerk": 1, "med-south": 0, "court": 0} {
				items := e.do("GET", "/api/v1/cases", tok[who], nil).want(200).json()["items"].([]any)
				if len(items) != want {
					t.Errorf("%s lists %d cases, want %d", who, len(items), want)
				}
			}
		})
		t.Run("nothing changed", func(t *testing.T) {
			e := e.with(t)
			m := e.do("GET", "/api/v1/cases/"+id, tok["sup-town"], nil).want(200).json()
			if m["assignee"] != nil || m["status"] != "registered" {
				t.Fatalf("a refused action changed the case: %v", m)
			}
		})
	})
}

func TestAssignAndAccept(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	tok := e.seedDemo()
	id := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()["id"].(string)

	// a mediator of the other township cannot be assigned to a village case of this one
	e.do("POST", "/api/v1/cases/"+id+"/assign", tok["sup-town"], map[string]string{"mediator": "med-south"}).
		problem(422, fengqiao.ECodeInvalid, "mediator")
	m := e.do("POST", "/api/v1/cases/"+id+"/assign", tok["sup-town"], map[string]string{"mediator": "med-village"}).want(200).json()
	if m["assignee"] != "med-village" {
		t.Fatalf("after assign: %v", m)
	}
	// only the assignee accepts
	e.do("POST", "/api/v1/cases/"+id+"/accept", tok["med-town"], nil).want(403)
	m = e.do("POST", "/api/v1/cases/"+id+"/accept", tok["med-village"], nil).want(200).json()
	if m["status"] != "mediating" {
		t.Fatalf("after accept: %v", m)
	}
	allowed := m["allowed_actions"].([]any)
	if len(allowed) == 0 {
		t.Fatalf("the assignee may do nothing next: %v", m)
	}
	// accepting twice is refused by the workflow and changes nothing
	e.do("POST", "/api/v1/cases/"+id+"/accept", tok["med-village"], nil).problem(409, fengqiao.ECodeNotAllowed, "")
	// lists and the timeline read the projection, which follows the workflow within moments
	eventually(t, "assignee=me lists the case", func() bool {
		return len(e.do("GET", "/api/v1/cases?assignee=me", tok["med-village"], nil).want(200).json()["items"].([]any)) == 1
	})
	eventually(t, "the timeline holds intake, assignment and acceptance", func() bool {
		return len(e.do("GET", "/api/v1/cases/"+id+"/timeline", tok["med-village"], nil).want(200).json()["items"].([]any)) >= 3
	})
}

// eventually polls cond for up to 30 seconds (the projection is written by activities, just after the
// workflow acts).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("not within 30 s: %s", what)
}
