package main

import (
	"bytes"
	"fmt"
	"regexp"
)

// gqlgen resolves every field through graphql.ResolveField, even one that
// only reads a struct field: a field context (with a closure for its
// children), a context.WithValue, the value boxed into an interface twice,
// the resolver middleware chain and a deferred recover, some six
// allocations per field. A dashboard response has about 1500 such fields
// (names, dates, statuses, summaries, IDs), and allocation was a third of
// the server's CPU on the PostgreSQL dashboard.
//
// A plain leaf field skips all of it and is marshalled directly. It is one
// whose generated resolver
//   - reads a field of the object (`return obj.X, nil`) with no resolver,
//     method or directive (middleware nil),
//   - has a value type: no pointer, slice, map or generic type, so no nil,
//   - has a field context that is graphql.NewScalarFieldContext (a scalar
//     or enum without arguments: nothing can fail before the value), and
//   - is marshalled by a function that returns the value itself (enums, IDs)
//     or wraps it with graphql.MarshalString/Int/Int64/Boolean or
//     scalar.MarshalTime/Date, none of which ever returns null, so the
//     marshaller's null error (which needs the field's context for its path)
//     cannot happen.
//
// What the shortcut gives up: field middleware (graphql.FieldInterceptor)
// does not see these fields, so the server refuses to build its executor with one
// (internal/server, noFieldInterceptor); the deferred recover guarded a
// struct field read of a non-nil object, which cannot panic.

var (
	plainResolver = regexp.MustCompile(`(?m)^(func \(ec \*executionContext\) _\w+\(ctx context\.Context, field graphql\.CollectedField, obj \*[\w.]+\) \(ret graphql\.Marshaler\) \{)\n` +
		`\treturn graphql\.ResolveField\(\n\t\tctx,\n\t\tec\.OperationContext,\n\t\tfield,\n` +
		`\t\tfunc\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{\n\t\t\treturn ec\.(fieldContext_\w+)\(ctx, field\)\n\t\t\},\n` +
		`\t\tfunc\(ctx context\.Context\) \(any, error\) \{\n\t\t\treturn (obj\.\w+), nil\n\t\t\},\n` +
		`\t\tnil,\n` +
		`\t\tfunc\(ctx context\.Context, selections ast\.SelectionSet, v ([\w.]+)\) graphql\.Marshaler \{\n\t\t\treturn ec\.(marshal[^(\s]+)\(ctx, selections, v\)\n\t\t\},\n` +
		`\t\ttrue,\n\t\t(?:true|false),\n\t\)\n\}`)
	// marshallers that never return graphql.Null
	neverNull = regexp.MustCompile(`^(\treturn v|` +
		`\t_ = sel\n(\t_ = ctx\n)?\tres := (graphql\.Marshal(String|Int|Int64|Boolean)|scalar\.Marshal(Time|Date))\(v\)\n` +
		`(\tif res == graphql\.Null \{\n\t\tgraphql\.AddInvalidNullFromMarshaler\(ctx, "\w+!"\)\n\t\}\n)?\treturn res)$`)
)

// minPlainLeaves is fewer than the schema has (217 today): finding fewer
// means gqlgen changed the shape of its output and the rewrite would
// silently stop applying.
const minPlainLeaves = 100

// plainLeaves rewrites the resolvers of plain leaf fields in src to marshal
// the struct field directly.
func plainLeaves(src []byte) ([]byte, error) {
	n := 0
	out := plainResolver.ReplaceAllFunc(src, func(m []byte) []byte {
		g := plainResolver.FindSubmatch(m)
		header, fieldCtx, value, typ, marshal := g[1], g[2], g[3], g[4], g[5]
		if !scalarFieldContext(src, fieldCtx) || !neverNullMarshaller(src, marshal, typ) {
			return m
		}
		n++
		return fmt.Appendf(nil, "%s\n\treturn ec.%s(ctx, field.Selections, %s)\n}", header, marshal, value)
	})
	if n < minPlainLeaves {
		return nil, fmt.Errorf("only %d plain leaf field resolvers of the known shape, expected at least %d (did gqlgen change?)", n, minPlainLeaves)
	}
	return out, nil
}

// scalarFieldContext reports whether the field context function name only
// calls graphql.NewScalarFieldContext.
func scalarFieldContext(src, name []byte) bool {
	def := fmt.Appendf(nil, "func (ec *executionContext) %s(_ context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {\n\treturn graphql.NewScalarFieldContext(", name)
	return bytes.Contains(src, def)
}

// neverNullMarshaller reports whether the marshaller name of values of typ
// is one of the bodies that never return graphql.Null.
func neverNullMarshaller(src, name, typ []byte) bool {
	def := fmt.Appendf(nil, "func (ec *executionContext) %s(ctx context.Context, sel ast.SelectionSet, v %s) graphql.Marshaler {\n", name, typ)
	i := bytes.Index(src, def)
	if i < 0 {
		return false
	}
	body := src[i+len(def):]
	end := bytes.Index(body, []byte("\n}\n"))
	if end < 0 {
		return false
	}
	return neverNull.Match(body[:end])
}
