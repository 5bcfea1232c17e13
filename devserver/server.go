package devserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log/tag"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// Options configure an embedded Temporal server.
type Options struct {
	// Listen is the host:port of the frontend gRPC endpoint, e.g. 127.0.0.1:7233. Port 0 picks a free one.
	Listen string
	// DatabaseFile is the SQLite file that keeps workflows and timers across restarts.
	// Empty keeps everything in memory (tests).
	DatabaseFile string
	// Namespace is created on first start.
	Namespace string
	// ExtraNamespaces are created too, each with the same search attributes (tests give every
	// environment a namespace of its own on one server).
	ExtraNamespaces []string
	// SearchAttributes are registered on the namespace when it is created.
	SearchAttributes map[string]enumspb.IndexedValueType
	// UIListen is the host:port of the Temporal Web UI; empty runs no UI. Port 0 picks a free one.
	UIListen string
	// UIWriteActions lets the Web UI act on workflows: terminate, cancel, reset, signal, update,
	// start, pause, batch and activity commands. Off by default, the UI only reads: a case workflow
	// changed behind the case service's back (a terminated case, a forged signal) would leave the
	// projection, the audit log and the rules out of step. Turn it on to repair by hand, knowing that.
	UIWriteActions bool
	// Logger receives the server's logs at Level and above.
	Logger *slog.Logger
	// Level filters the server's logs (it is chatty at Info).
	Level slog.Level
	// DynamicConfig overrides server dynamic configuration (e.g. history size limits in tests).
	DynamicConfig map[string]any
}

// Server is a running embedded Temporal server.
type Server struct {
	server   temporal.Server
	ui       *uiServer
	hostPort string
}

// HostPort is the frontend address clients dial.
func (s *Server) HostPort() string { return s.hostPort }

// UIURL is the Web UI's address, or "" when no UI runs.
func (s *Server) UIURL() string {
	if s.ui == nil {
		return ""
	}
	return s.ui.url()
}

// Start builds and starts the server; it returns once the frontend accepts connections.
func Start(opts Options) (*Server, error) {
	if opts.Namespace == "" {
		return nil, errors.New("devserver: namespace is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	host, portStr, err := net.SplitHostPort(opts.Listen)
	if err != nil {
		return nil, fmt.Errorf("devserver: listen address %q: %w", opts.Listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("devserver: listen port %q: %w", portStr, err)
	}
	if port == 0 {
		if port, err = freePort(host); err != nil {
			return nil, err
		}
	} else if err := checkPortFree(host, port); err != nil {
		return nil, fmt.Errorf("devserver: cannot listen on %s (another server there?): %w", opts.Listen, err)
	}
	conf, err := buildConfig(host, port, opts)
	if err != nil {
		return nil, err
	}
	logger := slogLogger{log: opts.Logger, level: opts.Level}
	authorizer, err := authorization.GetAuthorizerFromConfig(&conf.Global.Authorization)
	if err != nil {
		return nil, fmt.Errorf("devserver: authorizer: %w", err)
	}
	claimMapper, err := authorization.GetClaimMapperFromConfig(&conf.Global.Authorization, logger)
	if err != nil {
		return nil, fmt.Errorf("devserver: claim mapper: %w", err)
	}
	hosts := map[primitives.ServiceName]static.Hosts{}
	for name, svc := range map[primitives.ServiceName]string{
		primitives.FrontendService: "frontend", primitives.HistoryService: "history",
		primitives.MatchingService: "matching", primitives.WorkerService: "worker",
	} {
		hosts[name] = static.SingleLocalHost(net.JoinHostPort(host, strconv.Itoa(conf.Services[svc].RPC.GRPCPort)))
	}
	dyn := dynamicconfig.StaticClient{
		// Workflows whose state the history service keeps in memory. A case takes a step every few hours
		// or days; 2,048 of them (a few MB) serve the active ones, and a case not cached is read from
		// the store at its next step (make bench: memory_rss with 10,000 open cases).
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key():                 2048,
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
	}
	for k, v := range opts.DynamicConfig {
		dyn[dynamicconfig.MakeKey(k)] = v
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(hosts),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithDynamicConfigClient(dyn),
	)
	if err != nil {
		return nil, fmt.Errorf("devserver: new server: %w", err)
	}
	s := &Server{server: srv, hostPort: net.JoinHostPort(host, strconv.Itoa(port))}
	if opts.UIListen != "" {
		if s.ui, err = listenUI(opts.UIListen, s.hostPort, opts.UIWriteActions); err != nil {
			return nil, err
		}
	}
	if err := srv.Start(); err != nil {
		if s.ui != nil {
			s.ui.close()
		}
		return nil, fmt.Errorf("devserver: start: %w", err)
	}
	if s.ui != nil {
		s.ui.serve(func(err error) { opts.Logger.Error("temporal web UI stopped", "error", err) })
	}
	if err := waitListening(s.hostPort, 30*time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Stop stops the UI and the server.
func (s *Server) Stop() {
	if s.ui != nil {
		s.ui.close()
	}
	_ = s.server.Stop()
}

func buildConfig(host string, port int, opts Options) (*config.Config, error) {
	httpPort, err := freePort(host)
	if err != nil {
		return nil, err
	}
	var conf config.Config
	conf.Global.Membership.MaxJoinDuration = 30 * time.Second
	conf.Global.Membership.BroadcastAddress = host
	conf.Persistence.DefaultStore = "sqlite-default"
	conf.Persistence.VisibilityStore = "sqlite-default"
	conf.Persistence.NumHistoryShards = 1
	sqlConf, err := buildSQLConfig(opts)
	if err != nil {
		return nil, err
	}
	conf.Persistence.DataStores = map[string]config.DataStore{"sqlite-default": {SQL: sqlConf}}
	const clusterName = "active"
	conf.ClusterMetadata = &cluster.Config{
		EnableGlobalNamespace:    false,
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             net.JoinHostPort(host, strconv.Itoa(port)),
				HTTPAddress:            net.JoinHostPort(host, strconv.Itoa(httpPort)),
				ClusterID:              "fengqiao-embedded",
			},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{}
	for _, svc := range []string{"frontend", "history", "matching", "worker"} {
		var sc config.Service
		sc.RPC.BindOnIP = host
		if svc == "frontend" {
			sc.RPC.GRPCPort = port
			sc.RPC.HTTPPort = httpPort
		} else if sc.RPC.GRPCPort, err = freePort(host); err != nil {
			return nil, err
		}
		conf.Services[svc] = sc
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = net.JoinHostPort(host, strconv.Itoa(port))
	return &conf, nil
}

func buildSQLConfig(opts Options) (*config.SQL, error) {
	conf := config.SQL{PluginName: sqliteplugin.PluginName}
	if opts.DatabaseFile == "" {
		conf.ConnectAttributes = map[string]string{"mode": "memory", "cache": "shared"}
		conf.DatabaseName = fmt.Sprintf("fengqiao-%d", time.Now().UnixNano())
	} else {
		// The plugin passes unknown attributes on as PRAGMAs: WAL lets readers run beside the writer,
		// the busy timeout makes a second writer wait, and synchronous=NORMAL (safe with WAL: a killed
		// process loses nothing, only a power cut may lose the last commits) spares an fsync per commit.
		conf.ConnectAttributes = map[string]string{"mode": "rwc", "journal_mode": "wal", "busy_timeout": "10000", "synchronous": "NORMAL"}
		conf.DatabaseName = opts.DatabaseFile
		if _, err := os.Stat(opts.DatabaseFile); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(opts.DatabaseFile), 0o700); err != nil {
				return nil, fmt.Errorf("devserver: data folder: %w", err)
			}
			if err := sqliteschema.SetupSchema(&conf); err != nil {
				return nil, fmt.Errorf("devserver: set up schema: %w", err)
			}
		}
	}
	var namespaces []*sqliteschema.NamespaceConfig
	for _, name := range append([]string{opts.Namespace}, opts.ExtraNamespaces...) {
		ns, err := sqliteschema.NewNamespaceConfig("active", name, false, opts.SearchAttributes)
		if err != nil {
			return nil, fmt.Errorf("devserver: namespace config %s: %w", name, err)
		}
		namespaces = append(namespaces, ns)
	}
	if err := sqliteschema.CreateNamespaces(&conf, namespaces...); err != nil {
		return nil, fmt.Errorf("devserver: create namespaces: %w", err)
	}
	return &conf, nil
}

func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("devserver: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func checkPortFree(host string, port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return l.Close()
}

func waitListening(hostPort string, within time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", hostPort)
		if err == nil {
			return c.Close()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("devserver: frontend %s did not come up: %w", hostPort, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// slogLogger adapts slog to the server's logger interface.
type slogLogger struct {
	log   *slog.Logger
	level slog.Level
}

func (s slogLogger) Debug(msg string, tags ...tag.Tag) { s.emit(slog.LevelDebug, msg, tags) }
func (s slogLogger) Info(msg string, tags ...tag.Tag)  { s.emit(slog.LevelInfo, msg, tags) }
func (s slogLogger) Warn(msg string, tags ...tag.Tag)  { s.emit(slog.LevelWarn, msg, tags) }
func (s slogLogger) Error(msg string, tags ...tag.Tag) { s.emit(slog.LevelError, msg, tags) }
func (s slogLogger) DPanic(msg string, tags ...tag.Tag) {
	s.emit(slog.LevelError, msg, tags)
}
func (s slogLogger) Panic(msg string, tags ...tag.Tag) { s.emit(slog.LevelError, msg, tags) }
func (s slogLogger) Fatal(msg string, tags ...tag.Tag) { s.emit(slog.LevelError, msg, tags) }

func (s slogLogger) emit(level slog.Level, msg string, tags []tag.Tag) {
	if level < s.level || !s.log.Enabled(context.Background(), level) {
		return
	}
	attrs := make([]slog.Attr, len(tags))
	for i, t := range tags {
		attrs[i] = slog.Any(t.Key(), t.Value())
	}
	s.log.LogAttrs(context.Background(), level, msg, attrs...)
}
