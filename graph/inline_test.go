package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rdrr-project/rdrr/internal/warm"
)

func operationCtx(query string) context.Context {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter,
		func(ctx context.Context, v any) error { return errors.New("internal error") })
	return graphql.WithOperationContext(ctx, &graphql.OperationContext{RawQuery: query,
		RecoverFunc: func(ctx context.Context, v any) error { return errors.New("internal error") }})
}

func marshalled(m graphql.Marshaler) string {
	var b bytes.Buffer
	m.MarshalGQL(&b)
	return b.String()
}

// Inside an element of the outermost list, a nested list is marshalled in
// the element's goroutine, in order, and a panicking element becomes null
// with an error, as gqlgen's concurrent version does.
func TestNestedListsRunInTheirElementsGoroutine(t *testing.T) {
	ctx := operationCtx("{ outer { inner } }")
	var order []int
	outer := marshalSliceConcurrently(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		if !inList(ctx) {
			t.Error("an element of the outer list is not marked as inside a list")
		}
		var local []int
		inner := marshalSliceConcurrently(ctx, 4, 0, false, func(ctx context.Context, j int) graphql.Marshaler {
			local = append(local, j) // unsynchronised on purpose: -race fails if elements run concurrently
			if i == 1 && j == 2 {
				panic("boom")
			}
			return graphql.MarshalInt(j)
		})
		if i == 0 {
			order = local
		}
		return inner
	})
	if got := marshalled(outer[0]); got != "[0,1,2,3]" {
		t.Errorf("first element: %s", got)
	}
	if got := marshalled(outer[1]); got != "[0,1,null,3]" {
		t.Errorf("element with a panicking child: %s, want the child null", got)
	}
	if len(order) != 4 || order[0] != 0 || order[3] != 3 {
		t.Errorf("inner elements ran out of order: %v", order)
	}
	if errs := graphql.GetErrors(ctx); len(errs) != 1 {
		t.Errorf("%d errors, want 1 for the panic: %v", len(errs), errs)
	}
}

// An operation that may use @defer keeps gqlgen's concurrent execution
// throughout: nothing is marked as inside a list.
func TestOperationsWithDeferAreNotInlined(t *testing.T) {
	ctx := operationCtx("{ outer { ... @defer { inner } } }")
	marshalSliceConcurrently(ctx, 2, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		if inList(ctx) {
			t.Error("an operation with @defer was inlined")
		}
		return graphql.Null
	})
}

// A resolver field inside a list element resolves at once and counts an
// invalid result against its object like gqlgen's Dispatch.
func TestResolverFieldsInsideListsResolveAtOnce(t *testing.T) {
	ctx := context.WithValue(operationCtx("{ a }"), inListKey{}, true)
	oc := graphql.GetOperationContext(ctx)
	out := graphql.NewFieldSet([]graphql.CollectedField{{}, {}})
	dg := newDeferredGroup(ctx, oc)
	resolveConcurrently(ctx, out, oc, &dg, 0, true, true, func(context.Context) graphql.Marshaler { return graphql.MarshalString("x") })
	resolveConcurrently(ctx, out, oc, &dg, 1, true, true, func(context.Context) graphql.Marshaler { return graphql.Null })
	if marshalled(out.Values[0]) != `"x"` || out.Values[1] != graphql.Null {
		t.Fatalf("values not set at once: %v", out.Values)
	}
	if out.Invalids != 1 {
		t.Fatalf("invalids %d, want 1 for the null non-null field", out.Invalids)
	}
}

// PerOperation tests the operation once and mayDefer answers from ctx after
// that, without scanning the query text again.
func TestPerOperationTestsForDeferOnce(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  bool
	}{
		{"{ outer { inner } }", false},
		{"{ outer { ... @defer { inner } } }", true},
	} {
		var got, fromCtx bool
		PerOperation{}.InterceptOperation(operationCtx(tc.query), func(ctx context.Context) graphql.ResponseHandler {
			got = mayDefer(ctx, graphql.GetOperationContext(ctx))
			_, fromCtx = ctx.Value(opFlagsKey{}).(opFlags)
			return nil
		})
		if got != tc.want || !fromCtx {
			t.Errorf("%s: mayDefer %v (answer in ctx: %v), want %v from ctx", tc.query, got, fromCtx, tc.want)
		}
	}
}

// The elements of the outermost list run concurrently, more of them than
// there are warm goroutines: each waits here until all have started, as an
// element may wait for a loader batch that the others fill, which would
// never end if any element waited for a worker. A panicking element
// becomes null with an error and leaves the warm goroutines working: the
// later rounds run on them.
func TestOuterListElementsRunConcurrently(t *testing.T) {
	const n = warm.Workers + 72
	for round := 0; round < 3; round++ {
		ctx := operationCtx("{ outer }")
		var started sync.WaitGroup
		started.Add(n)
		out := marshalSliceConcurrently(ctx, n, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
			started.Done()
			started.Wait()
			if i == 7 {
				panic("boom")
			}
			return graphql.MarshalInt(i)
		})
		if got := marshalled(out[0]) + " " + marshalled(out[7]) + " " + marshalled(out[n-1]); got != fmt.Sprintf("0 null %d", n-1) {
			t.Errorf("round %d: elements 0, 7 and %d: %s", round, n-1, got)
		}
		if errs := graphql.GetErrors(ctx); len(errs) != 1 {
			t.Errorf("round %d: %d errors, want 1 for the panic: %v", round, len(errs), errs)
		}
	}
}
