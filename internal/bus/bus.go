// Package bus carries small notifications between the parts of rdrr and,
// on PostgreSQL, between rdrr processes sharing one database (LISTEN/NOTIFY).
// Messages are hints that something changed ("the policy changed", "referral
// X moved"): receivers re-read the database, which stays the source of truth,
// so a message lost while a connection is re-established delays a change but
// never corrupts state.
package bus

import (
	"context"
	"sync"
)

// Message is one notification.
type Message struct {
	Topic   string `json:"t"`
	Payload []byte `json:"p,omitempty"`
}

// Bus publishes and delivers messages.
type Bus interface {
	// Publish sends a message to every subscriber of topic, in every process.
	Publish(ctx context.Context, topic string, payload []byte) error
	// Subscribe returns a channel of the topic's messages and a function
	// that ends the subscription. Slow subscribers lose messages rather
	// than block the bus.
	Subscribe(topic string) (<-chan Message, func())
	// Close stops delivery.
	Close() error
}

// hub fans messages out to in-process subscribers.
type hub struct {
	mu   sync.Mutex
	subs map[string]map[chan Message]struct{}
}

func newHub() *hub { return &hub{subs: map[string]map[chan Message]struct{}{}} }

func (h *hub) subscribe(topic string) (<-chan Message, func()) {
	ch := make(chan Message, 64)
	h.mu.Lock()
	if h.subs[topic] == nil {
		h.subs[topic] = map[chan Message]struct{}{}
	}
	h.subs[topic][ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs[topic], ch)
			h.mu.Unlock()
		})
	}
}

func (h *hub) deliver(m Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[m.Topic] {
		select {
		case ch <- m:
		default: // subscriber is behind; it re-reads the database anyway
		}
	}
}

// Local is a Bus within one process (SQLite deployments, tests).
type Local struct{ h *hub }

// NewLocal returns an in-process bus.
func NewLocal() *Local { return &Local{h: newHub()} }

// Publish delivers m to this process's subscribers.
func (l *Local) Publish(_ context.Context, topic string, payload []byte) error {
	l.h.deliver(Message{Topic: topic, Payload: payload})
	return nil
}

// Subscribe implements Bus.
func (l *Local) Subscribe(topic string) (<-chan Message, func()) { return l.h.subscribe(topic) }

// Close implements Bus.
func (l *Local) Close() error { return nil }
