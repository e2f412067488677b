package graph

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	entgo "entgo.io/ent"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/internal/store"
)

// CountCache remembers, for a few seconds, the totalCount of returnee
// searches per viewer organisation and filter. Counting under the case-team
// rule probes the team of every case an organisation works on (tens of
// milliseconds at 100000 cases), and dashboards ask the same count on every
// refresh. Any change to a case or a team in this process invalidates every
// entry; changes made by other processes are seen when entries are
// recounted, so a count may lag such a change by at most twice the TTL
// (an expired total is served once more while it is recounted). Only counts are cached, never
// rows, and entries are keyed by organisation, so no count crosses teams.
type CountCache struct {
	ttl     time.Duration
	flight  singleflight.Group // one count per key at a time: no thundering herd when an entry expires
	rev     atomic.Int64
	mu      sync.Mutex
	entries map[string]countEntry
}

type countEntry struct {
	n       int
	expires time.Time
}

const maxCountEntries = 10000

// NewCountCache returns a cache whose entries live for ttl.
func NewCountCache(ttl time.Duration) *CountCache {
	return &CountCache{ttl: ttl, entries: map[string]countEntry{}}
}

type countKey struct{}

type allCasesKey struct{}

// withAllCases marks ctx as that of a list of every case the viewer may
// see, with no filter, whose count rules.CountCases can answer.
func withAllCases(ctx context.Context) context.Context {
	return context.WithValue(ctx, allCasesKey{}, true)
}

// InstallCaseCount wires rules.CountCases into c: the count of an
// unfiltered case list (withAllCases) comes from the case team index
// instead of from every returnee row.
func InstallCaseCount(c *ent.Client) {
	c.Returnee.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			qc := entgo.QueryFromContext(ctx)
			if all, _ := ctx.Value(allCasesKey{}).(bool); !all || qc == nil || qc.Op != entgo.OpQueryCount {
				return next.Query(ctx, q)
			}
			n, ok, err := rules.CountCases(ctx, c)
			if !ok {
				return next.Query(ctx, q)
			}
			return n, err
		})
	}))
}

// withCountKey marks ctx so the returnee count run under it is cached
// under key.
func withCountKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, countKey{}, key)
}

// Install wires the cache into c: an interceptor on returnee counts and a
// hook that invalidates on every change to a case or a case team.
func (cc *CountCache) Install(c *ent.Client) {
	c.Returnee.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			key, ok := ctx.Value(countKey{}).(string)
			qc := entgo.QueryFromContext(ctx)
			if !ok || qc == nil || qc.Op != entgo.OpQueryCount {
				return next.Query(ctx, q)
			}
			full := key + "\x00" + strconv.FormatInt(cc.rev.Load(), 10)
			if store.ReplicaAllowed(ctx) {
				// Counts read on the replica may lag: a user pinned to
				// the primary after writing must not be served one.
				full += "\x00replica"
			}
			refresh := func(ctx context.Context) (any, error) {
				v, err := next.Query(ctx, q)
				if n, isInt := v.(int); err == nil && isInt {
					cc.put(full, n)
				}
				return v, err
			}
			n, fresh, found := cc.get(full)
			if found {
				if !fresh {
					// Serve the expired total while one request recounts
					// in the background: a refresh never stalls a page.
					go cc.flight.Do(full, func() (any, error) { return refresh(context.WithoutCancel(ctx)) }) //nolint:errcheck
				}
				return n, nil
			}
			v, err, _ := cc.flight.Do(full, func() (any, error) { return refresh(ctx) })
			return v, err
		})
	}))
	bump := func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			cc.rev.Add(1)
			v, err := next.Mutate(ctx, m)
			if err == nil {
				// A recount between the change and its commit read the
				// old rows under the new revision: bump again.
				ent.AfterCommit(m, func() { cc.rev.Add(1) })
			}
			return v, err
		})
	}
	c.Returnee.Use(bump)
	c.CaseTeamMember.Use(bump)
}

// get returns the entry for k, whether it is still fresh, and whether there
// was one. Entries are kept for twice the TTL: fresh for the first half,
// served while being recounted in the second.
func (cc *CountCache) get(k string) (n int, fresh, found bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	e, ok := cc.entries[k]
	if !ok {
		return 0, false, false
	}
	now := time.Now()
	if now.After(e.expires.Add(cc.ttl)) {
		delete(cc.entries, k)
		return 0, false, false
	}
	return e.n, !now.After(e.expires), true
}

func (cc *CountCache) put(k string, n int) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if len(cc.entries) >= maxCountEntries {
		now := time.Now()
		for key, e := range cc.entries {
			if now.After(e.expires) {
				delete(cc.entries, key)
			}
		}
		if len(cc.entries) >= maxCountEntries {
			cc.entries = map[string]countEntry{}
		}
	}
	cc.entries[k] = countEntry{n: n, expires: time.Now().Add(cc.ttl)}
}
