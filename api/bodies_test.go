package api_test

import (
	"context"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// seedCountyAPI creates a city and a county through the API.
func seedCountyAPI(e *env) {
	e.t.Helper()
	e.do("POST", "/api/v1/jurisdictions", e.adminToken, map[string]string{"code": "330200", "name": "宁波市", "tier": "city"}).want(201)
	e.do("POST", "/api/v1/jurisdictions", e.adminToken, map[string]string{"code": "330203", "name": "海曙区", "tier": "county", "parent_code": "330200"}).want(201)
	e.do("POST", "/api/v1/jurisdictions", e.adminToken, map[string]string{"code": "330203001", "name": "鼓楼街道", "tier": "township", "parent_code": "330203"}).want(201)
}

func TestBodiesAreCreatedListedReadAndRefusedByFieldThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		seedCountyAPI(e)
		e.do("POST", "/api/v1/bodies", e.adminToken, map[string]any{"code": "hs-gov", "name": "海曙区人民政府", "type": "agency", "node": "330203"}).want(201)
		m := e.do("POST", "/api/v1/bodies", e.adminToken, map[string]any{"code": "hs-rsj", "name": "海曙区人力资源和社会保障局",
			"type": "agency", "node": "330203", "fields": []string{"labour", "wage_arrears"}, "superior": "hs-gov"}).want(201).json()
		if m["node_path"] != "/330200/330203/" || m["superior"] != "hs-gov" {
			t.Fatalf("created = %v", m)
		}
		e.do("POST", "/api/v1/bodies", e.adminToken, map[string]any{"code": "hs-ytw", "name": "海曙区医疗纠纷人民调解委员会",
			"type": "professional", "node": "330203", "fields": []string{"medical"}}).want(201)
		e.do("POST", "/api/v1/bodies", e.adminToken, map[string]any{"code": "x1", "name": "x", "type": "bureau", "node": "330203"}).
			problem(422, fengqiao.ECodeInvalid, "type")
		e.do("POST", "/api/v1/bodies", e.adminToken, map[string]any{"code": "x2", "name": "x", "type": "agency", "node": "404"}).
			problem(422, fengqiao.ECodeInvalid, "node")
		e.do("POST", "/api/v1/bodies", e.adminToken, map[string]any{"code": "x3", "name": "x", "type": "committee", "node": "330203", "superior": "hs-gov"}).
			problem(422, fengqiao.ECodeInvalid, "superior")
		e.do("POST", "/api/v1/bodies", e.adminToken, map[string]any{"code": "hs-gov", "name": "again", "type": "agency", "node": "330203"}).
			problem(409, fengqiao.ECodeConflict, "code")

		page := e.do("GET", "/api/v1/bodies?type=agency", e.adminToken, nil).want(200).json()
		if items := page["items"].([]any); len(items) != 2 {
			t.Fatalf("agencies = %v", page)
		}
		page = e.do("GET", "/api/v1/bodies?field=medical&node=330203", e.adminToken, nil).want(200).json()
		if items := page["items"].([]any); len(items) != 1 || items[0].(map[string]any)["code"] != "hs-ytw" {
			t.Fatalf("medical = %v", page)
		}
		page = e.do("GET", "/api/v1/bodies?limit=2", e.adminToken, nil).want(200).json()
		if page["next_cursor"] != "hs-rsj" {
			t.Fatalf("first page = %v", page)
		}
		e.do("GET", "/api/v1/bodies?type=bureau", e.adminToken, nil).problem(422, fengqiao.ECodeInvalid, "type")
		if got := e.do("GET", "/api/v1/bodies/hs-rsj", e.adminToken, nil).want(200).json(); got["name"] != "海曙区人力资源和社会保障局" {
			t.Fatalf("body = %v", got)
		}
		e.do("GET", "/api/v1/bodies/nope", e.adminToken, nil).want(404)

		// a county administrator creates bodies in the county only; staff read them
		e.createUser("adm-cty", "county-admin-pw")
		e.stack.Grant(t, "adm-cty", fengqiao.RoleAdmin, "330203")
		tok := e.login("adm-cty", "county-admin-pw")
		e.do("POST", "/api/v1/bodies", tok, map[string]any{"code": "jd-gov", "name": "鼓楼街道办事处", "type": "agency", "node": "330203001", "superior": "hs-gov"}).want(201)
		e.do("POST", "/api/v1/bodies", tok, map[string]any{"code": "nb-gov", "name": "宁波市人民政府", "type": "agency", "node": "330200"}).want(403)
		e.do("GET", "/api/v1/bodies", tok, nil).want(200)

		// a grant may name a body; the handler then holds it there
		e.createUser("h1", "handler-password")
		u := e.do("POST", "/api/v1/users/h1/roles", tok, map[string]string{"role": "handler", "jurisdiction": "hs-rsj"}).want(200).json()
		if roles := u["roles"].([]any); len(roles) != 1 || roles[0].(map[string]any)["jurisdiction"] != "hs-rsj" {
			t.Fatalf("roles = %v", u)
		}
		e.do("POST", "/api/v1/users/h1/roles", tok, map[string]string{"role": "admin", "jurisdiction": "hs-rsj"}).
			problem(422, fengqiao.ECodeInvalid, "role")
		entries, err := e.db.AuditPage(context.Background(), 0, 200)
		if err != nil {
			t.Fatal(err)
		}
		var audited bool
		for _, en := range entries {
			audited = audited || en.Actor == "adm-cty" && en.Object == "body/jd-gov" && en.Outcome == "ok"
		}
		if !audited {
			t.Fatal("creating a body is not audited")
		}
	})
}

func TestBodyImportThroughTheAPIIsAllOrNothingWithEveryLineNamed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		seedCountyAPI(e)
		bad := "code,name,type,node,fields,superior\n" +
			"hs-rsj,区人社局,agency,330203,labour|wage_arrears,hs-gov\n" +
			"hs-x,坏类型,bureau,330203,,\n" +
			"hs-y,坏领域,professional,330203,medical|cooking,\n" +
			"hs-gov,区政府,agency,330203,,\n"
		res := e.do("POST", "/api/v1/bodies/import", e.adminToken, bad)
		res.problem(422, fengqiao.ECodeInvalid, "第3行 type")
		res.problem(422, fengqiao.ECodeInvalid, "第4行 fields")
		if !strings.Contains(string(res.body), "类型须为") {
			t.Fatalf("the message is not Chinese first: %s", res.body)
		}
		if all, _ := e.db.Bodies(context.Background(), fengqiao.BodyFilter{}); len(all) != 0 {
			t.Fatalf("a bad file imported %+v", all)
		}
		good := strings.NewReplacer("bureau", "center", "|cooking", "").Replace(bad)
		if m := e.do("POST", "/api/v1/bodies/import", e.adminToken, good).want(200).json(); m["imported"] != float64(4) {
			t.Fatalf("import = %v", m)
		}
		// the authorizer knows the imported bodies at once: a grant there works
		e.createUser("h1", "handler-password")
		e.do("POST", "/api/v1/users/h1/roles", e.adminToken, map[string]string{"role": "handler", "jurisdiction": "hs-rsj"}).want(200)
		e.createUser("nosy", "nosy-password")
		e.do("POST", "/api/v1/bodies/import", e.login("nosy", "nosy-password"), good).want(403)
	})
}
