package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rdrr-project/rdrr/internal/gid"
)

// PolicyRule is one line of the Casbin policy: a permission or prohibition
// ("p") or a role assignment ("g"). The database is the source of truth; the
// shipped authz/policy.csv only fills an empty table on first start.
type PolicyRule struct{ ent.Schema }

func (PolicyRule) Mixin() []ent.Mixin { return []ent.Mixin{withID("pol")} }

func (PolicyRule) Fields() []ent.Field {
	return []ent.Field{
		field.String("ptype").NotEmpty().MaxLen(8).Comment("Casbin section: p, g or g2."),
		field.String("v0").Default("").MaxLen(100).Comment("First value."),
		field.String("v1").Default("").MaxLen(100).Comment("Second value."),
		field.String("v2").Default("").MaxLen(100).Comment("Third value."),
		field.String("v3").Default("").MaxLen(100).Comment("Fourth value."),
		field.String("v4").Default("").MaxLen(100).Comment("Fifth value."),
		field.String("v5").Default("").MaxLen(100).Comment("Sixth value."),
		field.Time("created_at").Default(utcNow).Immutable().Comment("When the rule was added."),
		field.String("created_by").GoType(gid.ID("")).Optional().Immutable().Comment("Who added it."),
	}
}

func (PolicyRule) Indexes() []ent.Index {
	return []ent.Index{index.Fields("ptype", "v0", "v1", "v2", "v3", "v4", "v5").Unique()}
}

func (PolicyRule) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
