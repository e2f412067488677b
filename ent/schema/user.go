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

// User is a member of staff of one organisation. Their roles are policy:
// they live in the policy store (authz) as role assignments in the
// organisation's domain, so that role changes and rule changes share one
// path, one audit trail and one cache invalidation.
type User struct{ ent.Schema }

func (User) Mixin() []ent.Mixin { return []ent.Mixin{withID("usr"), trackedMixin{}} }

func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").Unique().NotEmpty().MaxLen(254).Match(emailPattern).
			Annotations(entgql.OrderField("EMAIL")).
			Comment("Login e-mail address, stored in lower case."),
		field.String("name").NotEmpty().MaxLen(200).
			Annotations(entgql.OrderField("NAME")).
			Comment("Display name."),
		field.String("organisation_id").GoType(gid.ID("")).Immutable().
			Comment("Organisation the user works for."),
		field.String("oidc_subject").Optional().Nillable().Unique().MaxLen(255).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Subject claim of the user's OpenID Connect identity, when known."),
		field.Bool("active").Default(true).
			Comment("Inactive users cannot authenticate."),
	}
}

func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organisation", Organisation.Type).Ref("users").Field("organisation_id").
			Unique().Required().Immutable(),
	}
}

func (User) Indexes() []ent.Index {
	return []ent.Index{index.Fields("organisation_id")}
}

func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder()}
}
