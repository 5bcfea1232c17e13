package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// itemKeys are the values of key of a type-ahead answer's items, joined.
func itemKeys(m map[string]any, key string) string {
	var out []string
	for _, it := range m["items"].([]any) {
		out = append(out, it.(map[string]any)[key].(string))
	}
	return strings.Join(out, ",")
}

func TestTypeaheadOffersPlacesBodiesAndStaffOfTheCallersCountyOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := e.seedDemo()
		ctx := context.Background()
		for _, n := range []fengqiao.Node{
			{Code: "330205", Name: "江北区", Tier: fengqiao.TierCounty, ParentCode: "330200"},
			{Code: "330205001", Name: "鼓楼镇", Tier: fengqiao.TierTownship, ParentCode: "330205"},
		} {
			created, err := e.db.CreateNode(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.pol.NodeAdded(ctx, created); err != nil {
				t.Fatal(err)
			}
		}
		e.createUser("med-jb", "jiangbei-password")
		if err := e.pol.Grant(ctx, "med-jb", fengqiao.RoleMediator, "330205001"); err != nil {
			t.Fatal(err)
		}
		get := func(token, path string, q url.Values) map[string]any {
			t.Helper()
			return e.do("GET", path+"?"+q.Encode(), token, nil).want(200).json()
		}
		places := get(tok["sup-town"], "/api/v1/typeahead/places", url.Values{"q": {"鼓楼"}})
		if got := itemKeys(places, "code"); got != "330203001" {
			t.Errorf("鼓楼 for 鼓楼街道's supervisor: %s, want 鼓楼街道 only (not 江北区's 鼓楼镇)", got)
		}
		if first := places["items"].([]any)[0].(map[string]any); first["own"] != true || first["parent_name"] != "海曙区" {
			t.Errorf("first place = %v, want own, under 海曙区", first)
		}
		if got := itemKeys(get(tok["sup-town"], "/api/v1/typeahead/places", url.Values{"q": {"孝闻"}, "tier": {"village"}}), "code"); got != "330203001001" {
			t.Errorf("孝闻 villages: %s", got)
		}
		if got := itemKeys(get(tok["sup-town"], "/api/v1/typeahead/bodies", url.Values{"q": {"调解"}, "type": {"professional"}, "field": {"medical"}}), "code"); got != "330203-YTW" {
			t.Errorf("medical committees: %s", got)
		}
		if got := itemKeys(get(tok["sup-town"], "/api/v1/typeahead/staff", url.Values{"q": {"调解"}, "role": {"mediator"}}), "username"); got != "med-town,med-village,med-county,med-ytw" {
			t.Errorf("mediators for 鼓楼街道's supervisor: %s, want theirs first and never 江北区's", got)
		}

		// for an assignment: the staff who may be assigned the case, the village's mediator first
		c := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001")).want(201).json()
		id := c["id"].(string)
		if got := itemKeys(get(tok["sup-county"], "/api/v1/typeahead/staff", url.Values{"q": {"调解"}, "case": {id}, "enabled": {"true"}}), "username"); got != "med-village,med-town,med-county" {
			t.Errorf("assignable to a 孝闻社区 case: %s", got)
		}
		jb := e.login("med-jb", "jiangbei-password")
		e.do("GET", "/api/v1/typeahead/staff?q="+url.QueryEscape("调解")+"&case="+id, jb, nil).problem(404, fengqiao.ECodeNotFound, "")

		for _, bad := range []struct{ query, field string }{
			{"q=", "q"},
			{"q=" + url.QueryEscape(strings.Repeat("鼓", 65)), "q"},
			{"q=a&limit=51", "limit"},
			{"q=a&tier=town", "tier"},
			{"q=a&open=maybe", "open"},
		} {
			e.do("GET", "/api/v1/typeahead/places?"+bad.query, tok["clerk"], nil).problem(422, fengqiao.ECodeInvalid, bad.field)
		}
		e.do("GET", "/api/v1/typeahead/bodies?q=a&type=ministry", tok["clerk"], nil).problem(422, fengqiao.ECodeInvalid, "type")
		e.do("GET", "/api/v1/typeahead/staff?q=a&role=boss", tok["clerk"], nil).problem(422, fengqiao.ECodeInvalid, "role")
		e.do("GET", "/api/v1/typeahead/places?q=a", "", nil).want(401)
	})
}
