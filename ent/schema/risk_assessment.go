package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/internal/domain"
)

// RiskAssessment is a structured risk and needs assessment (VERA-2R, ERG22+
// or a national tool) and, in prison, the individual classification. The
// level and classification are summary; the score and needs are detail.
type RiskAssessment struct{ ent.Schema }

func (RiskAssessment) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("rsk"), trackedMixin{}, caseRecord("risk_assessments", domain.CategoryRisk), sensitiveMixin{}}
}

func (RiskAssessment) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("tool").Values("VERA_2R", "ERG22_PLUS", "RRAP", "NATIONAL_TOOL", "OTHER").
			Comment("Assessment instrument used."),
		field.Enum("level").Values("LOW", "MEDIUM", "HIGH").
			Annotations(entgql.OrderField("LEVEL")).
			Comment("Overall risk level (summary)."),
		field.String("classification").Optional().MaxLen(100).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Prison classification of the person, where one applies (summary)."),
		field.Float("score").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)).
			Comment("Numeric score of the instrument (detail)."),
	}
}

func (RiskAssessment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
