// Command gqlpatch rewrites a few calls in gqlgen's generated executor
// (graph/generated.go) after gqlgen has written it; `go generate ./ent` runs
// it last, so CI's check that generated code is current covers it.
//
// Why: gqlgen v0.17.98 starts every object it marshals with
// graphql.NewDeferredGroup(ctx), which builds the object's full response
// path (a walk up the field contexts and an allocation per level) for
// @defer, whether or not the operation defers anything. On the dashboard
// (50 cases with four nested edges, some 600 objects) that was 10.5% of the
// server's CPU. The replacement, graph.newDeferredGroup, skips the work when
// the operation cannot contain @defer and otherwise calls gqlgen's own.
//
// It also sends list marshalling and resolver fields through
// graph/inline.go, which runs everything below the outermost list of a path
// in that list element's goroutine instead of a goroutine per element and
// per field (15% of the dashboard's CPU was goroutine stack growth).
//
// It has objects written without gqlgen's map of aliases per object
// (graph/fieldset.go), and their fields collected once across requests
// when the operation uses no directive (graph/collect.go).
//
// And it has every field's arguments worked out once per operation
// (graph/fieldargs.go) instead of once per instance of the field.
//
// And it marshals plain leaf fields directly (plain.go): a field read from
// the object's struct, of a scalar or enum type whose marshaller cannot
// produce null, without gqlgen's per-field machinery around it.
//
// Each rule must match: a gqlgen upgrade that changes the generated code
// fails generation here instead of silently losing the rewrite.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"regexp"
)

// newFieldSet starts every generated object marshaller, and returnOut ends
// it.
const (
	newFieldSet = "out := graphql.NewFieldSet(fields)"
	returnOut   = "\n\treturn out\n}\n"
)

// rule replaces every occurrence of old, which must occur.
type rule struct{ old, new string }

var rules = []rule{
	{
		old: "deferred := graphql.NewDeferredGroup(ctx)",
		new: "deferred := newDeferredGroup(ctx, ec.OperationContext)",
	},
	// Objects written without a map of aliases per object (graph/fieldset.go).
	{
		old: returnOut,
		new: "\n\treturn marshalFields(out, fields, &deferred)\n}\n",
	},
	// Fields of objects collected once across requests (graph/collect.go).
	{
		old: "graphql.CollectFields(ec.OperationContext, sel, ",
		new: "collectFields(ctx, ec.OperationContext, sel, ",
	},
	// Goroutines below the outermost list (graph/inline.go).
	{
		old: "graphql.MarshalSliceConcurrently(ctx, ",
		new: "marshalSliceConcurrently(ctx, ",
	},
	{
		old: "out.ResolveConcurrently(ec.OperationContext, &deferred, i,",
		new: "resolveConcurrently(ctx, out, ec.OperationContext, &deferred, i,",
	},
}

// collectCall is a rewritten field collection, and implementors the
// package-level list of type names it must be given.
var (
	collectCall  = regexp.MustCompile(`collectFields\(ctx, ec\.OperationContext, sel, ([^)]*)\)`)
	implementors = regexp.MustCompile(`^\w+Implementors$`)
)

// checkCollections fails when a rewritten field collection is given
// anything but an implementors list.
func checkCollections(src []byte) error {
	for _, m := range collectCall.FindAllSubmatch(src, -1) {
		if !implementors.Match(m[1]) {
			return fmt.Errorf("a field collection given %q, not an implementors list (did gqlgen change?)", m[1])
		}
	}
	return nil
}

// argsCall is the generated computation of a field's arguments; argsCached
// sends it through graph.fieldArgs.
var (
	argsCall   = regexp.MustCompile(`fc\.Args, err = (ec\.field_\w+_args)\(ctx, field\.ArgumentMap\(ec\.Variables\)\); err != nil \{`)
	argsCached = []byte("fc.Args, err = fieldArgs(ctx, field.Field, func() (map[string]any, error) { return ${1}(ctx, field.ArgumentMap(ec.Variables)) }); err != nil {")
	argsLeft   = []byte("fc.Args, err = ec.field_")
)

func main() {
	path := "graph/generated.go"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	if err := patch(path); err != nil {
		fmt.Fprintln(os.Stderr, "gqlpatch:", err)
		os.Exit(1)
	}
}

func patch(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	// every object marshaller must end in the return marshalFields replaces
	if sets, returns := bytes.Count(src, []byte(newFieldSet)), bytes.Count(src, []byte(returnOut)); sets != returns {
		return fmt.Errorf("%s: %d field sets but %d plain returns of one (did gqlgen change?)", path, sets, returns)
	}
	for _, r := range rules {
		n := bytes.Count(src, []byte(r.old))
		if n == 0 {
			return fmt.Errorf("%s: expected %q, found none (did gqlgen change?)", path, r.old)
		}
		src = bytes.ReplaceAll(src, []byte(r.old), []byte(r.new))
	}
	// graph/collect.go keys its cache on the implementors list: it must be
	// one of the package's lists, the same slice on every call.
	if err := checkCollections(src); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !argsCall.Match(src) {
		return fmt.Errorf("%s: no field argument computation of the known shape (did gqlgen change?)", path)
	}
	src = argsCall.ReplaceAll(src, argsCached)
	if n := bytes.Count(src, argsLeft); n > 0 {
		return fmt.Errorf("%s: %d field argument computations of another shape remain (did gqlgen change?)", path, n)
	}
	src, err = plainLeaves(src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	out, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("formatting %s: %w", path, err)
	}
	return os.WriteFile(path, out, 0o644)
}
