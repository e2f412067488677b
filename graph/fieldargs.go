package graph

import (
	"context"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
)

// gqlgen works out a field's arguments every time it resolves the field:
// for the dashboard's `interventions(where: {status: ACTIVE})` under each of
// 50 cases, 50 times the same argument map built from the query's syntax
// tree and the same WhereInput unmarshalled from it (about 8% of the
// memory the dashboard allocates). A field's arguments depend only on its
// place in the query and the operation's variables, so they are worked out
// once per field of the operation and shared (internal/gqlpatch sends the
// generated code through fieldArgs). Resolvers only read their arguments.
// A field whose arguments fail to unmarshal is not cached: each instance
// reports its error as before.

type fieldArgsKey struct{}

// fieldArgsCache holds the arguments of the fields of one operation.
type fieldArgsCache struct{ m sync.Map } // *ast.Field -> map[string]any

// withFieldArgsCache returns ctx with a fresh cache for one operation.
func withFieldArgsCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, fieldArgsKey{}, &fieldArgsCache{})
}

// fieldArgs returns the arguments of field, computed by compute the first
// time in this operation.
func fieldArgs(ctx context.Context, field *ast.Field, compute func() (map[string]any, error)) (map[string]any, error) {
	c, _ := ctx.Value(fieldArgsKey{}).(*fieldArgsCache)
	if c == nil || field == nil {
		return compute()
	}
	if v, ok := c.m.Load(field); ok {
		return v.(map[string]any), nil
	}
	args, err := compute()
	if err != nil {
		return nil, err
	}
	c.m.Store(field, args)
	return args, nil
}
