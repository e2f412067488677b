package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
)

// newDeferredGroup replaces graphql.NewDeferredGroup in the generated
// executor (internal/gqlpatch rewrites the calls). gqlgen's version computes
// the object's response path on every object for the benefit of @defer;
// without @defer in the operation no field can be deferred, the group stays
// empty and nothing reads the path, so an empty group does. The test for
// @defer is deliberately coarse: any "defer" in the document (a directive
// may be written "@ defer") takes gqlgen's own path.
func newDeferredGroup(ctx context.Context, oc *graphql.OperationContext) graphql.DeferredGroup {
	if oc != nil && oc.RawQuery != "" && !strings.Contains(oc.RawQuery, "defer") {
		return graphql.DeferredGroup{Context: ctx}
	}
	return graphql.NewDeferredGroup(ctx)
}
