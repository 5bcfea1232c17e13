package main

import (
	"net/url"
	"os"
	"regexp"
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
	for _, name := range []string{"postgres", "temporal", "temporal-ui", "serve", "worker"} {
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
	if !containsPrefix(f.Services["serve"].Ports, "8080:8080") || !containsPrefix(temporal.Ports, "7233:7233") {
		t.Errorf("ports: serve %v, temporal %v", f.Services["serve"].Ports, temporal.Ports)
	}
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
