package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPatchRewritesEveryDeferredGroup(t *testing.T) {
	p := filepath.Join(t.TempDir(), "generated.go")
	src := "a\n\tdeferred := graphql.NewDeferredGroup(ctx)\nb\n\tdeferred := graphql.NewDeferredGroup(ctx)\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := patch(p); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "graphql.NewDeferredGroup") || strings.Count(string(out), "newDeferredGroup(ctx, ec.OperationContext)") != 2 {
		t.Fatalf("not rewritten:\n%s", out)
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
