package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rdrr-project/rdrr/internal/gid"
)

// HouseholdMember is a relative in a household who is not a returnee: a
// parent, grandparent, sibling or spouse. A guardian names the children
// (wards) they are legally responsible for and may consent for them.
type HouseholdMember struct{ ent.Schema }

func (HouseholdMember) Mixin() []ent.Mixin { return []ent.Mixin{withID("hhm"), trackedMixin{}} }

func (HouseholdMember) Fields() []ent.Field {
	return []ent.Field{
		field.String("household_id").GoType(gid.ID("")).Immutable().
			Comment("Household the person belongs to."),
		field.String("given_name").NotEmpty().MaxLen(100).Comment("Given name."),
		field.String("family_name").NotEmpty().MaxLen(100).Comment("Family name."),
		field.Enum("sex").Values("FEMALE", "MALE").Comment("Sex."),
		field.Int("birth_year").Optional().Nillable().Min(1900).Max(2100).Comment("Year of birth."),
		field.Enum("relationship").
			Values("MOTHER", "FATHER", "GRANDMOTHER", "GRANDFATHER", "SPOUSE", "SIBLING", "AUNT_OR_UNCLE", "OTHER_RELATIVE", "NON_RELATIVE").
			Comment("Relationship to the returnees of the household."),
		field.Bool("is_guardian").Default(false).
			Comment("Whether the person is legal guardian of one or more children (see wards)."),
	}
}

func (HouseholdMember) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("household", Household.Type).Ref("members").Field("household_id").Unique().Required().Immutable(),
		edge.To("wards", Returnee.Type).Annotations(entgql.Skip(entgql.SkipWhereInput)),
	}
}

func (HouseholdMember) Indexes() []ent.Index { return []ent.Index{index.Fields("household_id")} }

func (HouseholdMember) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}
