package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/internal/domain"
)

// Document is an identity or civil-status document being obtained for a
// returnee. Without one a returnee cannot open a bank account, rent or work,
// so its status is tracked from the start. Documents are legal data: type,
// status and dates are the summary, the number and notes the detail.
type Document struct{ ent.Schema }

func (Document) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("doc"), trackedMixin{}, caseRecord("documents", domain.CategoryLegal)}
}

func (Document) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("type").
			Values("PASSPORT", "NATIONAL_ID", "BIRTH_CERTIFICATE", "CITIZENSHIP_CERTIFICATE", "RESIDENCE_REGISTRATION", "OTHER").
			Annotations(entgql.OrderField("TYPE")).
			Comment("Kind of document."),
		field.Enum("status").Values("NOT_STARTED", "REQUESTED", "IN_PROGRESS", "ISSUED", "REFUSED").
			Default("NOT_STARTED").
			Annotations(entgql.OrderField("STATUS")).
			Comment("Where the application stands."),
		field.Time("requested_on").Optional().Nillable().SchemaType(dateType).
			Annotations(entgql.OrderField("REQUESTED_ON")).
			Comment("Date the document was applied for."),
		field.Time("issued_on").Optional().Nillable().SchemaType(dateType).
			Annotations(entgql.OrderField("ISSUED_ON")).
			Comment("Date the document was issued."),
		field.String("issuing_authority").Optional().MaxLen(200).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Authority that issues the document."),
		field.String("document_number").Optional().MaxLen(64).
			Annotations(entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)).
			Comment("Number of the issued document (legal detail)."),
		field.Text("notes").Optional().MaxLen(4000).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Case notes on the application (legal detail)."),
	}
}

func (Document) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
