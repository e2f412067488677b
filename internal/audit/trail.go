package audit

import (
	"context"
	"log/slog"
	"reflect"
	"time"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Trail is the audit trail of a server: the chain its transactions append
// to, and the writer for events outside them.
type Trail struct {
	Chain   Chain
	Writer  *Writer
	Indexer *Indexer // derives the case index; may be nil in tools
	// Disabled turns recording off. It exists only so the benchmark can
	// measure what auditing costs; no flag or variable sets it.
	Disabled bool
}

// NewTrail returns the trail of a server on client: a writer and an
// indexer (checking every indexEvery for other processes' events), the
// writer handing the indexer the rows of the events it leaves to it.
func NewTrail(client *ent.Client, chain Chain, log *slog.Logger, indexEvery time.Duration) *Trail {
	w, ix := NewWriter(client, chain, log), NewIndexer(client, chain, log, indexEvery)
	w.FeedIndexer(ix)
	return &Trail{Chain: chain, Writer: w, Indexer: ix}
}

// Record writes events and waits until they are durable.
func (t *Trail) Record(ctx context.Context, evs ...Event) error {
	if t == nil || t.Disabled || len(evs) == 0 {
		return nil
	}
	err := t.Writer.Record(ctx, evs...)
	t.pokeIndexer()
	return err
}

// Append writes events inside tx: they commit, or roll back, with it.
func (t *Trail) Append(ctx context.Context, tx *ent.Tx, evs ...Event) error {
	if t == nil || t.Disabled {
		return nil
	}
	if _, err := t.Chain.appendTx(ctx, tx, evs, nil, nil); err != nil {
		return err
	}
	if len(evs) > 0 {
		t.pokeIndexer()
	}
	return nil
}

// pokeIndexer asks the indexer to index the events just appended (the
// indexer lets a burst gather first); its periodic run covers other
// processes' events.
func (t *Trail) pokeIndexer() {
	if t.Indexer != nil {
		t.Indexer.Poke()
	}
}

// CatchUp indexes every event written so far, so a query of the case index
// sees all of them.
func (t *Trail) CatchUp(ctx context.Context, client *ent.Client) error {
	if t == nil {
		return nil
	}
	_, err := t.Chain.Index(ctx, client)
	return err
}

// ignored are the types whose changes are the audit machinery itself.
var ignored = map[string]bool{
	ent.TypeAuditEvent: true, ent.TypeAuditSubject: true, ent.TypeAuditChain: true, ent.TypeRevision: true,
}

// detailFields are the columns holding detail-level data.
var detailFields = []string{"detail", "score", "document_number", "notes"}

// Hook notes every successful create or update in the request's collector,
// so the transaction that made it can audit it.
func Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			c := FromContext(ctx)
			if err != nil || c == nil || ignored[m.Type()] {
				return v, err
			}
			if r, ok := recordOf(m, v); ok {
				c.Wrote(r)
			}
			return v, err
		})
	}
}

func recordOf(m ent.Mutation, v ent.Value) (Record, bool) {
	r := Record{Type: m.Type(), Category: CategoryOf(m.Type())}
	if idm, ok := m.(interface{ ID() (gid.ID, bool) }); ok {
		r.ID, _ = idm.ID()
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Struct {
		e := rv.Elem()
		if f := e.FieldByName("ID"); f.IsValid() && r.ID == "" {
			if id, ok := f.Interface().(gid.ID); ok {
				r.ID = id
			}
		}
		if f := e.FieldByName("ReturneeID"); f.IsValid() {
			if id, ok := f.Interface().(gid.ID); ok {
				r.Returnee = id
			}
		}
	}
	if m.Type() == ent.TypeReturnee {
		r.Returnee = r.ID
	}
	if r.ID == "" {
		return r, false
	}
	if r.Category.Sensitive() {
		r.Level = domain.LevelSummary
		for _, f := range detailFields {
			if _, ok := m.Field(f); ok || m.FieldCleared(f) {
				r.Level = domain.LevelDetail
			}
		}
	}
	return r, true
}
