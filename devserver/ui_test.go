package devserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"
	"time"

	"fengqiao/devserver"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// TestWebUIIsReadOnlyByDefault starts the embedded server with its Web UI as `fengqiao dev` does and
// checks the UI's own HTTP API: its settings say that writes are off, a terminate of a running
// workflow is refused (by curl's route, an Authorization header, and by the browser's, the CSRF
// token) and the workflow runs on; and a client sending half a header is cut off after the 5 s
// read-header timeout.
func TestWebUIIsReadOnlyByDefault(t *testing.T) {
	srv := start(t, devserver.Options{Namespace: "default", UIListen: "127.0.0.1:0"})
	defer srv.Stop()
	c := dial(t, srv)
	defer c.Close()
	ui := srv.UIURL()
	if ui == "" {
		t.Fatal("no Web UI URL")
	}

	t.Run("the UI is served", func(t *testing.T) {
		status, body := uiCall(t, http.DefaultClient, "GET", ui+"/", nil, "")
		if status != 200 || !strings.Contains(body, "<html") {
			t.Fatalf("GET / = %d %.200s", status, body)
		}
	})

	t.Run("its settings report writes disabled", func(t *testing.T) {
		status, body := uiCall(t, http.DefaultClient, "GET", ui+"/api/v1/settings", nil, "")
		if status != 200 {
			t.Fatalf("settings: %d %s", status, body)
		}
		var settings map[string]any
		if err := json.Unmarshal([]byte(body), &settings); err != nil {
			t.Fatalf("settings are not JSON: %s", body)
		}
		for _, key := range []string{"DisableWriteActions", "WorkflowTerminateDisabled", "WorkflowCancelDisabled",
			"WorkflowSignalDisabled", "WorkflowUpdateDisabled", "WorkflowResetDisabled", "WorkflowPauseDisabled",
			"BatchActionsDisabled", "StartWorkflowDisabled", "ActivityCommandsDisabled"} {
			if settings[key] != true {
				t.Errorf("settings %s = %v, want true", key, settings[key])
			}
		}
	})

	t.Run("a terminate through the UI is refused and the workflow runs on", func(t *testing.T) {
		id := startIdle(t, c, "ui-readonly")
		status, body := uiTerminate(t, ui, id, "Bearer anything") // curl's way: skips the CSRF check
		if status != http.StatusMethodNotAllowed {
			t.Errorf("terminate with an Authorization header = %d %s, want 405", status, body)
		}
		jar, _ := cookiejar.New(nil) // the browser's way: the _csrf cookie and its X-CSRF-Token
		browser := &http.Client{Jar: jar}
		uiCall(t, browser, "GET", ui+"/api/v1/settings", nil, "")
		status, body = uiCall(t, browser, "POST", ui+"/api/v1/namespaces/default/workflows/"+id+"/terminate",
			strings.NewReader(`{"reason":"probe"}`), "csrf")
		if status != http.StatusMethodNotAllowed {
			t.Errorf("terminate with the CSRF token = %d %s, want 405", status, body)
		}
		for _, action := range []string{"cancel", "signal/go", "reset", "update/u"} {
			status, body := uiCall(t, http.DefaultClient, "POST", ui+"/api/v1/namespaces/default/workflows/"+id+"/"+action,
				strings.NewReader(`{}`), "Bearer anything")
			if status != http.StatusMethodNotAllowed {
				t.Errorf("%s = %d %s, want 405", action, status, body)
			}
		}
		if got := workflowStatus(t, c, id); got != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			t.Fatalf("after refused writes the workflow is %v, want running", got)
		}
	})

	t.Run("a client that sends half a header is cut off after 5 s", func(t *testing.T) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(ui, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		began := time.Now()
		if _, err := io.WriteString(conn, "GET /api/v1/settings HTTP/1.1\r\nHost: x\r\nX-Slow: "); err != nil {
			t.Fatal(err)
		}
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, err = io.Copy(io.Discard, conn) // returns when the server closes the connection
		held := time.Since(began)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("the UI still held the connection after %v", held.Round(time.Second))
		}
		if held < 4*time.Second || held > 10*time.Second {
			t.Fatalf("the UI closed the connection after %v, want about 5 s", held.Round(100*time.Millisecond))
		}
	})
}

// TestWebUIWriteActionsSwitch proves that the refusal above comes from the switch: with
// UIWriteActions the same terminate goes through.
func TestWebUIWriteActionsSwitch(t *testing.T) {
	srv := start(t, devserver.Options{Namespace: "default", UIListen: "127.0.0.1:0", UIWriteActions: true})
	defer srv.Stop()
	c := dial(t, srv)
	defer c.Close()
	_, body := uiCall(t, http.DefaultClient, "GET", srv.UIURL()+"/api/v1/settings", nil, "")
	if !strings.Contains(body, `"DisableWriteActions":false`) {
		t.Fatalf("settings with writes on: %s", body)
	}
	id := startIdle(t, c, "ui-writes")
	if status, body := uiTerminate(t, srv.UIURL(), id, "Bearer anything"); status != 200 {
		t.Fatalf("terminate with writes on = %d %s, want 200", status, body)
	}
	if got := workflowStatus(t, c, id); got != enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED {
		t.Fatalf("after terminate the workflow is %v", got)
	}
	// the browser's way goes through too, so the 405s above are not the CSRF check's doing
	id = startIdle(t, c, "ui-writes-browser")
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	uiCall(t, browser, "GET", srv.UIURL()+"/api/v1/settings", nil, "")
	status, body := uiCall(t, browser, "POST", srv.UIURL()+"/api/v1/namespaces/default/workflows/"+id+"/terminate",
		strings.NewReader(`{"reason":"probe"}`), "csrf")
	if status != 200 {
		t.Fatalf("terminate with the CSRF token and writes on = %d %s, want 200", status, body)
	}
	if got := workflowStatus(t, c, id); got != enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED {
		t.Fatalf("after the browser's terminate the workflow is %v", got)
	}
}

// startIdle starts a workflow no worker will run: it stays running until someone acts on it.
func startIdle(t *testing.T, c client.Client, id string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: "nobody"}, "Idle"); err != nil {
		t.Fatalf("start workflow: %v", err)
	}
	return id
}

func workflowStatus(t *testing.T, c client.Client, id string) enumspb.WorkflowExecutionStatus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		t.Fatalf("describe %s: %v", id, err)
	}
	return d.GetWorkflowExecutionInfo().GetStatus()
}

func uiTerminate(t *testing.T, ui, id, auth string) (int, string) {
	t.Helper()
	return uiCall(t, http.DefaultClient, "POST", ui+"/api/v1/namespaces/default/workflows/"+id+"/terminate",
		strings.NewReader(`{"reason":"probe"}`), auth)
}

// uiCall sends one request to the UI server. auth is an Authorization header, or "csrf" to send the
// jar's _csrf cookie back as X-CSRF-Token, as the UI in a browser does.
func uiCall(t *testing.T, hc *http.Client, method, url string, body io.Reader, auth string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	switch {
	case auth == "csrf":
		for _, ck := range hc.Jar.Cookies(req.URL) {
			if ck.Name == "_csrf" {
				req.Header.Set("X-CSRF-Token", ck.Value)
			}
		}
		if req.Header.Get("X-CSRF-Token") == "" {
			t.Fatal("the UI set no _csrf cookie")
		}
	case auth != "":
		req.Header.Set("Authorization", auth)
	}
	res, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data)
}
