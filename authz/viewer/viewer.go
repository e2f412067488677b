// Package viewer carries the identity of whoever is making a request, and what
// the policy lets them do, through the request context. Every privacy rule
// and resolver reads it from there; nothing trusts client input for it.
package viewer

import (
	"context"

	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Viewer is an authenticated user, or the system itself.
type Viewer struct {
	UserID  gid.ID
	Email   string
	Name    string
	OrgID   gid.ID
	OrgSlug string
	Roles   []domain.Role
	Perms   domain.Perms
	system  bool
}

// System returns the viewer used by migrations, seeding and internal jobs.
// It bypasses the row and category rules; it is never derived from a request.
func System() *Viewer { return &Viewer{system: true} }

// IsSystem reports whether v is the system viewer.
func (v *Viewer) IsSystem() bool { return v != nil && v.system }

// HasRole reports whether v holds r.
func (v *Viewer) HasRole(r domain.Role) bool {
	if v == nil {
		return false
	}
	for _, x := range v.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Can reports whether v may do a to o.
func (v *Viewer) Can(o domain.Object, a domain.Action) bool {
	if v == nil {
		return false
	}
	return v.system || v.Perms.Can(o, a)
}

// CanRead reports whether v may read category c at level l.
func (v *Viewer) CanRead(c domain.Category, l domain.Level) bool {
	return v.Can(domain.ObjectFor(c, l), domain.ActionRead)
}

// CanWrite reports whether v may write category c at level l.
func (v *Viewer) CanWrite(c domain.Category, l domain.Level) bool {
	return v.Can(domain.ObjectFor(c, l), domain.ActionWrite)
}

type ctxKey struct{}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the viewer in ctx, or nil.
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(ctxKey{}).(*Viewer)
	return v
}

// SystemContext returns ctx carrying the system viewer.
func SystemContext(ctx context.Context) context.Context {
	return NewContext(ctx, System())
}
