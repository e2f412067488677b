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

// indexBatch bounds the events indexed in one transaction. On SQLite a
// transaction holds the database's only write lock, which every audited
// response's event waits for, so the indexer, which only catches up (appends
// index their own events), takes it for a few events at a time; on
// PostgreSQL index rows lock nothing the writer needs.
func (c Chain) indexBatch() int {
	if c.Dialect == dialect.SQLite {
		return 4
	}
	return 200
}

// Index derives the case index rows of every event not yet indexed and
// moves the watermark, in transactions of at most indexBatch events. It is
// safe to run from several processes at once: the watermark row is locked.
// It returns how many events it indexed.
func (c Chain) Index(ctx context.Context, client *ent.Client) (int, error) {
	ctx = viewer.SystemContext(ctx)
	total := 0
	for {
		n, more, err := c.indexOnce(ctx, client)
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

// indexOnce indexes the next batch of events and reports whether there may
// be more. The events are read and their rows derived before the
// transaction, which on SQLite holds the only write lock every audited
// response's event also needs; the transaction then moves the watermark
// and writes the rows only if nobody moved it meanwhile (indexRows).
func (c Chain) indexOnce(ctx context.Context, client *ent.Client) (int, bool, error) {
	from, err := c.watermark(ctx, client)
	if err != nil {
		return 0, false, err
	}
	batch := c.indexBatch()
	evs, err := client.AuditEvent.Query().Where(auditevent.SeqGT(from)).
		Order(ent.Asc(auditevent.FieldSeq)).Limit(batch).
		Select(auditevent.FieldSeq, auditevent.FieldRecords).All(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("reading events to index: %w", err)
	}
	if len(evs) == 0 {
		return 0, false, nil
	}
	var rows [][]any
	for _, e := range evs {
		rows = append(rows, subjectRows(e.Seq, e.Records)...)
	}
	tx, err := client.Tx(ctx)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()                             //nolint:errcheck // after Commit this is a no-op
	if _, err := c.lockIndex(ctx, tx); err != nil { // creates the watermark row on a new database
		return 0, false, err
	}
	moved, err := c.indexRows(ctx, tx, rows, from, evs[len(evs)-1].Seq)
	if err != nil {
		return 0, false, err
	}
	if !moved {
		return 0, true, nil // another indexer or an append got there first: read again
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("committing audit index rows: %w", err)
	}
	return len(evs), len(evs) == batch, nil
}

// watermark reads, without locking, the sequence number of the last
// indexed event (0 before the first).
func (c Chain) watermark(ctx context.Context, client *ent.Client) (int64, error) {
	w, err := client.AuditIndex.Query().Where(auditindex.ID(1)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("reading the audit index watermark: %w", err)
	}
	return w.IndexedSeq, nil
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
