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
	"net"
	"net/http"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/accounts"
	"fengqiao/api"
	"fengqiao/cases"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/typeahead"

	"github.com/gin-gonic/gin"
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
	// Accounts logs staff in and administers users, grants and the tree: the API's one, so that both
	// share its login throttle. Nil builds one for the pages alone.
	Accounts *accounts.Service
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
	typeahead *typeahead.Service
}

// Pages are the web workbench: every page under "/" and the static assets under "/static/", mounted on
// the router the JSON API uses (api.Deps.Pages).
type Pages struct{ h *handler }

// New builds the pages over d.
func New(d Deps) *Pages {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.TokenTTL == 0 {
		d.TokenTTL = 12 * time.Hour
	}
	h := &handler{Deps: d, log: d.Logger, msgs: newCatalogue(), typeahead: typeahead.New(d.DB, d.Policy, d.Cases)}
	h.pages = parsePages()
	return &Pages{h: h}
}

// Fail shows err on the error page (the router's 404 and 405 outside the API).
func (p *Pages) Fail(w http.ResponseWriter, r *http.Request, err error) {
	p.h.secure(w, r, func(w http.ResponseWriter, r *http.Request) { p.h.fail(w, r, err) })
}

// Mount registers every page on r, in one readable block.
func (p *Pages) Mount(r *gin.Engine) {
	h := p.h
	g := r.Group("/", h.middleware)
	static, _ := fs.Sub(staticFS, "static")
	g.GET("/static/*path", gin.WrapH(http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static)))))

	g.GET("/", route(h.home))
	g.GET("/login", route(h.loginPage))
	g.POST("/login", route(h.login))
	g.POST("/logout", route(h.authed(h.logout)))

	g.GET("/workbench", route(h.authed(h.workbench)))
	g.GET("/search", route(h.authed(h.searchPage)))
	g.POST("/search", route(h.authed(h.searchPage)))
	g.GET("/inbox", route(h.authed(h.inboxPage)))
	g.POST("/inbox/:id/read", route(h.authed(h.inboxRead)))
	g.GET("/cases/new", route(h.authed(h.intakePage)))
	g.POST("/cases/new", route(h.authed(h.intake)))
	g.GET("/cases/new/route", route(h.authed(h.routePreview)))
	g.GET("/typeahead/places", route(h.authed(h.suggestPlaces)))
	g.GET("/typeahead/bodies", route(h.authed(h.suggestBodies)))
	g.GET("/typeahead/staff", route(h.authed(h.suggestStaff)))
	g.GET("/cases/:id", route(h.authed(h.casePage)))
	g.POST("/cases/:id/act/:action", route(h.authed(h.caseAction)))
	g.GET("/cases/:id/receipt", route(h.authed(h.receipt)))
	g.GET("/cases/:id/documents/:doc", route(h.authed(h.document)))
	g.GET("/cases/:id/deadlines", route(h.authed(h.explainPage)))
	g.POST("/cases/:id/notes", route(h.authed(h.addNote)))
	g.POST("/cases/:id/attachments", route(h.authed(h.addAttachment)))
	g.GET("/cases/:id/attachments/:aid", route(h.authed(h.attachment)))

	g.GET("/supervision", route(h.authed(h.supervision)))
	g.POST("/supervision/bulk", route(h.authed(h.bulk)))
	g.GET("/stats", route(h.authed(h.stats)))
	g.GET("/stats.csv", route(h.authed(h.statsCSV)))
	g.GET("/risks", route(h.authed(h.risksPage)))
	g.POST("/risks/bulk", route(h.authed(h.risksBulk)))

	g.GET("/public", route(h.publicPage))
	g.POST("/public", route(h.publicQuery))
	g.POST("/public/rating", route(h.publicRate))

	g.GET("/admin", route(h.authed(h.admin)))
	g.GET("/admin/:section", route(h.authed(h.admin)))
	g.POST("/admin/import", route(h.authed(h.adminImport)))
	g.GET("/admin/bodies", route(h.authed(h.bodiesPage)))
	g.POST("/admin/bodies", route(h.authed(h.adminCreateBody)))
	g.POST("/admin/bodies/import", route(h.authed(h.adminImportBodies)))
	g.POST("/admin/tree", route(h.authed(h.adminAddNode)))
	g.POST("/admin/tree/:code/rename", route(h.authed(h.adminRenameNode)))
	g.POST("/admin/users", route(h.authed(h.adminCreateUser)))
	g.POST("/admin/users/:username/:op", route(h.authed(h.adminUserAction)))
	g.POST("/admin/grants", route(h.authed(h.adminGrant)))
	g.POST("/admin/schedule", route(h.authed(h.adminAddReception)))
	g.POST("/admin/schedule/:id/delete", route(h.authed(h.adminDeleteReception)))
	g.GET("/admin/calendars", route(h.authed(h.calendarsPage)))
	g.POST("/admin/calendars", route(h.authed(h.saveCalendar)))
}

// route adapts a page handler to the router: the route's parameters become the request's path values,
// and the client's address (as the router determines it, proxies considered) goes in its context.
func route(f http.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		for _, p := range c.Params {
			c.Request.SetPathValue(p.Key, p.Value)
		}
		r := c.Request.WithContext(context.WithValue(c.Request.Context(), addrKey{}, c.ClientIP()))
		f(c.Writer, r)
	}
}

type addrKey struct{}

// clientAddr is the address the request came from, the one the rate limits count by.
func clientAddr(r *http.Request) string {
	addr, _ := r.Context().Value(addrKey{}).(string)
	return addr
}

// Form bodies: a plain form is small; a multipart form carries an import file.
const (
	maxForm      = 1 << 20
	maxMultipart = 16 << 20
)

// middleware gives every page its security headers, a script nonce, the remembered language, a body
// limit, and a plain 500 on a panic.
func (h *handler) middleware(c *gin.Context) {
	h.secure(c.Writer, c.Request, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !h.readForm(w, r) {
			c.Abort()
			return
		}
		c.Request = r
		c.Next()
	})
}

// secure sets the headers every page needs and a per-request script nonce, then runs next.
func (h *handler) secure(w http.ResponseWriter, r *http.Request, next http.HandlerFunc) {
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
	next(w, r)
}

// readForm reads a POST's form before anything else looks at it: a body over the limit is refused
// with 413 without being read (by its declared length) or as soon as it passes the limit; a body
// that stops arriving is 408. It reports whether the request may go on.
func (h *handler) readForm(w http.ResponseWriter, r *http.Request) bool {
	limit := int64(maxForm)
	multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if multipart {
		limit = maxMultipart
	}
	tooLarge := fengqiao.Errorf(fengqiao.ECodeTooLarge, "the form is larger than %d KiB", limit>>10)
	if r.ContentLength > limit {
		w.Header().Set("Connection", "close")
		h.fail(w, r, tooLarge)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if multipart {
		err = r.ParseMultipartForm(limit)
	} else {
		err = r.ParseForm()
	}
	var big *http.MaxBytesError
	var netErr net.Error
	switch {
	case err == nil:
		return true
	case errors.As(err, &big):
		h.fail(w, r, tooLarge)
	case errors.As(err, &netErr) && netErr.Timeout():
		w.Header().Set("Connection", "close")
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeTimeout, "the form did not arrive in time"))
	default:
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeMalformed, "the form could not be read"))
	}
	return false
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
	Lang  string
	Title string
	Nav   string
	User  *store.UserRow
	Roles []fengqiao.Grant
	CSRF  string
	Nonce string
	Flash string
	Error string
	// Once is a one-time key for the page's forms: an action sent twice with it acts once.
	Once   string
	Fields []fengqiao.FieldError
	Path   string
	Menu   menu
	Data   any
	msgs   catalogue
	people map[string]string // display names by login, looked up once per page
	nameOf func(username string) string
	nodes  map[string]string // node names by code, looked up once per page
	nodeOf func(code string) string
	now    time.Time
}

// menu says which entries of the navigation the user may use.
type menu struct {
	// Risks is the risk board, for supervisors as the supervision board; Refer the court referral's
	// intake (委派调解), for court officers.
	Intake, Refer, Supervision, Risks, Stats, Admin bool
	// Unread counts the notices of the user's inbox not read yet (the badge in the header).
	Unread int64
}

// T translates a message key into the page's language; extra arguments fill %s/%d verbs.
func (p *page) T(key string, args ...any) string { return p.msgs.get(p.Lang, key, args...) }

// Name is a person as pages show them: the display name of a staff login (周督办（鼓楼街道）), else the
// login itself (system, party).
func (p *page) Name(username string) string {
	switch username {
	case "":
		return ""
	case "system":
		return p.T("actor.system")
	}
	if n, ok := p.people[username]; ok {
		return n
	}
	n := p.nameOf(username)
	p.people[username] = n
	return n
}

// NodeName is a node of the jurisdiction tree (a court, a township) by its name, else its code.
func (p *page) NodeName(code string) string {
	if code == "" || p.nodeOf == nil {
		return code
	}
	if n, ok := p.nodes[code]; ok {
		return n
	}
	n := p.nodeOf(code)
	if p.nodes == nil {
		p.nodes = map[string]string{}
	}
	p.nodes[code] = n
	return n
}

// Day is a day as the page's reader writes it: 2026年03月05日, or 2026-03-05 in English.
func (p *page) Day(t time.Time) string {
	if p.Lang == "en" {
		return t.Format("2006-01-02")
	}
	return t.Format("2006年01月02日")
}

// has reports whether the catalogue knows key.
func (p *page) has(key string) bool {
	_, ok := p.msgs[key]
	return ok
}

// TOr translates key, or returns fallback when the catalogue does not know it.
func (p *page) TOr(key, fallback string) string {
	if _, ok := p.msgs[key]; !ok {
		return fallback
	}
	return p.msgs.get(p.Lang, key)
}

// reader is what a page needs to write for its reader in lang: the catalogue, and people and nodes named
// as the jurisdiction tree and the accounts name them (looked up once per request).
func (h *handler) reader(r *http.Request, lang string) *page {
	p := &page{Lang: lang, msgs: h.msgs, now: time.Now(), people: map[string]string{}}
	p.nodeOf = func(code string) string {
		if n, err := h.DB.Node(r.Context(), code); err == nil && n.Name != "" {
			return n.Name
		}
		return code
	}
	p.nameOf = func(username string) string {
		if u, err := h.DB.User(r.Context(), username); err == nil && u.DisplayName != "" {
			return u.DisplayName
		}
		return username
	}
	return p
}

// newPage starts the data of a page for the request.
func (h *handler) newPage(r *http.Request, title string) *page {
	p := h.reader(r, h.lang(r))
	p.Title, p.Path, p.Once = title, r.URL.Path, randomString(12)
	p.Nonce, _ = r.Context().Value(nonceKey{}).(string)
	if s := sessionOf(r); s != nil {
		u := s.user
		p.User = &u
		p.CSRF = csrfFor(s.token)
		p.Roles = h.Policy.Grants(u.Username)
		p.Menu = menu{
			Intake:      h.Policy.HasAnywhere(u.Username, policy.ActionCaseOpen),
			Refer:       h.Policy.HasAnywhere(u.Username, policy.ActionCaseRefer),
			Supervision: h.Policy.HasAnywhere(u.Username, policy.ActionSupervisionRead),
			Risks:       h.Policy.HasAnywhere(u.Username, policy.ActionSupervisionRead),
			Stats:       h.Policy.HasAnywhere(u.Username, policy.ActionStatsRead),
			Admin: h.Policy.HasAnywhere(u.Username, policy.ActionAdminJurisdictions) ||
				h.Policy.HasAnywhere(u.Username, policy.ActionAdminUsers),
		}
		if n, err := h.DB.UnreadCount(r.Context(), u.Username); err == nil {
			p.Menu.Unread = n // a count that cannot be read leaves the badge out, not the page
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

// fail shows err on an error page with the status and words the API would answer (api.Classify).
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	fe, status := api.Classify(h.log, w, r, err)
	p := h.newPage(r, "error")
	p.Error = h.errorText(p, fe)
	p.Fields = p.fieldTexts(fe.Fields)
	p.Data = status
	h.render(w, r, status, "error", p)
}

// errorText is the message of fe in the page's language: the code's own sentence, then the detail
// (errorMessage).
func (h *handler) errorText(p *page, fe *fengqiao.Error) string {
	head := p.T("err." + string(fe.Code))
	if head == "err."+string(fe.Code) {
		head = p.T("err.internal_error")
	}
	if fe.Code == fengqiao.ECodeInternal || fe.Message == "" {
		return head
	}
	return head + p.T("evt.sep") + p.errorMessage(fe)
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeNotFound, "no page %s", r.URL.Path))
}

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
