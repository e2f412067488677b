package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
)

// Writer records events that do not belong to a transaction of their own
// (reads, denials, failed logins). Record returns once the events are
// durable. Concurrent requests share one transaction (group commit), and
// the commit is made by one of the waiting requests, the leader, rather
// than by a writer goroutine of its own: on a loaded server every hand-over
// between goroutines waits for a CPU behind request goroutines that run for
// milliseconds, and with a dedicated writer each audited response took three
// such hand-overs (to the writer, the database's answer, back to the
// request), which cost the PostgreSQL dashboard a quarter of its throughput.
// Now the leader makes the round trip itself and only the followers it
// wakes wait for a CPU, once.
type Writer struct {
	client *ent.Client
	chain  Chain
	log    *slog.Logger

	mu      sync.Mutex
	queue   []*pending
	writing bool // a leader is writing; the next leader is woken by it
	closed  bool
	// head is where this writer's last transaction left the chain, or nil
	// when unknown (start, failure). Only the leader touches it.
	head *Head
	// stored are the record sets this writer knows to be committed.
	stored storedSets
	// indexer, when set, is handed the cases of the events written.
	indexer *Indexer
}

type pending struct {
	evs []Event
	err error
	// wake is sent true when the events are written (err is set), false
	// when this request is to lead the next batch.
	wake chan bool
}

// maxBatch bounds the requests whose events share one transaction.
const maxBatch = 64

// ErrClosed is returned by Record after Close.
var ErrClosed = errors.New("audit writer closed")

// NewWriter returns a writer.
func NewWriter(client *ent.Client, chain Chain, log *slog.Logger) *Writer {
	return &Writer{client: client, chain: chain, log: log}
}

// FeedIndexer makes the writer hand ix the cases of the events it writes,
// once they are committed, so that ix need not read them back (see
// backlog).
func (w *Writer) FeedIndexer(ix *Indexer) { w.indexer = ix }

// Record writes evs and waits until they are committed. Once queued they
// are written whatever happens to the request; the request waits for the
// outcome.
func (w *Writer) Record(_ context.Context, evs ...Event) error {
	if len(evs) == 0 {
		return nil
	}
	p := &pending{evs: evs, wake: make(chan bool, 1)}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	w.queue = append(w.queue, p)
	lead := !w.writing
	w.writing = true
	w.mu.Unlock()
	if !lead {
		if written := <-p.wake; written {
			return p.err
		}
	}
	w.lead()
	return p.err
}

// lead writes the queue's first batch (the leader is its first request),
// wakes its requests, and hands the lead to the next waiting request, if
// any.
func (w *Writer) lead() {
	w.mu.Lock()
	n := min(len(w.queue), maxBatch)
	batch := w.queue[:n:n]
	w.queue = w.queue[n:]
	w.mu.Unlock()

	w.write(batch)
	for _, p := range batch[1:] {
		p.wake <- true
	}

	w.mu.Lock()
	if len(w.queue) == 0 {
		w.writing = false
		w.queue = nil
		w.mu.Unlock()
		return
	}
	next := w.queue[0]
	w.mu.Unlock()
	next.wake <- false
}

func (w *Writer) write(batch []*pending) {
	var evs []Event
	for _, p := range batch {
		evs = append(evs, p.evs...)
	}
	ctx := viewer.SystemContext(context.Background())
	err := func() error {
		known := w.head
		w.head = nil
		if known != nil {
			// Most often nobody else appended since this writer did: one
			// statement, no lock to wait for (PostgreSQL).
			a, ok, err := w.chain.appendAfter(ctx, w.client, *known, evs, &w.stored)
			if err != nil {
				return err
			}
			if ok {
				w.head = &a.head
				w.stored.add(a.links)
				w.handOver(a.backlog)
				return nil
			}
		}
		tx, err := w.client.Tx(ctx)
		if err != nil {
			return err
		}
		a, err := w.chain.appendTx(ctx, tx, evs, known, &w.stored)
		if err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		w.head = &a.head
		w.stored.add(a.links)
		w.handOver(a.backlog)
		return nil
	}()
	if err != nil {
		err = fmt.Errorf("writing %d audit events: %w", len(evs), err)
		w.log.Error("audit write failed", "err", err)
	}
	for _, p := range batch {
		p.err = err
	}
}

// handOver gives the indexer the cases of committed events.
func (w *Writer) handOver(evs []eventCases) {
	if w.indexer != nil && len(evs) > 0 {
		w.indexer.backlog.add(evs)
	}
}

// Close stops accepting events and returns once those queued are written.
func (w *Writer) Close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	for {
		w.mu.Lock()
		idle := !w.writing && len(w.queue) == 0
		w.mu.Unlock()
		if idle {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
