package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rdrr-project/rdrr/internal/gid"
)

// Returnee is a person brought back from the conflict zones: the case every
// other record hangs off. Its own fields are the "core" data category.
type Returnee struct{ ent.Schema }

func (Returnee) Mixin() []ent.Mixin { return []ent.Mixin{withID("ret"), trackedMixin{}} }

func (Returnee) Fields() []ent.Field {
	return []ent.Field{
		field.String("given_name").NotEmpty().MaxLen(100).
			Annotations(entgql.OrderField("GIVEN_NAME")).
			Comment("Given name as recorded by the lead agency, in any script."),
		field.String("family_name").NotEmpty().MaxLen(100).
			Annotations(entgql.OrderField("FAMILY_NAME")).
			Comment("Family name as recorded by the lead agency, in any script."),
		field.String("patronymic").Optional().MaxLen(100).
			Comment("Patronymic, where used."),
		field.Strings("alternative_spellings").Optional().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Other spellings of the full name seen in documents (other scripts, transliterations)."),
		field.String("name_key").Optional().MaxLen(1000).
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput, entgql.SkipType)).
			Comment("Search key: every spelling folded to one Latin form (internal/names); set by the server."),
		field.Enum("sex").Values("FEMALE", "MALE").
			Comment("Sex."),
		field.Time("birth_date").Optional().Nillable().SchemaType(dateType).
			Annotations(entgql.OrderField("BIRTH_DATE")).
			Comment("Date of birth; see birth_date_precision."),
		field.Enum("birth_date_precision").Values("EXACT", "YEAR", "ESTIMATED").Default("EXACT").
			Comment("How much of birth_date is known."),
		field.String("citizenship").Match(countryPattern).
			Comment("ISO 3166-1 alpha-2 code of the (claimed) citizenship."),
		field.Enum("citizenship_status").
			Values("CONFIRMED", "PENDING_VERIFICATION", "DEPRIVED", "STATELESS", "UNDETERMINED").
			Default("UNDETERMINED").
			Comment("Whether the citizenship is confirmed, pending, withdrawn or absent."),
		field.Enum("returned_as").Values("ADULT_MAN", "ADULT_WOMAN", "CHILD").
			Comment("Category at the time of return."),
		field.Time("return_date").SchemaType(dateType).
			Annotations(entgql.OrderField("RETURN_DATE")).
			Comment("Date the person arrived back."),
		field.String("operation_id").GoType(gid.ID("")).Optional().Nillable().
			Comment("Repatriation operation that brought the person back."),
		field.Enum("phase").
			Values("REPATRIATION", "DISENGAGEMENT", "REHABILITATION", "REINTEGRATION", "CLOSED").
			Default("REPATRIATION").
			Annotations(entgql.OrderField("PHASE")).
			Comment("Current RDRR phase."),
		field.Enum("custody_status").
			Values("PRE_TRIAL_DETENTION", "PRISON", "REHABILITATION_CENTRE", "FAMILY_HOME", "INDEPENDENT_HOUSING", "OTHER").
			Comment("Where the person lives or is held now."),
		field.String("household_id").GoType(gid.ID("")).Optional().Nillable().
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)).
			Comment("Household the person lives in (social data)."),
		field.String("region").Optional().MaxLen(100).
			Comment("Administrative region of residence."),
		field.String("lead_agency_id").GoType(gid.ID("")).
			Annotations(serverOwned).
			Comment("Organisation that coordinates the case."),
		field.Int("stats_key").Range(0, 255).DefaultFunc(statsKey).Immutable().
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField, entgql.SkipType),
				entsql.Annotation{Default: "0"}). // lets the column be added to existing tables
			Comment("Random record key of cell-key perturbation in aggregate statistics (docs/disclosure-control.md); never exposed."),
		field.Bool("excluded_from_statistics").Default(false).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("When true the case is left out of every aggregate report."),
	}
}

func (Returnee) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("operation", RepatriationOperation.Type).Ref("returnees").Field("operation_id").Unique(),
		edge.From("lead_agency", Organisation.Type).Ref("led_cases").Field("lead_agency_id").
			Unique().Required().Annotations(serverOwned),
		edge.To("case_team", CaseTeamMember.Type).
			Annotations(entgql.RelayConnection(), serverOwned),
		edge.To("documents", Document.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.To("legal_records", LegalRecord.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.To("medical_records", MedicalRecord.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.To("theological_records", TheologicalRecord.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.To("risk_assessments", RiskAssessment.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.To("interventions", Intervention.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.To("community_activities", CommunityActivity.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.To("consents", Consent.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.To("phase_changes", PhaseChange.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("break_glass_accesses", BreakGlassAccess.Type).
			Annotations(entgql.RelayConnection(), serverOwned, entgql.Skip(entgql.SkipWhereInput)),
		edge.From("household", Household.Type).Ref("returnees").Field("household_id").Unique().
			Annotations(serverOwned),
		edge.From("guardians", HouseholdMember.Type).Ref("wards").
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)),
	}
}

func (Returnee) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("lead_agency_id"),
		index.Fields("operation_id"),
		index.Fields("household_id"),
		// Ordered listings read an index in (field, id) order, the order ent
		// pages in, and stop after a page of visible cases.
		index.Fields("family_name", "id"),
		index.Fields("given_name", "id"),
		index.Fields("name_key"),
		index.Fields("return_date"),
		// The filtered search (phase, custody, citizenship, name prefix)
		// walks this index in id order, the order it pages in, tests the
		// name key inside the index and stops after a page: with only the
		// three filter columns, SQLite fetched and sorted all 10000 cases
		// of a common filter for every page (46 ms, and a sort buffer per
		// connection).
		index.Fields("phase", "custody_status", "citizenship", "id", "name_key"),
	}
}

func (Returnee) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
