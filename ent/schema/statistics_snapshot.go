package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// StatisticsSnapshot describes the statistics facts currently in
// StatisticsFact: one row (id 1), replaced with the facts in the same
// transaction, so a report always knows the date its data was current.
type StatisticsSnapshot struct{ ent.Schema }

func (StatisticsSnapshot) Fields() []ent.Field {
	return []ent.Field{
		field.Int("id").Immutable().Comment("Always 1."),
		field.String("as_of").MaxLen(10).Comment("The as-of date, YYYY-MM-DD: ages and the medical window are reckoned at it."),
		field.Time("computed_at").Comment("When the facts were read from the case records."),
		field.Int("returnees").Comment("Rows in the snapshot (counted returnees)."),
	}
}

func (StatisticsSnapshot) Policy() ent.Policy { return systemOnly() }

func (StatisticsSnapshot) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
