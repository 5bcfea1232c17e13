package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"fengqiao/api/openapi"
	"fengqiao/cases"
	"fengqiao/policy"
	"fengqiao/store"

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
	// Registry receives the HTTP metrics; /metrics serves it. A nil Registry gets a fresh one with the
	// Go runtime and process collectors.
	Registry *prometheus.Registry
	// TokenTTL is how long a login token stays valid (default 12 h).
	TokenTTL time.Duration
	// Version is reported by /healthz.
	Version string
	// Pages, when set, serves every path outside /api/, /healthz, /readyz and /metrics: the web
	// workbench (package api/web), which the caller builds over the same services.
	Pages http.Handler
}

// Server is the HTTP handler; build it with NewServer.
type Server struct {
	Deps
	log     *slog.Logger
	engine  *gin.Engine
	metrics *httpMetrics
	// dummyHash is compared against when a login names an unknown user; made on first need.
	dummyHash     []byte
	dummyHashOnce sync.Once
	limits        *limits
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
	s := &Server{Deps: deps, log: deps.Logger, engine: gin.New(), limits: newLimits()}
	s.metrics = newHTTPMetrics(deps.Registry)
	s.engine.HandleMethodNotAllowed = true
	s.engine.ContextWithFallback = true
	s.engine.Use(s.recover, s.metrics.middleware)
	s.engine.NoRoute(s.noRoute)
	s.engine.NoMethod(func(c *gin.Context) { s.fail(c, errNoMethod) })
	s.routes()
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

	authed.POST("/jurisdictions", s.idempotent, s.createJurisdiction)
	authed.POST("/jurisdictions/import", s.importJurisdictions)
	authed.GET("/jurisdictions", s.listJurisdictions)
	authed.GET("/jurisdictions/:code", s.getJurisdiction)

	authed.POST("/cases", s.idempotent, s.openCase)
	authed.GET("/cases", s.listCases)
	authed.POST("/cases/lookup", s.lookupCases)
	authed.GET("/cases/:id", s.getCase)
	authed.GET("/cases/:id/timeline", s.caseTimeline)
	authed.POST("/cases/:id/:action", s.idempotent, s.caseAction)

	authed.GET("/supervision/queue", s.supervisionQueue)
	authed.POST("/supervision/bulk", s.supervisionBulk)
	authed.GET("/stats", s.stats)

	public := v1.Group("/public")
	public.GET("/cases/:code", s.publicCase)
	public.POST("/cases/:code/rating", s.publicRating)

	authed.POST("/users", s.idempotent, s.createUser)
	authed.GET("/users", s.listUsers)
	authed.GET("/users/:username", s.getUser)
	authed.POST("/users/:username/roles", s.grantRole)
	authed.DELETE("/users/:username/roles", s.revokeRole)
}

// noRoute hands every path outside the API to the web pages, and answers 404 inside it.
func (s *Server) noRoute(c *gin.Context) {
	if s.Pages != nil && !strings.HasPrefix(c.Request.URL.Path, "/api/") {
		s.Pages.ServeHTTP(c.Writer, c.Request)
		c.Abort()
		return
	}
	s.fail(c, errNoRoute)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// NewHTTPServer returns an http.Server for h with the timeouts a public service needs: slow or stalled
// clients cannot hold connections open (read header 5 s, read 30 s, write 60 s, idle 120 s).
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

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
