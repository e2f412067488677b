package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/ent/privacy"
)

// statisticsDimensions are the coded dimension columns shared by the
// statistics snapshot's tables (internal/stats/snapshot.go).
func statisticsDimensions() []ent.Field {
	return []ent.Field{
		field.String("country").MaxLen(2).Comment("COUNTRY: citizenship."),
		field.String("operation").MaxLen(200).Comment("OPERATION: operation name, or NONE."),
		field.String("return_year").MaxLen(4).Comment("RETURN_YEAR."),
		field.String("category").MaxLen(20).Comment("CATEGORY: returned-as category."),
		field.String("sex").MaxLen(10).Comment("SEX."),
		field.String("age_band").MaxLen(10).Comment("AGE_BAND at the as-of date."),
		field.String("phase").MaxLen(20).Comment("PHASE."),
		field.String("custody").MaxLen(30).Comment("CUSTODY."),
	}
}

// systemOnly is the policy of the statistics snapshot's tables: no API
// reads them (reports read them with SQL, as the system).
func systemOnly() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

// StatisticsCubeCell is one cell of the statistics cube: the counted returnees
// sharing one value of every dimension, with what they add up to (counts,
// record-key sums, members of each share measure and their key sums). The
// cube has about 1300 cells for 100000 returnees, so a report of any
// dimensions and filters aggregates it in a few milliseconds.
type StatisticsCubeCell struct{ ent.Schema }

func (StatisticsCubeCell) Fields() []ent.Field {
	return append(statisticsDimensions(),
		field.Int("returnees").Comment("Counted returnees in the cell."),
		field.Int("key_sum").Comment("Sum of their record keys."),
		field.Int("identity_document").Comment("Members with an identity document issued."),
		field.Int("identity_document_keys").Comment("Sum of those members' record keys."),
		field.Int("employment_or_training").Comment("Members in employment or vocational training."),
		field.Int("employment_or_training_keys").Comment("Sum of those members' record keys."),
		field.Int("recent_medical_record").Comment("Members with a recent medical record."),
		field.Int("recent_medical_record_keys").Comment("Sum of those members' record keys."),
		field.Int("high_risk").Comment("Members whose latest risk level is HIGH."),
		field.Int("high_risk_keys").Comment("Sum of those members' record keys."),
	)
}

func (StatisticsCubeCell) Policy() ent.Policy { return systemOnly() }

func (StatisticsCubeCell) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// StatisticsDays is the histogram behind the median measure: per cube
// cell and number of days from return to the first identity document, how
// many returnees took that long. Medians do not add up, histograms do.
type StatisticsDays struct{ ent.Schema }

func (StatisticsDays) Fields() []ent.Field {
	return append(statisticsDimensions(),
		field.Int("days").Comment("Days from return to the first identity document issued."),
		field.Int("returnees").Comment("Returnees of the cell who took that many days."),
	)
}

func (StatisticsDays) Policy() ent.Policy { return systemOnly() }

func (StatisticsDays) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
