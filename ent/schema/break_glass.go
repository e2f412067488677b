package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/ent/privacy"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// BreakGlassAccess is an emergency opening of a case by an organisation not
// on its team. It gives read access for a short time, is flagged for review
// by a data-protection officer, and is the notice the lead agency reads.
type BreakGlassAccess struct{ ent.Schema }

func (BreakGlassAccess) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("bga"), caseRecord("break_glass_accesses", domain.CategoryCore).writtenBy(privacy.AlwaysDenyRule())}
}

func (BreakGlassAccess) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").GoType(gid.ID("")).Immutable().Comment("User who broke the glass."),
		field.String("organisation_id").GoType(gid.ID("")).Immutable().Comment("Their organisation."),
		field.String("reason").NotEmpty().MaxLen(2000).Immutable().Comment("Written reason."),
		field.Time("granted_at").Default(utcNow).Immutable().
			Annotations(entgql.OrderField("GRANTED_AT")).Comment("Start of access."),
		field.Time("expires_at").Immutable().Comment("End of access."),
		field.Time("reviewed_at").Optional().Nillable().Comment("When a DPO reviewed the event."),
		field.String("reviewed_by").GoType(gid.ID("")).Optional().Nillable().Comment("DPO who reviewed it."),
		field.String("review_note").Optional().MaxLen(2000).Comment("Reviewer's finding."),
	}
}

func (BreakGlassAccess) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("organisation", Organisation.Type).Field("organisation_id").Unique().Required().Immutable(),
	}
}

func (BreakGlassAccess) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
