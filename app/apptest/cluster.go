package apptest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"fengqiao/internal/clustersetup"
	"fengqiao/workflows"
)

// EnvCluster names the Temporal cluster of make cluster (deploy/cluster/cluster.sh) the tests may run
// on as well: its data folder (holding cluster.state) or the state file itself. .ci/run starts the
// cluster and sets it; MainWithCluster then runs a package's tests a second time with every stack on
// the cluster.
const EnvCluster = "FENGQIAO_TEST_CLUSTER"

// EnvClusterOnly skips the embedded run of MainWithCluster (see deploy/cluster/testpass.sh).
const EnvClusterOnly = "FENGQIAO_TEST_CLUSTER_ONLY"

// Cluster is a running make cluster, as its state file describes it.
type Cluster = clustersetup.State

// ReadCluster reads the state file that `cluster.sh up` writes: path is the file or its folder.
func ReadCluster(path string) (*Cluster, error) { return clustersetup.ReadState(path) }

// clusterMode is set while MainWithCluster runs the tests on the cluster.
var clusterMode atomic.Pointer[Cluster]

// OnCluster returns the cluster the tests run on in this pass, or nil on the embedded server.
func OnCluster() *Cluster { return clusterMode.Load() }

// MainWithCluster is Main for the packages whose stories also run on a real cluster: it runs the tests
// on the embedded server, then, when FENGQIAO_TEST_CLUSTER is set, once more with every stack (New,
// Namespace, TemporalHostPort) on that cluster. A cluster that cannot be read fails the run loudly:
// CI asked for it. With FENGQIAO_TEST_CLUSTER_ONLY=1 (the cluster pass of make test, after the
// embedded pass has run) only the cluster run happens.
func MainWithCluster(m *testing.M) {
	if !flag.Parsed() {
		flag.Parse() // testing.Short below; the cluster-only pass does not run m.Run (which parses) first
	}
	code := 0
	if os.Getenv(EnvClusterOnly) == "" || os.Getenv(EnvCluster) == "" {
		code = m.Run()
	}
	if path := os.Getenv(EnvCluster); path != "" && !testing.Short() {
		c, err := ReadCluster(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "FAIL: %s=%s: %v\n", EnvCluster, path, err)
			code = 1
		} else {
			fmt.Printf("=== the same tests on the Temporal cluster at %s (%s)\n", c.Frontend, path)
			clusterMode.Store(c)
			if c2 := m.Run(); c2 != 0 {
				code = c2
			}
			clusterMode.Store(nil)
		}
	}
	if shared.srv != nil {
		shared.srv.Stop()
	}
	removeBinary()
	os.Exit(code)
}

var clusterNamespaces atomic.Int64

// clusterNamespace registers a namespace of the test's own on the cluster, with the case workflow's
// search attributes, and waits until it is usable.
func clusterNamespace(t testing.TB, c *Cluster) string {
	t.Helper()
	ns := fmt.Sprintf("test-%d-%d-%d", os.Getpid(), time.Now().UnixNano()%1e6, clusterNamespaces.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := clustersetup.Ensure(ctx, clustersetup.Options{HostPort: c.Frontend, Namespace: ns,
		Retention: 24 * time.Hour, SearchAttributes: workflows.SearchAttributes()}); err != nil {
		t.Fatalf("namespace on the cluster: %v", err)
	}
	return ns
}
