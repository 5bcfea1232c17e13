package apptest

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"fengqiao/devserver"
	"fengqiao/workflows"
)

// PoolSize is how many namespaces besides "default" the shared Temporal server has: one per stack a
// test binary builds.
const PoolSize = 100

// shared is the test binary's Temporal server, started on first use.
var shared struct {
	once       sync.Once
	srv        *devserver.Server
	err        error
	namespaces chan string
}

// Main runs the package's tests (call it from TestMain), then stops the shared Temporal server and
// removes the built binary, and exits with the tests' code.
func Main(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Stop()
	}
	removeBinary()
	os.Exit(code)
}

func startTemporal() {
	shared.namespaces = make(chan string, PoolSize)
	extra := make([]string, PoolSize)
	for i := range extra {
		extra[i] = fmt.Sprintf("test-%d", i)
		shared.namespaces <- extra[i]
	}
	shared.srv, shared.err = devserver.Start(devserver.Options{Listen: "127.0.0.1:0", Namespace: "default",
		ExtraNamespaces: extra, SearchAttributes: workflows.SearchAttributes()})
}

// TemporalHostPort returns the address of the shared Temporal server, starting it on first use. Its
// "default" namespace is for child processes a test points at it (TEMPORAL_ADDRESS).
//
// On the cluster (OnCluster), it is the cluster's frontend, whose "default" namespace the cluster's own
// serve and worker use: a child process of a test takes a namespace of its own with Namespace.
func TemporalHostPort(t testing.TB) string {
	t.Helper()
	if c := OnCluster(); c != nil {
		return c.Frontend
	}
	shared.once.Do(startTemporal)
	if shared.err != nil {
		t.Fatalf("start temporal: %v", shared.err)
	}
	return shared.srv.HostPort()
}

// Namespace takes a namespace of the shared Temporal server for the test's use alone, and returns it
// with the server's address. Namespaces are not given back: the workflows a test leaves behind stay
// in its namespace, away from the next test's workers. On the cluster (OnCluster) it registers a new
// namespace there.
func Namespace(t testing.TB) (hostPort, namespace string) {
	t.Helper()
	if c := OnCluster(); c != nil {
		return c.Frontend, clusterNamespace(t, c)
	}
	hostPort = TemporalHostPort(t)
	select {
	case namespace = <-shared.namespaces:
	default:
		t.Fatalf("out of Temporal test namespaces: raise apptest.PoolSize (%d)", PoolSize)
	}
	return hostPort, namespace
}
