package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/cases"
	"fengqiao/policy"
	"fengqiao/store"

	"golang.org/x/crypto/bcrypt"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps are what the web pages work with: the same services the JSON API uses.
type Deps struct {
	DB     *store.DB
	Policy *policy.Authorizer
	Cases  *cases.Service
	Logger *slog.Logger
	// Secure marks the cookies Secure (served over HTTPS only); leave it false for plain-HTTP development.
	Secure bool
	// TokenTTL is how long a login stays valid (default 12 h, as the API's tokens).
	TokenTTL time.Duration
}

// handler serves the pages. It holds no mutable state beyond what its dependencies hold.
type handler struct {
	Deps
	log       *slog.Logger
	pages     map[string]*template.Template
	msgs      catalogue
	mux       *http.ServeMux
	dummyHash []byte
}

// New returns the handler of every page under "/" and the static assets under "/static/". Mount it
// for every path the JSON API does not serve (/api/v1, /healthz, /readyz, /metrics).
func New(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.TokenTTL == 0 {
		d.TokenTTL = 12 * time.Hour
	}
	h := &handler{Deps: d, log: d.Logger, msgs: newCatalogue(), mux: http.NewServeMux()}
	h.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.MinCost)
	h.pages = parsePages()
	h.routes()
	return h
}

// routes registers every page in one readable block.
func (h *handler) routes() {
	m := h.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))

	m.HandleFunc("GET /{$}", h.home)
	m.HandleFunc("GET /login", h.loginPage)
	m.HandleFunc("POST /login", h.login)
	m.HandleFunc("POST /logout", h.authed(h.logout))

	m.HandleFunc("GET /workbench", h.authed(h.workbench))
	m.HandleFunc("GET /cases/new", h.authed(h.intakePage))
	m.HandleFunc("POST /cases/new", h.authed(h.intake))
	m.HandleFunc("GET /cases/{id}", h.authed(h.casePage))
	m.HandleFunc("POST /cases/{id}/act/{action}", h.authed(h.caseAction))
	m.HandleFunc("GET /cases/{id}/receipt", h.authed(h.receipt))
	m.HandleFunc("GET /cases/{id}/documents/{doc}", h.authed(h.document))

	m.HandleFunc("GET /supervision", h.authed(h.supervision))
	m.HandleFunc("POST /supervision/bulk", h.authed(h.bulk))
	m.HandleFunc("GET /stats", h.authed(h.stats))

	m.HandleFunc("GET /public", h.publicPage)
	m.HandleFunc("POST /public", h.publicQuery)
	m.HandleFunc("POST /public/rating", h.publicRate)

	m.HandleFunc("GET /admin", h.authed(h.admin))
	m.HandleFunc("POST /admin/import", h.authed(h.adminImport))
	m.HandleFunc("POST /admin/users", h.authed(h.adminCreateUser))
	m.HandleFunc("POST /admin/grants", h.authed(h.adminGrant))

	m.HandleFunc("/", h.notFound)
}

// ServeHTTP adds the security headers every page needs, a per-request script nonce, and recovers
// from a panic with a plain 500 page.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	nonce := randomString(16)
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+nonce+"'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.log.ErrorContext(r.Context(), "page panicked", "path", r.URL.Path, "panic", v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	r = r.WithContext(context.WithValue(r.Context(), nonceKey{}, nonce))
	if r.Method == http.MethodGet {
		h.rememberLang(w, r)
	}
	h.mux.ServeHTTP(w, r)
}

type nonceKey struct{}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// page is what every template receives.
type page struct {
	Lang   string
	Title  string
	Nav    string
	User   *store.UserRow
	Roles  []fengqiao.Grant
	CSRF   string
	Nonce  string
	Flash  string
	Error  string
	Fields []fengqiao.FieldError
	Path   string
	Menu   menu
	Data   any
	msgs   catalogue
	now    time.Time
}

// menu says which entries of the navigation the user may use.
type menu struct {
	Intake, Supervision, Stats, Admin bool
}

// T translates a message key into the page's language; extra arguments fill %s/%d verbs.
func (p *page) T(key string, args ...any) string { return p.msgs.get(p.Lang, key, args...) }

// TOr translates key, or returns fallback when the catalogue does not know it.
func (p *page) TOr(key, fallback string) string {
	if _, ok := p.msgs[key]; !ok {
		return fallback
	}
	return p.msgs.get(p.Lang, key)
}

// newPage starts the data of a page for the request.
func (h *handler) newPage(r *http.Request, title string) *page {
	p := &page{Lang: h.lang(r), Title: title, msgs: h.msgs, Path: r.URL.Path, now: time.Now()}
	p.Nonce, _ = r.Context().Value(nonceKey{}).(string)
	if s := sessionOf(r); s != nil {
		u := s.user
		p.User = &u
		p.CSRF = csrfFor(s.token)
		p.Roles = h.Policy.Grants(u.Username)
		p.Menu = menu{
			Intake:      h.Policy.HasAnywhere(u.Username, policy.ActionCaseOpen),
			Supervision: h.Policy.HasAnywhere(u.Username, policy.ActionSupervisionRead),
			Stats:       h.Policy.HasAnywhere(u.Username, policy.ActionStatsRead),
			Admin: h.Policy.HasAnywhere(u.Username, policy.ActionAdminJurisdictions) ||
				h.Policy.HasAnywhere(u.Username, policy.ActionAdminUsers),
		}
	} else {
		p.CSRF = anonCSRF(r)
	}
	return p
}

// render writes the named page with status.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := h.pages[name]
	if !ok {
		h.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		h.log.ErrorContext(r.Context(), "render", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows err on an error page with the status the API would answer. A *fengqiao.Error's message
// is shown; anything else is logged and shown as a bare internal error.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var fe *fengqiao.Error
	if !errors.As(err, &fe) {
		h.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "method", r.Method, "error", err)
		fe = &fengqiao.Error{Code: fengqiao.ECodeInternal, Message: "an internal error occurred; it has been logged"}
	}
	status := api.StatusOf(fe.Code)
	p := h.newPage(r, "error")
	p.Error = h.errorText(p, fe)
	p.Fields = fe.Fields
	p.Data = status
	h.render(w, r, status, "error", p)
}

// errorText is the message of fe in the page's language: the code's own sentence, then the detail.
func (h *handler) errorText(p *page, fe *fengqiao.Error) string {
	head := p.T("err." + string(fe.Code))
	if head == "err."+string(fe.Code) {
		head = p.T("err.internal_error")
	}
	if fe.Code == fengqiao.ECodeInternal || fe.Message == "" {
		return head
	}
	return head + "：" + fe.Message
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeNotFound, "no page %s", r.URL.Path))
}

// audit appends to the audit log as the API does; detail holds no personal data.
func (h *handler) audit(r *http.Request, action, node, object, outcome, detail string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Second)
	defer cancel()
	actor := ""
	if s := sessionOf(r); s != nil {
		actor = s.user.Username
	}
	_, err := h.DB.Audit(ctx, store.AuditEntry{Actor: actor, Node: node, Action: action, Object: object, Outcome: outcome, Detail: detail})
	if err != nil {
		h.log.Error("audit entry not written", "action", action, "object", object, "error", err)
	}
}

// Audit outcomes, as the API writes them.
const (
	auditOK     = "ok"
	auditDenied = "denied"
	auditRead   = "read"
)

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// redirect answers a POST with 303 See Other to path (post/redirect/get).
func redirect(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// nodeNames looks node names up once per request.
type nodeNames struct {
	h     *handler
	ctx   context.Context
	cache map[string]fengqiao.Node
}

func (h *handler) names(ctx context.Context) *nodeNames {
	return &nodeNames{h: h, ctx: ctx, cache: map[string]fengqiao.Node{}}
}

// node returns the node with code (a zero Node with only the code when unknown).
func (n *nodeNames) node(code string) fengqiao.Node {
	if code == "" {
		return fengqiao.Node{}
	}
	if v, ok := n.cache[code]; ok {
		return v
	}
	v, err := n.h.DB.Node(n.ctx, code)
	if err != nil {
		v = fengqiao.Node{Code: code, Name: code}
	}
	n.cache[code] = v
	return v
}

// label is "name (code)".
func (n *nodeNames) label(code string) string {
	if code == "" {
		return ""
	}
	v := n.node(code)
	if v.Name == "" || v.Name == code {
		return code
	}
	return v.Name
}

func trim(s string) string { return strings.TrimSpace(s) }
