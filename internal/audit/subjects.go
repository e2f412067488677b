package audit

import (
	"entgo.io/ent/dialect/sql"

	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/auditsubject"
	"github.com/rdrr-project/rdrr/ent/predicate"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// AboutCase selects the events that name a record of case id, through the
// case index: seq IN (SELECT event_seq FROM audit_subjects WHERE
// returnee_id = id), which the index on (returnee_id, event_seq) answers
// without touching the index table's rows. Queries that use it call
// Trail.CatchUp first, so the index is complete.
func AboutCase(id gid.ID) predicate.AuditEvent {
	return func(s *sql.Selector) {
		t := sql.Table(auditsubject.Table)
		s.Where(sql.In(s.C(auditevent.FieldSeq),
			sql.Select(t.C(auditsubject.FieldEventSeq)).From(t).Where(sql.EQ(t.C(auditsubject.FieldReturneeID), string(id)))))
	}
}
