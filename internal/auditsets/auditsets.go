// Package auditsets gives every reader of the audit trail whole events:
// the records of an event of many records are stored once in an
// AuditRecordSet, by digest (ent/schema/audit_event.go, internal/audit),
// and an interceptor on the store's client fills them in. It is a package
// of its own so that the store can install it without depending on the
// audit package, whose tests use the store.
package auditsets

import (
	"context"
	"fmt"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/auditrecordset"
	"github.com/rdrr-project/rdrr/internal/domain"
)

// Interceptor returns the interceptor that fills in the records of events
// read from client whose records are in a record set (one query for all
// the sets of a result): every reader of the trail (the GraphQL API, the
// indexer, verify, export) sees events whole. A missing set leaves the
// event's records empty, which verify reports as a broken link.
func Interceptor(client *ent.Client) ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v, err := next.Query(ctx, q)
			if err != nil {
				return v, err
			}
			if evs, ok := v.([]*ent.AuditEvent); ok {
				if err := fillRecords(ctx, client, evs); err != nil {
					return nil, err
				}
			}
			return v, nil
		})
	})
}

func fillRecords(ctx context.Context, client *ent.Client, evs []*ent.AuditEvent) error {
	var digests []string
	for _, e := range evs {
		if e.RecordsDigest != "" && len(e.Records) == 0 {
			digests = append(digests, e.RecordsDigest)
		}
	}
	if len(digests) == 0 {
		return nil
	}
	// The events were authorised; their records are part of them.
	sets, err := client.AuditRecordSet.Query().Where(auditrecordset.IDIn(digests...)).All(viewer.SystemContext(ctx))
	if err != nil {
		return fmt.Errorf("reading audit record sets: %w", err)
	}
	byDigest := make(map[string][]domain.AuditRecord, len(sets))
	for _, s := range sets {
		byDigest[s.ID] = s.Records
	}
	for _, e := range evs {
		if e.RecordsDigest != "" && len(e.Records) == 0 {
			e.Records = byDigest[e.RecordsDigest]
		}
	}
	return nil
}
