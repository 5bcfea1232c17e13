package openapi_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"

	"fengqiao/api/openapi"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers/legacy"
	"gopkg.in/yaml.v3"
)

func load(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("the document does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid OpenAPI 3: %v", err)
	}
	return doc
}

func TestDocumentIsValidAsWrittenAndAsServed(t *testing.T) {
	load(t, openapi.YAML())
	served, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	load(t, served)
}

// TestEveryOperationIsReadyForGenerators holds what code generators and linters need of each
// operation: an operationId that is unique, lowerCamel and so a usable method name; a summary; tags
// the document declares; and at least one 4xx answer, but for the operations endpoints that
// .redocly.lint-ignore.yaml lists with its reason.
func TestEveryOperationIsReadyForGenerators(t *testing.T) {
	doc := load(t, openapi.YAML())
	no4xx := lintExceptions(t, "operation-4xx-response")
	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		tags[tag.Name] = true
	}
	lowerCamel := regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	seen := map[string]string{}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		for method, op := range doc.Paths.Find(path).Operations() {
			where := method + " " + path
			switch {
			case op.OperationID == "":
				t.Errorf("%s has no operationId", where)
			case !lowerCamel.MatchString(op.OperationID):
				t.Errorf("%s: operationId %q is not lowerCamel", where, op.OperationID)
			case seen[op.OperationID] != "":
				t.Errorf("%s: operationId %q is also %s's", where, op.OperationID, seen[op.OperationID])
			}
			seen[op.OperationID] = where
			if strings.TrimSpace(op.Summary) == "" {
				t.Errorf("%s has no summary", where)
			}
			if len(op.Tags) == 0 {
				t.Errorf("%s has no tag", where)
			}
			for _, tag := range op.Tags {
				if !tags[tag] {
					t.Errorf("%s: tag %q is not declared", where, tag)
				}
			}
			has4xx := false
			for status := range op.Responses.Map() {
				has4xx = has4xx || strings.HasPrefix(status, "4")
			}
			pointer := "#/paths/" + strings.ReplaceAll(strings.ReplaceAll(path, "~", "~0"), "/", "~1") + "/" + strings.ToLower(method) + "/responses"
			switch {
			case !has4xx && !no4xx[pointer]:
				t.Errorf("%s lists no 4xx answer", where)
			case has4xx && no4xx[pointer]:
				t.Errorf("%s lists 4xx answers: drop it from .redocly.lint-ignore.yaml", where)
			}
		}
	}
	if len(seen) < 27 {
		t.Fatalf("found %d operations; the document lost some", len(seen))
	}
}

// lintExceptions returns the JSON pointers that .redocly.lint-ignore.yaml exempts from rule.
func lintExceptions(t *testing.T, rule string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(".redocly.lint-ignore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var ignore map[string]map[string][]string
	if err := yaml.Unmarshal(data, &ignore); err != nil {
		t.Fatalf(".redocly.lint-ignore.yaml: %v", err)
	}
	out := map[string]bool{}
	for _, p := range ignore["openapi.yaml"][rule] {
		out[p] = true
	}
	return out
}

// TestServersMatchEveryOrigin: the document's server is "{scheme}://{host}", so a router built from
// it (the API tests' contract checks use kin-openapi's) finds the operation of a request to any host
// and port; a fixed server URL would make every request of a test server on a random port "not in the
// document" and the contract checks would pass without checking anything.
func TestServersMatchEveryOrigin(t *testing.T) {
	doc := load(t, openapi.YAML())
	if len(doc.Servers) == 0 {
		t.Fatal("the document names no server")
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ method, url, op string }{
		{"GET", "http://127.0.0.1:8080/api/v1/cases/c-1", "getCase"},
		{"GET", "http://127.0.0.1:41234/api/v1/cases/c-1/timeline", "getCaseTimeline"},
		{"POST", "https://fengqiao.example.org/api/v1/cases/c-1/accept", "caseAction"},
		{"POST", "http://localhost:8080/api/v1/auth/login", "login"},
		{"GET", "http://[::1]:8080/healthz", "checkHealth"},
	} {
		req, _ := http.NewRequest(tt.method, tt.url, nil)
		route, _, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s: %v", tt.method, tt.url, err)
			continue
		}
		if route.Operation.OperationID != tt.op {
			t.Errorf("%s %s is %s, want %s", tt.method, tt.url, route.Operation.OperationID, tt.op)
		}
	}
}

// TestRedoclyLint runs Redocly's linter (recommended rules, redocly.yaml) when FENGQIAO_LINT_OPENAPI=1
// and npx is on the PATH; it fetches the CLI from the npm registry, so it is not part of make test.
func TestRedoclyLint(t *testing.T) {
	if os.Getenv("FENGQIAO_LINT_OPENAPI") != "1" {
		t.Skip("set FENGQIAO_LINT_OPENAPI=1 to lint with @redocly/cli (needs npx and the npm registry)")
	}
	npx, err := exec.LookPath("npx")
	if err != nil {
		t.Fatal("FENGQIAO_LINT_OPENAPI=1 but no npx on the PATH")
	}
	out, err := exec.Command(npx, "--yes", "@redocly/cli@2.77.0", "lint", "--config", "redocly.yaml", "openapi.yaml").CombinedOutput()
	// it exits 0 with warnings; its summary counts them ("You have 3 warnings.")
	if err != nil || regexp.MustCompile(`You have \d+ warning`).Match(out) {
		t.Fatalf("redocly lint: %v\n%s", err, out)
	}
}
