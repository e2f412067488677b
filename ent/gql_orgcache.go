package ent

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// OrganisationCache keeps the organisations that eager loading looked up
// by ID, for a few seconds, so that a page naming organisations (a case
// list's lead agencies, a case's team, providers and organisers) does not
// send a statement for them: for the filtered search that statement was one
// of its two. Organisations are few, rarely change and are visible to
// every authenticated viewer (their privacy policy, evaluated on every
// lookup, hit or miss, only refuses a request without a viewer), so one
// cache serves all requests. A change made through this process empties the cache at once;
// a change made by another process is seen when the entry expires, so an
// organisation's name or kind may lag such a change by at most the TTL.
//
// Only the eager loaders of edges to Organisation (rewritten by
// internal/entpatch to call organisationsByID) and LookupOrganisations
// consult it, only outside
// transactions, and only for a plain lookup by ID: with edges to load
// under the organisations, or any other condition, the query runs as it is.
type OrganisationCache struct {
	ttl  time.Duration
	rev  atomic.Int64 // bumped by every change to an organisation in this process
	mu   sync.Mutex
	byID map[gid.ID]cachedOrganisation
}

type cachedOrganisation struct {
	o       *Organisation
	expires time.Time
}

// NewOrganisationCache returns a cache whose entries live for ttl.
func NewOrganisationCache(ttl time.Duration) *OrganisationCache {
	return &OrganisationCache{ttl: ttl, byID: map[gid.ID]cachedOrganisation{}}
}

// Install empties the cache on every change to an organisation made
// through client, before it and once it is committed.
func (c *OrganisationCache) Install(client *Client) {
	client.Organisation.Use(func(next Mutator) Mutator {
		return MutateFunc(func(ctx context.Context, m Mutation) (Value, error) {
			// Before the change, so that lookups in flight do not store
			// what they read; and again once it is committed, since until
			// then a lookup reads the old row.
			c.forget()
			v, err := next.Mutate(ctx, m)
			if err == nil {
				AfterCommit(m, c.forget)
			}
			return v, err
		})
	})
}

func (c *OrganisationCache) forget() {
	c.rev.Add(1)
	c.mu.Lock()
	c.byID = map[gid.ID]cachedOrganisation{}
	c.mu.Unlock()
}

type orgCacheKey struct{}

// WithOrganisationCache returns ctx under which eager loads of
// organisations use c.
func WithOrganisationCache(ctx context.Context, c *OrganisationCache) context.Context {
	return context.WithValue(ctx, orgCacheKey{}, c)
}

// LookupOrganisations returns the organisations ids that exist, in no
// particular order, from the request's cache where it can (outside
// transactions, see OrganisationCache): for lookups made by resolvers
// rather than by eager loading (graph's per-request loader of authoring
// organisations).
func LookupOrganisations(ctx context.Context, client *Client, ids []gid.ID) ([]*Organisation, error) {
	return organisationsByID(ctx, client.Organisation.Query().Where(organisation.IDIn(ids...)), ids)
}

// organisationsByID runs query, an eager load of the organisations ids
// (the loader has added the IDIn predicate), or answers it from the
// request's cache.
func organisationsByID(ctx context.Context, query *OrganisationQuery, ids []gid.ID) ([]*Organisation, error) {
	c, _ := ctx.Value(orgCacheKey{}).(*OrganisationCache)
	if c == nil || !query.plainLookup() {
		return query.All(ctx)
	}
	if _, inTx := query.driver.(*txDriver); inTx {
		// A transaction may read what it has not committed.
		return query.All(ctx)
	}
	// The policy decides on a hit as on a query (the query runs it itself).
	if out, ok := c.lookup(ids); ok {
		if err := organisation.Policy.EvalQuery(ctx, query); err != nil {
			return nil, err
		}
		return out, nil
	}
	rev := c.rev.Load()
	full := query.Clone()
	full.ctx.Fields = nil // every column, whatever this request selected
	out, err := full.All(ctx)
	if err != nil {
		return nil, err
	}
	c.store(rev, out)
	return out, nil
}

// plainLookup reports whether the query is the loader's lookup by ID and
// nothing more.
func (_q *OrganisationQuery) plainLookup() bool {
	return len(_q.predicates) == 1 && len(_q.order) == 0 && len(_q.inters) == 0 && len(_q.modifiers) == 0 &&
		len(_q.loadTotal) == 0 && _q.withUsers == nil && _q.withLedCases == nil && _q.withTeamMemberships == nil &&
		len(_q.withNamedUsers) == 0 && len(_q.withNamedLedCases) == 0 && len(_q.withNamedTeamMemberships) == 0 &&
		_q.ctx.Limit == nil && _q.ctx.Offset == nil && (_q.ctx.Unique == nil || *_q.ctx.Unique) &&
		_q.sql == nil && _q.path == nil
}

// lookup returns copies of the cached organisations ids, if all are cached
// and fresh.
func (c *OrganisationCache) lookup(ids []gid.ID) ([]*Organisation, bool) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*Organisation, 0, len(ids))
	for _, id := range ids {
		e, ok := c.byID[id]
		if !ok || now.After(e.expires) {
			return nil, false
		}
		o := *e.o // callers may set edges on what they get
		out = append(out, &o)
	}
	return out, true
}

// store caches os, read when the cache's revision was rev, unless an
// organisation changed since.
func (c *OrganisationCache) store(rev int64, os []*Organisation) {
	expires := time.Now().Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rev.Load() != rev {
		return
	}
	if len(c.byID) >= maxCachedOrganisations {
		c.byID = map[gid.ID]cachedOrganisation{}
	}
	for _, o := range os {
		cp := *o
		c.byID[o.ID] = cachedOrganisation{o: &cp, expires: expires}
	}
}

// maxCachedOrganisations bounds the cache: a country has tens to hundreds
// of organisations.
const maxCachedOrganisations = 10000
