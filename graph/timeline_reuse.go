package graph

import (
	"context"
	"sync"

	entgo "entgo.io/ent"
	"github.com/99designs/gqlgen/graphql"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/document"
	"github.com/rdrr-project/rdrr/ent/intervention"
	"github.com/rdrr-project/rdrr/ent/legalrecord"
	"github.com/rdrr-project/rdrr/ent/medicalrecord"
	"github.com/rdrr-project/rdrr/ent/riskassessment"
	"github.com/rdrr-project/rdrr/ent/theologicalrecord"
)

// A case opened in full asks for its documents, records and interventions
// as connections and for its timeline, which merges the same rows. The
// connections are loaded with the case (ent's eager loading, one statement
// each); the timeline used to query all six kinds again. When a
// connection's page holds every row of its kind (no filter, no cursor, a
// page that is not full), the timeline takes its rows from there instead:
// they passed the same privacy rules, for the same viewer, in the same
// request. Six of the case's statements, a fifth of them.

// loadedRows are the rows of one case that its sibling connections loaded
// completely; a nil slice means "not available, query".
type loadedRows struct {
	documents     []*ent.Document
	interventions []*ent.Intervention
	legal         []*ent.LegalRecord
	medical       []*ent.MedicalRecord
	theological   []*ent.TheologicalRecord
	risk          []*ent.RiskAssessment
}

// siblingRows finds, among the fields selected next to the timeline on
// ret, the connections whose eager-loaded rows are complete.
func siblingRows(ctx context.Context, c *ent.Client, ret *ent.Returnee) loadedRows {
	var out loadedRows
	if _, ok := timelineColumns.Load(c); !ok {
		return out
	}
	oc := graphql.GetOperationContext(ctx)
	parent := graphql.GetFieldContext(ctx)
	if parent != nil {
		parent = parent.Parent
	}
	for parent != nil && parent.Field.Field == nil { // list elements
		parent = parent.Parent
	}
	if oc == nil || parent == nil {
		return out
	}
	for _, f := range graphql.CollectFields(oc, parent.Field.Selections, returneeImplementors) {
		args := f.ArgumentMap(oc.Variables)
		switch f.Name {
		case "documents":
			if rows, err := ret.NamedDocuments(f.Alias); err == nil && out.documents == nil && wholeEdge(args, len(rows)) {
				out.documents = nonNil(rows)
			}
		case "interventions":
			if rows, err := ret.NamedInterventions(f.Alias); err == nil && out.interventions == nil && wholeEdge(args, len(rows)) {
				out.interventions = nonNil(rows)
			}
		case "legalRecords":
			if rows, err := ret.NamedLegalRecords(f.Alias); err == nil && out.legal == nil && wholeEdge(args, len(rows)) {
				out.legal = nonNil(rows)
			}
		case "medicalRecords":
			if rows, err := ret.NamedMedicalRecords(f.Alias); err == nil && out.medical == nil && wholeEdge(args, len(rows)) {
				out.medical = nonNil(rows)
			}
		case "theologicalRecords":
			if rows, err := ret.NamedTheologicalRecords(f.Alias); err == nil && out.theological == nil && wholeEdge(args, len(rows)) {
				out.theological = nonNil(rows)
			}
		case "riskAssessments":
			if rows, err := ret.NamedRiskAssessments(f.Alias); err == nil && out.risk == nil && wholeEdge(args, len(rows)) {
				out.risk = nonNil(rows)
			}
		}
	}
	return out
}

// wholeEdge reports whether a connection page of n rows, asked for with
// args, holds every row of the edge: no filter, no cursor, no page from
// the end, and fewer rows than the page could hold (or no page size).
func wholeEdge(args map[string]any, n int) bool {
	for _, k := range []string{"where", "after", "before", "last"} {
		if args[k] != nil {
			return false
		}
	}
	// Literals and variables alike reach here as int64 (gqlparser coerces
	// variables to the argument's type); anything else is not reused.
	switch first := args["first"].(type) {
	case nil:
		return true
	case int64:
		return int64(n) < first
	case int:
		return n < first
	default:
		return false
	}
}

// loadedOr returns the rows a connection loaded when it loaded them all,
// else runs the timeline's own query.
func loadedOr[T any](ctx context.Context, loaded []T, query func(context.Context) ([]T, error)) ([]T, error) {
	if loaded != nil {
		return loaded, nil
	}
	return query(ctx)
}

func nonNil[T any](rows []T) []T {
	if rows == nil {
		return []T{}
	}
	return rows
}

// timelineColumns holds the clients InstallTimelineColumns was applied to:
// only their eager loads are sure to carry the timeline's columns, so only
// resolvers on them reuse rows (a client without it queries as before).
var timelineColumns sync.Map // *ent.Client → struct{}

// InstallTimelineColumns makes the eager loads of a case's documents,
// records and interventions select the columns the timeline reads, when
// the GraphQL selection pruned them: a row without them could not stand
// in for the timeline's own query.
func InstallTimelineColumns(c *ent.Client) {
	underCase := func(ctx context.Context) bool {
		qc := entgo.QueryFromContext(ctx)
		return qc != nil && qc.Type == ent.TypeReturnee
	}
	also := func(f func(ent.Query)) ent.Interceptor {
		return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
			return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
				if underCase(ctx) {
					f(q)
				}
				return next.Query(ctx, q)
			})
		})
	}
	c.Document.Intercept(also(func(q ent.Query) {
		if q, ok := q.(*ent.DocumentQuery); ok {
			q.SelectAlso(document.FieldIssuedOn, document.FieldType)
		}
	}))
	c.Intervention.Intercept(also(func(q ent.Query) {
		if q, ok := q.(*ent.InterventionQuery); ok {
			q.SelectAlso(intervention.FieldStartedOn, intervention.FieldEndedOn, intervention.FieldType, intervention.FieldStatus)
		}
	}))
	c.LegalRecord.Intercept(also(func(q ent.Query) {
		if q, ok := q.(*ent.LegalRecordQuery); ok {
			q.SelectAlso(legalrecord.FieldCreatedAt, legalrecord.FieldKind)
		}
	}))
	c.MedicalRecord.Intercept(also(func(q ent.Query) {
		if q, ok := q.(*ent.MedicalRecordQuery); ok {
			q.SelectAlso(medicalrecord.FieldCreatedAt, medicalrecord.FieldKind)
		}
	}))
	c.TheologicalRecord.Intercept(also(func(q ent.Query) {
		if q, ok := q.(*ent.TheologicalRecordQuery); ok {
			q.SelectAlso(theologicalrecord.FieldCreatedAt)
		}
	}))
	c.RiskAssessment.Intercept(also(func(q ent.Query) {
		if q, ok := q.(*ent.RiskAssessmentQuery); ok {
			q.SelectAlso(riskassessment.FieldCreatedAt, riskassessment.FieldLevel)
		}
	}))
	timelineColumns.Store(c, struct{}{})
}
