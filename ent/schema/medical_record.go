package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/internal/domain"
)

// MedicalRecord is a physical or mental-health assessment, diagnosis,
// treatment plan or clinician note. Its detail crosses organisations only
// under the returnee's consent.
type MedicalRecord struct{ ent.Schema }

func (MedicalRecord) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("med"), trackedMixin{}, caseRecord("medical_records", domain.CategoryMedical), sensitiveMixin{}}
}

func (MedicalRecord) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			Values("PHYSICAL_ASSESSMENT", "MENTAL_HEALTH_ASSESSMENT", "DIAGNOSIS", "TREATMENT_PLAN", "CLINICAL_NOTE").
			Comment("Kind of medical record."),
		field.Bool("in_treatment").Default(false).
			Comment("Whether the person is in treatment as of this record (summary level)."),
	}
}

func (MedicalRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
