package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/demo"
)

// suggestions decodes a type-ahead answer of the pages.
func suggestions(t *testing.T, p page) []struct{ Value, Label, Detail string } {
	t.Helper()
	var out struct {
		Items []struct{ Value, Label, Detail string }
		Text  string
	}
	if err := json.Unmarshal([]byte(p.body), &out); err != nil {
		t.Fatalf("not a type-ahead answer: %.300s", p.body)
	}
	return out.Items
}

// TestIntakeLocationStartsAtTheClerksOwnNode: a village clerk's form starts at the village, offering
// without JavaScript the village and its grids only (the type-ahead offers the rest of the county); the
// county centre's clerk starts at the county.
func TestIntakeLocationStartsAtTheClerksOwnNode(t *testing.T) {
	e := newEnv(t)
	e.createUser("clerk-village", "village-password", fengqiao.RoleClerk, "330203001001")
	village := e.browser(t)
	village.login("clerk-village", "village-password")
	village.get("/cases/new").want(http.StatusOK).
		has(`<option value="330203001001" selected>`, `value="330203001001-01"`, `id="location-q"`, `value="孝闻社区"`,
			`data-typeahead="/typeahead/places?open=1"`, `src="/static/typeahead.js"`).
		lacks(`value="330203001002"`, `value="330203001"`, `value="330200"`, `value="330203-FY"`)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new").want(http.StatusOK).
		has(`<option value="330203" selected>`, `value="海曙区"`, `value="330203001"`, `value="330203002001-01"`).
		lacks(`value="330200"`, `value="330203-FY"`)

	// a location chosen with the type-ahead outside the select is kept when the form comes back refused
	f := intakeForm("")
	f.Set("location", "330203002001")
	village.post("/cases/new", f).want(http.StatusUnprocessableEntity).has(`<option value="330203002001" selected>`, `value="尹江岸社区"`)
}

// TestTypeaheadTwinsAnswerThePagesInTheirLanguageWithinTheUsersCounty: the pages' twins of the
// type-ahead lookups label each item as the field shows it, in the page's language, and offer nothing
// of another county.
func TestTypeaheadTwinsAnswerThePagesInTheirLanguageWithinTheUsersCounty(t *testing.T) {
	e := newEnv(t)
	node, err := e.db.CreateNode(t.Context(), fengqiao.Node{Code: "330205", Name: "江北区鼓楼", Tier: fengqiao.TierCounty, ParentCode: "330200"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.pol.NodeAdded(t.Context(), node); err != nil {
		t.Fatal(err)
	}
	sup := e.browser(t)
	sup.login("sup-town", demo.Password)
	places := suggestions(t, sup.get("/typeahead/places?q="+"鼓楼").want(http.StatusOK))
	if len(places) != 1 || places[0].Value != "330203001" || places[0].Label != "鼓楼街道" || places[0].Detail != "镇（街道） · 海曙区" {
		t.Errorf("鼓楼: %+v, want 鼓楼街道 alone, labelled in Chinese", places)
	}
	staff := suggestions(t, sup.get("/typeahead/staff?q=调解&role=mediator").want(http.StatusOK))
	if len(staff) == 0 || staff[0].Value != "med-town" || !strings.Contains(staff[0].Detail, "调解员（鼓楼街道）") {
		t.Errorf("调解 mediators: %+v, want 鼓楼街道's first, their grant named", staff)
	}
	if bodies := suggestions(t, sup.get("/typeahead/bodies?q=鼓楼&type=police").want(http.StatusOK)); len(bodies) != 1 || bodies[0].Value != "330203001-PCS" {
		t.Errorf("鼓楼 police: %+v", bodies)
	}
	sup.get("/typeahead/places?q=").want(http.StatusUnprocessableEntity).has("无法按此查询")
	if en := suggestions(t, sup.get("/typeahead/places?q=鼓楼&lang=en").want(http.StatusOK)); len(en) != 1 || en[0].Detail != "township · 海曙区" {
		t.Errorf("鼓楼 in English: %+v", en)
	}
}

// TestAssigningAVillageCaseDefaultsToTheVillagesMediator: the mediator select of a case handled at a
// village lists the village's mediator first (a select's first option is its default), not the
// county's, whose username sorts first.
func TestAssigningAVillageCaseDefaultsToTheVillagesMediator(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	id := caseIDOf(t, clerk.post("/cases/new", intakeForm("楼上漏水")).want(http.StatusOK).body)
	sup := e.browser(t)
	sup.login("sup-town", demo.Password)
	body := sup.get("/cases/" + id).want(http.StatusOK).body
	m := regexp.MustCompile(`<select id="assign-mediator"[^>]*>((?:<option value="[^"]*"[^>]*>[^<]*</option>)+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no mediator select: %.3000s", body)
	}
	opts := regexp.MustCompile(`value="([^"]*)"`).FindAllStringSubmatch(m[1], -1)
	var got []string
	for _, o := range opts {
		got = append(got, o[1])
	}
	if strings.Join(got, ",") != "med-village,med-town,med-county" {
		t.Errorf("mediators offered %v, want the village's first, then up the chain", got)
	}
}
