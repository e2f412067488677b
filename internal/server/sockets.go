package server

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/graph"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// socketCount bounds the open subscription connections per user.
type socketCount struct {
	mu sync.Mutex
	n  map[gid.ID]int
}

func (c *socketCount) take(u gid.ID, max int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[u] >= max {
		return false
	}
	c.n[u]++
	return true
}

func (c *socketCount) give(u gid.ID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[u]--; c.n[u] <= 0 {
		delete(c.n, u)
	}
}

type socketUser struct{}

// websocketTransport serves subscriptions over graphql-transport-ws. The
// browser Origin must be this server or a configured CORS origin; the
// token travels in the connection_init payload ({"Authorization": "Bearer
// ..."}) and is checked like any request's; each user may hold a few
// connections at once.
func (s *Server) websocketTransport() *transport.Websocket {
	var patterns []string
	for _, o := range s.cfg.CORSOrigins {
		if u, err := url.Parse(o); err == nil && u.Host != "" {
			patterns = append(patterns, u.Host)
		}
	}
	return &transport.Websocket{
		Implementation:        transport.CoderWebsocketImplementation{AcceptOptions: coderws.AcceptOptions{OriginPatterns: patterns}},
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: 20 * time.Second,
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			v, err := s.auth.Authenticate(ctx, p.Authorization())
			if err != nil {
				_ = s.auditLoginFailure(ctx, err, "")
				return ctx, nil, errors.New("UNAUTHENTICATED: a valid bearer token is required in the connection_init payload")
			}
			if !s.sockets.take(v.UserID, s.cfg.MaxSocketsPerUser) {
				return ctx, nil, errors.New("RATE_LIMITED: too many open subscription connections for this user")
			}
			ctx = context.WithValue(ctx, socketUser{}, v.UserID)
			ctx = viewer.NewContext(ctx, v)
			return graph.WithLoaders(ctx, s.Store.Client), nil, nil
		},
		CloseFunc: func(ctx context.Context, _ int) {
			if u, ok := ctx.Value(socketUser{}).(gid.ID); ok {
				s.sockets.give(u)
			}
		},
	}
}
