package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Sub is a graphql-transport-ws client connection with one subscription.
type Sub struct {
	c   *websocket.Conn
	ctx context.Context
}

// WSMessage is one protocol message.
type WSMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Subscribe opens a WebSocket to the server, authenticates with token in
// connection_init and subscribes to query. origin, when set, is sent as
// the Origin header.
func (e *Env) Subscribe(t testing.TB, token, query string, vars map[string]any, origin string) (*Sub, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.URL, "http")+"/graphql", &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h,
	})
	if err != nil {
		return nil, err
	}
	s := &Sub{c: c, ctx: ctx}
	t.Cleanup(func() { c.Close(websocket.StatusNormalClosure, "") })
	init, _ := json.Marshal(map[string]any{"Authorization": "Bearer " + token})
	if err := s.send(WSMessage{Type: "connection_init", Payload: init}); err != nil {
		return nil, err
	}
	m, err := s.Next(5 * time.Second)
	if err != nil {
		return nil, err
	}
	if m.Type != "connection_ack" {
		return nil, fmt.Errorf("init answered %s: %s", m.Type, m.Payload)
	}
	payload, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err := s.send(WSMessage{ID: "1", Type: "subscribe", Payload: payload}); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Sub) send(m WSMessage) error {
	b, _ := json.Marshal(m)
	return s.c.Write(s.ctx, websocket.MessageText, b)
}

// Next returns the next message other than pings, or an error after d.
func (s *Sub) Next(d time.Duration) (WSMessage, error) {
	ctx, cancel := context.WithTimeout(s.ctx, d)
	defer cancel()
	for {
		_, b, err := s.c.Read(ctx)
		if err != nil {
			return WSMessage{}, err
		}
		var m WSMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return WSMessage{}, err
		}
		if m.Type == "ping" {
			_ = s.send(WSMessage{Type: "pong"})
			continue
		}
		if m.Type == "pong" || m.Type == "ka" {
			continue
		}
		return m, nil
	}
}
