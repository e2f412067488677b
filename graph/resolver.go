// Package graph is rdrr's GraphQL API: the hand-written schema in schema/,
// gqlgen's generated executor, and the resolvers. Resolvers follow one shape:
// validate the input, check the category permission (the row rules are
// enforced by ent privacy underneath), call ent, and return errors that the
// presenter (errors.go) turns into stable codes.
package graph

import (
	"context"
	"log/slog"
	"time"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/bus"
	"github.com/rdrr-project/rdrr/internal/stats"
	"github.com/rdrr-project/rdrr/internal/webhook"
)

// Resolver is the root of all resolvers; it holds the services they use.
type Resolver struct {
	Client *ent.Client
	Authz  *authz.Authorizer
	Log    *slog.Logger
	// BreakGlassFor is how long emergency access lasts.
	BreakGlassFor time.Duration
	// Counts caches returnee totals; nil disables it.
	Counts *CountCache
	// Audit is the audit trail; writes are appended in their transaction.
	Audit *audit.Trail
	// Bus carries live updates between processes; nil disables them.
	Bus bus.Bus
	// Webhooks is poked when deliveries are queued; nil in tools.
	Webhooks interface{ Poke() }
	// WebhookGuard decides which endpoints webhooks may call.
	WebhookGuard webhook.Guard
	// Authenticate resolves the token of a WebSocket connection.
	Authenticate func(ctx context.Context, header string) (*viewer.Viewer, error)
	// Stats answers the statistics query; nil refuses it as INTERNAL.
	Stats *stats.Source
	// MaxSocketsPerUser bounds a user's open subscriptions connections.
	MaxSocketsPerUser int
}
