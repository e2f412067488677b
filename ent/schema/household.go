package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Household is the receiving family: the returnees living together and the
// relatives who support them (grandparents often raise the children). It is
// social data, visible to whoever may see the case of one of its returnees.
type Household struct{ ent.Schema }

func (Household) Mixin() []ent.Mixin { return []ent.Mixin{withID("hhd"), trackedMixin{}} }

func (Household) Fields() []ent.Field {
	return []ent.Field{
		field.String("label").NotEmpty().MaxLen(200).
			Comment("Working name of the household, e.g. the family name."),
		field.String("region").Optional().MaxLen(100).
			Comment("Administrative region of the home."),
		field.String("notes").Optional().MaxLen(4000).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Social worker's notes on the home."),
	}
}

func (Household) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("returnees", Returnee.Type).Annotations(entgql.Skip(entgql.SkipWhereInput)),
		edge.To("members", HouseholdMember.Type).Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.To("assessments", FamilyAssessment.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
	}
}

func (Household) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}
