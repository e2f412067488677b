package graph

import (
	"context"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

var collectTestSchema = gqlparser.MustLoadSchema(&ast.Source{Input: `
type Query { a: Int  b: Int  c: Int }
`})

var collectTestImplementors = []string{"Query"}

// collectIn runs collectFields for the operation query (parsed once into
// doc) with vars, as the executor would under PerOperation, and returns
// the aliases collected and the slice itself.
func collectIn(t *testing.T, doc *ast.QueryDocument, query string, vars map[string]any) ([]string, []graphql.CollectedField) {
	t.Helper()
	oc := &graphql.OperationContext{RawQuery: query, Doc: doc, Operation: doc.Operations[0], Variables: vars}
	var fields []graphql.CollectedField
	PerOperation{}.InterceptOperation(graphql.WithOperationContext(context.Background(), oc), func(ctx context.Context) graphql.ResponseHandler {
		fields = collectFields(ctx, oc, oc.Operation.SelectionSet, collectTestImplementors)
		return nil
	})
	var aliases []string
	for _, f := range fields {
		aliases = append(aliases, f.Alias)
	}
	return aliases, fields
}

// An operation without directives collects each selection set once, for
// every later request with the same document: the same fields, the same
// slice.
func TestCollectFieldsKeepsFieldsAcrossRequests(t *testing.T) {
	const q = `{ a x: b a }`
	doc := gqlparser.MustLoadQuery(collectTestSchema, q)
	first, f1 := collectIn(t, doc, q, nil)
	second, f2 := collectIn(t, doc, q, map[string]any{"unused": 1})
	if want := []string{"a", "x"}; !reflect.DeepEqual(first, want) || !reflect.DeepEqual(second, want) {
		t.Fatalf("collected %v then %v, want %v", first, second, want)
	}
	if &f1[0] != &f2[0] {
		t.Error("the second request collected the fields again")
	}
}

// Directives may depend on variables: such operations collect per request.
func TestCollectFieldsFollowsDirectivesPerRequest(t *testing.T) {
	const q = `query($with: Boolean!) { a b @include(if: $with) }`
	doc := gqlparser.MustLoadQuery(collectTestSchema, q)
	with, _ := collectIn(t, doc, q, map[string]any{"with": true})
	without, _ := collectIn(t, doc, q, map[string]any{"with": false})
	if !reflect.DeepEqual(with, []string{"a", "b"}) || !reflect.DeepEqual(without, []string{"a"}) {
		t.Errorf("with: %v, without: %v; want [a b] and [a]", with, without)
	}
}
