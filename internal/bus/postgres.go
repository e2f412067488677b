package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

const channel = "rdrr_bus"

// maxPayload keeps messages under PostgreSQL's 8000-byte NOTIFY limit.
const maxPayload = 7000

// Postgres is a Bus over PostgreSQL LISTEN/NOTIFY. Every process, the
// sender included, receives each message through its listening connection.
type Postgres struct {
	url    string
	log    *slog.Logger
	h      *hub
	pubMu  sync.Mutex
	pub    *pgx.Conn
	cancel context.CancelFunc
	done   chan struct{}
	ready  chan struct{}
	// OnReconnect is called after the listening connection was lost and
	// re-established, so owners can re-read what they may have missed.
	onReconnect func()
}

// NewPostgres starts listening on the database at url.
func NewPostgres(ctx context.Context, url string, log *slog.Logger, onReconnect func()) (*Postgres, error) {
	if log == nil {
		log = slog.Default()
	}
	if onReconnect == nil {
		onReconnect = func() {}
	}
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p := &Postgres{url: url, log: log, h: newHub(), cancel: cancel, done: make(chan struct{}), ready: make(chan struct{}), onReconnect: onReconnect}
	go p.listen(lctx)
	select {
	case <-p.ready:
		return p, nil
	case <-time.After(10 * time.Second):
		p.Close()
		return nil, errors.New("bus: could not start listening on PostgreSQL within 10s")
	}
}

func (p *Postgres) listen(ctx context.Context) {
	defer close(p.done)
	first := true
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, p.url)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+channel)
		}
		if err != nil {
			if conn != nil {
				conn.Close(context.Background())
			}
			p.log.Warn("bus: listening failed, retrying", "err", err, "in", backoff)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		if first {
			close(p.ready)
			first = false
		} else {
			p.onReconnect()
		}
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				if ctx.Err() == nil {
					p.log.Warn("bus: lost listening connection", "err", err)
				}
				break
			}
			var m Message
			if err := json.Unmarshal([]byte(n.Payload), &m); err != nil {
				p.log.Warn("bus: dropping malformed message", "err", err)
				continue
			}
			p.h.deliver(m)
		}
		conn.Close(context.Background())
	}
}

// Publish implements Bus.
func (p *Postgres) Publish(ctx context.Context, topic string, payload []byte) error {
	b, err := json.Marshal(Message{Topic: topic, Payload: payload})
	if err != nil {
		return err
	}
	if len(b) > maxPayload {
		return fmt.Errorf("bus: message of %d bytes is over the %d-byte limit", len(b), maxPayload)
	}
	p.pubMu.Lock()
	defer p.pubMu.Unlock()
	for attempt := 0; attempt < 2; attempt++ {
		if p.pub == nil || p.pub.IsClosed() {
			c, err := pgx.Connect(ctx, p.url)
			if err != nil {
				return fmt.Errorf("bus: connecting to publish: %w", err)
			}
			p.pub = c
		}
		if _, err = p.pub.Exec(ctx, "SELECT pg_notify($1, $2)", channel, string(b)); err == nil {
			return nil
		}
		p.pub.Close(context.Background())
		p.pub = nil
	}
	return fmt.Errorf("bus: publishing: %w", err)
}

// Subscribe implements Bus.
func (p *Postgres) Subscribe(topic string) (<-chan Message, func()) { return p.h.subscribe(topic) }

// Close implements Bus.
func (p *Postgres) Close() error {
	p.cancel()
	<-p.done
	p.pubMu.Lock()
	defer p.pubMu.Unlock()
	if p.pub != nil {
		p.pub.Close(context.Background())
	}
	return nil
}
