package devserver_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fengqiao/devserver"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// waitForSignal is a workflow that sleeps on a durable timer and then waits for a signal, so that a
// restart of the server in between can be observed.
func waitForSignal(ctx workflow.Context) (string, error) {
	if err := workflow.Sleep(ctx, time.Second); err != nil {
		return "", err
	}
	var msg string
	workflow.GetSignalChannel(ctx, "go").Receive(ctx, &msg)
	return "got " + msg, nil
}

func TestServerKeepsWorkflowsAcrossRestart(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "temporal.db")
	opts := devserver.Options{
		Listen:           "127.0.0.1:0",
		DatabaseFile:     dbFile,
		Namespace:        "default",
		SearchAttributes: map[string]enumspb.IndexedValueType{"FengqiaoProbe": enumspb.INDEXED_VALUE_TYPE_KEYWORD},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	srv := start(t, opts)
	c := dial(t, srv)
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "probe", TaskQueue: "probe"}, waitForSignal)
	if err != nil {
		t.Fatalf("start workflow: %v", err)
	}
	w := worker.New(c, "probe", worker.Options{})
	w.RegisterWorkflow(waitForSignal)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // the timer fires and the workflow blocks on the signal
	if _, err := os.Stat(dbFile + "-wal"); err != nil {
		t.Fatalf("the Temporal store is not in WAL mode (no %s-wal): %v", dbFile, err)
	}
	w.Stop()
	c.Close()
	srv.Stop()

	// Same file, new process-equivalent: the workflow and the registered search attribute are still there.
	srv = start(t, opts)
	defer srv.Stop()
	c = dial(t, srv)
	defer c.Close()
	w = worker.New(c, "probe", worker.Options{})
	w.RegisterWorkflow(waitForSignal)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	if err := c.SignalWorkflow(ctx, "probe", run.GetRunID(), "go", "after restart"); err != nil {
		t.Fatalf("signal after restart: %v", err)
	}
	var got string
	if err := c.GetWorkflow(ctx, "probe", run.GetRunID()).Get(ctx, &got); err != nil {
		t.Fatalf("result: %v", err)
	}
	if got != "got after restart" {
		t.Fatalf("result = %q", got)
	}
	sa, err := c.OperatorService().ListSearchAttributes(ctx, operatorReq())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sa.CustomAttributes["FengqiaoProbe"]; !ok {
		t.Fatalf("search attribute not registered: %v", sa.CustomAttributes)
	}
}

func start(t *testing.T, opts devserver.Options) *devserver.Server {
	t.Helper()
	srv, err := devserver.Start(opts)
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	return srv
}

func dial(t *testing.T, srv *devserver.Server) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: srv.HostPort(), Namespace: "default"})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}

func operatorReq() *operatorservice.ListSearchAttributesRequest {
	return &operatorservice.ListSearchAttributesRequest{Namespace: "default"}
}
