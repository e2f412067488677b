package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Organisation is an agency taking part in the work: a ministry, a prison, an
// NGO, an international organisation, an academic body, or the operator of
// this deployment. It is the Casbin domain of its users.
type Organisation struct{ ent.Schema }

func (Organisation) Mixin() []ent.Mixin { return []ent.Mixin{withID("org"), trackedMixin{}} }

func (Organisation) Fields() []ent.Field {
	return []ent.Field{
		field.String("slug").Unique().Immutable().NotEmpty().MaxLen(64).Match(slugPattern).
			Annotations(entgql.OrderField("SLUG")).
			Comment("Short stable handle, lower case, e.g. gov-kz."),
		field.String("name").NotEmpty().MaxLen(200).
			Annotations(entgql.OrderField("NAME")).
			Comment("Display name."),
		field.Enum("kind").Values("GOVERNMENT", "PRISON", "NGO", "INTERNATIONAL_ORGANISATION", "ACADEMIC", "OPERATOR").
			Comment("What kind of body this is."),
		field.String("country").Optional().Match(countryPattern).
			Comment("ISO 3166-1 alpha-2 country code; empty for international bodies."),
	}
}

func (Organisation) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("users", User.Type).Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("led_cases", Returnee.Type).Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("team_memberships", CaseTeamMember.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Organisation) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}
