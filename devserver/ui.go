package devserver

import (
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	uiapi "github.com/temporalio/ui-server/v2/server/api"
	uiauth "github.com/temporalio/ui-server/v2/server/auth"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uicors "github.com/temporalio/ui-server/v2/server/cors"
	uicsrf "github.com/temporalio/ui-server/v2/server/csrf"
	uiheaders "github.com/temporalio/ui-server/v2/server/headers"
	uiroute "github.com/temporalio/ui-server/v2/server/route"
	uiassets "github.com/temporalio/ui-server/v2/ui"

	"fengqiao/internal/httpserver"
)

// uiConfig is the Web UI's configuration: the UI reads the server at frontend and, unless writes
// are asked for, is read-only. DisableWriteActions is what the UI server enforces (it answers 405 to
// every write through its HTTP API but workflow queries); the per-action switches hide the buttons
// in the browser so that nobody is offered an action that will be refused.
func uiConfig(host string, port int, frontend string, writes bool) *uiconfig.Config {
	return &uiconfig.Config{
		Host:                host,
		Port:                port,
		TemporalGRPCAddress: frontend,
		EnableUI:            true,
		CORS:                uiconfig.CORS{CookieInsecure: true},
		HideLogs:            true,
		DisableNewsFetch:    true,

		DisableWriteActions:       !writes,
		WorkflowTerminateDisabled: !writes,
		WorkflowCancelDisabled:    !writes,
		WorkflowSignalDisabled:    !writes,
		WorkflowUpdateDisabled:    !writes,
		WorkflowResetDisabled:     !writes,
		WorkflowPauseDisabled:     !writes,
		BatchActionsDisabled:      !writes,
		StartWorkflowDisabled:     !writes,
		ActivityCommandsDisabled:  !writes,
	}
}

// newUIHandler assembles the Web UI's HTTP handler from the ui-server's public packages, the way
// uiserver.NewServer (v2.54) does, without its own http.Server: that one has no timeouts and
// cannot be given any, so a client sending half a header held its connection for ever. The
// middleware order is upstream's: CORS, secure headers, the CSRF cookie, then the CSRF check
// (which a request with an Authorization header skips).
func newUIHandler(provider *uiconfig.ConfigProviderWithRefresh, cfg *uiconfig.Config) (http.Handler, error) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Use(middleware.Recover())
	e.Use(middleware.Gzip())
	e.Use(uicors.CORSMiddleware(uicors.CORSConfig{
		AllowHeaders: []string{
			echo.HeaderOrigin, echo.HeaderContentType, echo.HeaderAccept,
			echo.HeaderXCSRFToken, echo.HeaderAuthorization, uiauth.AuthorizationExtrasHeader,
			"Caller-Type",
		},
		AllowCredentials: true,
		ConfigProvider:   provider,
	}))
	e.Use(middleware.Secure())
	cookieSecure := !cfg.CORS.CookieInsecure
	e.Use(uicsrf.EnsureTokenCookie(cookieSecure))
	e.Use(middleware.CSRFWithConfig(uicsrf.MiddlewareConfig(provider, cookieSecure)))

	e.Pre(uiroute.PublicPath(cfg.PublicPath))
	uiroute.SetHealthRoute(e)
	forward := []uiapi.Middleware{uiheaders.WithForwardHeaders([]string{uiauth.AuthorizationExtrasHeader, "Caller-Type"})}
	if err := uiroute.SetAPIRoutes(e, provider, forward); err != nil {
		return nil, fmt.Errorf("devserver: UI API routes: %w", err)
	}
	uiroute.SetAuthRoutes(e, provider)
	assets, err := uiassets.Assets()
	if err != nil {
		return nil, fmt.Errorf("devserver: UI assets: %w", err)
	}
	if assets, err = fs.Sub(assets, "local"); err != nil {
		return nil, fmt.Errorf("devserver: UI assets: %w", err)
	}
	if err := uiroute.SetUIRoutes(e, cfg.PublicPath, assets); err != nil {
		return nil, fmt.Errorf("devserver: UI routes: %w", err)
	}
	uiroute.SetRenderRoute(e, cfg.PublicPath)
	return e, nil
}

// uiServer is the running Web UI.
type uiServer struct {
	http     *http.Server
	listener net.Listener
	provider *uiconfig.ConfigProviderWithRefresh
}

// listenUI binds the Web UI's address (port 0 picks a free one) and builds its server over the
// frontend at frontend; serve starts it.
func listenUI(addr, frontend string, writes bool) (*uiServer, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("devserver: cannot listen for the Web UI on %s: %w", addr, err)
	}
	host, portStr, _ := net.SplitHostPort(l.Addr().String())
	port, _ := strconv.Atoi(portStr)
	cfg := uiConfig(host, port, frontend, writes)
	provider, err := uiconfig.NewConfigProviderWithRefresh(cfg)
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("devserver: UI config: %w", err)
	}
	h, err := newUIHandler(provider, cfg)
	if err != nil {
		provider.Close()
		l.Close()
		return nil, err
	}
	return &uiServer{http: httpserver.New("", h), listener: l, provider: provider}, nil
}

// url is the address a browser opens.
func (u *uiServer) url() string { return "http://" + u.listener.Addr().String() }

// serve answers on the listener until close; it returns at once.
func (u *uiServer) serve(onError func(error)) {
	go func() {
		if err := u.http.Serve(u.listener); err != nil && err != http.ErrServerClosed {
			onError(err)
		}
	}()
}

// close stops the UI and closes its connections.
func (u *uiServer) close() {
	_ = u.http.Close()
	_ = u.listener.Close() // not yet served when Start fails

	u.provider.Close()
}
