package graph

import (
	"context"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rdrr-project/rdrr/internal/apperr"
)

// Limits bounds what one request may ask, before anything runs. Every limit
// answers with an error carrying the computed value and the limit.
type Limits struct {
	MaxDepth      int // nesting of fields (default 10)
	MaxCost       int // estimated cost, connections multiplying their children (default 25000)
	MaxAliases    int // aliased fields per document (default 30)
	MaxDirectives int // directives on one field (default 4)
	MaxOperations int // operations in one document (default 5)
}

// DefaultLimits are the limits of a server that sets none.
var DefaultLimits = Limits{MaxDepth: 10, MaxCost: 25000, MaxAliases: 30, MaxDirectives: 4, MaxOperations: 5}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxCost > 0 {
		d.MaxCost = l.MaxCost
	}
	if l.MaxAliases > 0 {
		d.MaxAliases = l.MaxAliases
	}
	if l.MaxDirectives > 0 {
		d.MaxDirectives = l.MaxDirectives
	}
	if l.MaxOperations > 0 {
		d.MaxOperations = l.MaxOperations
	}
	return d
}

// QueryLimits is the gqlgen extension enforcing Limits.
type QueryLimits struct{ Limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = QueryLimits{}

// ExtensionName implements graphql.HandlerExtension.
func (QueryLimits) ExtensionName() string { return "QueryLimits" }

// Validate implements graphql.HandlerExtension.
func (QueryLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (q QueryLimits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	l := q.Limits.withDefaults()
	if n := len(oc.Doc.Operations); n > l.MaxOperations {
		return tooComplex("the document has "+strconv.Itoa(n)+" operations", "operations", n, l.MaxOperations)
	}
	w := &walker{oc: oc, limits: l, seen: map[string]int{}}
	cost, depth := w.set(oc.Operation.SelectionSet, 1)
	if w.err != nil {
		return w.err
	}
	if w.aliases > l.MaxAliases {
		return tooComplex("the document uses "+strconv.Itoa(w.aliases)+" aliases", "aliases", w.aliases, l.MaxAliases)
	}
	if depth > l.MaxDepth {
		return tooComplex("the query nests "+strconv.Itoa(depth)+" levels deep", "depth", depth, l.MaxDepth)
	}
	if cost > l.MaxCost {
		return tooComplex("the query's estimated cost is "+strconv.Itoa(cost), "cost", cost, l.MaxCost)
	}
	return nil
}

func tooComplex(msg, what string, value, limit int) *gqlerror.Error {
	return &gqlerror.Error{
		Message: msg + ", over the limit of " + strconv.Itoa(limit),
		Extensions: map[string]any{
			"code": string(apperr.CodeTooComplex), "limit": limit, what: value, "measure": what,
		},
	}
}

// walker computes depth and cost. Fragments are expanded where they are
// spread (so a fragment spread 50 times costs 50 times), and the walk stops
// as soon as a limit is passed, so a hostile document cannot make the walk
// itself expensive.
type walker struct {
	oc      *graphql.OperationContext
	limits  Limits
	aliases int
	steps   int
	seen    map[string]int
	err     *gqlerror.Error
}

const maxWalkSteps = 100000

func (w *walker) set(set ast.SelectionSet, depth int) (cost, maxDepth int) {
	maxDepth = depth - 1
	for _, sel := range set {
		if w.err != nil {
			return 0, 0
		}
		w.steps++
		if w.steps > maxWalkSteps {
			w.err = tooComplex("the document is too large to analyse", "steps", w.steps, maxWalkSteps)
			return 0, 0
		}
		var c, d int
		switch s := sel.(type) {
		case *ast.Field:
			if n := len(s.Directives); n > w.limits.MaxDirectives {
				w.err = tooComplex("the field "+s.Alias+" has "+strconv.Itoa(n)+" directives", "directives", n, w.limits.MaxDirectives)
				return 0, 0
			}
			if s.Alias != "" && s.Alias != s.Name {
				w.aliases++
			}
			c, d = w.field(s, depth)
		case *ast.InlineFragment:
			c, d = w.set(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			if s.Definition == nil {
				continue
			}
			c, d = w.set(s.Definition.SelectionSet, depth)
		}
		cost += c
		if d > maxDepth {
			maxDepth = d
		}
		if cost > w.limits.MaxCost*10 { // far over: stop counting
			return cost, maxDepth
		}
	}
	return cost, maxDepth
}

// field costs 1 plus its children; a connection multiplies its children by
// its page size (first or last, else the default page).
func (w *walker) field(f *ast.Field, depth int) (int, int) {
	if len(f.SelectionSet) == 0 {
		return 1, depth
	}
	children, d := w.set(f.SelectionSet, depth+1)
	if isConnection(f) {
		n := DefaultPageSize
		args := f.ArgumentMap(w.oc.Variables)
		for _, name := range []string{"first", "last"} {
			switch v := args[name].(type) {
			case int64:
				n = int(v)
			case int:
				n = v
			}
		}
		if n < 1 {
			n = 1
		}
		return 1 + n*children, d
	}
	return 1 + children, d
}
