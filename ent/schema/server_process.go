package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/ent/privacy"
)

// ServerProcess is a running rdrr process's heartbeat. Processes sharing a
// database count each other from it to divide the rate limits between them.
type ServerProcess struct{ ent.Schema }

func (ServerProcess) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").NotEmpty().MaxLen(64).Immutable().Comment("Random ID of the process."),
		field.String("host").Default("").MaxLen(255).Comment("Host name, for operators."),
		field.Time("started_at").Default(utcNow).Immutable().Comment("When the process started."),
		field.Time("seen_at").Default(utcNow).Comment("Last heartbeat."),
	}
}

func (ServerProcess) Indexes() []ent.Index { return []ent.Index{index.Fields("seen_at")} }

func (ServerProcess) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

func (ServerProcess) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
