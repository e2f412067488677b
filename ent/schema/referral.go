package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/ent/privacy"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Referral is one organisation asking another to provide a service for a
// returnee. While it is SENT the receiving organisation sees only its
// envelope; on ACCEPTED it joins the case team.
type Referral struct{ ent.Schema }

func (Referral) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("ref"), trackedMixin{}}
}

func (Referral) Fields() []ent.Field {
	return []ent.Field{
		field.String("returnee_id").GoType(gid.ID("")).Immutable().Comment("The case."),
		field.String("from_organisation_id").GoType(gid.ID("")).Immutable().Comment("Sending organisation."),
		field.String("to_organisation_id").GoType(gid.ID("")).Immutable().Comment("Receiving organisation."),
		field.Enum("service").
			Values("EDUCATION", "VOCATIONAL_TRAINING", "EMPLOYMENT", "HOUSING", "PSYCHOSOCIAL_SUPPORT",
				"FAMILY_SUPPORT", "LEGAL_AID", "DOCUMENT_ASSISTANCE", "FINANCIAL_ASSISTANCE", "OTHER").
			Immutable().Comment("Service asked for (the intervention types)."),
		field.String("reason").NotEmpty().MaxLen(2000).Immutable().Comment("Why the service is needed."),
		field.JSON("categories_to_share", []domain.Category{}).Immutable().
			Comment("Data categories the sender proposes to share once accepted."),
		field.Time("due_by").SchemaType(dateType).Immutable().
			Annotations(entgql.OrderField("DUE_BY")).Comment("Date by which an answer is needed."),
		field.String("consent_id").GoType(gid.ID("")).Optional().Nillable().Immutable().
			Comment("Consent the referral relies on for sharing medical or theological detail."),
		field.Enum("status").Values("SENT", "ACCEPTED", "DECLINED", "COMPLETED", "WITHDRAWN", "REVOKED").Default("SENT").
			Annotations(serverOwned, entgql.OrderField("STATUS")).Comment("Where it stands."),
		field.Time("status_changed_at").Default(utcNow).
			Annotations(serverOwned, entgql.OrderField("STATUS_CHANGED_AT")).Comment("When the status last changed."),
	}
}

func (Referral) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("transitions", ReferralTransition.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Referral) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("to_organisation_id", "status"),
		index.Fields("from_organisation_id", "status"),
		index.Fields("returnee_id"),
	}
}

// A referral is visible to its two organisations, and to the case team.
func (Referral) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(), rules.FilterReferrals(), privacy.AlwaysAllowRule(),
		},
		// Referrals change only through the referral commands
		// (graph/referral.go), which check who may do what and write as
		// the system.
		Mutation: privacy.MutationPolicy{rules.DenyIfNoViewer(), rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

func (Referral) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder()}
}

// ReferralTransition records one change of a referral's status: who, when,
// from what to what, and why.
type ReferralTransition struct{ ent.Schema }

func (ReferralTransition) Mixin() []ent.Mixin { return []ent.Mixin{withID("rft")} }

func (ReferralTransition) Fields() []ent.Field {
	return []ent.Field{
		field.String("referral_id").GoType(gid.ID("")).Immutable().Comment("The referral."),
		field.String("returnee_id").GoType(gid.ID("")).Immutable().Comment("Its case (for the timeline)."),
		field.String("from_status").Default("").Immutable().Comment("Status before; empty for sending."),
		field.String("to_status").Immutable().Comment("Status after."),
		field.String("actor_id").GoType(gid.ID("")).Immutable().Comment("User who made the change."),
		field.String("actor_organisation_id").GoType(gid.ID("")).Immutable().Comment("Their organisation."),
		field.String("note").Default("").MaxLen(2000).Immutable().Comment("Note or reason."),
		field.Time("at").Default(utcNow).Immutable().Comment("When."),
	}
}

func (ReferralTransition) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("referral", Referral.Type).Ref("transitions").Field("referral_id").Unique().Required().Immutable(),
	}
}

func (ReferralTransition) Indexes() []ent.Index {
	return []ent.Index{index.Fields("referral_id"), index.Fields("returnee_id", "at")}
}

func (ReferralTransition) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(), rules.FilterReferralTransitions(), privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{rules.DenyIfNoViewer(), rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

func (ReferralTransition) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// PhaseChange records a move of a case from one RDRR phase to another.
type PhaseChange struct{ ent.Schema }

func (PhaseChange) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("phc"), caseRecord("phase_changes", domain.CategoryCore).writtenBy(privacy.AlwaysDenyRule())}
}

func (PhaseChange) Fields() []ent.Field {
	return []ent.Field{
		field.String("from_phase").Immutable().Comment("Phase before."),
		field.String("to_phase").Immutable().Comment("Phase after."),
		field.String("reason").Default("").MaxLen(2000).Immutable().Comment("Why (required when moving back)."),
		field.String("actor_id").GoType(gid.ID("")).Immutable().Comment("User who made the change."),
		field.String("actor_organisation_id").GoType(gid.ID("")).Immutable().Comment("Their organisation."),
		field.Time("at").Default(utcNow).Immutable().Comment("When."),
	}
}

func (PhaseChange) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
