package server

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rdrr-project/rdrr/graph"
)

// fieldMiddleware is a handler extension that wraps every field.
type fieldMiddleware struct{}

func (fieldMiddleware) ExtensionName() string                   { return "fieldMiddleware" }
func (fieldMiddleware) Validate(graphql.ExecutableSchema) error { return nil }
func (fieldMiddleware) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	return next(ctx)
}

// Plain leaf fields bypass field middleware (internal/gqlpatch/plain.go),
// so the server must refuse one rather than run it on some fields only.
func TestServerRefusesFieldMiddleware(t *testing.T) {
	for _, c := range []struct {
		name   string
		ext    graphql.HandlerExtension
		refuse bool
	}{
		{"field middleware", fieldMiddleware{}, true},
		{"operation interceptor", graph.PerOperation{}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if refused := recover() != nil; refused != c.refuse {
					t.Errorf("refused = %v, want %v", refused, c.refuse)
				}
			}()
			noFieldInterceptor(c.ext)
		})
	}
}
