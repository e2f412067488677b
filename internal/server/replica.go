package server

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/internal/bus"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/store"
)

// topicWrote announces that a user has just written, so every process keeps
// that user's reads on the primary for a while (read-your-writes behind a
// load balancer that may send the next request elsewhere).
const topicWrote = "wrote"

// primaryPins remembers, per user, until when their reads must stay on the
// primary because they have just written. Entries are short-lived; expired
// ones are dropped as new ones arrive.
type primaryPins struct {
	window time.Duration
	mu     sync.Mutex
	until  map[gid.ID]time.Time
	sweep  time.Time
}

func newPrimaryPins(window time.Duration) *primaryPins {
	return &primaryPins{window: window, until: map[gid.ID]time.Time{}}
}

// pin keeps user's reads on the primary for the window from now.
func (p *primaryPins) pin(user gid.ID) {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.until[user] = now.Add(p.window)
	if now.After(p.sweep) {
		for u, t := range p.until {
			if now.After(t) {
				delete(p.until, u)
			}
		}
		p.sweep = now.Add(p.window)
	}
}

// pinned reports whether user's reads must stay on the primary.
func (p *primaryPins) pinned(user gid.ID) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.until[user]
	return ok && time.Now().Before(t)
}

// follow applies the pins other processes announce until ctx ends.
func (p *primaryPins) follow(ctx context.Context, b bus.Bus) {
	msgs, stop := b.Subscribe(topicWrote)
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-msgs:
			if id, _, err := gid.Parse(string(m.Payload)); err == nil {
				p.pin(id)
			}
		}
	}
}

// ReplicaRouting lets read-only GraphQL operations be answered by the read
// replica, except for users who have written within the pin window: their
// reads stay on the primary so they see their own writes. Mutations pin
// their user here and, through the bus, in every other process, before and
// after they run (a slow mutation must not outlive its pin).
type ReplicaRouting struct {
	pins *primaryPins
	bus  bus.Bus
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = ReplicaRouting{}

// ExtensionName names the extension.
func (ReplicaRouting) ExtensionName() string { return "ReplicaRouting" }

// Validate accepts any schema.
func (ReplicaRouting) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation routes the operation.
func (r ReplicaRouting) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	v := viewer.FromContext(ctx)
	op := graphql.GetOperationContext(ctx).Operation
	if v == nil || v.UserID == "" || op == nil {
		return next(ctx)
	}
	switch op.Operation {
	case ast.Query:
		if !r.pins.pinned(v.UserID) {
			ctx = store.AllowReplica(ctx)
		}
		return next(ctx)
	case ast.Mutation:
		r.announce(ctx, v.UserID)
		h := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := h(ctx)
			r.announce(ctx, v.UserID)
			return resp
		}
	default:
		return next(ctx)
	}
}

func (r ReplicaRouting) announce(ctx context.Context, user gid.ID) {
	r.pins.pin(user)
	// The bus delivers to this process too, which pins again: harmless.
	_ = r.bus.Publish(context.WithoutCancel(ctx), topicWrote, []byte(user))
}
