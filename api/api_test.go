package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/app/apptest"
	"fengqiao/deadline"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func TestMain(m *testing.M) { apptest.MainWithCluster(m) }

// env is one API under test: the real handler over a real database, authorizer and Temporal server.
type env struct {
	t          *testing.T
	db         *store.DB
	pol        *policy.Authorizer
	srv        *httptest.Server
	stack      *apptest.Stack
	adminToken string
}

const adminPassword = "correct horse battery"

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	return newEnvWithPolicy(t, db, deadline.DefaultPolicy())
}

// newEnvWithPolicy builds an env whose new cases start with the given deadline policy (short Go
// durations let a test watch a tier clock fire).
func newEnvWithPolicy(t *testing.T, db *store.DB, deadlines deadline.Policy) *env {
	t.Helper()
	s := apptest.New(t, apptest.WithDB(db), apptest.WithDeadlines(deadlines))
	e := &env{t: t, db: s.DB, pol: s.Policy, srv: s.Server, stack: s}
	e.createUser("admin", adminPassword)
	s.Grant(t, "admin", fengqiao.RoleAdmin, policy.Global)
	e.adminToken = e.login("admin", adminPassword)
	return e
}

// with returns the env reporting to t (a subtest's), so failures stop the right test.
func (e *env) with(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

func (e *env) createUser(username, password string) {
	e.t.Helper()
	e.stack.CreateUser(e.t, username, password)
}

func (e *env) login(username, password string) string {
	e.t.Helper()
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password})
	res.want(http.StatusOK)
	return res.json()["token"].(string)
}

type response struct {
	t      *testing.T
	status int
	header http.Header
	body   []byte
}

func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	return e.send(method, path, token, nil, body)
}

// send is do with extra request headers.
func (e *env) send(method, path, token string, header map[string]string, body any) response {
	e.t.Helper()
	req, err := apptest.NewRequest(context.Background(), method, e.srv.URL+path, token, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	checkContract(e.t, req, res.StatusCode, res.Header, data)
	return response{t: e.t, status: res.StatusCode, header: res.Header, body: data}
}

func (r response) want(status int) response {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

func (r response) json() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		r.t.Fatalf("not JSON: %s", r.body)
	}
	return m
}

// problem checks an RFC 9457 problem document with the code and, if given, a field error on field.
func (r response) problem(status int, code fengqiao.Code, field string) {
	r.t.Helper()
	r.want(status)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		r.t.Fatalf("content type %q, want application/problem+json", ct)
	}
	m := r.json()
	if m["code"] != string(code) || m["status"] != float64(status) || m["title"] == "" || m["type"] == "" {
		r.t.Fatalf("problem %v, want code %s", m, code)
	}
	if field == "" {
		return
	}
	fields, _ := m["fields"].([]any)
	for _, f := range fields {
		if f.(map[string]any)["field"] == field {
			return
		}
	}
	r.t.Fatalf("problem names fields %v, want %s", fields, field)
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		t.Run("wrong password is 401", func(t *testing.T) {
			e := e.with(t)
			e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "nope"}).
				problem(401, fengqiao.ECodeUnauthenticated, "")
		})
		t.Run("unknown user is 401 like a wrong password", func(t *testing.T) {
			e := e.with(t)
			e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "ghost", "password": "nope"}).
				problem(401, fengqiao.ECodeUnauthenticated, "")
		})
		t.Run("missing token is 401", func(t *testing.T) {
			e := e.with(t)
			e.do("GET", "/api/v1/auth/me", "", nil).problem(401, fengqiao.ECodeUnauthenticated, "")
		})
		t.Run("forged token is 401", func(t *testing.T) {
			e := e.with(t)
			e.do("GET", "/api/v1/auth/me", "forged-token", nil).problem(401, fengqiao.ECodeUnauthenticated, "")
		})
		t.Run("token works and shows the grants", func(t *testing.T) {
			e := e.with(t)
			m := e.do("GET", "/api/v1/auth/me", e.adminToken, nil).want(200).json()
			roles := m["roles"].([]any)
			if m["username"] != "admin" || len(roles) != 1 || roles[0].(map[string]any)["role"] != "admin" {
				t.Fatalf("me = %v", m)
			}
		})
		t.Run("logout revokes the token", func(t *testing.T) {
			e := e.with(t)
			tok := e.login("admin", adminPassword)
			e.do("POST", "/api/v1/auth/logout", tok, nil).want(204)
			e.do("GET", "/api/v1/auth/me", tok, nil).problem(401, fengqiao.ECodeUnauthenticated, "")
			e.do("GET", "/api/v1/auth/me", e.adminToken, nil).want(200) // other sessions live on
		})
		t.Run("disabled user's token stops working", func(t *testing.T) {
			e := e.with(t)
			e.createUser("leaver", "leaver-password")
			tok := e.login("leaver", "leaver-password")
			if err := db.SetUserDisabled(context.Background(), "leaver", true); err != nil {
				t.Fatal(err)
			}
			e.do("GET", "/api/v1/auth/me", tok, nil).problem(401, fengqiao.ECodeUnauthenticated, "")
			e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "leaver", "password": "leaver-password"}).
				problem(401, fengqiao.ECodeUnauthenticated, "")
		})
	})
}

func TestBadRequestBodies(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	tests := []struct {
		name   string
		body   any
		status int
		code   fengqiao.Code
		field  string
	}{
		{"malformed JSON is 400", `{"code": "330200",`, 400, fengqiao.ECodeMalformed, ""},
		{"not an object is 400", `[1,2]`, 400, fengqiao.ECodeMalformed, ""},
		{"empty body is 400", ``, 400, fengqiao.ECodeMalformed, ""},
		{"unknown field is 422 naming it", `{"code":"330200","name":"宁波市","tier":"city","colour":"red"}`, 422, fengqiao.ECodeInvalid, "colour"},
		{"wrong type is 422 naming the field", `{"code":330200,"name":"宁波市","tier":"city"}`, 422, fengqiao.ECodeInvalid, "code"},
		{"bad tier is 422 naming the field", `{"code":"330200","name":"宁波市","tier":"province"}`, 422, fengqiao.ECodeInvalid, "tier"},
		{"missing name is 422 naming the field", `{"code":"330200","tier":"city"}`, 422, fengqiao.ECodeInvalid, "name"},
		{"body over 1 MiB is 413", `{"code":"330200","name":"` + strings.Repeat("x", 1<<20) + `","tier":"city"}`, 413, fengqiao.ECodeTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e.with(t)
			e.do("POST", "/api/v1/jurisdictions", e.adminToken, tt.body).problem(tt.status, tt.code, tt.field)
			if _, err := e.db.Node(context.Background(), "330200"); err == nil {
				t.Fatal("a refused request created the jurisdiction")
			}
		})
	}
}

func TestJurisdictions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		post := func(code, name, tier, parent string) response {
			return e.do("POST", "/api/v1/jurisdictions", e.adminToken,
				map[string]string{"code": code, "name": name, "tier": tier, "parent_code": parent})
		}
		post("330200", "宁波市", "city", "").want(201)
		m := post("330203", "海曙区", "county", "330200").want(201).json()
		if m["path"] != "/330200/330203/" {
			t.Fatalf("created %v", m)
		}
		post("330203001", "鼓楼街道", "township", "330203").want(201)
		post("330203002", "南门街道", "township", "330203").want(201)
		post("330203-FY", "海曙区人民法院", "court", "330203").want(201)

		t.Run("a village cannot hang under a county", func(t *testing.T) {
			post("330203009001", "x", "village", "330203").problem(422, fengqiao.ECodeInvalid, "tier")
		})
		t.Run("an unknown parent is named", func(t *testing.T) {
			post("330203009001", "x", "village", "999999").problem(422, fengqiao.ECodeInvalid, "parent_code")
		})
		t.Run("a second city code is a conflict", func(t *testing.T) {
			post("330203", "again", "county", "330200").problem(409, fengqiao.ECodeConflict, "")
		})
		t.Run("get one", func(t *testing.T) {
			e := e.with(t)
			m := e.do("GET", "/api/v1/jurisdictions/330203001", e.adminToken, nil).want(200).json()
			if m["name"] != "鼓楼街道" || m["tier"] != "township" || m["parent_code"] != "330203" {
				t.Fatalf("got %v", m)
			}
			e.do("GET", "/api/v1/jurisdictions/404404", e.adminToken, nil).problem(404, fengqiao.ECodeNotFound, "")
		})
		t.Run("children are paged with a cursor", func(t *testing.T) {
			e := e.with(t)
			page := e.do("GET", "/api/v1/jurisdictions?parent=330203&limit=2", e.adminToken, nil).want(200).json()
			items := page["items"].([]any)
			if len(items) != 2 || page["next_cursor"] == nil {
				t.Fatalf("page 1 = %v", page)
			}
			page2 := e.do("GET", "/api/v1/jurisdictions?parent=330203&limit=2&cursor="+page["next_cursor"].(string), e.adminToken, nil).want(200).json()
			items2 := page2["items"].([]any)
			if len(items2) != 1 || page2["next_cursor"] != nil {
				t.Fatalf("page 2 = %v", page2)
			}
			seen := map[string]bool{}
			for _, it := range append(items, items2...) {
				seen[it.(map[string]any)["code"].(string)] = true
			}
			if len(seen) != 3 {
				t.Fatalf("children seen %v", seen)
			}
		})
		t.Run("a non-admin may not create jurisdictions", func(t *testing.T) {
			e := e.with(t)
			e.createUser("clerk1", "clerk-password")
			e.do("POST", "/api/v1/users/clerk1/roles", e.adminToken, map[string]string{"role": "clerk", "jurisdiction": "330203"}).want(200)
			tok := e.login("clerk1", "clerk-password")
			e.do("POST", "/api/v1/jurisdictions", tok, map[string]string{"code": "330203003", "name": "x", "tier": "township", "parent_code": "330203"}).
				problem(403, fengqiao.ECodeForbidden, "")
			if _, err := db.Node(context.Background(), "330203003"); err == nil {
				t.Fatal("a forbidden request created the jurisdiction")
			}
		})
	})
}

func TestUsersAndGrants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.do("POST", "/api/v1/jurisdictions", e.adminToken, map[string]string{"code": "330200", "name": "宁波市", "tier": "city"}).want(201)
		e.do("POST", "/api/v1/users", e.adminToken, map[string]string{"username": "li.mediator", "password": "a long password", "display_name": "李调解"}).want(201)
		e.do("POST", "/api/v1/users", e.adminToken, map[string]string{"username": "li.mediator", "password": "a long password"}).problem(409, fengqiao.ECodeConflict, "")
		e.do("POST", "/api/v1/users", e.adminToken, map[string]string{"username": "Bad Name", "password": "short"}).problem(422, fengqiao.ECodeInvalid, "username")
		e.do("POST", "/api/v1/users", e.adminToken, map[string]string{"username": "ok", "password": "short"}).problem(422, fengqiao.ECodeInvalid, "password")

		m := e.do("POST", "/api/v1/users/li.mediator/roles", e.adminToken, map[string]string{"role": "mediator", "jurisdiction": "330200"}).want(200).json()
		if roles := m["roles"].([]any); len(roles) != 1 {
			t.Fatalf("after grant: %v", m)
		}
		e.do("POST", "/api/v1/users/li.mediator/roles", e.adminToken, map[string]string{"role": "pope", "jurisdiction": "330200"}).problem(422, fengqiao.ECodeInvalid, "role")
		e.do("POST", "/api/v1/users/nobody/roles", e.adminToken, map[string]string{"role": "clerk", "jurisdiction": "330200"}).problem(404, fengqiao.ECodeNotFound, "")
		m = e.do("DELETE", "/api/v1/users/li.mediator/roles", e.adminToken, map[string]string{"role": "mediator", "jurisdiction": "330200"}).want(200).json()
		if roles := m["roles"].([]any); len(roles) != 0 {
			t.Fatalf("after revoke: %v", m)
		}
		tok := e.login("li.mediator", "a long password")
		e.do("POST", "/api/v1/users", tok, map[string]string{"username": "sneaky", "password": "a long password"}).problem(403, fengqiao.ECodeForbidden, "")
		e.do("GET", "/api/v1/users/li.mediator", tok, nil).want(200) // one's own account
		e.do("GET", "/api/v1/users/admin", tok, nil).problem(403, fengqiao.ECodeForbidden, "")
	})
}

func TestOperations(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.do("GET", "/healthz", "", nil).want(200)
	m := e.do("GET", "/readyz", "", nil).want(200).json()
	if m["ready"] != true {
		t.Fatalf("readyz = %v", m)
	}
	e.do("GET", "/api/v1/nothing-here", e.adminToken, nil).problem(404, fengqiao.ECodeNotFound, "")
	res := e.do("GET", "/metrics", "", nil).want(200)
	if !strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics content type %q", res.header.Get("Content-Type"))
	}
	for _, want := range []string{
		`fengqiao_http_requests_total{method="GET",route="/readyz",status="200"} 1`,
		`fengqiao_http_request_duration_seconds_bucket{method="POST",route="/api/v1/auth/login",status="200",le=`,
		"go_goroutines ",
	} {
		if !strings.Contains(string(res.body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestReadyzFailsWithoutDatabase(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	db.Close()
	res := e.do("GET", "/readyz", "", nil).want(503)
	if res.header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
}

func TestImportJurisdictionsCSV(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	bad := "code,name,tier,parent_code\n330200,宁波市,city,\n330203,,county,330200\n"
	res := e.do("POST", "/api/v1/jurisdictions/import", e.adminToken, bad)
	res.problem(422, fengqiao.ECodeInvalid, "line 3")
	if _, err := e.db.Node(context.Background(), "330200"); err == nil {
		t.Fatal("a bad file imported its good rows")
	}
	good := "code,name,tier,parent_code\n330200,宁波市,city,\n330203,海曙区,county,330200\n"
	m := e.do("POST", "/api/v1/jurisdictions/import", e.adminToken, good).want(200).json()
	if m["imported"] != float64(2) {
		t.Fatalf("import = %v", m)
	}
	// the authorizer knows the imported nodes at once: a grant there works
	e.createUser("sup", "supervisor-pw")
	e.do("POST", "/api/v1/users/sup/roles", e.adminToken, map[string]string{"role": "supervisor", "jurisdiction": "330203"}).want(200)
}

func TestAuditRecordsChangesAndDenials(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.do("POST", "/api/v1/jurisdictions", e.adminToken, map[string]string{"code": "330200", "name": "宁波市", "tier": "city"}).want(201)
	e.createUser("nosy", "nosy-password")
	tok := e.login("nosy", "nosy-password")
	e.do("POST", "/api/v1/users", tok, map[string]string{"username": "x1", "password": "a long password"}).want(403)
	entries, err := e.db.AuditPage(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var created, denied bool
	for _, en := range entries {
		created = created || (en.Actor == "admin" && en.Object == "jurisdiction/330200" && en.Outcome == "ok")
		denied = denied || (en.Actor == "nosy" && en.Action == "admin.users" && en.Outcome == "denied")
	}
	if !created || !denied {
		t.Fatalf("audit log lacks the change (%v) or the denial (%v): %+v", created, denied, entries)
	}
	if _, err := e.db.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}
