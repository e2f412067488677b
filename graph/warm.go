package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rdrr-project/rdrr/internal/warm"
)

// The elements of the outermost list of a path (the 50 cases of a
// dashboard page) run concurrently (inline.go), on warm goroutines
// (internal/warm) rather than new ones: gqlgen's call chains for one case
// (four nested edges) grew a new goroutine's stack several times over.
// When all warm goroutines are busy an element gets a new one, so no
// element ever waits for a worker (an element may itself wait for a loader
// batch that other elements fill).

// marshalSliceWarm is graphql.MarshalSliceConcurrently (with no worker
// limit) on warm goroutines; the last element runs in the caller's.
func marshalSliceWarm(ctx context.Context, length int, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	var wg sync.WaitGroup
	for i := range length {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if i == length-1 {
			ret[i] = marshalElementRecovering(childCtx, i, omitPanicHandler, marshalElement)
			break
		}
		wg.Add(1)
		warm.Go(func() {
			defer wg.Done()
			ret[i] = marshalElementRecovering(childCtx, i, omitPanicHandler, marshalElement)
		})
	}
	wg.Wait()
	return ret
}
