package graph

import (
	"context"
	"strings"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rdrr-project/rdrr/internal/warm"
)

// gqlgen runs every element of a list, and every resolver field of an
// object but the first, in a goroutine of its own. On the dashboard (50
// cases with four nested edges) that is some 450 goroutines a request, and
// their stack growth alone (each starts small and is copied as gqlgen's deep
// call chains grow it) took 15% of the server's CPU. Concurrency inside a
// request buys nothing on a loaded server and is only needed where a
// resolver waits: for a dataloader batch (organisations, authors, consents)
// or a query of its own. Batches form across the elements of a list.
//
// So the outermost list of each path runs its elements concurrently, as
// gqlgen does, and everything below an element of it runs in that element's
// goroutine: nested lists element by element, resolver fields one after
// another. Loaders still batch across the elements of the outer list. An
// operation that may use @defer keeps gqlgen's behaviour throughout.
// internal/gqlpatch points the generated executor at these two functions.

type inListKey struct{}

// inList reports whether ctx is inside an element of a list that already
// runs concurrently (which also means the operation cannot defer).
func inList(ctx context.Context) bool {
	return ctx.Value(inListKey{}) != nil
}

// mayDefer reports whether the operation may contain @defer; the test is
// coarse on purpose (a directive may be written "@ defer"). PerOperation has
// usually made it once for the operation and left the answer in ctx: the
// executor asks for every object it marshals (some 600 on the dashboard),
// and scanning the query text each time was 6% of the server's CPU.
func mayDefer(ctx context.Context, oc *graphql.OperationContext) bool {
	if f, ok := ctx.Value(opFlagsKey{}).(opFlags); ok {
		return f.mayDefer
	}
	return scanForDefer(oc)
}

func scanForDefer(oc *graphql.OperationContext) bool {
	return oc == nil || oc.RawQuery == "" || strings.Contains(oc.RawQuery, "defer")
}

// opFlags are what PerOperation found in the operation's text.
type opFlags struct {
	mayDefer   bool // it may contain @defer (mayDefer)
	directives bool // it uses some directive (collect.go)
}

type opFlagsKey struct{}

// PerOperation is a handler extension that prepares what the executor
// keeps for one operation before it runs: whether it may use @defer
// (mayDefer) or any directive (collect.go), and its cache of field
// arguments (fieldargs.go).
type PerOperation struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = PerOperation{}

// ExtensionName implements graphql.HandlerExtension.
func (PerOperation) ExtensionName() string { return "PerOperation" }

// Validate implements graphql.HandlerExtension.
func (PerOperation) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (PerOperation) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	// Without the text (oc.RawQuery empty), assume both, as scanForDefer does.
	flags := opFlags{mayDefer: scanForDefer(oc), directives: oc == nil || oc.RawQuery == "" || strings.Contains(oc.RawQuery, "@")}
	return next(withFieldArgsCache(context.WithValue(ctx, opFlagsKey{}, flags)))
}

// marshalSliceConcurrently replaces graphql.MarshalSliceConcurrently.
func marshalSliceConcurrently(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	if !inList(ctx) {
		if mayDefer(ctx, graphql.GetOperationContext(ctx)) || workerLimit > 0 {
			return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
		}
		return marshalSliceWarm(context.WithValue(ctx, inListKey{}, true), length, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, length)
	for i := range length {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		ret[i] = marshalElementRecovering(childCtx, i, omitPanicHandler, marshalElement)
	}
	return ret
}

// marshalElementRecovering marshals one element as MarshalSliceConcurrently
// does: a panic becomes an error at the element's path and a null element.
func marshalElementRecovering(ctx context.Context, i int, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) (res graphql.Marshaler) {
	if !omitPanicHandler {
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, graphql.Recover(ctx, r))
				res = graphql.Null
			}
		}()
	}
	return marshalElement(ctx, i)
}

// resolveConcurrently replaces FieldSet.ResolveConcurrently. Inside a list
// element it resolves the field at once, in this goroutine, and counts an
// invalid result as FieldSet.Dispatch would; elsewhere it defers to gqlgen.
func resolveConcurrently(ctx context.Context, out *graphql.FieldSet, oc *graphql.OperationContext,
	deferred *graphql.DeferredGroup, i int, recoverFromPanic, nonNull bool,
	resolve func(ctx context.Context) graphql.Marshaler) {
	if !inList(ctx) {
		resolveOnWarm(ctx, out, oc, deferred, i, recoverFromPanic, nonNull, resolve)
		return
	}
	v := resolveRecovering(ctx, oc, recoverFromPanic, resolve)
	out.Values[i] = v
	// The value that makes the enclosing object invalid: null for a
	// non-null field, RequiredNull (a nullable field whose resolver wants
	// the object nulled) otherwise.
	invalid := graphql.RequiredNull
	if nonNull {
		invalid = graphql.Null
	}
	if v == invalid {
		atomic.AddUint32(&out.Invalids, 1)
	}
}

func resolveRecovering(ctx context.Context, oc *graphql.OperationContext, recoverFromPanic bool,
	resolve func(ctx context.Context) graphql.Marshaler) (res graphql.Marshaler) {
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				res = graphql.Null
			}
		}()
	}
	return resolve(ctx)
}

// resolveOnWarm is FieldSet.ResolveConcurrently with the work on a warm
// goroutine (internal/warm) when the operation cannot defer. gqlgen runs
// each resolver field of an object outside any list (the case of
// node(id:), with some twenty edges and its timeline) in a goroutine of its
// own, whose stack then grows by copying several times over: 7% of the
// server's CPU on the PostgreSQL case at 8 clients. Here the field starts at
// once on a warm goroutine, and the goroutine gqlgen's Dispatch starts for
// it only waits for the result, on a stack that never grows. When no warm
// goroutine is idle the field is gqlgen's as before.
func resolveOnWarm(ctx context.Context, out *graphql.FieldSet, oc *graphql.OperationContext,
	deferred *graphql.DeferredGroup, i int, recoverFromPanic, nonNull bool,
	resolve func(ctx context.Context) graphql.Marshaler) {
	if !groupMayDefer(deferred) {
		done := make(chan graphql.Marshaler, 1)
		if warm.TryGo(func() { done <- resolveRecovering(ctx, oc, recoverFromPanic, resolve) }) {
			out.ResolveConcurrently(oc, deferred, i, false, nonNull, func(context.Context) graphql.Marshaler { return <-done })
			return
		}
	}
	out.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, resolve)
}
