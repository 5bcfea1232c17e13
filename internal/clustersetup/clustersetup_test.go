package clustersetup_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"fengqiao/devserver"
	"fengqiao/internal/clustersetup"
	"fengqiao/workflows"
)

// TestEnsureRegistersNamespaceAndAttributesOnce registers a namespace the server does not know with
// the case workflow's search attributes, then does it again (a second make cluster, a restarted
// compose job) without error; an attribute that exists with another type is an error naming it.
func TestEnsureRegistersNamespaceAndAttributesOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Temporal server")
	}
	srv, err := devserver.Start(devserver.Options{Listen: "127.0.0.1:0", Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := clustersetup.Options{HostPort: srv.HostPort(), Namespace: "fresh", Retention: 24 * time.Hour,
		SearchAttributes: workflows.SearchAttributes()}
	for i := 0; i < 2; i++ {
		if err := clustersetup.Ensure(ctx, o); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	wrong := map[string]enumspb.IndexedValueType{}
	for name := range workflows.SearchAttributes() {
		wrong[name] = enumspb.INDEXED_VALUE_TYPE_INT
		break
	}
	o.SearchAttributes = wrong
	if err := clustersetup.Ensure(ctx, o); err == nil || !strings.Contains(err.Error(), "exists with type") {
		t.Fatalf("an attribute of another type: %v, want an error naming it", err)
	}
}

// TestReadStateReadsWhatTheScriptWrites reads a state file as deploy/cluster/cluster.sh writes it,
// from its folder.
func TestReadStateReadsWhatTheScriptWrites(t *testing.T) {
	dir := t.TempDir()
	state := "# written by deploy/cluster/cluster.sh up\nCLUSTER_SCRIPT=/x/cluster.sh\nCLUSTER_DATA=" + dir +
		"\nTEMPORAL_ADDRESS=127.0.0.1:17200\nTEMPORAL_NAMESPACE=default\nDATABASE_URL=postgres://postgres@127.0.0.1:5432/fengqiao?sslmode=disable\n" +
		"FENGQIAO_URL=http://127.0.0.1:17222\nSERVE_URLS=http://127.0.0.1:17220,http://127.0.0.1:17221\n"
	if err := os.WriteFile(filepath.Join(dir, "cluster.state"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := clustersetup.ReadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Frontend != "127.0.0.1:17200" || s.URL != "http://127.0.0.1:17222" || len(s.ServeURLs) != 2 || s.Data != dir {
		t.Fatalf("read %+v", s)
	}
	if _, err := clustersetup.ReadState(t.TempDir()); err == nil {
		t.Fatal("a folder without a state file: no error")
	}
}
