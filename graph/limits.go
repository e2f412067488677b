package graph

import (
	"context"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rdrr-project/rdrr/internal/apperr"
)

// PageDefaultsCache wraps the parsed-query cache so that every connection
// field without first or last gets "first: 20" written into the parsed
// document before it is used or cached.
//
// Why here: entgql loads nested connections eagerly, from the parent's
// resolver, reading arguments straight from the document; a connection with
// no arguments would be loaded without any limit. Writing the default into
// the document once, at the only moment it is not yet shared (gqlgen adds a
// freshly parsed and validated document to the cache before executing it),
// gives every connection a bound on every path, without a data race.
type PageDefaultsCache struct {
	Inner graphql.Cache[*ast.QueryDocument]
}

// Get implements graphql.Cache.
func (c PageDefaultsCache) Get(ctx context.Context, key string) (*ast.QueryDocument, bool) {
	return c.Inner.Get(ctx, key)
}

// Add implements graphql.Cache.
func (c PageDefaultsCache) Add(ctx context.Context, key string, doc *ast.QueryDocument) {
	for _, op := range doc.Operations {
		defaultPages(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		defaultPages(f.SelectionSet)
	}
	c.Inner.Add(ctx, key, doc)
}

func defaultPages(set ast.SelectionSet) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if isConnection(s) && s.Arguments.ForName("first") == nil && s.Arguments.ForName("last") == nil {
				if def := s.Definition.Arguments.ForName("first"); def != nil {
					s.Arguments = append(s.Arguments, &ast.Argument{
						Name:     "first",
						Value:    &ast.Value{Kind: ast.IntValue, Raw: strconv.Itoa(DefaultPageSize), ExpectedType: def.Type},
						Position: s.Position,
					})
				}
			}
			defaultPages(s.SelectionSet)
		case *ast.InlineFragment:
			defaultPages(s.SelectionSet)
		}
	}
}

func isConnection(f *ast.Field) bool {
	return f.Definition != nil && f.Definition.Type != nil &&
		strings.HasSuffix(f.Definition.Type.Name(), "Connection")
}

// PageSizeLimit rejects, before anything runs, any connection asked for
// more than MaxPageSize items or a negative number: a larger first is an
// error, not a silent clamp.
type PageSizeLimit struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = PageSizeLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (PageSizeLimit) ExtensionName() string { return "PageSizeLimit" }

// Validate implements graphql.HandlerExtension.
func (PageSizeLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (PageSizeLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	seen := map[string]bool{}
	return checkPages(oc, oc.Operation.SelectionSet, seen)
}

func checkPages(oc *graphql.OperationContext, set ast.SelectionSet, seen map[string]bool) *gqlerror.Error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if isConnection(s) {
				args := s.ArgumentMap(oc.Variables)
				for _, name := range []string{"first", "last"} {
					if err := pageArg(s, name, args[name]); err != nil {
						return err
					}
				}
			}
			if err := checkPages(oc, s.SelectionSet, seen); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := checkPages(oc, s.SelectionSet, seen); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if seen[s.Name] || s.Definition == nil {
				continue
			}
			seen[s.Name] = true
			if err := checkPages(oc, s.Definition.SelectionSet, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

func pageArg(f *ast.Field, name string, v any) *gqlerror.Error {
	var n int64
	switch x := v.(type) {
	case nil:
		return nil
	case int64:
		n = x
	case int:
		n = int64(x)
	case float64:
		n = int64(x)
	default:
		return nil // the type checker reports it
	}
	if n >= 0 && n <= MaxPageSize {
		return nil
	}
	msg := name + " must be between 0 and " + strconv.Itoa(MaxPageSize) + " on " + f.Alias + ", got " + strconv.FormatInt(n, 10)
	e := &gqlerror.Error{
		Message:    msg,
		Extensions: map[string]any{"code": string(apperr.CodeBadUserInput), "field": name, "max": MaxPageSize},
	}
	if f.Position != nil {
		e.Locations = []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}}
	}
	return e
}
