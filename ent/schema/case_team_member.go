package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// CaseTeamMember puts an organisation on a returnee's case team for a time.
// Team membership is the row rule of the whole API: an organisation sees a
// case, and everything hanging off it, only while it has a current row here.
type CaseTeamMember struct{ ent.Schema }

func (CaseTeamMember) Mixin() []ent.Mixin {
	return []ent.Mixin{withID("ctm"), trackedMixin{}, caseRecord("case_team", domain.CategoryCore).writtenBy(rules.AllowTeamChange())}
}

func (CaseTeamMember) Fields() []ent.Field {
	return []ent.Field{
		field.String("organisation_id").GoType(gid.ID("")).Immutable().
			Comment("Organisation on the team."),
		field.Enum("basis").Values("LEAD", "ASSIGNED", "REFERRAL", "BREAK_GLASS").
			Annotations(serverOwned).
			Comment("Why the organisation is on the team."),
		field.Enum("access").Values("FULL", "READ_ONLY").Default("FULL").
			Annotations(serverOwned).
			Comment("READ_ONLY members (break-glass) may read but not write."),
		field.Time("since").Default(utcNow).
			Annotations(serverOwned, entgql.OrderField("SINCE")).
			Comment("Start of membership."),
		field.Time("until").Optional().Nillable().
			Annotations(serverOwned).
			Comment("End of membership; empty while it lasts."),
	}
}

func (CaseTeamMember) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organisation", Organisation.Type).Ref("team_memberships").Field("organisation_id").
			Unique().Required().Immutable(),
	}
}

func (CaseTeamMember) Indexes() []ent.Index {
	// The row rule runs on every query: an EXISTS probe by (returnee,
	// organisation) when listing, a scan by organisation when counting.
	// Both indexes cover since and until, so neither touches the table.
	return []ent.Index{
		index.Fields("returnee_id", "organisation_id", "until", "since"),
		index.Fields("organisation_id", "returnee_id", "until", "since"),
	}
}

func (CaseTeamMember) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
