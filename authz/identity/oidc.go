package identity

import (
	"context"
	"fmt"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
)

// OIDCVerifier verifies ID or access tokens of an OpenID Connect issuer.
// Keys come from the issuer's JWKS, cached and refetched when a token names
// a key the cache does not know (key rotation).
type OIDCVerifier struct {
	issuer   string
	verifier *oidc.IDTokenVerifier
}

// NewOIDCVerifier discovers issuer's configuration. audience is the client
// ID tokens must be issued for; empty skips the audience check (only for
// issuers that put no audience in access tokens).
func NewOIDCVerifier(ctx context.Context, issuer, audience string) (*OIDCVerifier, error) {
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, fmt.Errorf("discovering OpenID Connect issuer %s: %w", issuer, err)
	}
	cfg := &oidc.Config{ClientID: audience, SkipClientIDCheck: audience == ""}
	return &OIDCVerifier{issuer: issuer, verifier: p.Verifier(cfg)}, nil
}

// Verify implements Verifier.
func (o *OIDCVerifier) Verify(ctx context.Context, raw string) (*Claims, error) {
	tok, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, ErrInvalidToken
	}
	var c struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
	}
	if err := tok.Claims(&c); err != nil {
		return nil, ErrInvalidToken
	}
	return &Claims{
		Issuer: tok.Issuer, Subject: tok.Subject, Email: strings.ToLower(c.Email),
		EmailVerified: c.EmailVerified != nil && *c.EmailVerified,
	}, nil
}

// Router sends each token to the verifier of its issuer.
type Router struct {
	Dev  Verifier // may be nil to refuse development tokens
	OIDC map[string]Verifier
}

// Verify implements Verifier.
func (r Router) Verify(ctx context.Context, raw string) (*Claims, error) {
	iss := issuerOf(raw)
	if iss == DevIssuer && r.Dev != nil {
		return r.Dev.Verify(ctx, raw)
	}
	if v, ok := r.OIDC[iss]; ok {
		return v.Verify(ctx, raw)
	}
	return nil, ErrInvalidToken
}
