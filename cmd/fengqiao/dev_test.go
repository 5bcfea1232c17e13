package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fengqiao/app/apptest"
	"fengqiao/store"
)

// These tests build the real binary and run `fengqiao dev` as a user would: a fresh data folder, the
// embedded Temporal server on a file, SQLite, the web server.

func TestMain(m *testing.M) { apptest.Main(m) }

func binary(t *testing.T) string { return apptest.Binary(t) }

func freeAddr(t *testing.T) string { return apptest.FreeAddr(t) }

// instance is one `fengqiao dev` process.
type instance struct {
	*apptest.Proc
	t      *testing.T
	url    string
	output *apptest.Output
}

// startDev runs `fengqiao dev` on data and waits until /readyz answers 200.
func startDev(t *testing.T, data string, extraEnv ...string) *instance {
	t.Helper()
	env := append([]string{
		"FENGQIAO_DATA=" + data,
		"FENGQIAO_TEMPORAL_LISTEN=" + freeAddr(t),
		"FENGQIAO_DEMO=0",
		"FENGQIAO_ADMIN_PASSWORD=admin-password-1",
	}, extraEnv...)
	p := apptest.StartProc(t, "fengqiao dev", env, freeAddr(t), "dev")
	return &instance{Proc: p, t: t, url: p.URL, output: p.Out}
}

// stop sends SIGTERM and expects a clean exit.
func (in *instance) stop() { in.Stop() }

func (in *instance) call(method, path, token string, body any) (int, map[string]any) {
	in.t.Helper()
	req, err := apptest.NewRequest(context.Background(), method, in.url+path, token, body)
	if err != nil {
		in.t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

func TestDevKeepsDataAcrossRestart(t *testing.T) {
	data := t.TempDir()
	in := startDev(t, data, "FENGQIAO_TEMPORAL_UI=off")
	status, m := in.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "admin-password-1"})
	if status != 200 {
		t.Fatalf("login: %d %v\n%s", status, m, in.output)
	}
	token := m["token"].(string)
	if status, m := in.call("POST", "/api/v1/jurisdictions", token, map[string]string{"code": "330200", "name": "宁波市", "tier": "city"}); status != 201 {
		t.Fatalf("create jurisdiction: %d %v", status, m)
	}
	in.stop()

	in = startDev(t, data, "FENGQIAO_TEMPORAL_UI=off", "FENGQIAO_ADMIN_PASSWORD=ignored-after-first-start")
	if status, m := in.call("GET", "/api/v1/jurisdictions/330200", token, nil); status != 200 || m["name"] != "宁波市" {
		t.Fatalf("after restart, old token reading the jurisdiction: %d %v", status, m)
	}
	if status, _ := in.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "admin-password-1"}); status != 200 {
		t.Fatalf("the admin password changed on restart: %d", status)
	}
	in.stop()
}

func TestDevInstancesSideBySide(t *testing.T) {
	uiAddr := freeAddr(t)
	a := startDev(t, t.TempDir(), "FENGQIAO_TEMPORAL_UI="+uiAddr, "FENGQIAO_DEMO=1")
	b := startDev(t, t.TempDir(), "FENGQIAO_TEMPORAL_UI=off")
	for _, in := range []*instance{a, b} {
		if status, _ := in.call("GET", "/readyz", "", nil); status != 200 {
			t.Fatalf("%s not ready", in.url)
		}
	}
	// the first prints its demo logins and serves the Temporal Web UI
	for _, want := range []string{"demo logins", "med-village", "Temporal UI", uiAddr} {
		if !strings.Contains(a.output.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, a.output)
		}
	}
	res, err := http.Get("http://" + uiAddr + "/")
	if err != nil {
		t.Fatalf("temporal UI: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("temporal UI answered %d", res.StatusCode)
	}
	// the same server serves the web workbench outside /api/
	page, err := http.Get(a.url + "/login")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(string(html), "登录") {
		t.Fatalf("GET /login = %d:\n%.300s", page.StatusCode, html)
	}
	status, m := a.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "clerk", "password": "fengqiao-demo"})
	if status != 200 {
		t.Fatalf("demo clerk login: %d %v", status, m)
	}
	a.stop()
	b.stop()
}

// TestVerifyFindsTampering runs `fengqiao verify` on a data folder after a real dev session: clean,
// then with an edited audit row, then with a projection that disagrees with its workflow.
func TestVerifyFindsTampering(t *testing.T) {
	data := t.TempDir()
	in := startDev(t, data, "FENGQIAO_TEMPORAL_UI=off", "FENGQIAO_DEMO=1")
	_, m := in.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "clerk", "password": "fengqiao-demo"})
	token := m["token"].(string)
	status, c := in.call("POST", "/api/v1/cases", token, map[string]any{
		"kind": "dispute", "channel": "visit", "category": "neighbour", "summary": "噪音", "location": "330203001001",
		"parties": []map[string]string{{"role": "applicant", "name": "张三", "id_number": "11010519491231002X"}},
	})
	if status != 201 {
		t.Fatalf("intake: %d %v", status, c)
	}
	time.Sleep(time.Second) // let the projection settle
	in.stop()

	verify := func() (string, error) {
		cmd := exec.Command(binary(t), "verify")
		cmd.Env = append(os.Environ(), "FENGQIAO_DATA="+data, "FENGQIAO_TEMPORAL_LISTEN="+freeAddr(t), "FENGQIAO_LOG_LEVEL=ERROR")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := verify(); err != nil {
		t.Fatalf("verify on a clean folder: %v\n%s", err, out)
	}
	db, err := store.Connect(filepath.Join(data, "fengqiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	db.Exec("UPDATE cases SET status = 'closed' WHERE id = ?", c["id"])
	out, err := verify()
	if err == nil || !strings.Contains(out, c["id"].(string)) || !strings.Contains(out, "status") {
		t.Fatalf("verify missed a projection mismatch: %v\n%s", err, out)
	}
	db.Exec("UPDATE cases SET status = 'registered' WHERE id = ?", c["id"])
	db.Exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
	out, err = verify()
	if err == nil || !strings.Contains(out, "seq 1") {
		t.Fatalf("verify missed an edited audit entry: %v\n%s", err, out)
	}
}
