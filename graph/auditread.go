package graph

import (
	"context"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
)

// noteRead notes, for the audit trail, that the sensitive records among
// objs are being returned (their summary).
func noteRead(ctx context.Context, objs ...any) {
	c := audit.FromContext(ctx)
	if c == nil {
		return
	}
	for _, o := range objs {
		if r, ok := sensitiveRecord(ctx, o); ok {
			c.Read(r)
		}
	}
}

// noteDetail notes that the detail of obj is being returned.
func noteDetail(ctx context.Context, obj any) {
	c := audit.FromContext(ctx)
	if c == nil {
		return
	}
	if r, ok := sensitiveRecord(ctx, obj); ok {
		r.Level = domain.LevelDetail
		c.Read(r)
	}
}

// noteConnection notes the nodes of a connection page. It takes the edges'
// nodes through a function so one helper serves every connection type.
func noteConnection[E any](ctx context.Context, edges []*E, node func(*E) any) {
	if audit.FromContext(ctx) == nil {
		return
	}
	objs := make([]any, 0, len(edges))
	for _, e := range edges {
		if e != nil {
			objs = append(objs, node(e))
		}
	}
	noteRead(ctx, objs...)
}

func noteDocuments(ctx context.Context, c *ent.DocumentConnection) (*ent.DocumentConnection, error) {
	if c != nil {
		noteConnection(ctx, c.Edges, func(e *ent.DocumentEdge) any { return e.Node })
	}
	return c, nil
}

func noteLegal(ctx context.Context, c *ent.LegalRecordConnection) (*ent.LegalRecordConnection, error) {
	if c != nil {
		noteConnection(ctx, c.Edges, func(e *ent.LegalRecordEdge) any { return e.Node })
	}
	return c, nil
}

func noteMedical(ctx context.Context, c *ent.MedicalRecordConnection) (*ent.MedicalRecordConnection, error) {
	if c != nil {
		noteConnection(ctx, c.Edges, func(e *ent.MedicalRecordEdge) any { return e.Node })
	}
	return c, nil
}

func noteTheological(ctx context.Context, c *ent.TheologicalRecordConnection) (*ent.TheologicalRecordConnection, error) {
	if c != nil {
		noteConnection(ctx, c.Edges, func(e *ent.TheologicalRecordEdge) any { return e.Node })
	}
	return c, nil
}

func noteRisk(ctx context.Context, c *ent.RiskAssessmentConnection) (*ent.RiskAssessmentConnection, error) {
	if c != nil {
		noteConnection(ctx, c.Edges, func(e *ent.RiskAssessmentEdge) any { return e.Node })
	}
	return c, nil
}

// noted notes the record a mutation returns as read: noted(f(...))(ctx).
func noted[T any](v T, err error) func(context.Context) (T, error) {
	return func(ctx context.Context) (T, error) {
		if err == nil {
			noteRead(ctx, v)
		}
		return v, err
	}
}
