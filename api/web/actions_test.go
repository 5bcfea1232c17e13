package web

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"fengqiao/api/openapi"
	"fengqiao/cases"
	"fengqiao/workflows"
)

// TestEveryWorkflowActionIsDeclared: a new workflow step is three edits besides the workflow itself —
// its entry in cases/actions.go (permission and form), its OpenAPI entry, its translations. This test
// fails when any is missing for an action the workflow accepts, or when a declared action is no
// longer one the workflow accepts.
func TestEveryWorkflowActionIsDeclared(t *testing.T) {
	type operation struct {
		Parameters []struct {
			Name   string `yaml:"name"`
			Schema struct {
				Enum []string `yaml:"enum"`
			} `yaml:"schema"`
		} `yaml:"parameters"`
	}
	var doc struct {
		Paths map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openapi.YAML(), &doc); err != nil {
		t.Fatal(err)
	}
	var path struct {
		Post operation `yaml:"post"`
	}
	node := doc.Paths["/api/v1/cases/{id}/{action}"]
	if err := node.Decode(&path); err != nil {
		t.Fatal(err)
	}
	inOpenAPI := map[string]bool{}
	for _, p := range path.Post.Parameters {
		if p.Name == "action" {
			for _, a := range p.Schema.Enum {
				inOpenAPI[a] = true
			}
		}
	}
	msgs := newCatalogue()
	translated := func(key string) bool {
		m, ok := msgs[key]
		return ok && m[0] != "" && m[1] != "" && !strings.ContainsAny(m[0], "abcdefghijklmnopqrstuvwxyz")
	}
	workflow := workflows.ActionNames()
	for _, name := range workflow {
		t.Run(name, func(t *testing.T) {
			spec, ok := cases.Action(name)
			if !ok || spec.Permission == "" {
				t.Errorf("no permission declared in cases/actions.go")
			}
			if workflows.NewArgs(name) == nil {
				t.Errorf("workflows.NewArgs knows no arguments")
			}
			if !inOpenAPI[name] {
				t.Errorf("not in the OpenAPI action enum of POST /api/v1/cases/{id}/{action}")
			}
			if !translated("act." + name) {
				t.Errorf("act.%s has no Chinese and English name in the pages' catalogue", name)
			}
			for _, f := range spec.Form {
				if !translated("f." + f.Name) {
					t.Errorf("form field f.%s has no Chinese and English label", f.Name)
				}
			}
		})
	}
	declared := map[string]bool{}
	for _, name := range workflow {
		declared[name] = true
	}
	for _, name := range cases.Actions() {
		if !declared[name] {
			t.Errorf("cases/actions.go declares %s, which the workflow does not accept", name)
		}
	}
	for name := range inOpenAPI {
		if !declared[name] {
			t.Errorf("the OpenAPI enum lists %s, which the workflow does not accept", name)
		}
	}
}
