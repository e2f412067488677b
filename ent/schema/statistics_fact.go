package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// StatisticsFact is one counted returnee as the statistics snapshot sees
// them: the coded value of every statistics dimension and the facts the
// measures count, computed from the case records at the snapshot's as-of
// date (internal/stats/snapshot.go). The cube (StatisticsCubeCell,
// StatisticsDays) is aggregated from it. Excluded cases have no row. No API
// reads it; only the system writes it.
type StatisticsFact struct{ ent.Schema }

func (StatisticsFact) Fields() []ent.Field {
	fields := []ent.Field{
		field.String("id").MaxLen(40).NotEmpty().Immutable().Comment("The returnee's ID."),
		field.Int("stats_key").Comment("The returnee's record key for cell-key perturbation."),
	}
	fields = append(fields, statisticsDimensions()...)
	return append(fields,
		field.Int("identity_document").Comment("1 if an identity document is issued, else 0."),
		field.Int("employment_or_training").Comment("1 if an employment or vocational intervention is active or completed, else 0."),
		field.Int("recent_medical_record").Comment("1 if a medical record is dated in the 180 days to the as-of date, else 0."),
		field.Int("high_risk").Comment("1 if the latest risk assessment is HIGH, else 0."),
		field.Int("days_to_first_document").Optional().Nillable().Comment("Days from return to the first identity document issued, if dated."),
	)
}

func (StatisticsFact) Policy() ent.Policy { return systemOnly() }

func (StatisticsFact) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
