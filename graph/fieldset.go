package graph

import (
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// gqlgen writes every object of a response through FieldSet.MarshalGQL,
// which builds a map of the aliases already written to skip repeats: a map
// allocated, grown and filled per object, some 600 objects on a dashboard
// page (6% of the server's CPU in map assignment alone). internal/gqlpatch
// has every generated object marshaller return marshalFields instead of its
// FieldSet; when the operation cannot defer, the object is written by
// fieldSet, which finds repeats by comparing the aliases before it (an
// object has a few dozen fields at most) and allocates nothing.

// fieldSet writes a FieldSet whose values are all resolved.
type fieldSet struct {
	*graphql.FieldSet
	fields []graphql.CollectedField
}

// marshalFields is what an object marshaller returns for out, the values of
// fields, given the object's deferred group. With @defer possible it is
// gqlgen's FieldSet itself: deferred fragments fill and mark its values
// later.
func marshalFields(out *graphql.FieldSet, fields []graphql.CollectedField, deferred *graphql.DeferredGroup) graphql.Marshaler {
	if groupMayDefer(deferred) {
		return out
	}
	return &fieldSet{FieldSet: out, fields: fields}
}

// MarshalGQL writes the object as FieldSet.MarshalGQL does: the fields in
// order, each alias once, with the value of its first occurrence. Aliases
// are GraphQL names (letters, digits and underscores), so they are written
// between quotes as they are.
func (f *fieldSet) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, "{")
	first := true
	for i := range f.fields {
		alias := f.fields[i].Alias
		if aliasBefore(f.fields[:i], alias) {
			continue
		}
		if first {
			first = false
			_, _ = io.WriteString(w, `"`)
		} else {
			_, _ = io.WriteString(w, `,"`)
		}
		_, _ = io.WriteString(w, alias)
		_, _ = io.WriteString(w, `":`)
		f.Values[i].MarshalGQL(w)
	}
	_, _ = io.WriteString(w, "}")
}

func aliasBefore(fields []graphql.CollectedField, alias string) bool {
	for i := range fields {
		if fields[i].Alias == alias {
			return true
		}
	}
	return false
}
