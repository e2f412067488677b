package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/reqid"
)

// AuditExtension records, for every operation, the sensitive records it
// returned and the refusals it answered, as audit events written before
// the response leaves. The resolvers that return sensitive records note
// them (auditread.go): a field interceptor would see every field of every
// response and made the dashboard 40% slower. Writes are audited in their
// own transaction (inTx).
type AuditExtension struct {
	Trail *audit.Trail
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = AuditExtension{}

// ExtensionName implements graphql.HandlerExtension.
func (AuditExtension) ExtensionName() string { return "AuditTrail" }

// Validate implements graphql.HandlerExtension.
func (AuditExtension) Validate(graphql.ExecutableSchema) error { return nil }

// sensitiveRecord describes obj when it is a legal, medical, theological or
// risk record, at summary level.
func sensitiveRecord(ctx context.Context, obj any) (audit.Record, bool) {
	var (
		id, ret gid.ID
		typ     string
	)
	switch o := obj.(type) {
	case *ent.Document:
		id, ret, typ = o.ID, o.ReturneeID, ent.TypeDocument
	case *ent.LegalRecord:
		id, ret, typ = o.ID, o.ReturneeID, ent.TypeLegalRecord
	case *ent.MedicalRecord:
		id, ret, typ = o.ID, o.ReturneeID, ent.TypeMedicalRecord
	case *ent.TheologicalRecord:
		id, ret, typ = o.ID, o.ReturneeID, ent.TypeTheologicalRecord
	case *ent.RiskAssessment:
		id, ret, typ = o.ID, o.ReturneeID, ent.TypeRiskAssessment
	default:
		return audit.Record{}, false
	}
	if ret == "" { // column pruning left it out
		if l := loadersFrom(ctx); l != nil {
			if o, err := l.owners.Load(ctx, id); err == nil {
				ret = o.returnee
			}
		}
	}
	return audit.Record{ID: id, Type: typ, Returnee: ret, Category: audit.CategoryOf(typ), Level: domain.LevelSummary}, true
}

// InterceptResponse implements graphql.ResponseInterceptor: the response is
// complete here but not yet sent; it leaves only once its audit events are
// durable, and an audit failure withholds the data.
func (a AuditExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	c := audit.FromContext(ctx)
	if resp == nil || c == nil || a.Trail == nil || a.Trail.Disabled {
		return resp
	}
	base := baseEvent(ctx)
	var evs []audit.Event
	if reads := c.TakeReads(); len(reads) > 0 {
		ev := base
		ev.Kind, ev.Decision, ev.Records = auditevent.KindREAD, auditevent.DecisionALLOW, reads
		evs = append(evs, ev)
	}
	var denied []string
	for _, e := range resp.Errors {
		if e.Extensions["code"] == string(apperr.CodeForbidden) {
			denied = append(denied, fmt.Sprintf("%s: %s", e.Path.String(), e.Message))
		}
	}
	if len(denied) > 0 {
		ev := base
		ev.Kind, ev.Decision, ev.Message = auditevent.KindDENIED, auditevent.DecisionDENY, strings.Join(denied, "; ")
		evs = append(evs, ev)
	}
	if err := a.Trail.Record(ctx, evs...); err != nil {
		id := reqid.From(ctx)
		return &graphql.Response{Errors: gqlerror.List{{
			Message:    "internal error (request " + id + "): the audit trail is unavailable",
			Extensions: map[string]any{"code": string(apperr.CodeInternal), "requestId": id},
		}}}
	}
	return resp
}

// baseEvent fills in who, what operation, why and which request.
func baseEvent(ctx context.Context) audit.Event {
	ev := audit.Event{RequestID: reqid.From(ctx), Purpose: audit.PurposeFrom(ctx)}
	if v := viewer.FromContext(ctx); v != nil && !v.IsSystem() {
		ev.UserID, ev.OrgID, ev.Roles = v.UserID, v.OrgID, v.Roles
	}
	if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil {
		name := oc.OperationName
		if name == "" {
			name = oc.Operation.Name
		}
		var fields []string
		for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, nil) {
			fields = append(fields, f.Name)
		}
		ev.Operation = strings.TrimSpace(string(oc.Operation.Operation) + " " + name + " {" + strings.Join(fields, " ") + "}")
	}
	return ev
}

// auditWrites appends, inside tx, one event for the records the request
// changed: the change and its audit event commit together or not at all.
func (r *Resolver) auditWrites(ctx context.Context, tx *ent.Tx) error {
	c := audit.FromContext(ctx)
	if c == nil || r.Audit == nil {
		return nil
	}
	writes := c.TakeWrites()
	if len(writes) == 0 {
		return nil
	}
	ev := baseEvent(ctx)
	ev.Kind, ev.Decision, ev.Records = auditevent.KindWRITE, auditevent.DecisionALLOW, writes
	for _, w := range writes {
		if w.Type == ent.TypePolicyRule || w.Type == ent.TypeUser {
			ev.Kind = auditevent.KindPOLICY_CHANGE
		}
	}
	if kind, note := c.Class(); kind != "" {
		ev.Kind, ev.Message = kind, note
		ev.Flagged = kind == auditevent.KindBREAK_GLASS
	}
	return r.Audit.Append(ctx, tx, ev)
}
