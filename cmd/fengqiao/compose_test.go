package main

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Command     any               `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		EnvFile     any               `yaml:"env_file"`
		Volumes     []string          `yaml:"volumes"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
	} `yaml:"services"`
}

// TestComposeWiring checks the production topology without Docker: the services point at each other by
// the right names and ports, and the Fengqiao processes wait for what they need.
func TestComposeWiring(t *testing.T) {
	data, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err := yaml.Unmarshal(interpolate(data), &f); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	for _, name := range []string{"postgres", "temporal-schema", "temporal", "temporal-setup", "temporal-ui", "serve", "worker", "nginx"} {
		if _, ok := f.Services[name]; !ok {
			t.Fatalf("service %s missing", name)
		}
	}
	temporal := f.Services["temporal"]
	if temporal.Environment["POSTGRES_SEEDS"] != "postgres" || temporal.Environment["DB_PORT"] != "5432" {
		t.Errorf("temporal must use the postgres service on 5432: %v", temporal.Environment)
	}
	if temporal.DependsOn["postgres"].Condition != "service_healthy" {
		t.Errorf("temporal must wait for a healthy postgres")
	}
	if got := f.Services["temporal-ui"].Environment["TEMPORAL_ADDRESS"]; got != "temporal:7233" {
		t.Errorf("temporal-ui TEMPORAL_ADDRESS = %q", got)
	}
	for _, name := range []string{"serve", "worker"} {
		svc := f.Services[name]
		t.Run(name, func(t *testing.T) {
			if svc.Build == nil {
				t.Errorf("%s must be built from this repository's Dockerfile", name)
			}
			if cmd, _ := svc.Command.([]any); len(cmd) != 1 || cmd[0] != name {
				t.Errorf("%s runs %v, want [%s]", name, svc.Command, name)
			}
			if got := svc.Environment["TEMPORAL_ADDRESS"]; got != "temporal:7233" {
				t.Errorf("TEMPORAL_ADDRESS = %q, want temporal:7233", got)
			}
			u, err := url.Parse(svc.Environment["DATABASE_URL"])
			if err != nil || u.Scheme != "postgres" || u.Hostname() != "postgres" || u.Port() != "5432" {
				t.Errorf("DATABASE_URL = %q, want postgres://...@postgres:5432/...", svc.Environment["DATABASE_URL"])
			}
			if svc.Environment["FENGQIAO_KEY"] == "" {
				t.Errorf("%s needs FENGQIAO_KEY: serve and worker must share the payload key", name)
			}
			if svc.DependsOn["postgres"].Condition != "service_healthy" {
				t.Errorf("%s must wait for a healthy postgres", name)
			}
		})
	}
	if addr := f.Services["serve"].Environment["FENGQIAO_ADDR"]; !strings.HasSuffix(addr, ":8080") {
		t.Errorf("serve FENGQIAO_ADDR = %q, want :8080 (the published port)", addr)
	}
	// --scale serve=3 must be able to start: no replica may claim a host port; nginx publishes 8080
	if len(f.Services["serve"].Ports) != 0 {
		t.Errorf("serve publishes %v: a second replica could not start; publish through nginx", f.Services["serve"].Ports)
	}
	if !containsPrefix(f.Services["nginx"].Ports, "8080:8080") || !containsPrefix(temporal.Ports, "7233:7233") {
		t.Errorf("ports: nginx %v, temporal %v", f.Services["nginx"].Ports, temporal.Ports)
	}
	if !containsPrefix(f.Services["nginx"].Volumes, "./deploy/nginx.conf:/etc/nginx/nginx.conf") {
		t.Errorf("nginx must run deploy/nginx.conf: %v", f.Services["nginx"].Volumes)
	}
	nginx, err := os.ReadFile("../../deploy/nginx.conf")
	if err != nil || !strings.Contains(string(nginx), "http://serve:8080") {
		t.Errorf("deploy/nginx.conf must proxy to serve:8080 (%v)", err)
	}
	// production sets the schema up with the admin tools, not the development auto-setup image
	for name, svc := range f.Services {
		if strings.Contains(svc.Image, "auto-setup") {
			t.Errorf("%s runs %s: auto-setup is for development; set the schema up with temporalio/admin-tools", name, svc.Image)
		}
	}
	if cmd := fmt.Sprint(f.Services["temporal-schema"].Command); !strings.Contains(cmd, "setup-schema") || !strings.Contains(cmd, "update-schema") {
		t.Errorf("temporal-schema must run temporal-sql-tool setup-schema and update-schema: %s", cmd)
	}
	if f.Services["temporal"].DependsOn["temporal-schema"].Condition != "service_completed_successfully" {
		t.Errorf("temporal must wait for its schema")
	}
	if cmd, _ := f.Services["temporal-setup"].Command.([]any); len(cmd) != 1 || cmd[0] != "cluster-setup" {
		t.Errorf("temporal-setup runs %v, want [cluster-setup]", f.Services["temporal-setup"].Command)
	}
}

// TestComposeMatchesClusterEnv is the guard of "one set of variables": docker-compose.yml, make cluster
// (deploy/cluster/cluster.sh) and go.mod agree on deploy/cluster.env — the Temporal server and UI
// versions, the history shards, the database names and the namespace.
func TestComposeMatchesClusterEnv(t *testing.T) {
	vars := readEnvFile(t, "../../deploy/cluster.env")
	for _, k := range []string{"TEMPORAL_VERSION", "TEMPORAL_UI_VERSION", "NUM_HISTORY_SHARDS", "TEMPORAL_DB",
		"TEMPORAL_VISIBILITY_DB", "FENGQIAO_DB", "TEMPORAL_NAMESPACE", "TEMPORAL_NAMESPACE_RETENTION"} {
		if vars[k] == "" {
			t.Fatalf("deploy/cluster.env has no %s", k)
		}
	}
	data, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err := yaml.Unmarshal(interpolate(data), &f); err != nil {
		t.Fatal(err)
	}
	images := map[string]string{
		"temporal":        "temporalio/server:" + vars["TEMPORAL_VERSION"],
		"temporal-schema": "temporalio/admin-tools:" + vars["TEMPORAL_VERSION"],
		"temporal-ui":     "temporalio/ui:" + vars["TEMPORAL_UI_VERSION"],
	}
	for svc, want := range images {
		if got := f.Services[svc].Image; got != want {
			t.Errorf("compose %s image %q, deploy/cluster.env says %q", svc, got, want)
		}
	}
	temporal := f.Services["temporal"].Environment
	for key, envKey := range map[string]string{"NUM_HISTORY_SHARDS": "NUM_HISTORY_SHARDS", "DBNAME": "TEMPORAL_DB",
		"VISIBILITY_DBNAME": "TEMPORAL_VISIBILITY_DB"} {
		if temporal[key] != vars[envKey] {
			t.Errorf("compose temporal %s=%q, deploy/cluster.env %s=%q", key, temporal[key], envKey, vars[envKey])
		}
	}
	for _, svc := range []string{"temporal-schema", "temporal", "temporal-setup", "serve", "worker"} {
		if fmt.Sprint(f.Services[svc].EnvFile) != "deploy/cluster.env" {
			t.Errorf("compose %s must read env_file deploy/cluster.env (has %v)", svc, f.Services[svc].EnvFile)
		}
	}
	u, _ := url.Parse(f.Services["serve"].Environment["DATABASE_URL"])
	if u == nil || strings.TrimPrefix(u.Path, "/") != vars["FENGQIAO_DB"] {
		t.Errorf("compose DATABASE_URL %q names another database than FENGQIAO_DB=%s", f.Services["serve"].Environment["DATABASE_URL"], vars["FENGQIAO_DB"])
	}
	if db := f.Services["postgres"].Environment["POSTGRES_DB"]; db != vars["FENGQIAO_DB"] {
		t.Errorf("compose POSTGRES_DB=%q, deploy/cluster.env FENGQIAO_DB=%q", db, vars["FENGQIAO_DB"])
	}
	// the versions go.mod pins: the embedded server and the UI it serves
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go.temporal.io/server v" + vars["TEMPORAL_VERSION"],
		"github.com/temporalio/ui-server/v2 v" + vars["TEMPORAL_UI_VERSION"]} {
		if !strings.Contains(string(mod), want) {
			t.Errorf("go.mod does not pin %s (deploy/cluster.env)", want)
		}
	}
	// make cluster reads the same file and its template takes the shards from it
	script, err := os.ReadFile("../../deploy/cluster/cluster.sh")
	if err != nil || !strings.Contains(string(script), "deploy/cluster.env") {
		t.Errorf("deploy/cluster/cluster.sh must read deploy/cluster.env (%v)", err)
	}
	tmpl, err := os.ReadFile("../../deploy/cluster/temporal.yaml")
	if err != nil || !strings.Contains(string(tmpl), `numHistoryShards: {{ env "NUM_HISTORY_SHARDS" }}`) {
		t.Errorf("deploy/cluster/temporal.yaml must take numHistoryShards from NUM_HISTORY_SHARDS (%v)", err)
	}
	if n, err := strconv.Atoi(vars["NUM_HISTORY_SHARDS"]); err != nil || n < 4 {
		t.Errorf("NUM_HISTORY_SHARDS=%q: want at least 4", vars["NUM_HISTORY_SHARDS"])
	}
}

// readEnvFile reads KEY=VALUE lines as docker compose's env_file and bash both read them.
func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.ContainsAny(v, "\"' ") {
			t.Fatalf("%s:%d: want KEY=VALUE without quotes or spaces, have %q", path, i+1, line)
		}
		vars[k] = v
	}
	return vars
}

// interpolate resolves compose's ${NAME:-default} to its default and ${NAME:?message} to "set", as
// docker compose would with those variables unset (or, for :?, set).
func interpolate(data []byte) []byte {
	re := regexp.MustCompile(`\$\{([A-Z_]+)(:-|:\?)([^}]*)\}`)
	return re.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := re.FindSubmatch(m)
		if string(sub[2]) == ":-" {
			return sub[3]
		}
		return []byte("set")
	})
}

func containsPrefix(list []string, s string) bool {
	for _, v := range list {
		if strings.HasPrefix(v, s) {
			return true
		}
	}
	return false
}
