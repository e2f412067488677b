// Package audit keeps the audit trail: who read which sensitive records,
// who changed what, every denial, break-glass, policy change and failed
// login. Events are written in a hash chain (chain.go); reads are recorded
// per response, in batches shared by concurrent requests, before the
// response leaves (writer.go); writes in the transaction of the change.
package audit

import (
	"context"
	"sort"
	"sync"

	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Record names one record an event is about.
type Record = domain.AuditRecord

// Event is an audit event before it is chained.
type Event struct {
	Kind      auditevent.Kind
	Decision  auditevent.Decision
	UserID    gid.ID
	OrgID     gid.ID
	Roles     []domain.Role
	Operation string
	Purpose   string
	RequestID string
	Records   []Record
	Flagged   bool
	Message   string
}

// Collector gathers, during one request, the records it read and the
// records it changed.
type Collector struct {
	mu      sync.Mutex
	reads   map[string]Record // by id+level
	writes  map[gid.ID]Record
	Purpose string
	kind    auditevent.Kind // set by actions that are not plain writes
	note    string
}

// Classify sets the kind and message of the write event of this request
// (break-glass, review), instead of a plain WRITE.
func (c *Collector) Classify(kind auditevent.Kind, note string) {
	c.mu.Lock()
	c.kind, c.note = kind, note
	c.mu.Unlock()
}

// Class returns what Classify set.
func (c *Collector) Class() (auditevent.Kind, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.kind, c.note
}

type ctxKey struct{}

// NewContext returns ctx with a fresh collector.
func NewContext(ctx context.Context, purpose string) (context.Context, *Collector) {
	c := &Collector{reads: map[string]Record{}, writes: map[gid.ID]Record{}, Purpose: purpose}
	return context.WithValue(ctx, ctxKey{}, c), c
}

// FromContext returns the request's collector, or nil.
func FromContext(ctx context.Context) *Collector {
	c, _ := ctx.Value(ctxKey{}).(*Collector)
	return c
}

// PurposeFrom returns the purpose of use the client declared.
func PurposeFrom(ctx context.Context) string {
	if c := FromContext(ctx); c != nil {
		return c.Purpose
	}
	return ""
}

// Read notes that r was returned to the client.
func (c *Collector) Read(r Record) {
	c.mu.Lock()
	c.reads[string(r.ID)+"/"+string(r.Level)] = r
	c.mu.Unlock()
}

// Wrote notes that r was created or changed.
func (c *Collector) Wrote(r Record) {
	c.mu.Lock()
	c.writes[r.ID] = r
	c.mu.Unlock()
}

// TakeReads returns the records read so far, in a stable order, and forgets
// them.
func (c *Collector) TakeReads() []Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Record, 0, len(c.reads))
	for _, r := range c.reads {
		out = append(out, r)
	}
	c.reads = map[string]Record{}
	sortRecords(out)
	return out
}

// TakeWrites returns the records changed so far and forgets them.
func (c *Collector) TakeWrites() []Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Record, 0, len(c.writes))
	for _, r := range c.writes {
		out = append(out, r)
	}
	c.writes = map[gid.ID]Record{}
	sortRecords(out)
	return out
}

func sortRecords(rs []Record) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].ID != rs[j].ID {
			return rs[i].ID < rs[j].ID
		}
		return rs[i].Level < rs[j].Level
	})
}

// CategoryOf maps an entity type to its data category ("" for none).
func CategoryOf(typ string) domain.Category {
	switch typ {
	case "Document", "LegalRecord":
		return domain.CategoryLegal
	case "MedicalRecord":
		return domain.CategoryMedical
	case "TheologicalRecord":
		return domain.CategoryTheological
	case "RiskAssessment":
		return domain.CategoryRisk
	case "Intervention", "CommunityActivity", "Household", "HouseholdMember", "FamilyAssessment":
		return domain.CategorySocial
	case "Returnee", "CaseTeamMember", "Consent", "BreakGlassAccess":
		return domain.CategoryCore
	}
	return ""
}
