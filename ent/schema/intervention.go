package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Intervention is a service provided to a returnee: education, vocational
// training, employment, housing, psychosocial support and the like.
type Intervention struct{ ent.Schema }

func (Intervention) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("int"), trackedMixin{}, caseRecord("interventions", domain.CategorySocial)}
}

func (Intervention) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("type").
			Values("EDUCATION", "VOCATIONAL_TRAINING", "EMPLOYMENT", "HOUSING", "PSYCHOSOCIAL_SUPPORT",
				"FAMILY_SUPPORT", "LEGAL_AID", "DOCUMENT_ASSISTANCE", "FINANCIAL_ASSISTANCE", "OTHER").
			Annotations(entgql.OrderField("TYPE")).
			Comment("Kind of service."),
		field.String("provider_id").GoType(gid.ID("")).
			Comment("Organisation providing the service."),
		field.Enum("status").Values("PLANNED", "ACTIVE", "COMPLETED", "DISCONTINUED").Default("PLANNED").
			Annotations(entgql.OrderField("STATUS")).
			Comment("Where the intervention stands."),
		field.Time("started_on").Optional().Nillable().SchemaType(dateType).
			Annotations(entgql.OrderField("STARTED_ON")).
			Comment("First day of the service."),
		field.Time("ended_on").Optional().Nillable().SchemaType(dateType).
			Comment("Last day of the service."),
		field.String("description").Optional().MaxLen(2000).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("What is provided."),
		field.String("outcome").Optional().MaxLen(2000).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Result, once ended."),
	}
}

func (Intervention) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("provider", Organisation.Type).Field("provider_id").Unique().Required(),
	}
}

func (Intervention) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
