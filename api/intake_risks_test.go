package api_test

import (
	"context"
	"testing"
	"time"

	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestSecondOpenMatterOfAPersonRaisesSeveralMattersAtIntake: rule 9 (一人多事) from the projection on
// SQLite and PostgreSQL: a person's second open matter is flagged when it is opened; a first matter,
// and another person's matter, are not.
func TestSecondOpenMatterOfAPersonRaisesSeveralMattersAtIntake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		first := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()
		if r := openRisks(first)["several_matters"]; r != nil {
			t.Fatalf("a first matter is flagged: %v", first["risks"])
		}
		// the first case's parties are projected with its first step; the second intake finds them there
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			row, err := db.Case(context.Background(), first["id"].(string))
			if err == nil && row.UpdatedSeq > 0 || time.Now().After(deadline) {
				break
			}
		}
		second := neighbourDispute("330203001001-01")
		second["category"] = "wage_arrears"
		second["parties"] = []map[string]string{
			{"role": "applicant", "name": "张三", "id_number": applicantID},
			{"role": "respondent", "name": "某建筑公司"},
		}
		c := e.do("POST", "/api/v1/cases", tok["clerk"], second).want(201).json()
		if r := openRisks(c)["several_matters"]; r == nil {
			t.Fatalf("risks = %v, want an open several_matters risk", c["risks"])
		}
		other := neighbourDispute("330203001001-01")
		other["parties"] = []map[string]string{
			{"role": "applicant", "name": "王五", "id_number": idNumber(7)},
			{"role": "respondent", "name": "赵六"},
		}
		o := e.do("POST", "/api/v1/cases", tok["clerk"], other).want(201).json()
		if r := openRisks(o)["several_matters"]; r != nil {
			t.Fatalf("another person's matter is flagged: %v", o["risks"])
		}
	})
}
