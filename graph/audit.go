package graph

import (
	"entgo.io/contrib/entgql"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/predicate"
	"github.com/rdrr-project/rdrr/graph/model"
	"github.com/rdrr-project/rdrr/internal/audit"
)

var newestFirst = &ent.AuditEventOrder{Direction: entgql.OrderDirectionDesc, Field: ent.AuditEventOrderFieldSeq}

// auditFilter turns the trail filter into predicates.
func auditFilter(f *model.AuditTrailFilter) []predicate.AuditEvent {
	var ps []predicate.AuditEvent
	if f.User != nil {
		ps = append(ps, auditevent.UserID(*f.User))
	}
	if f.Organisation != nil {
		ps = append(ps, auditevent.OrganisationID(*f.Organisation))
	}
	if f.Returnee != nil {
		ps = append(ps, audit.AboutCase(*f.Returnee))
	}
	if f.Category != nil {
		ps = append(ps, auditevent.CategoriesContains(" "+string(*f.Category)+" "))
	}
	if f.Decision != nil {
		ps = append(ps, auditevent.DecisionEQ(*f.Decision))
	}
	if f.Kind != nil {
		ps = append(ps, auditevent.KindEQ(*f.Kind))
	}
	if f.From != nil {
		ps = append(ps, auditevent.OccurredAtGTE(*f.From))
	}
	if f.To != nil {
		ps = append(ps, auditevent.OccurredAtLT(*f.To))
	}
	return ps
}
