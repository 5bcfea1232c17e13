package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// The ID numbers (valid GB 11643 check digits) and phones of the search tests' two people.
const (
	searchIDA    = "33020319800101001X"
	searchIDB    = "330203198502020021"
	searchPhoneA = "13900001111"
	searchPhoneB = "13800002222"
)

func searchDispute(location, name, id, phone, respondent string) map[string]any {
	parties := []map[string]string{{"role": "applicant", "name": name, "id_number": id, "phone": phone}}
	if respondent != "" {
		parties = append(parties, map[string]string{"role": "respondent", "name": respondent})
	}
	return map[string]any{"kind": "dispute", "channel": "visit", "category": "neighbour", "summary": "楼上漏水",
		"location": location, "parties": parties}
}

// searchItems runs a search as token and returns the case numbers found, waiting a moment for the
// projection when want is not empty.
func (e *env) searchNumbers(method, token, q, kind string, wantAny bool) []string {
	e.t.Helper()
	for i := 0; ; i++ {
		var res response
		if method == "GET" {
			path := "/api/v1/cases/search?q=" + strings.ReplaceAll(q, " ", "+")
			if kind != "" {
				path += "&kind=" + kind
			}
			res = e.do("GET", path, token, nil)
		} else {
			res = e.do("POST", "/api/v1/cases/search", token, map[string]string{"q": q, "kind": kind})
		}
		res.want(200)
		var out []string
		for _, it := range res.json()["items"].([]any) {
			out = append(out, it.(map[string]any)["number"].(string))
		}
		if len(out) > 0 || !wantAny || i >= 50 {
			return out
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestSearchFindsEachKindOnlyWithinTheClerksTownship(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		ctx := context.Background()
		for _, u := range []struct{ name, node string }{{"clerk-a", "330203001"}, {"clerk-b", "330203002"}} {
			e.createUser(u.name, "clerk-password")
			if err := e.pol.Grant(ctx, u.name, fengqiao.RoleClerk, u.node); err != nil {
				t.Fatal(err)
			}
			tok[u.name] = e.login(u.name, "clerk-password")
		}
		a := e.do("POST", "/api/v1/cases", tok["clerk-a"], searchDispute("330203001001", "欧阳娜娜", searchIDA, searchPhoneA, "李四")).want(201).json()
		b := e.do("POST", "/api/v1/cases", tok["clerk-b"], searchDispute("330203002001", "欧阳明", searchIDB, searchPhoneB, "王五")).want(201).json()
		numA, numB, codeA := a["number"].(string), b["number"].(string), a["query_code"].(string)
		for _, c := range []struct {
			name, method, q, kind string
			clerk                 string
			want                  []string
		}{
			{"a whole name", "GET", "欧阳娜娜", "", "clerk-a", []string{numA}},
			{"part of a name", "GET", "阳娜", "", "clerk-a", []string{numA}},
			{"a name both townships hold, from township A", "GET", "欧阳", "", "clerk-a", []string{numA}},
			{"a name both townships hold, from township B", "GET", "欧阳", "", "clerk-b", []string{numB}},
			{"township B's party from township A", "GET", "欧阳明", "", "clerk-a", nil},
			{"a name and the last 4 digits of the phone", "POST", "欧阳娜娜 1111", "", "clerk-a", []string{numA}},
			{"an ID number, its X in lower case", "POST", strings.ToLower(searchIDA), "", "clerk-a", []string{numA}},
			{"township B's ID number from township A", "POST", searchIDB, "", "clerk-a", nil},
			{"a phone typed with spaces", "POST", "139 0000 1111", "", "clerk-a", []string{numA}},
			{"township B's phone from township A", "POST", searchPhoneB, "", "clerk-a", nil},
			{"a case number", "GET", numA, "", "clerk-a", []string{numA}},
			{"the beginning of a case number", "GET", numA[:len(numA)-2], "number", "clerk-a", []string{numA}},
			{"township B's case number from township A", "GET", numB, "", "clerk-a", nil},
			{"a query code", "GET", strings.ToLower(codeA), "", "clerk-a", []string{numA}},
			{"a query code from township B", "GET", codeA, "", "clerk-b", nil},
			{"the county supervisor finds both", "GET", "欧阳", "", "sup-county", []string{numA, numB}},
		} {
			t.Run(c.name, func(t *testing.T) {
				got := e.with(t).searchNumbers(c.method, tok[c.clerk], c.q, c.kind, len(c.want) > 0)
				if strings.Join(got, ",") != strings.Join(c.want, ",") && !(len(c.want) == 2 && len(got) == 2) {
					t.Errorf("found %v, want %v", got, c.want)
				}
			})
		}
		t.Run("the search says what it took the key for and shows parties masked", func(t *testing.T) {
			m := e.with(t).do("POST", "/api/v1/cases/search", tok["clerk-a"], map[string]string{"q": searchIDA}).want(200).json()
			if m["kind"] != "id_number" {
				t.Errorf("kind = %v", m["kind"])
			}
			p := m["items"].([]any)[0].(map[string]any)["parties"].([]any)[0].(map[string]any)
			if p["name_masked"] != "欧**娜" || p["id_number_masked"] != "3302**********001X" || p["matched"] != true {
				t.Errorf("party = %v", p)
			}
		})
		t.Run("a malformed key names the field", func(t *testing.T) {
			e := e.with(t)
			e.do("POST", "/api/v1/cases/search", tok["clerk-a"], map[string]string{"q": "330203198001010015"}).problem(422, fengqiao.ECodeInvalid, "q")
			e.do("GET", "/api/v1/cases/search?q=", tok["clerk-a"], nil).problem(422, fengqiao.ECodeInvalid, "q")
			e.do("GET", "/api/v1/cases/search?q=abc&kind=colour", tok["clerk-a"], nil).problem(422, fengqiao.ECodeInvalid, "kind")
		})
		t.Run("a searched key is never written to the audit in clear", func(t *testing.T) {
			e := e.with(t)
			page, err := e.db.AuditPage(ctx, 0, 100000)
			if err != nil {
				t.Fatal(err)
			}
			searches := 0
			for _, entry := range page {
				line := strings.Join([]string{entry.Actor, entry.Node, entry.Action, entry.Object, entry.Outcome, entry.Detail}, " ")
				for _, key := range []string{"欧阳", "阳娜", searchIDA, searchIDB, searchPhoneA, searchPhoneB, "1111", codeA} {
					if strings.Contains(line, key) {
						t.Errorf("audit entry %d holds a searched key %q: %s", entry.Seq, key, line)
					}
				}
				if entry.Object == "cases/search" {
					searches++
					if !strings.HasPrefix(entry.Detail, "search by ") {
						t.Errorf("audit entry %d does not say the kind searched by: %q", entry.Seq, entry.Detail)
					}
				}
			}
			if searches < 16 {
				t.Errorf("%d searches audited, want every one", searches)
			}
		})
	})
}

func TestIntakeOffersTheApplicantsOpenCasesWhenTheRespondentIsLeftOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		first := e.do("POST", "/api/v1/cases", tok["clerk"], searchDispute("330203001001", "欧阳娜娜", searchIDA, searchPhoneA, "李四")).want(201).json()
		if c := first["candidates"].([]any); len(c) != 0 {
			t.Fatalf("a first intake has candidates: %v", c)
		}
		// the same person and matter, the respondent left out: another matter key, so no duplicate —
		// but the open case is offered
		second := e.do("POST", "/api/v1/cases", tok["clerk"], searchDispute("330203001001", "欧阳娜娜", searchIDA, "", "")).want(201).json()
		cands := second["candidates"].([]any)
		if len(cands) != 1 || cands[0].(map[string]any)["id"] != first["id"] {
			t.Fatalf("candidates = %v, want the first case %s", cands, first["number"])
		}
		// found by the phone alone: her husband comes with his own ID number and their shared phone
		third := e.do("POST", "/api/v1/cases", tok["clerk"], searchDispute("330203001001", "欧阳明", searchIDB, searchPhoneA, "")).want(201).json()
		if c := third["candidates"].([]any); len(c) != 1 || c[0].(map[string]any)["id"] != first["id"] {
			t.Errorf("by phone: candidates %v, want the first case (the second was opened without a phone)", c)
		}
		// another person has none
		other := e.do("POST", "/api/v1/cases", tok["clerk"], searchDispute("330203001001", "王五", otherID, searchPhoneB, "")).want(201).json()
		if n := len(other["candidates"].([]any)); n != 0 {
			t.Errorf("another person: %d candidates", n)
		}
	})
}
