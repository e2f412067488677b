package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// newDeferredGroup replaces graphql.NewDeferredGroup in the generated
// executor (internal/gqlpatch rewrites the calls). gqlgen's version computes
// the object's response path on every object for the benefit of @defer;
// without @defer in the operation no field can be deferred, the group stays
// empty and nothing reads the path, so an empty group does (mayDefer, in
// inline.go, is the test for @defer).
func newDeferredGroup(ctx context.Context, oc *graphql.OperationContext) graphql.DeferredGroup {
	if !mayDefer(ctx, oc) {
		return graphql.DeferredGroup{Context: ctx}
	}
	return graphql.NewDeferredGroup(ctx)
}

// groupMayDefer reports whether the operation of the object whose group
// newDeferredGroup made may defer: only then has the group a field set
// (graphql.NewDeferredGroup always gives it one). The object's code asks
// its group instead of looking the answer up in the context again.
func groupMayDefer(d *graphql.DeferredGroup) bool { return d.FieldSet != nil }
