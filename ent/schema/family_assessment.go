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

// FamilyAssessment records how a receiving family is doing: its means, its
// needs, stigma it meets, and any part it may have played in radicalisation.
type FamilyAssessment struct{ ent.Schema }

func (FamilyAssessment) Mixin() []ent.Mixin { return []ent.Mixin{withID("fam"), trackedMixin{}} }

func (FamilyAssessment) Fields() []ent.Field {
	return []ent.Field{
		field.String("household_id").GoType(gid.ID("")).Immutable().
			Comment("Household assessed."),
		field.Time("assessed_on").SchemaType(dateType).
			Annotations(entgql.OrderField("ASSESSED_ON")).
			Comment("Date of the assessment."),
		field.Enum("economic_situation").Values("SELF_SUFFICIENT", "STRAINED", "DEPENDENT_ON_SUPPORT").
			Comment("Whether the family can support the returnees."),
		field.Bool("stigma_reported").Default(false).
			Comment("Whether the family reports stigma from neighbours or community."),
		field.Bool("radicalisation_concern").Default(false).
			Comment("Whether the assessor is concerned the family contributed to radicalisation."),
		field.String("summary").NotEmpty().MaxLen(4000).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Assessor's summary and recommended support."),
		field.String("author_organisation_id").GoType(gid.ID("")).Immutable().
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)).
			Comment("Organisation of the assessor."),
	}
}

func (FamilyAssessment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("household", Household.Type).Ref("assessments").Field("household_id").Unique().Required().Immutable(),
	}
}

func (FamilyAssessment) Indexes() []ent.Index { return []ent.Index{index.Fields("household_id")} }

func (FamilyAssessment) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}
