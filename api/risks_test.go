package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
	"fengqiao/workflows"
)

// idNumber returns a valid resident ID number (GB 11643 check digit) for person n.
func idNumber(n int) string {
	body := fmt.Sprintf("11010519800101%03d", n%1000)
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		sum += int(c-'0') * w[i]
	}
	return body + string("10X98765432"[sum%11])
}

func openRisks(c map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	rs, _ := c["risks"].([]any)
	for _, r := range rs {
		m := r.(map[string]any)
		if m["closed_at"] == nil {
			out[m["kind"].(string)] = m
		}
	}
	return out
}

// TestRiskRules: rule 9 through the API on a real stack (SQLite and PostgreSQL): the flags, their
// reports, the closed loop and the board.
func TestRiskRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		ctx := context.Background()

		t.Run("thirty applicants on one wage matter raise a group risk on intake", func(t *testing.T) {
			e := e.with(t)
			body := neighbourDispute("330203001001-01")
			body["category"] = "wage_arrears"
			var parties []map[string]string
			for i := 0; i < 30; i++ {
				parties = append(parties, map[string]string{"role": "applicant", "name": fmt.Sprintf("工人%d", i), "id_number": idNumber(i)})
			}
			body["parties"] = append(parties, map[string]string{"role": "respondent", "name": "某建筑公司"})
			c := e.do("POST", "/api/v1/cases", tok["clerk"], body).want(201).json()
			if r := openRisks(c)["group"]; r == nil || r["severity"].(float64) != 3 {
				t.Fatalf("risks = %v, want an open group risk", c["risks"])
			}
			// the projection of the first step is written just after the intake answers
			var board []any
			for i := 0; i < 50 && len(board) == 0; i++ {
				time.Sleep(100 * time.Millisecond)
				board = e.do("GET", "/api/v1/risks", tok["sup-town"], nil).want(200).json()["risks"].([]any)
			}
			if len(board) == 0 || board[0].(map[string]any)["case_id"] != c["id"] || board[0].(map[string]any)["kind"] != "group" {
				t.Fatalf("board = %v", board)
			}
			if strings.Contains(fmt.Sprint(board), "工人") {
				t.Fatalf("the board names a party: %v", board)
			}
		})

		c := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()
		id := c["id"].(string)
		if len(openRisks(c)) != 0 {
			t.Fatalf("a two-party dispute has risks: %v", c["risks"])
		}

		t.Run("a fourth visit raises repeat", func(t *testing.T) {
			e := e.with(t)
			var v map[string]any
			for i := 2; i <= 4; i++ {
				v = e.do("POST", "/api/v1/cases/"+id+"/visits", tok["clerk"], map[string]any{"channel": "phone"}).want(200).json()
				if _, ok := openRisks(v)["repeat"]; ok != (i == 4) {
					t.Fatalf("visit %d: risks %v", i, v["risks"])
				}
			}
		})

		t.Run("an intake above the level handling the matter within its deadline raises 越级 and stays there", func(t *testing.T) {
			e := e.with(t)
			res := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01"))
			if res.status != 409 || !strings.Contains(string(res.body), "skip_level") {
				t.Fatalf("second intake at the county: %d %s", res.status, res.body)
			}
			// the intake changes nothing (a retry is no second visit); the clerk records the visit on it
			e.do("POST", "/api/v1/cases/"+id+"/visits", tok["clerk"], map[string]any{"channel": "visit", "note": "越级"}).want(200)
			v := e.do("GET", "/api/v1/cases/"+id, tok["sup-town"], nil).want(200).json()
			if _, ok := openRisks(v)["skip_level"]; !ok || v["handling_node"] != "330203001001" {
				t.Fatalf("risks %v handling %v: want 越级 and the case left with the village", v["risks"], v["handling_node"])
			}
		})

		t.Run("a violence mark notifies the police body within the same step", func(t *testing.T) {
			e := e.with(t)
			e.do("POST", "/api/v1/cases/"+id+"/risk-mark", tok["clerk"], map[string]any{"violence": true}).problem(422, fengqiao.ECodeInvalid, "reason")
			e.do("POST", "/api/v1/cases/"+id+"/risk-mark", tok["clerk"], map[string]any{"violence": true, "reason": "扬言报复"}).want(200)
			out, err := db.CaseOutbox(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			police, sup := false, false
			for _, o := range out {
				police = police || (o.Kind == workflows.NoticePoliceReport && o.RecipientRole == "police" && o.RecipientNode == "330203001")
				sup = sup || (o.Kind == "risk_major" && o.RecipientRole == string(fengqiao.RoleSupervisor))
			}
			if !police || !sup {
				t.Fatalf("outbox after the mark: police %t supervisor %t", police, sup)
			}
		})

		t.Run("a risk cannot be closed without a reason", func(t *testing.T) {
			e := e.with(t)
			e.do("POST", "/api/v1/cases/"+id+"/risk-close", tok["sup-town"], map[string]any{"kind": "violence"}).problem(422, fengqiao.ECodeInvalid, "reason")
			e.do("POST", "/api/v1/cases/"+id+"/risk-owner", tok["sup-town"], map[string]any{"owner": "med-village"}).want(200)
			e.do("POST", "/api/v1/cases/"+id+"/risk-plan", tok["med-village"], map[string]any{"kind": "violence", "measure": "每日走访稳控"}).want(200)
			v := e.do("POST", "/api/v1/cases/"+id+"/risk-close", tok["sup-town"], map[string]any{"kind": "violence", "reason": "已化解"}).want(200).json()
			if _, open := openRisks(v)["violence"]; open {
				t.Fatalf("risks = %v", v["risks"])
			}
		})

		t.Run("the board lists only the caller's subtree", func(t *testing.T) {
			e := e.with(t)
			e.createUser("sup-south", "south-password")
			if err := e.pol.Grant(ctx, "sup-south", fengqiao.RoleSupervisor, "330203002"); err != nil {
				t.Fatal(err)
			}
			south := e.login("sup-south", "south-password")
			if b := e.do("GET", "/api/v1/risks", south, nil).want(200).json()["risks"].([]any); len(b) != 0 {
				t.Fatalf("another township's supervisor sees %v", b)
			}
			e.do("GET", "/api/v1/risks?node=330203001", south, nil).want(403)
			e.do("GET", "/api/v1/risks", tok["clerk"], nil).want(403)
			if b := e.do("GET", "/api/v1/risks", tok["sup-county"], nil).want(200).json()["risks"].([]any); len(b) < 3 {
				t.Fatalf("the county's supervisor sees %v", b)
			}
		})

		t.Run("a supervisor takes the case (包案)", func(t *testing.T) {
			e := e.with(t)
			v := e.do("POST", "/api/v1/cases/"+id+"/take-case", tok["sup-county"], map[string]any{"reason": "重复访、越级"}).want(200).json()
			if l, _ := v["leader"].(map[string]any); l == nil || l["user"] != "sup-county" {
				t.Fatalf("leader = %v", v["leader"])
			}
		})
	})
}
