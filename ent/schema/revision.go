package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/ent/privacy"
)

// Revision is a named counter bumped in the same transaction as a change
// that other rdrr processes must notice (the policy). Processes poll it as a
// safety net beside the faster notification bus, so a missed notification
// delays a change by at most one poll interval instead of losing it.
type Revision struct{ ent.Schema }

func (Revision) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").NotEmpty().MaxLen(64).Immutable().Comment("Name of the counter."),
		field.Int64("value").Default(0).Comment("Current value."),
	}
}

func (Revision) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

func (Revision) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
