package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/app/apptest"
	"fengqiao/deadline"
	"fengqiao/policy"
	"fengqiao/store"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// A valid resident ID number (GB 11643 check digit) and the applicant's phone.
const (
	applicantID    = "11010519491231002X"
	applicantPhone = "13912345678"
	adminPassword  = "correct horse battery"
)

// env is the whole application as users get it — the JSON API under /api/ and the pages everywhere
// else, in the one handler app.New builds — over a real SQLite database, authorizer, Temporal server
// and worker, with the demo jurisdiction and users.
type env struct {
	t     *testing.T
	db    *store.DB
	pol   *policy.Authorizer
	srv   *httptest.Server
	stack *apptest.Stack
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, deadline.DefaultPolicy())
}

// newEnvWith is newEnv with the given deadline policy for new cases.
func newEnvWith(t *testing.T, casePolicy deadline.Policy) *env {
	t.Helper()
	s := apptest.New(t, apptest.WithDeadlines(casePolicy), apptest.WithPrefixes(map[string]string{"330203": "HS"}))
	e := &env{t: t, db: s.DB, pol: s.Policy, srv: s.Server, stack: s}
	s.SeedDemo(t)
	e.createUser("admin", adminPassword, fengqiao.RoleAdmin, policy.Global)
	e.createUser("med-south", "south-password", fengqiao.RoleMediator, "330203002")
	return e
}

func (e *env) createUser(username, password string, role fengqiao.Role, node string) {
	e.t.Helper()
	e.stack.CreateUser(e.t, username, password)
	e.stack.Grant(e.t, username, role, node)
}

// browser is an HTTP client with its own cookie jar: one person's browser without JavaScript.
type browser struct {
	t    *testing.T
	e    *env
	c    *http.Client
	last string // body of the last page
}

func (e *env) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, c: &http.Client{Jar: jar}}
}

// page is a fetched page.
type page struct {
	t      *testing.T
	status int
	url    string
	body   string
	header http.Header
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	b.last = string(data)
	return page{t: b.t, status: res.StatusCode, url: res.Request.URL.Path, body: string(data), header: res.Header}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.e.srv.URL+path, nil)
	return b.do(req)
}

// post submits a form; csrf, unless given in form, is the token of the last page fetched.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", csrfOf(b.last))
	}
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(body string) string {
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func (b *browser) login(username, password string) {
	b.t.Helper()
	b.get("/login")
	p := b.post("/login", url.Values{"username": {username}, "password": {password}})
	p.want(http.StatusOK)
	if p.url != "/workbench" {
		b.t.Fatalf("after login at %s, want /workbench: %.300s", p.url, p.body)
	}
}

func (p page) want(status int) page {
	p.t.Helper()
	if p.status != status {
		p.t.Fatalf("%s: status %d, want %d: %.2000s", p.url, p.status, status, p.body)
	}
	return p
}

func (p page) has(parts ...string) page {
	p.t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.body, s) {
			p.t.Fatalf("%s lacks %q: %.3000s", p.url, s, p.body)
		}
	}
	return p
}

func (p page) lacks(parts ...string) page {
	p.t.Helper()
	for _, s := range parts {
		if strings.Contains(p.body, s) {
			p.t.Fatalf("%s holds %q", p.url, s)
		}
	}
	return p
}

// intakeForm is a neighbour dispute in 孝闻社区第一网格, received at the county centre.
func intakeForm(summary string) url.Values {
	return url.Values{
		"kind": {"dispute"}, "channel": {"visit"}, "category": {"neighbour"}, "summary": {summary},
		"location": {"330203001001-01"},
		"app_name": {"张三"}, "app_id": {applicantID}, "app_phone": {applicantPhone},
		"resp_name": {"李四"},
	}
}

var caseIDRe = regexp.MustCompile(`/cases/([a-z0-9]{20})`)

// caseIDOf returns the case id a page links to first.
func caseIDOf(t *testing.T, body string) string {
	t.Helper()
	m := caseIDRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no case link in %.2000s", body)
	}
	return m[1]
}

var queryCodeRe = regexp.MustCompile(`id="query-code">([2-9A-Z]{12})<`)

// rawKeyRe finds a message key shown as text instead of its translation.
var rawKeyRe = regexp.MustCompile(`>\s*(act|status|tier|cat|f|ev|kind|channel|party|role|outcome|form|result|route|close|lawful|decision|level|err|wb|col|clock|badge|case|doc|board|stats|public|admin|intake|login|nav)\.[a-z_-]+`)

// translated fails when the page shows a message key instead of its text.
func (p page) translated() page {
	p.t.Helper()
	if m := rawKeyRe.FindString(p.body); m != "" {
		p.t.Fatalf("%s shows the untranslated key %q", p.url, m)
	}
	return p
}
