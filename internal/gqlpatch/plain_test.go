package main

import (
	"fmt"
	"strings"
	"testing"
)

// plainResolverSrc is a resolver as gqlgen v0.17.98 generates it for a
// field read from the struct (the field context and marshaller are named
// after the type of value, as the tests below define them).
func plainResolverSrc(name, field, typ, marshal string) string {
	return fmt.Sprintf(`
func (ec *executionContext) %[1]s(ctx context.Context, field graphql.CollectedField, obj *ent.Returnee) (ret graphql.Marshaler) {
	return graphql.ResolveField(
		ctx,
		ec.OperationContext,
		field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
			return ec.fieldContext_scalar(ctx, field)
		},
		func(ctx context.Context) (any, error) {
			return obj.%[2]s, nil
		},
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v %[3]s) graphql.Marshaler {
			return ec.%[4]s(ctx, selections, v)
		},
		true,
		true,
	)
}
`, name, field, typ, marshal)
}

const (
	scalarFieldContextSrc = `
func (ec *executionContext) fieldContext_scalar(_ context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	return graphql.NewScalarFieldContext("Returnee", field, false, false, "String")
}
`
	stringMarshallerSrc = `
func (ec *executionContext) marshalNString2string(ctx context.Context, sel ast.SelectionSet, v string) graphql.Marshaler {
	_ = sel
	res := graphql.MarshalString(v)
	if res == graphql.Null {
		graphql.AddInvalidNullFromMarshaler(ctx, "String!")
	}
	return res
}
`
	enumMarshallerSrc = `
func (ec *executionContext) marshalNPhase2phase(ctx context.Context, sel ast.SelectionSet, v returnee.Phase) graphql.Marshaler {
	return v
}
`
	// a marshaller that can return null: its resolver must keep gqlgen's path
	nullableMarshallerSrc = `
func (ec *executionContext) marshalNOther2other(ctx context.Context, sel ast.SelectionSet, v other.T) graphql.Marshaler {
	if v.Empty() {
		graphql.AddErrorf(ctx, "the requested element is null which the schema does not allow")
		return graphql.Null
	}
	return v
}
`
	// a field with arguments: they are computed, and may fail, in its field context
	argsFieldContextSrc = `
func (ec *executionContext) fieldContext_withArgs(ctx context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	fc = &graphql.FieldContext{Object: "Returnee", Field: field}
	return fc, nil
}
`
)

func TestPlainLeavesRewritesOnlyFieldsThatCannotFailOrBeNull(t *testing.T) {
	var src strings.Builder
	src.WriteString(scalarFieldContextSrc + stringMarshallerSrc + enumMarshallerSrc + nullableMarshallerSrc + argsFieldContextSrc)
	for i := range minPlainLeaves {
		src.WriteString(plainResolverSrc(fmt.Sprintf("_Returnee_f%d", i), "GivenName", "string", "marshalNString2string"))
	}
	src.WriteString(plainResolverSrc("_Returnee_phase", "Phase", "returnee.Phase", "marshalNPhase2phase"))
	src.WriteString(plainResolverSrc("_Returnee_other", "Other", "other.T", "marshalNOther2other"))
	src.WriteString(plainResolverSrc("_Returnee_pointer", "Patronymic", "*string", "marshalOString2ᚖstring"))
	src.WriteString(strings.Replace(plainResolverSrc("_Returnee_withArgs", "GivenName", "string", "marshalNString2string"),
		"ec.fieldContext_scalar(", "ec.fieldContext_withArgs(", 1))

	out, err := plainLeaves([]byte(src.String()))
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, c := range []struct {
		name, resolver string
		plain          bool
	}{
		{"string field", "_Returnee_f0", true},
		{"enum field", "_Returnee_phase", true},
		{"marshaller that may return null", "_Returnee_other", false},
		{"pointer field", "_Returnee_pointer", false},
		{"field whose context computes arguments", "_Returnee_withArgs", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := resolverBody(t, got, c.resolver)
			if plain := !strings.Contains(body, "graphql.ResolveField("); plain != c.plain {
				t.Errorf("rewritten = %v, want %v:\n%s", plain, c.plain, body)
			}
			if c.plain && !strings.Contains(body, "(ctx, field.Selections, obj.") {
				t.Errorf("not marshalled from the struct field:\n%s", body)
			}
		})
	}
}

// Too few plain leaves means gqlgen changed its output: generation fails.
func TestPlainLeavesFailsWhenFewResolversHaveTheKnownShape(t *testing.T) {
	src := scalarFieldContextSrc + stringMarshallerSrc + plainResolverSrc("_Returnee_f0", "GivenName", "string", "marshalNString2string")
	if _, err := plainLeaves([]byte(src)); err == nil {
		t.Fatal("plainLeaves succeeded with one resolver of the known shape")
	}
}

func resolverBody(t *testing.T, src, name string) string {
	t.Helper()
	i := strings.Index(src, "func (ec *executionContext) "+name+"(")
	if i < 0 {
		t.Fatalf("resolver %s missing", name)
	}
	end := strings.Index(src[i:], "\n}\n")
	return src[i : i+end]
}
