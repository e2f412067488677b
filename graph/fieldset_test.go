package graph

import (
	"bytes"
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// fieldSet must write exactly what gqlgen's FieldSet writes, repeated
// aliases included.
func TestFieldSetWritesWhatGqlgenWrites(t *testing.T) {
	for _, c := range []struct {
		name    string
		aliases []string
	}{
		{"no fields", nil},
		{"one field", []string{"id"}},
		{"distinct aliases", []string{"id", "givenName", "documents"}},
		{"a repeated alias keeps its first value", []string{"id", "name", "id", "x_1", "name"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fields := make([]graphql.CollectedField, len(c.aliases))
			for i, a := range c.aliases {
				fields[i] = graphql.CollectedField{Field: &ast.Field{Alias: a, Name: a}}
			}
			out := graphql.NewFieldSet(fields)
			for i := range fields {
				out.Values[i] = graphql.MarshalInt(i)
			}
			var want, got bytes.Buffer
			out.MarshalGQL(&want)
			(&fieldSet{FieldSet: out, fields: fields}).MarshalGQL(&got)
			if got.String() != want.String() {
				t.Errorf("fieldSet wrote %s, gqlgen %s", got.String(), want.String())
			}
		})
	}
}

// An operation that may defer keeps gqlgen's FieldSet, which deferred
// fragments fill later.
func TestMarshalFieldsKeepsGqlgensFieldSetWhenTheOperationMayDefer(t *testing.T) {
	out := graphql.NewFieldSet(nil)
	group := func(query string) *graphql.DeferredGroup {
		oc := &graphql.OperationContext{RawQuery: query}
		d := newDeferredGroup(graphql.WithOperationContext(context.Background(), oc), oc)
		return &d
	}
	if m := marshalFields(out, nil, group("query { viewer { ... @defer { id } } }")); m != graphql.Marshaler(out) {
		t.Errorf("deferring operation: got %T, want gqlgen's FieldSet", m)
	}
	if _, ok := marshalFields(out, nil, group("query { viewer { id } }")).(*fieldSet); !ok {
		t.Error("operation without @defer: not written by fieldSet")
	}
}
