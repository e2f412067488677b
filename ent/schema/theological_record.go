package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/internal/domain"
)

// TheologicalRecord is a session with, or an assessment by, a theologian
// trained for this work: topics, progress in critical thinking, stance. Its
// detail crosses organisations only under the returnee's consent.
type TheologicalRecord struct{ ent.Schema }

func (TheologicalRecord) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("the"), trackedMixin{}, caseRecord("theological_records", domain.CategoryTheological), sensitiveMixin{}}
}

func (TheologicalRecord) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("SESSION", "ASSESSMENT").Default("SESSION").
			Comment("A counselling session or a structured assessment."),
	}
}

func (TheologicalRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
