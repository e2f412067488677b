package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/internal/domain"
)

// LegalRecord is a step of criminal or civil-status proceedings: an
// investigation, charge, verdict, sentence, prison placement, release or a
// deprivation of citizenship.
type LegalRecord struct{ ent.Schema }

func (LegalRecord) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("leg"), trackedMixin{}, caseRecord("legal_records", domain.CategoryLegal), sensitiveMixin{}}
}

func (LegalRecord) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			Values("INVESTIGATION", "PROSECUTION", "CHARGE", "VERDICT", "SENTENCE", "PRISON_PLACEMENT", "RELEASE", "CITIZENSHIP_DEPRIVATION", "OTHER").
			Comment("Kind of legal step."),
	}
}

func (LegalRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
