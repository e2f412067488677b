package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
)

// Writer records events that do not belong to a transaction of their own
// (reads, denials, failed logins). Record returns once the event is durable;
// concurrent requests share one transaction (group commit), so a busy server
// writes one batch while the next one gathers.
type Writer struct {
	client *ent.Client
	chain  Chain
	log    *slog.Logger
	queue  chan *pending
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
	// head is where this writer's last transaction left the chain, or nil
	// when unknown (start, failure). Only the loop goroutine touches it.
	head *Head
}

type pending struct {
	ev  Event
	err chan error
}

// maxBatch bounds the events of one transaction.
const maxBatch = 256

// ErrClosed is returned by Record after Close.
var ErrClosed = errors.New("audit writer closed")

// NewWriter starts a writer.
func NewWriter(client *ent.Client, chain Chain, log *slog.Logger) *Writer {
	w := &Writer{client: client, chain: chain, log: log, queue: make(chan *pending, 4096), stop: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

// Record writes ev and waits until it is committed.
func (w *Writer) Record(ctx context.Context, ev Event) error {
	p := &pending{ev: ev, err: make(chan error, 1)}
	select {
	case w.queue <- p:
	case <-w.stop:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued the event is written whatever happens to the request;
	// the request waits for the outcome.
	return <-p.err
}

func (w *Writer) loop() {
	defer close(w.done)
	for {
		var first *pending
		select {
		case first = <-w.queue:
		case <-w.stop:
			// Drain what was queued before Close.
			for {
				select {
				case p := <-w.queue:
					w.write([]*pending{p})
				default:
					return
				}
			}
		}
		batch := []*pending{first}
	gather:
		for len(batch) < maxBatch {
			select {
			case p := <-w.queue:
				batch = append(batch, p)
			default:
				break gather
			}
		}
		w.write(batch)
	}
}

func (w *Writer) write(batch []*pending) {
	evs := make([]Event, len(batch))
	for i, p := range batch {
		evs[i] = p.ev
	}
	ctx := viewer.SystemContext(context.Background())
	err := func() error {
		if w.head != nil {
			// Most often nobody else appended since this writer did: one
			// statement, no lock to wait for (PostgreSQL).
			head, ok, err := w.chain.appendAfter(ctx, w.client, *w.head, evs)
			w.head = nil
			if err != nil {
				return err
			}
			if ok {
				w.head = &head
				return nil
			}
		}
		tx, err := w.client.Tx(ctx)
		if err != nil {
			return err
		}
		head, err := w.chain.appendTx(ctx, tx, evs)
		if err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		w.head = &head
		return nil
	}()
	if err != nil {
		err = fmt.Errorf("writing %d audit events: %w", len(batch), err)
		w.log.Error("audit write failed", "err", err)
	}
	for _, p := range batch {
		p.err <- err
	}
}

// Close stops accepting events, writes those queued, and returns.
func (w *Writer) Close() {
	w.once.Do(func() { close(w.stop) })
	<-w.done
}
