package identity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/user"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Authenticator resolves bearer tokens to viewers.
type Authenticator struct {
	client   *ent.Client
	authz    *authz.Authorizer
	verifier Verifier
	ttl      time.Duration

	mu    sync.Mutex
	cache map[string]cachedUser
}

type cachedUser struct {
	userID  gid.ID
	email   string
	name    string
	orgID   gid.ID
	orgSlug string
	expires time.Time
}

// UserCacheTTL bounds how long a deactivated user's tokens keep working in
// a process that has just resolved them.
const UserCacheTTL = 5 * time.Second

// NewAuthenticator returns an Authenticator.
func NewAuthenticator(client *ent.Client, az *authz.Authorizer, v Verifier) *Authenticator {
	return &Authenticator{client: client, authz: az, verifier: v, ttl: UserCacheTTL, cache: map[string]cachedUser{}}
}

// Failure describes why authentication failed, for the audit trail. The
// client only ever sees UNAUTHENTICATED.
type Failure struct {
	Reason string
	UserID gid.ID // when the token named a known user
	Err    error
}

func (f *Failure) Error() string { return "authentication failed: " + f.Reason }
func (f *Failure) Unwrap() error { return apperr.Unauthenticated("a valid bearer token is required") }

// Authenticate verifies the Authorization header value and returns the
// viewer. Errors unwrap to an UNAUTHENTICATED apperr.Error.
func (a *Authenticator) Authenticate(ctx context.Context, header string) (*viewer.Viewer, error) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	raw = strings.TrimSpace(raw)
	if !ok || raw == "" {
		return nil, &Failure{Reason: "missing bearer token"}
	}
	if len(raw) > 8192 {
		return nil, &Failure{Reason: "token too long"}
	}
	claims, err := a.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, &Failure{Reason: "token did not verify", Err: err}
	}
	u, err := a.user(ctx, claims)
	if err != nil {
		return nil, err
	}
	d, err := a.authz.Decide(u.userID, u.orgSlug)
	if err != nil {
		return nil, fmt.Errorf("deciding permissions: %w", err)
	}
	return &viewer.Viewer{
		UserID: u.userID, Email: u.email, Name: u.name,
		OrgID: u.orgID, OrgSlug: u.orgSlug,
		Roles: d.Roles, Perms: d.Perms,
	}, nil
}

// user finds the active user a token names: by ID for development tokens,
// by OpenID subject, or else by verified e-mail address.
func (a *Authenticator) user(ctx context.Context, c *Claims) (cachedUser, error) {
	key := c.Issuer + "\x00" + c.Subject
	now := time.Now()
	a.mu.Lock()
	cu, ok := a.cache[key]
	a.mu.Unlock()
	if ok && now.Before(cu.expires) {
		return cu, nil
	}
	sys := viewer.SystemContext(ctx)
	q := a.client.User.Query().WithOrganisation()
	switch {
	case c.Dev:
		q = q.Where(user.ID(gid.ID(c.Subject)))
	case c.EmailVerified && c.Email != "":
		q = q.Where(user.Or(user.OidcSubject(c.Subject), user.Email(c.Email)))
	default:
		q = q.Where(user.OidcSubject(c.Subject))
	}
	us, err := q.Limit(2).All(sys)
	if err != nil {
		return cachedUser{}, fmt.Errorf("finding user: %w", err)
	}
	var u *ent.User
	for _, x := range us {
		if x.OidcSubject != nil && *x.OidcSubject == c.Subject || u == nil {
			u = x
		}
	}
	if u == nil {
		return cachedUser{}, &Failure{Reason: "no user for token subject"}
	}
	if !u.Active {
		return cachedUser{}, &Failure{Reason: "user is inactive", UserID: u.ID}
	}
	cu = cachedUser{
		userID: u.ID, email: u.Email, name: u.Name,
		orgID: u.OrganisationID, orgSlug: u.Edges.Organisation.Slug, expires: now.Add(a.ttl),
	}
	a.mu.Lock()
	if len(a.cache) > 10000 {
		a.cache = map[string]cachedUser{}
	}
	a.cache[key] = cu
	a.mu.Unlock()
	return cu, nil
}

// IsFailure reports whether err is an authentication failure.
func IsFailure(err error) bool {
	var f *Failure
	return errors.As(err, &f)
}
