package ent

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/ent/repatriationoperation"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// OrganisationCache keeps the organisations and repatriation operations
// that eager loading looked up by ID, for a few seconds, so that a page
// naming them (a case list's lead agencies, a case's team, providers,
// organisers and operation) does not send a statement for them: for the
// filtered search that statement was one of its two, for one case in full
// one of about twenty. Both are reference data: few, rarely changed and
// visible to every authenticated viewer (their privacy policy, evaluated on
// every lookup, hit or miss, only refuses a request without a viewer), so
// one cache serves all requests. A change made through this process
// empties the cache at once; a change made by another process is seen when
// the entry expires, so a name may lag such a change by at most the TTL.
//
// Only the eager loaders of edges to Organisation and RepatriationOperation
// (rewritten by internal/entpatch to call organisationsByID and
// operationsByID) and LookupOrganisations consult it, only outside
// transactions, and only for a plain lookup by ID: with edges to load
// under the rows, or any other condition, the query runs as it is.
type OrganisationCache struct {
	ttl  time.Duration
	rev  atomic.Int64 // bumped by every change to an organisation or operation in this process
	mu   sync.Mutex
	orgs map[gid.ID]cached[Organisation]
	ops  map[gid.ID]cached[RepatriationOperation]
}

// cached is one cached row and when it expires.
type cached[T any] struct {
	row     *T
	expires time.Time
}

// NewOrganisationCache returns a cache whose entries live for ttl.
func NewOrganisationCache(ttl time.Duration) *OrganisationCache {
	return &OrganisationCache{ttl: ttl, orgs: map[gid.ID]cached[Organisation]{}, ops: map[gid.ID]cached[RepatriationOperation]{}}
}

// Install empties the cache on every change to an organisation or an
// operation made through client, before it and once it is committed.
func (c *OrganisationCache) Install(client *Client) {
	forget := func(next Mutator) Mutator {
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
	}
	client.Organisation.Use(forget)
	client.RepatriationOperation.Use(forget)
}

func (c *OrganisationCache) forget() {
	c.rev.Add(1)
	c.mu.Lock()
	c.orgs = map[gid.ID]cached[Organisation]{}
	c.ops = map[gid.ID]cached[RepatriationOperation]{}
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

// CachedOrganisation returns organisation id from the process's cache, the
// organisation policy deciding as it would on a query, and true; false when
// it is not cached (or ctx carries no cache). The request's organisation
// loader asks the database only for what is missing, but its batch first
// waits for companions (graph/loaders.go) even when every organisation it
// is asked for is cached: resolvers ask here first.
func CachedOrganisation(ctx context.Context, client *Client, id gid.ID) (*Organisation, bool, error) {
	query := client.Organisation.Query().Where(organisation.IDIn(id))
	c := usableCache(ctx, query)
	if c == nil {
		return nil, false, nil
	}
	out, ok, err := cacheHit(ctx, c, query, orgTable, []gid.ID{id})
	if !ok || err != nil {
		return nil, ok, err
	}
	return out[0], true, nil
}

// organisationsByID runs query, an eager load of the organisations ids
// (the loader has added the IDIn predicate), or answers it from the
// request's cache.
func organisationsByID(ctx context.Context, query *OrganisationQuery, ids []gid.ID) ([]*Organisation, error) {
	return cachedByID(ctx, query, orgTable, ids, func(o *Organisation) gid.ID { return o.ID })
}

// operationsByID is organisationsByID for repatriation operations.
func operationsByID(ctx context.Context, query *RepatriationOperationQuery, ids []gid.ID) ([]*RepatriationOperation, error) {
	return cachedByID(ctx, query, opTable, ids, func(o *RepatriationOperation) gid.ID { return o.ID })
}

// refQuery is an eager load of reference data by ID, as cachedByID needs it.
type refQuery[T any] interface {
	All(context.Context) ([]*T, error)
	plainLookup() bool
	inTx() bool
	allColumns(context.Context) ([]*T, error)
	evalPolicy(context.Context) error
}

// cachedByID runs query, the eager load of rows ids of one of the cache's
// tables, or answers it from the request's cache.
func cachedByID[T any](ctx context.Context, query refQuery[T], table func(*OrganisationCache) *map[gid.ID]cached[T], ids []gid.ID, id func(*T) gid.ID) ([]*T, error) {
	c := usableCache(ctx, query)
	if c == nil {
		return query.All(ctx)
	}
	if out, ok, err := cacheHit(ctx, c, query, table, ids); ok {
		return out, err
	}
	rev := c.rev.Load()
	out, err := query.allColumns(ctx)
	if err != nil {
		return nil, err
	}
	storeCached(c, rev, table, out, id)
	return out, nil
}

// usableCache returns the request's cache when query may be answered from
// it and its rows kept in it, or nil: when ctx carries no cache, the query
// asks for more than the rows, or it runs in a transaction, which may read
// what it has not committed.
func usableCache[T any](ctx context.Context, query refQuery[T]) *OrganisationCache {
	c, _ := ctx.Value(orgCacheKey{}).(*OrganisationCache)
	if c == nil || !query.plainLookup() || query.inTx() {
		return nil
	}
	return c
}

// cacheHit answers query, a plain lookup of rows ids, from c (a usable
// cache, usableCache), and true, when every row is there; the policy
// decides on a hit as on a query (the query runs it itself).
func cacheHit[T any](ctx context.Context, c *OrganisationCache, query refQuery[T], table func(*OrganisationCache) *map[gid.ID]cached[T], ids []gid.ID) ([]*T, bool, error) {
	out, ok := lookupCached(c, table, ids)
	if !ok {
		return nil, false, nil
	}
	if err := query.evalPolicy(ctx); err != nil {
		return nil, true, err
	}
	return out, true, nil
}

func (_q *OrganisationQuery) inTx() bool {
	_, ok := _q.driver.(*txDriver)
	return ok
}

func (_q *RepatriationOperationQuery) inTx() bool {
	_, ok := _q.driver.(*txDriver)
	return ok
}

func (_q *OrganisationQuery) evalPolicy(ctx context.Context) error {
	return organisation.Policy.EvalQuery(ctx, _q)
}

func (_q *RepatriationOperationQuery) evalPolicy(ctx context.Context) error {
	return repatriationoperation.Policy.EvalQuery(ctx, _q)
}

// allColumns runs the query for every column, whatever the request
// selected: the cache serves other selections too.
func (_q *OrganisationQuery) allColumns(ctx context.Context) ([]*Organisation, error) {
	full := _q.Clone()
	full.ctx.Fields = nil
	return full.All(ctx)
}

func (_q *RepatriationOperationQuery) allColumns(ctx context.Context) ([]*RepatriationOperation, error) {
	full := _q.Clone()
	full.ctx.Fields = nil
	return full.All(ctx)
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

// plainLookup reports whether the query is the loader's lookup by ID and
// nothing more.
func (_q *RepatriationOperationQuery) plainLookup() bool {
	return len(_q.predicates) == 1 && len(_q.order) == 0 && len(_q.inters) == 0 && len(_q.modifiers) == 0 &&
		len(_q.loadTotal) == 0 && _q.withReturnees == nil && len(_q.withNamedReturnees) == 0 &&
		_q.ctx.Limit == nil && _q.ctx.Offset == nil && (_q.ctx.Unique == nil || *_q.ctx.Unique) &&
		_q.sql == nil && _q.path == nil
}

// orgTable and opTable name the cache's two tables, for the functions
// below, which read and replace them under the cache's lock.
func orgTable(c *OrganisationCache) *map[gid.ID]cached[Organisation]         { return &c.orgs }
func opTable(c *OrganisationCache) *map[gid.ID]cached[RepatriationOperation] { return &c.ops }

// lookupCached returns copies of the rows ids of a table of c, if all are
// cached and fresh.
func lookupCached[T any](c *OrganisationCache, table func(*OrganisationCache) *map[gid.ID]cached[T], ids []gid.ID) ([]*T, bool) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	m := *table(c)
	out := make([]*T, 0, len(ids))
	for _, id := range ids {
		e, ok := m[id]
		if !ok || now.After(e.expires) {
			return nil, false
		}
		row := *e.row // callers may set edges on what they get
		out = append(out, &row)
	}
	return out, true
}

// storeCached caches rows in a table of c, read when the cache's revision
// was rev, unless an organisation or operation changed since.
func storeCached[T any](c *OrganisationCache, rev int64, table func(*OrganisationCache) *map[gid.ID]cached[T], rows []*T, id func(*T) gid.ID) {
	expires := time.Now().Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rev.Load() != rev {
		return
	}
	m := table(c)
	if len(*m) >= maxCachedRows {
		*m = map[gid.ID]cached[T]{}
	}
	for _, r := range rows {
		cp := *r
		(*m)[id(r)] = cached[T]{row: &cp, expires: expires}
	}
}

// maxCachedRows bounds each table of the cache: a country has tens to
// hundreds of organisations and a few operations.
const maxCachedRows = 10000
