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
		field.JSON("records", []domain.AuditRecord{}).Optional().Immutable().
			Comment("Records returned, changed or refused, when fewer than a record set's worth (else records_digest)."),
		field.String("records_digest").Default("").MaxLen(64).Immutable().
			Annotations(entgql.Skip()).
			Comment("SHA-256 (hex) of the records' JSON, naming their AuditRecordSet, when they are stored there; else empty."),
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
// person's file" is an index lookup. It is derived from the events'
// records (which the hash covers) by the audit indexer shortly after they
// are written, off the request path, and checked against them by rdrr
// audit verify.
//
// A row is a posting: the events of one indexer run that name the case, as
// a list of sequence numbers, not one row per event and case. A dashboard
// refreshing a page of 50 cases makes one event naming those 50 cases per
// refresh; one row per event and case cost PostgreSQL 20 µs a row to
// insert, as much as the event's own append (pg_stat_statements, audited
// dashboard, 8 clients: 0.95 against 1.02 ms per response), and a quarter of
// a second's refreshes now share 50 rows.
type AuditSubject struct{ ent.Schema }

// The case index names its events by sequence number only, with no
// foreign key: PostgreSQL checks a foreign key row by row with a locking
// read of the event (SELECT ... FOR KEY SHARE), which dirtied every event
// once per row and was more than half of what auditing cost the dashboard.
// The index is derived from the hash-chained events (rdrr audit verify
// checks it against them), so the constraint guarded nothing the chain
// does not.
func (AuditSubject) Fields() []ent.Field {
	return []ent.Field{
		field.String("returnee_id").GoType(gid.ID("")).Immutable().Comment("The case."),
		field.Int64("first_seq").Immutable().Comment("The posting's first event (audit_events.seq)."),
		field.Int64("last_seq").Immutable().Comment("Its last event; a posting spans fewer than 1000 events."),
		field.JSON("seqs", []int64{}).Immutable().
			Comment("The events from first_seq to last_seq that name a record of the case, in order."),
	}
}

// The case's access log reads its postings by case; rdrr audit verify
// reads them by position in the chain, a range of events at a time.
func (AuditSubject) Indexes() []ent.Index {
	return []ent.Index{index.Fields("returnee_id", "first_seq"), index.Fields("first_seq")}
}

func (AuditSubject) Policy() ent.Policy { return auditPolicy() }

func (AuditSubject) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// AuditRecordSet holds the records of audit events by the SHA-256 of
// their JSON, once however many events name them. A dashboard refreshing a
// page names the same 110 records (14 kB of JSON) on every refresh, and
// storing them with each event cost PostgreSQL more than the rest of the
// audit trail (a throw-away build storing events without records: 9.95%
// and 13.50% throughput cost of auditing, against 17.93%). Events of many records name their set
// by digest (records_digest); the hash chain still covers the records
// themselves, so an edited or missing set breaks the chain at each event
// naming it (rdrr audit verify).
type AuditRecordSet struct{ ent.Schema }

func (AuditRecordSet) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").MaxLen(64).NotEmpty().Immutable().Comment("SHA-256 (hex) of the records' JSON."),
		field.JSON("records", []domain.AuditRecord{}).Immutable().Comment("The records."),
	}
}

func (AuditRecordSet) Policy() ent.Policy { return auditPolicy() }

func (AuditRecordSet) Annotations() []schema.Annotation {
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
