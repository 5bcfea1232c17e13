// Package openapi holds Fengqiao's machine-readable HTTP contract, an OpenAPI 3 document written as YAML
// beside this file, embedded in the binary and served as JSON at /api/v1/openapi.json. Tests validate
// real responses against it, so the document and the handlers cannot drift apart.
package openapi

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"gopkg.in/yaml.v3"
)

//go:embed openapi.yaml
var source []byte

// YAML returns the document as written.
func YAML() []byte { return source }

// JSON returns the document as JSON.
func JSON() ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(source, &doc); err != nil {
		return nil, fmt.Errorf("openapi: parse: %w", err)
	}
	return json.Marshal(doc)
}
