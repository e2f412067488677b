package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// The elements of the outermost list of a path (the 50 cases of a
// dashboard page) run concurrently (inline.go), and each used to get a
// goroutine of its own. A new goroutine starts with a small stack, and
// gqlgen's call chains for one case (four nested edges) grew it several
// times over, each time by copying it: stack growth was 10% of the server's
// CPU on the PostgreSQL dashboard after inline.go had cut the goroutines
// to one per case. Elements now run on a set of long-lived goroutines whose
// stacks have grown already; when all of them are busy, an element gets a
// new goroutine as before, so no element ever waits for a worker (an
// element may itself wait for a loader batch that other elements fill).

// warmWorkers is the number of long-lived goroutines: enough for the
// elements in flight of a few dozen concurrent requests, at a few tens of
// kilobytes of stack each.
const warmWorkers = 128

var (
	warmTasks = make(chan func()) // unbuffered: a send succeeds only when a worker is idle
	warmStart sync.Once
)

// goWarm runs f on an idle long-lived goroutine, or on a new one.
func goWarm(f func()) {
	warmStart.Do(func() {
		for range warmWorkers {
			go func() {
				for f := range warmTasks {
					f()
				}
			}()
		}
	})
	select {
	case warmTasks <- f:
	default:
		go f()
	}
}

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
		goWarm(func() {
			defer wg.Done()
			ret[i] = marshalElementRecovering(childCtx, i, omitPanicHandler, marshalElement)
		})
	}
	wg.Wait()
	return ret
}
