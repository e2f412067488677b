// Package ratelimit limits how often users and organisations may call the
// API, per process, with each process allowing its share of the configured
// rate: a deployment of N processes (counted from their heartbeats in the
// shared database) gives each one 1/N of every limit. So the limits hold for
// the whole deployment without a database write per request; a client that
// reaches only one process gets at most its share (stricter, never looser).
package ratelimit

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits are requests per second with a burst, per key kind.
type Limits struct {
	PerUser      float64 // sustained requests per second per user (default 20)
	PerUserBurst int     // (default 40)
	PerOrg       float64 // per organisation (default 200)
	PerOrgBurst  int     // (default 400)
	PerIP        float64 // unauthenticated requests per client address (default 5)
	PerIPBurst   int     // (default 20)
}

// Defaults are the limits of a server that sets none.
var Defaults = Limits{PerUser: 20, PerUserBurst: 40, PerOrg: 200, PerOrgBurst: 400, PerIP: 5, PerIPBurst: 20}

func (l Limits) withDefaults() Limits {
	d := Defaults
	if l.PerUser > 0 {
		d.PerUser, d.PerUserBurst = l.PerUser, max(l.PerUserBurst, 1)
	}
	if l.PerOrg > 0 {
		d.PerOrg, d.PerOrgBurst = l.PerOrg, max(l.PerOrgBurst, 1)
	}
	if l.PerIP > 0 {
		d.PerIP, d.PerIPBurst = l.PerIP, max(l.PerIPBurst, 1)
	}
	return d
}

// Limiter holds the token buckets of one process.
type Limiter struct {
	limits Limits
	peers  func() int // live processes sharing the limits, at least 1
	mu     sync.Mutex
	share  int
	bucket map[string]*entry
}

type entry struct {
	lim  *rate.Limiter
	used time.Time
}

// New returns a limiter. peers reports how many processes share the
// limits; nil means this process alone.
func New(l Limits, peers func() int) *Limiter {
	if peers == nil {
		peers = func() int { return 1 }
	}
	return &Limiter{limits: l.withDefaults(), peers: peers, share: 1, bucket: map[string]*entry{}}
}

// Kind of key a limit applies to.
type Kind int

// The kinds of keys.
const (
	User Kind = iota
	Org
	IP
)

func (l *Limiter) rateOf(k Kind) (float64, int) {
	switch k {
	case User:
		return l.limits.PerUser, l.limits.PerUserBurst
	case Org:
		return l.limits.PerOrg, l.limits.PerOrgBurst
	}
	return l.limits.PerIP, l.limits.PerIPBurst
}

// Allow takes a token for key of kind k. When none is left it reports how
// long to wait before retrying.
func (l *Limiter) Allow(k Kind, key string) (bool, time.Duration) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := max(l.peers(), 1); n != l.share {
		// The deployment grew or shrank: start over with the new shares.
		l.share = n
		l.bucket = map[string]*entry{}
	}
	id := string(rune('0'+k)) + key
	e := l.bucket[id]
	if e == nil {
		r, b := l.rateOf(k)
		perProc := r / float64(l.share)
		burst := int(math.Max(1, math.Ceil(float64(b)/float64(l.share))))
		e = &entry{lim: rate.NewLimiter(rate.Limit(perProc), burst)}
		l.bucket[id] = e
		if len(l.bucket) > 100000 {
			l.evict(now)
		}
	}
	e.used = now
	res := e.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// evict forgets buckets unused for a minute (they are full again by then).
func (l *Limiter) evict(now time.Time) {
	for k, e := range l.bucket {
		if now.Sub(e.used) > time.Minute {
			delete(l.bucket, k)
		}
	}
}
