package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync/atomic"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/serverprocess"
)

// heartbeat records this process in the database every interval and keeps
// the number of live processes (seen within three intervals) for the rate
// limiter. A process that cannot reach the database keeps its last count.
type heartbeat struct {
	s     *Server
	id    string
	peers atomic.Int64
}

func newHeartbeat(s *Server) *heartbeat {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	h := &heartbeat{s: s, id: hex.EncodeToString(b)}
	h.peers.Store(1)
	return h
}

// Processes reports how many rdrr processes share this server's database
// (live heartbeats within the last three intervals), at least 1.
func (s *Server) Processes() int { return s.beat.Peers() }

// Peers reports the live processes sharing the database, at least 1.
func (h *heartbeat) Peers() int { return int(max(h.peers.Load(), 1)) }

func (h *heartbeat) run(ctx context.Context, interval time.Duration) {
	host, _ := os.Hostname()
	sys := viewer.SystemContext(ctx)
	c := h.s.Store.Client
	beat := func() {
		now := time.Now().UTC()
		err := c.ServerProcess.Create().SetID(h.id).SetHost(host).SetSeenAt(now).
			OnConflictColumns(serverprocess.FieldID).UpdateSeenAt().Exec(sys)
		if err != nil {
			if ctx.Err() == nil {
				h.s.cfg.Log.Warn("heartbeat failed", "err", err)
			}
			return
		}
		n, err := c.ServerProcess.Query().Where(serverprocess.SeenAtGT(now.Add(-3 * interval))).Count(sys)
		if err == nil && n > 0 {
			h.peers.Store(int64(n))
		}
		// Forget processes gone for a day.
		_, _ = c.ServerProcess.Delete().Where(serverprocess.SeenAtLT(now.Add(-24 * time.Hour))).Exec(sys)
	}
	beat()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			_, _ = c.ServerProcess.Delete().Where(serverprocess.ID(h.id)).Exec(viewer.SystemContext(context.Background()))
			return
		case <-t.C:
			beat()
		}
	}
}
