package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rdrr-project/rdrr/authz/rules"
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
			take(&out.documents, ret.NamedDocuments, f.Alias, args)
		case "interventions":
			take(&out.interventions, ret.NamedInterventions, f.Alias, args)
		case "legalRecords":
			take(&out.legal, ret.NamedLegalRecords, f.Alias, args)
		case "medicalRecords":
			take(&out.medical, ret.NamedMedicalRecords, f.Alias, args)
		case "theologicalRecords":
			take(&out.theological, ret.NamedTheologicalRecords, f.Alias, args)
		case "riskAssessments":
			take(&out.risk, ret.NamedRiskAssessments, f.Alias, args)
		}
	}
	return out
}

// take sets *dst to the rows eagerly loaded under alias when they are the
// whole edge and *dst is not set yet (an earlier alias of the edge won).
func take[T any](dst *[]T, named func(string) ([]T, error), alias string, args map[string]any) {
	if *dst != nil {
		return
	}
	if rows, err := named(alias); err == nil && wholeEdge(args, len(rows)) {
		*dst = nonNil(rows)
	}
}

// wholeEdge reports whether a connection page of n rows, asked for with
// args, holds every row of the edge: no filter, and a first page that
// ent.PageHoldsEdge says is complete.
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
		return ent.PageHoldsEdge(nil, n)
	case int64:
		f := int(first)
		return ent.PageHoldsEdge(&f, n)
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
	c.Document.Intercept(selectAlsoUnderCase(document.FieldIssuedOn, document.FieldType))
	c.Intervention.Intercept(selectAlsoUnderCase(intervention.FieldStartedOn, intervention.FieldEndedOn, intervention.FieldType, intervention.FieldStatus))
	c.LegalRecord.Intercept(selectAlsoUnderCase(legalrecord.FieldCreatedAt, legalrecord.FieldKind))
	c.MedicalRecord.Intercept(selectAlsoUnderCase(medicalrecord.FieldCreatedAt, medicalrecord.FieldKind))
	c.TheologicalRecord.Intercept(selectAlsoUnderCase(theologicalrecord.FieldCreatedAt))
	c.RiskAssessment.Intercept(selectAlsoUnderCase(riskassessment.FieldCreatedAt, riskassessment.FieldLevel))
	timelineColumns.Store(c, struct{}{})
}

// selectAlsoUnderCase adds fields to queries run on behalf of a returnee
// query (its eager loads, rules.EagerUnderCases) that select some columns
// only (ent's SelectAlso).
func selectAlsoUnderCase(fields ...string) ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			if rules.EagerUnderCases(ctx) {
				if s, ok := q.(interface{ SelectAlso(...string) }); ok {
					s.SelectAlso(fields...)
				}
			}
			return next.Query(ctx, q)
		})
	})
}
