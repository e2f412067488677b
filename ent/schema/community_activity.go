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

// CommunityActivity prepares the receiving (religious) community for one
// returnee: meetings with neighbours, imams, schools or employers, led by
// psychologists and social workers.
type CommunityActivity struct{ ent.Schema }

func (CommunityActivity) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("cmy"), trackedMixin{}, caseRecord("community_activities", domain.CategorySocial)}
}

func (CommunityActivity) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			Values("COMMUNITY_MEETING", "RELIGIOUS_LEADER_ENGAGEMENT", "SCHOOL_PREPARATION", "EMPLOYER_ENGAGEMENT", "FAMILY_MEDIATION", "OTHER").
			Comment("Kind of activity."),
		field.Time("held_on").SchemaType(dateType).
			Annotations(entgql.OrderField("HELD_ON")).
			Comment("Date of the activity."),
		field.String("organiser_id").GoType(gid.ID("")).
			Comment("Organisation that ran the activity."),
		field.Int("participants").Optional().Min(0).Max(100000).
			Comment("Number of participants."),
		field.String("summary").Optional().MaxLen(2000).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("What was done and how it went."),
	}
}

func (CommunityActivity) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("organiser", Organisation.Type).Field("organiser_id").Unique().Required(),
	}
}

func (CommunityActivity) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
