package ent

import "slices"

// SelectAlso adds fields to a query of rows that selects only some columns
// (the column pruning of a GraphQL selection, which always keeps the ID).
// A query of every column is left as it is, since Select on it would drop
// the others, and so is an aggregate (an edge's totals group by the case
// and select no ID), whose result has no place for another column. The case timeline
// uses it so that the records its siblings' connections loaded carry the
// columns it needs (graph/timeline_reuse.go).
func (_q *DocumentQuery) SelectAlso(fields ...string) { selectAlso(_q.ctx, fields) }

// SelectAlso: see DocumentQuery.SelectAlso.
func (_q *InterventionQuery) SelectAlso(fields ...string) { selectAlso(_q.ctx, fields) }

// SelectAlso: see DocumentQuery.SelectAlso.
func (_q *LegalRecordQuery) SelectAlso(fields ...string) { selectAlso(_q.ctx, fields) }

// SelectAlso: see DocumentQuery.SelectAlso.
func (_q *MedicalRecordQuery) SelectAlso(fields ...string) { selectAlso(_q.ctx, fields) }

// SelectAlso: see DocumentQuery.SelectAlso.
func (_q *TheologicalRecordQuery) SelectAlso(fields ...string) { selectAlso(_q.ctx, fields) }

// SelectAlso: see DocumentQuery.SelectAlso.
func (_q *RiskAssessmentQuery) SelectAlso(fields ...string) { selectAlso(_q.ctx, fields) }

func selectAlso(qc *QueryContext, fields []string) {
	if qc == nil || !slices.Contains(qc.Fields, "id") {
		return
	}
	for _, f := range fields {
		qc.AppendFieldOnce(f)
	}
}
