package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Consent lets medical or theological detail written by one organisation be
// read by another on the case team. It is given by the returnee, or for a
// child by a guardian; it has a purpose, a start, an optional expiry, and can
// be revoked at once. Consents are never deleted.
type Consent struct{ ent.Schema }

func (Consent) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("cns"), trackedMixin{}, caseRecord("consents", domain.CategoryCore).writtenBy(rules.AllowConsentWrite())}
}

func (Consent) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("signatory").Values("SUBJECT", "GUARDIAN").
			Comment("Who gave consent: the returnee, or a guardian for a child."),
		field.String("guardian_id").GoType(gid.ID("")).Optional().Nillable().
			Comment("Household member who signed as guardian."),
		field.JSON("categories", []domain.Category{}).
			Comment("Data categories the consent covers (MEDICAL, THEOLOGICAL)."),
		field.String("recipient_id").GoType(gid.ID("")).Optional().Nillable().
			Comment("Organisation allowed to read; empty when whole_team is set."),
		field.Bool("whole_team").Default(false).
			Comment("Covers every organisation on the case team, now and later."),
		field.String("purpose").NotEmpty().MaxLen(500).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Purpose the consent was given for."),
		field.Time("valid_from").
			Annotations(entgql.OrderField("VALID_FROM")).
			Comment("Start of validity."),
		field.Time("valid_until").Optional().Nillable().
			Comment("End of validity, if any."),
		field.Time("revoked_at").Optional().Nillable().
			Annotations(serverOwned).
			Comment("When the consent was revoked."),
		field.String("revocation_reason").Optional().MaxLen(500).
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)).
			Comment("Why it was revoked."),
	}
}

func (Consent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("guardian", HouseholdMember.Type).Field("guardian_id").Unique(),
		edge.To("recipient", Organisation.Type).Field("recipient_id").Unique(),
	}
}

func (Consent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate()),
	}
}
