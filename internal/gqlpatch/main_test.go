package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPatchRewritesEveryOccurrenceOfEveryRule(t *testing.T) {
	p := filepath.Join(t.TempDir(), "generated.go")
	var src strings.Builder
	for _, r := range rules {
		src.WriteString("a\n\t" + r.old + "\nb\n\t" + r.old + "\n")
	}
	if err := os.WriteFile(p, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := patch(p); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if strings.Contains(string(out), r.old) || strings.Count(string(out), r.new) != 2 {
			t.Errorf("%q not rewritten to %q:\n%s", r.old, r.new, out)
		}
	}
}

// A gqlgen upgrade that no longer generates the call must fail the
// generation, not silently drop the rewrite.
func TestPatchFailsWhenTheGeneratedCodeChanged(t *testing.T) {
	p := filepath.Join(t.TempDir(), "generated.go")
	if err := os.WriteFile(p, []byte("package graph\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := patch(p); err == nil {
		t.Fatal("patch succeeded on code without the call it rewrites")
	}
}
