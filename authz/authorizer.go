// Package authz decides what a viewer may do. The Casbin model (model.conf)
// and the default policy (policy.csv) live here; the policy itself lives in
// the database. A viewer's decisions for every object are computed once per
// user and policy version and cached, so a request costs a map lookup, never
// a Casbin evaluation per row or field.
package authz

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

//go:embed model.conf
var modelConf string

//go:embed policy.csv
var defaultPolicy string

// Authorizer holds the current policy and the decisions derived from it.
type Authorizer struct {
	client *ent.Client
	log    *slog.Logger
	snap   atomic.Pointer[snapshot]
	mu     sync.Mutex // serialises reloads
	notify func()     // tells other processes the policy changed
}

// snapshot is an immutable view of one version of the policy. A reload
// builds a new snapshot and swaps it in; the decision cache lives inside it,
// so swapping is what invalidates the cache.
type snapshot struct {
	enf      *casbin.Enforcer
	revision int64
	cache    sync.Map // decisionKey -> *Decision
}

type decisionKey struct {
	user gid.ID
	dom  string
}

// Decision is what the policy grants one user in their organisation.
type Decision struct {
	Perms domain.Perms
	Roles []domain.Role
}

// New loads the policy, filling an empty policy table with the default
// policy first.
func New(ctx context.Context, client *ent.Client, log *slog.Logger) (*Authorizer, error) {
	if log == nil {
		log = slog.Default()
	}
	a := &Authorizer{client: client, log: log, notify: func() {}}
	if err := a.installDefault(ctx); err != nil {
		return nil, err
	}
	if err := a.Reload(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// OnChange sets the function called after this process changes the policy,
// used to tell other processes (see Watch).
func (a *Authorizer) OnChange(f func()) { a.notify = f }

// Reload reads the policy from the database and swaps it in.
func (a *Authorizer) Reload(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	rev, err := readRevision(ctx, a.client)
	if err != nil {
		return err
	}
	m, err := model.NewModelFromString(modelConf)
	if err != nil {
		return fmt.Errorf("parsing casbin model: %w", err)
	}
	e, err := casbin.NewEnforcer(m, adapter{client: a.client})
	if err != nil {
		return fmt.Errorf("building enforcer: %w", err)
	}
	e.EnableAutoSave(false)
	e.EnableLog(false)
	a.snap.Store(&snapshot{enf: e, revision: rev})
	return nil
}

// Revision returns the policy revision in force in this process.
func (a *Authorizer) Revision() int64 { return a.snap.Load().revision }

// Decide returns what userID may do in organisation orgSlug.
func (a *Authorizer) Decide(userID gid.ID, orgSlug string) (*Decision, error) {
	s := a.snap.Load()
	k := decisionKey{userID, orgSlug}
	if d, ok := s.cache.Load(k); ok {
		return d.(*Decision), nil
	}
	d, err := s.decide(string(userID), orgSlug)
	if err != nil {
		return nil, err
	}
	s.cache.Store(k, d)
	return d, nil
}

func (s *snapshot) decide(sub, dom string) (*Decision, error) {
	d := &Decision{}
	for _, o := range domain.Objects {
		for _, act := range domain.Actions {
			ok, err := s.enf.Enforce(sub, dom, string(o), string(act))
			if err != nil {
				return nil, fmt.Errorf("enforcing %s %s: %w", act, o, err)
			}
			if ok {
				d.Perms = d.Perms.With(o, act)
			}
		}
	}
	for _, r := range s.enf.GetRolesForUserInDomain(sub, dom) {
		if role := domain.Role(r); role.Valid() {
			d.Roles = append(d.Roles, role)
		}
	}
	sort.Slice(d.Roles, func(i, j int) bool { return d.Roles[i] < d.Roles[j] })
	return d, nil
}

// Enforce answers one question against the current policy. It exists for
// tests and tools; request paths use Decide.
func (a *Authorizer) Enforce(userID gid.ID, orgSlug string, o domain.Object, act domain.Action) (bool, error) {
	return a.snap.Load().enf.Enforce(string(userID), orgSlug, string(o), string(act))
}

// Rules returns the rules of the current policy, p and g2 first, then role
// assignments.
func (a *Authorizer) Rules() ([]Rule, error) {
	e := a.snap.Load().enf
	var out []Rule
	ps, err := e.GetPolicy()
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		out = append(out, ruleFrom("p", p))
	}
	g2, err := e.GetNamedGroupingPolicy("g2")
	if err != nil {
		return nil, err
	}
	for _, g := range g2 {
		out = append(out, ruleFrom("g2", g))
	}
	gs, err := e.GetNamedGroupingPolicy("g")
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		out = append(out, ruleFrom("g", g))
	}
	return out, nil
}
