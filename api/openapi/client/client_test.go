package client_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestGeneratedClientIsCurrent regenerates the client from the document with the generator and
// version that doc.go's go:generate line names, into a temporary folder, and fails when the committed
// client.gen.go differs: the document changed and `go generate ./api/openapi/client/` was not run.
func TestGeneratedClientIsCurrent(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on the PATH to run the generator with")
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^//go:generate go run (\S+@\S+) (.*)$`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("doc.go has no go:generate line running the generator at a pinned version")
	}
	out := filepath.Join(t.TempDir(), "client.gen.go")
	args := append([]string{"run", string(m[1])}, strings.Fields(string(m[2]))...)
	i := slices.Index(args, "-o")
	if i < 0 || i+1 >= len(args) {
		t.Fatal("the go:generate line names no output file (-o)")
	}
	args[i+1] = out
	if output, err := exec.Command(goBin, args...).CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, output)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("client.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("client.gen.go is stale: the OpenAPI document changed; run `go generate ./api/openapi/client/` and commit the result")
	}
}
