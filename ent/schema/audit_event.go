package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/ent/privacy"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// AuditEvent is one entry of the audit trail: a read of sensitive records,
// a write, a denial, a break-glass, a policy change or a failed login.
// Events are append-only (no API changes them; on both stores a trigger
// rejects UPDATE and DELETE) and form a hash chain: each holds the hash of
// its predecessor and of its own content, so an edit, a deletion or a
// reordering breaks the chain at that point (rdrr audit verify).
type AuditEvent struct{ ent.Schema }

func (AuditEvent) Mixin() []ent.Mixin { return []ent.Mixin{withID("aud")} }

func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("seq").Unique().Immutable().
			Annotations(entgql.OrderField("SEQ")).Comment("Position in the hash chain, from 1."),
		field.Time("occurred_at").Default(utcNow).Immutable().
			Annotations(entgql.OrderField("OCCURRED_AT")).Comment("When it happened."),
		field.Enum("kind").Values("READ", "WRITE", "DENIED", "BREAK_GLASS", "POLICY_CHANGE", "LOGIN_FAILURE", "REVIEW").
			Immutable().Comment("What happened."),
		field.Enum("decision").Values("ALLOW", "DENY").Immutable().Comment("Whether it was allowed."),
		field.String("user_id").GoType(gid.ID("")).Optional().Immutable().Comment("Acting user, when known."),
		field.String("organisation_id").GoType(gid.ID("")).Optional().Immutable().Comment("Their organisation."),
		field.JSON("roles", []domain.Role{}).Optional().Immutable().Comment("Their roles at the time."),
		field.String("operation").Default("").MaxLen(500).Immutable().Comment("GraphQL operation or action."),
		field.String("purpose").Default("").MaxLen(200).Immutable().Comment("Purpose of use the client declared."),
		field.String("request_id").Default("").MaxLen(64).Immutable().Comment("Request ID, as in the server log."),
		field.JSON("records", []domain.AuditRecord{}).Optional().Immutable().Comment("Records returned, changed or refused."),
		field.String("categories").Default("").MaxLen(100).Immutable().
			Comment("The records' categories, space-separated with a space at each end (derived, for filtering)."),
		field.Bool("flagged").Default(false).Immutable().Comment("Needs review (break-glass)."),
		field.String("message").Default("").MaxLen(2000).Immutable().Comment("Reason, reason for denial, or note."),
		field.String("prev_hash").MaxLen(64).Immutable().Comment("Hash of the previous event (hex)."),
		field.String("hash").MaxLen(64).Immutable().Comment("SHA-256 of prev_hash and this event's content (hex)."),
	}
}

func (AuditEvent) Indexes() []ent.Index {
	// Few indexes: every one is written on every audited response. Queries
	// by case use AuditSubject; by user, organisation or category they walk
	// the trail backwards by sequence number (data-protection officers'
	// queries are rare; responses are not).
	return []ent.Index{index.Fields("occurred_at")}
}

// Only the system writes the trail, and only audit readers read it
// (through resolvers that check the role); no rule allows a change.
func (AuditEvent) Policy() ent.Policy { return auditPolicy() }

func auditPolicy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(),
			rules.RequirePermission(domain.ObjAudit, domain.ActionRead), privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// AuditSubject indexes audit events by case, so "who looked at this
// person's file" is an index lookup. It is derived from the
// event's records (which the hash covers) by the audit indexer shortly
// after the event is written, off the request path, and checked against
// them by rdrr audit verify.
type AuditSubject struct{ ent.Schema }

// The case index names its event by sequence number only, with no foreign
// key: a dashboard page's event has some fifty index rows, and PostgreSQL
// checks a foreign key row by row with a locking read of the event (SELECT
// ... FOR KEY SHARE), which dirtied every event once per row and was more
// than half of what auditing cost the dashboard. The index is derived from
// the hash-chained events (rdrr audit verify checks it against them), so
// the constraint guarded nothing the chain does not.
func (AuditSubject) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("event_seq").Immutable().Comment("The event's position in the chain (audit_events.seq)."),
		field.String("returnee_id").GoType(gid.ID("")).Immutable().Comment("The case."),
		field.String("categories").MaxLen(100).Immutable().
			Comment("Categories of the case's records in the event, space-separated with a space at each end."),
		field.Bool("detail").Default(false).Immutable().Comment("Whether any detail was touched."),
	}
}

// One row per case and event, one index: the case's access log is an index
// range scan, and an audited page of 50 cases writes 50 rows.
func (AuditSubject) Indexes() []ent.Index {
	return []ent.Index{index.Fields("returnee_id", "event_seq")}
}

func (AuditSubject) Policy() ent.Policy { return auditPolicy() }

func (AuditSubject) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// AuditChain is the single row holding the head of the hash chain. Appending
// locks it (SELECT ... FOR UPDATE on PostgreSQL; the write lock on SQLite),
// so events from every process form one chain.
type AuditChain struct{ ent.Schema }

func (AuditChain) Fields() []ent.Field {
	return []ent.Field{
		field.Int("id").Immutable().Comment("Always 1."),
		field.Int64("last_seq").Default(0).Comment("Sequence number of the newest event."),
		field.String("last_hash").Default("").MaxLen(64).Comment("Hash of the newest event."),
		field.Time("updated_at").Default(utcNow).UpdateDefault(utcNow).Comment("Last append."),
	}
}

func (AuditChain) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

func (AuditChain) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// AuditIndex is the single row holding how far the audit indexer has
// derived AuditSubject rows from events. It has its own row (not the chain
// head's) so indexing never holds up appending.
type AuditIndex struct{ ent.Schema }

func (AuditIndex) Fields() []ent.Field {
	return []ent.Field{
		field.Int("id").Immutable().Comment("Always 1."),
		field.Int64("indexed_seq").Default(0).Comment("Every event up to this sequence number is indexed."),
	}
}

func (AuditIndex) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

func (AuditIndex) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
