package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// The demo county's 医调委, added by the routing tests.
var demoYTW = fengqiao.Body{Code: "330203-YTW", Name: "海曙区医疗纠纷人民调解委员会", Type: fengqiao.BodyProfessional,
	Node: "330203", Fields: []string{"medical"}}

func TestRoutingPreviewAnswersTheBodyTierAndRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		if _, err := e.db.CreateBody(context.Background(), demoYTW); err != nil && fengqiao.ErrorCode(err) != fengqiao.ECodeConflict { // the demo county has it
			t.Fatal(err)
		}
		got := e.do("GET", "/api/v1/routing/preview?kind=dispute&category=medical&location=330203001001-01", tok["clerk"], nil).
			want(http.StatusOK).json()
		body, _ := got["body"].(map[string]any)
		if body["code"] != "330203-YTW" || body["name"] != demoYTW.Name || body["type"] != "professional" || body["node"] != "330203" ||
			got["tier"] != "county" || got["rule"] != float64(0) || !strings.Contains(got["rule_text"].(string), "category: medical") {
			t.Fatalf("medical preview %v, want the county 医调委 by rule 0", got)
		}
		got = e.do("GET", "/api/v1/routing/preview?kind=dispute&category=labour&location=330203001001-01", tok["grid"], nil).
			want(http.StatusOK).json()
		if body, _ := got["body"].(map[string]any); body["type"] != "committee" || body["node"] != "330203001" || got["then"] != "arbitration" {
			t.Fatalf("labour preview %v, want the township committee then arbitration", got)
		}
		e.do("GET", "/api/v1/routing/preview?kind=dispute&category=gossip&location=330203001001", tok["clerk"], nil).
			problem(http.StatusUnprocessableEntity, fengqiao.ECodeInvalid, "category")
		e.do("GET", "/api/v1/routing/preview?kind=dispute&category=medical&location=999999", tok["clerk"], nil).
			problem(http.StatusUnprocessableEntity, fengqiao.ECodeInvalid, "location")
		e.do("GET", "/api/v1/routing/preview?kind=dispute&category=medical&location=330203002001", tok["grid"], nil).
			want(http.StatusForbidden)
		e.do("GET", "/api/v1/routing/preview?kind=dispute&category=medical&location=330203001001", tok["med-village"], nil).
			want(http.StatusForbidden)
		e.do("GET", "/api/v1/routing/preview?kind=dispute&category=medical&location=330203001001", "", nil).
			want(http.StatusUnauthorized)
	})
}

func TestIntakeOfAMedicalDisputeLandsAtTheCountyYTWWithItsHandlingBody(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	tok := e.seedDemo()
	if _, err := e.db.CreateBody(context.Background(), demoYTW); err != nil && fengqiao.ErrorCode(err) != fengqiao.ECodeConflict { // the demo county has it
		t.Fatal(err)
	}
	in := neighbourDispute("330203001001-01")
	in["category"], in["summary"] = "medical", "术后感染，要求赔偿"
	opened := e.do("POST", "/api/v1/cases", tok["grid"], in).want(http.StatusCreated).json()
	hb, _ := opened["handling_body"].(map[string]any)
	if hb["code"] != "330203-YTW" || hb["name"] != demoYTW.Name || hb["type"] != "professional" ||
		opened["handling_node"] != "330203" || opened["tier"] != "county" {
		t.Fatalf("opened %v, want it at the county 医调委", opened)
	}
	if co, ok := opened["co_bodies"].([]any); !ok || len(co) != 0 {
		t.Fatalf("co_bodies %v, want an empty list", opened["co_bodies"])
	}
	read := e.do("GET", "/api/v1/cases/"+opened["id"].(string), tok["sup-county"], nil).want(http.StatusOK).json()
	if hb, _ := read["handling_body"].(map[string]any); hb["code"] != "330203-YTW" {
		t.Fatalf("read %v, want the handling body", read["handling_body"])
	}
	// a neighbour dispute of the same grid stays in its village, its committee handling it
	local := e.do("POST", "/api/v1/cases", tok["grid"], neighbourDispute("330203001001-01")).want(http.StatusCreated).json()
	if hb, _ := local["handling_body"].(map[string]any); hb["type"] != "committee" || local["handling_node"] != "330203001001" {
		t.Fatalf("neighbour dispute %v at %v, want the village committee", local["handling_body"], local["handling_node"])
	}
}
