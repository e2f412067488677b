package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/ent/privacy"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// caseMixin attaches a record to one returnee's case. The record is visible
// exactly when the case is, and only to viewers allowed its data category.
type caseMixin struct {
	mixin.Schema
	ref      string               // name of the edge on Returnee
	category domain.Category      // data category the record belongs to
	write    privacy.MutationRule // who may create and change records
}

func caseRecord(ref string, c domain.Category) caseMixin {
	return caseMixin{ref: ref, category: c, write: rules.AllowCaseRecordWrite(c)}
}

// writtenBy replaces the default write rule.
func (m caseMixin) writtenBy(r privacy.MutationRule) caseMixin { m.write = r; return m }

func (m caseMixin) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(),
			rules.AllowIfSystem(),
			rules.FilterCaseRecords(m.category),
			privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rules.DenyIfNoViewer(),
			rules.AllowIfSystem(),
			m.write,
			privacy.AlwaysDenyRule(),
		},
	}
}

func (m caseMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("returnee_id").GoType(gid.ID("")).Immutable().
			Comment("The case this record belongs to."),
	}
}

func (m caseMixin) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("returnee", Returnee.Type).Ref(m.ref).Field("returnee_id").
			Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
	}
}

func (m caseMixin) Indexes() []ent.Index {
	return []ent.Index{index.Fields("returnee_id")}
}

// sensitiveMixin is the shape shared by legal, medical, theological and risk
// records: a shareable summary, a restricted detail, and who wrote them.
// Only the authoring organisation may change a record.
type sensitiveMixin struct{ mixin.Schema }

func (sensitiveMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Text("summary").NotEmpty().MaxLen(2000).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Shareable, non-clinical summary."),
		field.Text("detail").Optional().MaxLen(20000).
			Annotations(entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)).
			Comment("Restricted detail: clinical notes, charges, ideology."),
		field.Time("recorded_on").SchemaType(dateType).
			Annotations(entgql.OrderField("RECORDED_ON")).
			Comment("Date the assessment, session or decision took place."),
		field.String("author_id").GoType(gid.ID("")).Immutable().
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)).
			Comment("User who wrote the record."),
		field.String("author_organisation_id").GoType(gid.ID("")).Immutable().
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)).
			Comment("Organisation of the user who wrote the record; consent rules key on it."),
	}
}
