package main

import (
	"context"
	"sync"
	"time"
)

// counts caches the totals of the returnee lists for a TTL, as rdrr does
// (--count-cache-ttl, 3 s by default): without it the floor would count
// on every request what rdrr counts once every few seconds, and the
// comparison would measure the cache instead of GraphQL, policy and audit.
type counts struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]countEntry
}

type countEntry struct {
	n       int64
	expires time.Time
}

func newCounts(ttl time.Duration) *counts { return &counts{ttl: ttl, entries: map[string]countEntry{}} }

// get returns the cached total under key, or runs count and caches it.
func (c *counts) get(ctx context.Context, key string, count func(ctx context.Context) (int64, error)) (int64, error) {
	if c.ttl > 0 {
		c.mu.Lock()
		e, ok := c.entries[key]
		c.mu.Unlock()
		if ok && time.Now().Before(e.expires) {
			return e.n, nil
		}
	}
	n, err := count(ctx)
	if err != nil || c.ttl <= 0 {
		return n, err
	}
	c.mu.Lock()
	c.entries[key] = countEntry{n, time.Now().Add(c.ttl)}
	c.mu.Unlock()
	return n, nil
}
