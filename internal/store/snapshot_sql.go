package store

import "strings"

// How the read snapshots (snapshot.go) tell statements apart. rdrr's SQL
// comes from ent and from its own raw statements, so plain prefix tests
// are enough; a statement they misjudge as a write only costs a renewed
// snapshot.

// isWith reports whether query starts with WITH, which rdrr sends to
// SQLite for reads only (its WITH ... INSERT is PostgreSQL's).
func isWith(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) >= 4 && strings.EqualFold(q[:4], "WITH")
}

// auditTables are the audit trail's tables. Only the audit queries and the
// audit machinery read them.
var auditTables = []string{"audit_events", "audit_record_sets", "audit_subjects", "audit_chains", "audit_indexes"}

// namesAuditTable reports whether query mentions an audit table. It runs
// before every SELECT: one search rules out nearly all of them.
func namesAuditTable(query string) bool {
	if !strings.Contains(query, "audit_") {
		return false
	}
	for _, t := range auditTables {
		if strings.Contains(query, t) {
			return true
		}
	}
	return false
}

// writesAuditOnly reports whether query is an INSERT, UPDATE or DELETE of
// an audit table (whose triggers write nowhere else).
func writesAuditOnly(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n")
	for _, verb := range []string{"INSERT INTO ", "UPDATE ", "DELETE FROM "} {
		if len(q) <= len(verb) || !strings.EqualFold(q[:len(verb)], verb) {
			continue
		}
		name := strings.TrimLeft(q[len(verb):], "`\"")
		for _, t := range auditTables {
			if strings.HasPrefix(name, t) && (len(name) == len(t) || strings.ContainsRune("`\" (", rune(name[len(t)]))) {
				return true
			}
		}
		return false
	}
	return false
}
