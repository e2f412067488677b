package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPatchRewritesEveryOccurrenceOfEveryRule(t *testing.T) {
	p := filepath.Join(t.TempDir(), "generated.go")
	// Valid Go (the patched file is formatted): each rule's text twice,
	// completed into a statement.
	var src strings.Builder
	src.WriteString("package graph\n\nfunc f() {\n")
	for _, r := range rules {
		if r.old == returnOut { // ends an object marshaller: written below
			continue
		}
		line := r.old
		switch {
		case strings.HasSuffix(line, ", "):
			line += "xImplementors)"
		case strings.HasSuffix(line, ","):
			line += " x)"
		}
		src.WriteString("\t" + line + "\n\t" + line + "\n")
	}
	src.WriteString("\tif fc.Args, err = ec.field_Returnee_interventions_args(ctx, field.ArgumentMap(ec.Variables)); err != nil {\n\t\treturn\n\t}\n}\n")
	for i := range minPlainLeaves {
		src.WriteString(plainResolverSrc(fmt.Sprintf("_Returnee_f%d", i), "GivenName", "string", "marshalNString2string"))
	}
	src.WriteString(scalarFieldContextSrc + stringMarshallerSrc)
	for i := range 2 {
		fmt.Fprintf(&src, "\nfunc object%d() {\n\t%s\n\t_ = out%s", i, newFieldSet, returnOut)
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
	if want := "return ec.field_Returnee_interventions_args(ctx, field.ArgumentMap(ec.Variables))"; !strings.Contains(string(out), want) ||
		!strings.Contains(string(out), "fc.Args, err = fieldArgs(ctx, field.Field, func() (map[string]any, error) {") {
		t.Errorf("field arguments not sent through fieldArgs:\n%s", out)
	}
}

// graph/collect.go keys its cache on the list of implementors: a field
// collection given anything else fails the generation.
func TestCheckCollectionsWantsAnImplementorsList(t *testing.T) {
	for _, c := range []struct {
		call string
		ok   bool
	}{
		{"collectFields(ctx, ec.OperationContext, sel, returneeImplementors)", true},
		{`collectFields(ctx, ec.OperationContext, sel, []string{"Returnee"})`, false},
		{"collectFields(ctx, ec.OperationContext, sel, append(a, b...))", false},
	} {
		if err := checkCollections([]byte("\t" + c.call + "\n")); (err == nil) != c.ok {
			t.Errorf("%s: error %v, want ok %v", c.call, err, c.ok)
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
