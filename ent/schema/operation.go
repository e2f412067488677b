package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// RepatriationOperation is a government operation that brought citizens
// back, such as Kazakhstan's "Zhusan" or Uzbekistan's "Mehr".
type RepatriationOperation struct{ ent.Schema }

func (RepatriationOperation) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("opn"), trackedMixin{}}
}

func (RepatriationOperation) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200).
			Annotations(entgql.OrderField("NAME")).
			Comment("Name of the operation."),
		field.String("country").Match(countryPattern).
			Comment("ISO 3166-1 alpha-2 code of the country that ran it."),
		field.Time("started_on").SchemaType(dateType).
			Annotations(entgql.OrderField("STARTED_ON")).
			Comment("First day of the operation."),
		field.Time("ended_on").Optional().Nillable().SchemaType(dateType).
			Comment("Last day of the operation, if it has ended."),
		field.String("description").Optional().MaxLen(4000).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Free-text description."),
	}
}

func (RepatriationOperation) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("returnees", Returnee.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (RepatriationOperation) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}
