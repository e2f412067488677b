package audit

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/auditindex"
)

// indexBatch bounds the events indexed in one transaction (and so the span
// of a posting, below maxPostingSpan). On SQLite a transaction holds the
// database's only write lock, which every audited response's event waits
// for; 64 dashboard events of different pages are 3200 postings, a few
// milliseconds of the lock (of the same page, 50). On PostgreSQL postings
// lock nothing the writer needs (one statement).
func (c Chain) indexBatch() int {
	if c.Dialect == dialect.SQLite {
		return 64
	}
	return 200
}

// Index derives the case index rows of every event not yet indexed and
// moves the watermark, in transactions of at most indexBatch events. It is
// safe to run from several processes at once: the watermark row is locked.
// It returns how many events it indexed.
func (c Chain) Index(ctx context.Context, client *ent.Client) (int, error) {
	return c.index(ctx, client, nil)
}

// index is Index, taking the rows of the events b holds from b instead of
// reading them back; b may be nil.
func (c Chain) index(ctx context.Context, client *ent.Client, b *backlog) (int, error) {
	ctx = viewer.SystemContext(ctx)
	total := 0
	for {
		n, more, err := c.indexOnce(ctx, client, b)
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

// indexOnce indexes the next batch of events, at most indexBatch after the
// watermark, and reports whether there may be more (it indexed a full
// batch). The events' cases come from b for the events it holds (this
// process's writer's) and from the events read back for the others
// (another process's, a mutation's), which on PostgreSQL with several
// processes are interleaved with this one's. The postings are derived
// before the transaction, which on SQLite holds the only write lock every
// audited response's event also needs; the transaction then moves the
// watermark and writes them only if nobody moved it meanwhile (indexRows).
//
// A run stops after a batch that was not full: the events appended
// meanwhile wait for the next run (the writer pokes the indexer, which lets
// them gather for a quarter of its interval), so that each run writes a
// quarter of a second's events in one transaction, not one transaction
// for every few events appended during the previous one.
func (c Chain) indexOnce(ctx context.Context, client *ent.Client, b *backlog) (int, bool, error) {
	from, err := c.watermark(ctx, client)
	if err != nil {
		return 0, false, err
	}
	batch := c.indexBatch()
	byEvent := map[int64][]string{} // the cases each event to index names
	if b != nil {
		byEvent = b.take(from+1, batch)
	}
	// The database names the batch's events (their sequence numbers alone,
	// from the index on seq) and gives the records of those b does not
	// hold. When b holds some, only those before the last it holds are
	// read: the ones after it are most often this process's, committed a
	// moment before the writer hands them over, and the next run finds
	// them in b. With one process there are none to read, and only the
	// first statement runs.
	if len(byEvent) < batch {
		upTo := from + int64(batch)
		if len(byEvent) > 0 {
			upTo = slices.Max(slices.Collect(maps.Keys(byEvent)))
		}
		seqs, err := client.AuditEvent.Query().Where(auditevent.SeqGT(from), auditevent.SeqLTE(upTo)).
			Select(auditevent.FieldSeq).Ints(ctx)
		if err != nil {
			return 0, false, fmt.Errorf("reading events to index: %w", err)
		}
		var missing []int64
		for _, seq := range seqs {
			if _, ok := byEvent[int64(seq)]; !ok {
				missing = append(missing, int64(seq))
			}
		}
		if len(missing) > 0 {
			evs, err := client.AuditEvent.Query().Where(auditevent.SeqIn(missing...)).
				Select(auditevent.FieldSeq, auditevent.FieldRecords, auditevent.FieldRecordsDigest).All(ctx)
			if err != nil {
				return 0, false, fmt.Errorf("reading events to index: %w", err)
			}
			for _, e := range evs {
				byEvent[e.Seq] = casesOf(e.Records)
			}
		}
	}
	// The events to index follow the watermark without a gap: events
	// commit in the chain's order, so an event b holds (committed) is
	// never ahead of one the database does not show yet.
	last := from
	for {
		if _, ok := byEvent[last+1]; !ok {
			break
		}
		last++
	}
	n := int(last - from)
	if n == 0 {
		return 0, false, nil
	}
	postings := postingsOf(byEvent, from+1, last)
	tx, err := client.Tx(ctx)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()                             //nolint:errcheck // after Commit this is a no-op
	if _, err := c.lockIndex(ctx, tx); err != nil { // creates the watermark row on a new database
		return 0, false, err
	}
	moved, err := c.indexRows(ctx, tx, postings, from, last)
	if err != nil {
		return 0, false, err
	}
	if !moved {
		return 0, true, nil // another indexer (another process's) got there first: read again
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("committing audit index rows: %w", err)
	}
	return n, n == batch, nil
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
	// backlog holds rows the writer handed over (Writer.FeedIndexer).
	backlog backlog
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
			ix.run(nil) // everything, from the database if need be
			return
		case <-ix.poke:
			// Let a burst of writes gather before indexing them together.
			select {
			case <-time.After(interval / 4):
			case <-ix.stop:
			}
		case <-t.C:
		}
		ix.run(&ix.backlog)
	}
}

func (ix *Indexer) run(b *backlog) {
	if _, err := ix.chain.index(context.Background(), ix.client, b); err != nil {
		ix.log.Warn("audit indexing failed; will retry", "err", err)
	}
}

// Close indexes what is left and stops.
func (ix *Indexer) Close() {
	close(ix.stop)
	<-ix.done
}
