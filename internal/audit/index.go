package audit

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/auditindex"
)

// indexBatch bounds the events indexed in one transaction.
const indexBatch = 200

// Index derives the case index rows of every event not yet indexed and
// moves the watermark, in transactions of at most indexBatch events. It is
// safe to run from several processes at once: the watermark row is locked.
// It returns how many events it indexed.
func (c Chain) Index(ctx context.Context, client *ent.Client) (int, error) {
	ctx = viewer.SystemContext(ctx)
	total := 0
	for {
		n, err := c.indexOnce(ctx, client)
		total += n
		if err != nil || n < indexBatch {
			return total, err
		}
	}
}

func (c Chain) indexOnce(ctx context.Context, client *ent.Client) (int, error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	w, err := c.lockIndex(ctx, tx)
	if err != nil {
		return 0, err
	}
	evs, err := tx.AuditEvent.Query().Where(auditevent.SeqGT(w.IndexedSeq)).
		Order(ent.Asc(auditevent.FieldSeq)).Limit(indexBatch).
		Select(auditevent.FieldID, auditevent.FieldSeq, auditevent.FieldRecords).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading events to index: %w", err)
	}
	if len(evs) == 0 {
		return 0, nil
	}
	var rows []*ent.AuditSubjectCreate
	for _, e := range evs {
		for _, s := range subjectsOf(e.Records) {
			rows = append(rows, tx.AuditSubject.Create().SetEventSeq(e.Seq).
				SetReturneeID(s.returnee).SetCategories(s.categories).SetDetail(s.detail))
		}
	}
	for i := 0; i < len(rows); i += 500 {
		if err := tx.AuditSubject.CreateBulk(rows[i:min(i+500, len(rows))]...).Exec(ctx); err != nil {
			return 0, fmt.Errorf("writing audit index rows: %w", err)
		}
	}
	if err := tx.AuditIndex.Update().Where(auditindex.ID(1)).SetIndexedSeq(evs[len(evs)-1].Seq).Exec(ctx); err != nil {
		return 0, fmt.Errorf("moving the index watermark: %w", err)
	}
	return len(evs), tx.Commit()
}

func (c Chain) lockIndex(ctx context.Context, tx *ent.Tx) (*ent.AuditIndex, error) {
	for attempt := 0; attempt < 2; attempt++ {
		q := tx.AuditIndex.Query().Where(auditindex.ID(1))
		if c.Dialect == dialect.Postgres {
			q = q.ForUpdate()
		}
		w, err := q.Only(ctx)
		if err == nil {
			return w, nil
		}
		if !ent.IsNotFound(err) {
			return nil, fmt.Errorf("locking the audit index: %w", err)
		}
		if err := tx.AuditIndex.Create().SetID(1).OnConflictColumns(auditindex.FieldID).Ignore().Exec(ctx); err != nil {
			return nil, fmt.Errorf("starting the audit index: %w", err)
		}
	}
	return nil, fmt.Errorf("audit index watermark missing")
}

// Indexer runs Index in the background: after every write it is poked,
// and at least every interval it checks for events written by other
// processes. Queries that use the index call Chain.Index first, so the
// index they read is always complete.
type Indexer struct {
	chain  Chain
	client *ent.Client
	log    *slog.Logger
	poke   chan struct{}
	stop   chan struct{}
	done   chan struct{}
}

// NewIndexer starts an indexer.
func NewIndexer(client *ent.Client, chain Chain, log *slog.Logger, interval time.Duration) *Indexer {
	ix := &Indexer{chain: chain, client: client, log: log, poke: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go ix.loop(interval)
	return ix
}

// Poke asks for an indexing run soon.
func (ix *Indexer) Poke() {
	select {
	case ix.poke <- struct{}{}:
	default:
	}
}

func (ix *Indexer) loop(interval time.Duration) {
	defer close(ix.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ix.stop:
			ix.run()
			return
		case <-ix.poke:
			// Let a burst of writes gather before indexing them together.
			select {
			case <-time.After(interval / 4):
			case <-ix.stop:
			}
		case <-t.C:
		}
		ix.run()
	}
}

func (ix *Indexer) run() {
	if _, err := ix.chain.Index(context.Background(), ix.client); err != nil {
		ix.log.Warn("audit indexing failed; will retry", "err", err)
	}
}

// Close indexes what is left and stops.
func (ix *Indexer) Close() {
	close(ix.stop)
	<-ix.done
}
