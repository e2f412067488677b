package audit

import (
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/predicate"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// AboutCase selects the events that name a record of case id, through the
// case index: seq IN (the sequence numbers the case's postings list),
// whose rows the index on (returnee_id, first_seq) finds. Queries that use
// it call Trail.CatchUp first, so the index is complete.
func AboutCase(id gid.ID) predicate.AuditEvent {
	return func(s *sql.Selector) {
		// The postings' lists, one sequence number a row: jsonb on
		// PostgreSQL, JSON text on SQLite.
		listed := "SELECT j.value FROM audit_subjects AS p, json_each(p.seqs) AS j WHERE p.returnee_id = "
		if s.Dialect() == dialect.Postgres {
			listed = "SELECT (jsonb_array_elements(p.seqs))::bigint FROM audit_subjects AS p WHERE p.returnee_id = "
		}
		s.Where(sql.P(func(b *sql.Builder) {
			b.WriteString(s.C(auditevent.FieldSeq)).WriteString(" IN (" + listed).Arg(string(id)).WriteString(")")
		}))
	}
}
