package graph

import (
	"context"
	"strings"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/domain"
)

// viewerOf returns the request's viewer. The HTTP layer refuses requests
// without one, so a nil here is a bug; answer as unauthenticated anyway.
func viewerOf(ctx context.Context) (*viewer.Viewer, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apperr.Unauthenticated("authentication required")
	}
	return v, nil
}

// canRead checks the viewer may read category c at level l. The error is
// FORBIDDEN; the field it is returned from becomes null.
func canRead(ctx context.Context, c domain.Category, l domain.Level) error {
	v, err := viewerOf(ctx)
	if err != nil {
		return err
	}
	if !v.CanRead(c, l) {
		return apperr.Forbidden(deniedMessage("read", c, l))
	}
	return nil
}

// canWrite checks the viewer may write category c at level l.
func canWrite(ctx context.Context, c domain.Category, l domain.Level) error {
	v, err := viewerOf(ctx)
	if err != nil {
		return err
	}
	if !v.CanWrite(c, l) {
		return apperr.Forbidden(deniedMessage("write", c, l))
	}
	return nil
}

// can checks a non-case object (statistics, audit, policy, users).
func can(ctx context.Context, o domain.Object, a domain.Action) error {
	v, err := viewerOf(ctx)
	if err != nil {
		return err
	}
	if !v.Can(o, a) {
		return apperr.Forbidden("your roles do not allow " + string(a) + " on " + string(o))
	}
	return nil
}

func deniedMessage(act string, c domain.Category, l domain.Level) string {
	what := strings.ToLower(string(c))
	if c.Sensitive() {
		what += " " + strings.ToLower(string(l))
	}
	return "your roles do not allow " + act + " of " + what + " data"
}
