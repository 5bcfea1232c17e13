package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/accounts"
	"fengqiao/api/openapi"
	"fengqiao/cases"
	"fengqiao/internal/httpserver"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/typeahead"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// Deps are what the HTTP layer works with.
type Deps struct {
	DB       *store.DB
	Policy   *policy.Authorizer
	Cases    *cases.Service
	Temporal client.Client
	Logger   *slog.Logger
	// Accounts logs staff in and administers users, grants and the jurisdiction tree; give the web
	// pages the same one, so that both share its login throttle. Nil builds one for the API alone.
	Accounts *accounts.Service
	// Registry receives the HTTP metrics; /metrics serves it. A nil Registry gets a fresh one with the
	// Go runtime and process collectors.
	Registry *prometheus.Registry
	// TokenTTL is how long a login token stays valid (default 12 h).
	TokenTTL time.Duration
	// TrustedProxies are the addresses (or CIDRs) of reverse proxies whose X-Forwarded-For is believed;
	// none by default, so that a client cannot pick the address its rate limits count against.
	TrustedProxies []string
	// Version is reported by /healthz.
	Version string
	// Pages, when set, is the web workbench (package api/web), built over the same services and
	// mounted on the same router: every path outside /api/, /healthz, /readyz and /metrics.
	Pages Pages
}

// Pages are the web workbench as the router sees it: its routes, and the HTML error page for a path
// or method nothing serves.
type Pages interface {
	Mount(r *gin.Engine)
	Fail(w http.ResponseWriter, r *http.Request, err error)
	Texts
}

// Texts write what a user reads in the request's language, as the pages write it (their catalogue): a
// timeline event's sentence from its type and facts, and a refusal. The API adds them to its English
// fields (text), never in their place.
type Texts interface {
	EventText(r *http.Request, typ string, structured bool, args map[string]string, detail string) string
	ErrorText(r *http.Request, fe *fengqiao.Error) string
}

// Server is the HTTP handler; build it with NewServer.
type Server struct {
	Deps
	log       *slog.Logger
	engine    *gin.Engine
	metrics   *httpMetrics
	typeahead *typeahead.Service
}

// NewServer wires the routes over deps.
func NewServer(deps Deps) *Server {
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.TokenTTL == 0 {
		deps.TokenTTL = 12 * time.Hour
	}
	if deps.Registry == nil {
		deps.Registry = NewRegistry()
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{Deps: deps, log: deps.Logger, engine: gin.New(), typeahead: typeahead.New(deps.DB, deps.Policy, deps.Cases)}
	s.metrics = newHTTPMetrics(deps.Registry)
	if err := s.engine.SetTrustedProxies(deps.TrustedProxies); err != nil {
		s.log.Error("trusted proxies ignored", "error", err)
		_ = s.engine.SetTrustedProxies(nil)
	}
	s.engine.HandleMethodNotAllowed = true
	s.engine.ContextWithFallback = true
	s.engine.Use(s.recover, s.metrics.middleware, apiHeaders)
	s.engine.NoRoute(s.noRoute)
	s.engine.NoMethod(s.noMethod)
	s.routes()
	if deps.Pages != nil {
		deps.Pages.Mount(s.engine)
	}
	return s
}

// routes registers every endpoint in one readable block.
func (s *Server) routes() {
	r := s.engine
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metricsHandler())

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", s.openAPI)
	v1.POST("/auth/login", s.login)

	authed := v1.Group("", s.authenticate)
	authed.POST("/auth/logout", s.logout)
	authed.GET("/auth/me", s.me)
	authed.GET("/inbox", s.inbox)
	authed.POST("/inbox/:id/read", s.readInbox)

	authed.POST("/jurisdictions", s.idempotent, s.createJurisdiction)
	authed.POST("/jurisdictions/import", s.importJurisdictions)
	authed.GET("/jurisdictions", s.listJurisdictions)
	authed.GET("/jurisdictions/:code", s.getJurisdiction)

	authed.POST("/bodies", s.idempotent, s.createBody)
	authed.POST("/bodies/import", s.importBodies)
	authed.GET("/bodies", s.listBodies)
	authed.GET("/bodies/:code", s.getBody)

	authed.POST("/cases", s.idempotent, s.openCase)
	authed.GET("/cases", s.listCases)
	authed.POST("/cases/lookup", s.lookupCases)
	authed.GET("/cases/search", s.searchCases)
	authed.POST("/cases/search", s.searchCases)
	authed.GET("/cases/:id", s.getCase)
	authed.GET("/cases/:id/timeline", s.caseTimeline)
	authed.GET("/cases/:id/deadlines/explain", s.explainDeadlines)
	authed.POST("/cases/:id/notes", s.addNote)
	authed.GET("/cases/:id/notes", s.listNotes)
	authed.POST("/cases/:id/attachments", s.addAttachment)
	authed.GET("/cases/:id/attachments", s.listAttachments)
	authed.GET("/cases/:id/attachments/:aid", s.getAttachment)
	authed.POST("/cases/:id/:action", s.idempotent, s.caseAction)

	authed.GET("/typeahead/places", s.typeaheadPlaces)
	authed.GET("/typeahead/bodies", s.typeaheadBodies)
	authed.GET("/typeahead/staff", s.typeaheadStaff)

	authed.GET("/routing/preview", s.previewRouting)
	authed.GET("/supervision/queue", s.supervisionQueue)
	authed.POST("/supervision/bulk", s.supervisionBulk)
	authed.GET("/risks", s.risks)
	authed.GET("/stats", s.stats)

	authed.GET("/calendars", s.listCalendars)
	authed.PUT("/calendars/:year", s.putCalendar)

	public := v1.Group("/public")
	public.GET("/cases/:code", s.publicCase)
	public.POST("/cases/:code/rating", s.publicRating)
	v1.GET("/leader-schedule", s.leaderSchedule)
	authed.POST("/leader-schedule", s.idempotent, s.addReception)
	authed.DELETE("/leader-schedule/:id", s.deleteReception)

	authed.POST("/users", s.idempotent, s.createUser)
	authed.GET("/users", s.listUsers)
	authed.GET("/users/:username", s.getUser)
	authed.POST("/users/:username/roles", s.grantRole)
	authed.DELETE("/users/:username/roles", s.revokeRole)
}

var errMethod = fengqiao.Errorf(fengqiao.ECodeMethod, "this method is not allowed on this resource; the Allow header lists those that are")

// noRoute answers a path nothing serves: a problem document inside the API, the pages' 404 outside.
func (s *Server) noRoute(c *gin.Context) {
	s.miss(c, errNoRoute)
}

// noMethod answers a method the path does not take with 405 and the Allow header (set by the router).
func (s *Server) noMethod(c *gin.Context) {
	s.miss(c, errMethod)
}

func (s *Server) miss(c *gin.Context, err *fengqiao.Error) {
	if s.Pages != nil && !isAPI(c.Request.URL.Path) {
		s.Pages.Fail(c.Writer, c.Request, err)
		c.Abort()
		return
	}
	s.fail(c, err)
}

func isAPI(path string) bool { return strings.HasPrefix(path, "/api/") }

// apiHeaders marks every API answer as not to be sniffed nor stored: answers carry tokens and personal
// data. A 401 names the scheme the API takes.
func apiHeaders(c *gin.Context) {
	if isAPI(c.Request.URL.Path) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// ServeHTTP implements http.Handler. HEAD is answered as GET without the body, for every GET route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		r = r.Clone(r.Context())
		r.Method = http.MethodGet
		w = headWriter{w}
	}
	s.engine.ServeHTTP(w, r)
}

// headWriter drops the body of an answer to HEAD.
type headWriter struct{ http.ResponseWriter }

func (headWriter) Write(b []byte) (int, error) { return len(b), nil }

func (w headWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// NewHTTPServer returns an http.Server for h with the timeouts a public service needs
// (internal/httpserver).
func NewHTTPServer(addr string, h http.Handler) *http.Server { return httpserver.New(addr, h) }

func (s *Server) openAPI(c *gin.Context) {
	doc, err := openapi.JSON()
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json", doc)
}

func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(c.Request.Context(), "handler panicked", "route", c.FullPath(), "panic", v)
			s.fail(c, errPanic)
		}
	}()
	c.Next()
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.Version})
}

// readyz answers 200 when the database and Temporal both answer within two seconds.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := gin.H{}
	ok := true
	if err := s.DB.Ping(ctx); err != nil {
		checks["database"], ok = "unavailable", false
		s.log.Warn("readyz: database", "error", err)
	} else {
		checks["database"] = "ok"
	}
	if s.Temporal == nil {
		checks["temporal"], ok = "not configured", false
	} else if _, err := s.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		checks["temporal"], ok = "unavailable", false
		s.log.Warn("readyz: temporal", "error", err)
	} else {
		checks["temporal"] = "ok"
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
		c.Header("Retry-After", "5")
	}
	c.JSON(status, gin.H{"ready": ok, "checks": checks})
}
