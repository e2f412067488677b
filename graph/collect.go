package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// gqlgen collects the fields of every object it marshals
// (graphql.CollectFields) through a cache per operation whose key is a
// hash made anew on every call, and starts each operation with an empty
// one: 5.8% of the server's CPU on the PostgreSQL dashboard (some 600
// objects), 4.9% on one case (some 30 selection sets, each collected
// afresh per request). The query cache (internal/server) hands every
// request with the same text the same parsed document, so a selection set
// is the same slice in every such request, and its fields for a type are
// the same unless directives (@skip, @include, @defer, whose arguments may
// be variables) take part. So for operations without any directive the
// fields are kept across requests, keyed by the selection set's backing
// array and the type's list of implemented names; internal/gqlpatch sends
// the generated executor here. The key holds the document alive, so the
// cache is bounded and emptied when full.

// collectKey names one collection: a selection set (its first element and
// length) for the object type whose implementors list is sat.
type collectKey struct {
	sel *ast.Selection
	n   int
	sat *string
}

// maxCollected bounds the cache: a deployment's clients send tens of
// distinct operations with a few dozen selection sets each.
const maxCollected = 2000

var collected struct {
	mu sync.RWMutex
	m  map[collectKey][]graphql.CollectedField
}

// collectFields is graphql.CollectFields, kept across requests for
// operations without directives.
func collectFields(ctx context.Context, oc *graphql.OperationContext, sel ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	f, ok := ctx.Value(opFlagsKey{}).(opFlags)
	if !ok || f.directives || len(sel) == 0 || len(satisfies) == 0 {
		return graphql.CollectFields(oc, sel, satisfies)
	}
	k := collectKey{sel: &sel[0], n: len(sel), sat: &satisfies[0]}
	collected.mu.RLock()
	fields, hit := collected.m[k]
	collected.mu.RUnlock()
	if hit {
		return fields
	}
	fields = graphql.CollectFields(oc, sel, satisfies)
	collected.mu.Lock()
	if collected.m == nil || len(collected.m) >= maxCollected {
		collected.m = make(map[collectKey][]graphql.CollectedField)
	}
	collected.m[k] = fields
	collected.mu.Unlock()
	return fields
}
