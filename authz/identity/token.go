package identity

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/rdrr-project/rdrr/internal/gid"
)

// The issuer and audience of development tokens.
const (
	DevIssuer   = "rdrr-dev"
	DevAudience = "rdrr"
)

// Claims is what rdrr takes from a verified token.
type Claims struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Dev           bool // signed with the development key: Subject is a user ID
}

// Verifier checks a raw token and returns its claims.
type Verifier interface {
	Verify(ctx context.Context, raw string) (*Claims, error)
}

// ErrInvalidToken is returned for any token that does not verify; the
// client learns no more than that.
var ErrInvalidToken = errors.New("invalid or expired token")

// IssueDevToken signs a development token naming userID.
func IssueDevToken(key []byte, userID gid.ID, email string, ttl time.Duration) (string, error) {
	if ttl <= 0 || ttl > 30*24*time.Hour {
		return "", fmt.Errorf("ttl must be between 0 and 720h")
	}
	now := time.Now()
	jti := make([]byte, 12)
	_, _ = rand.Read(jti)
	claims := jwt.MapClaims{
		"iss":   DevIssuer,
		"aud":   DevAudience,
		"sub":   string(userID),
		"email": email,
		"iat":   now.Unix(),
		"nbf":   now.Add(-time.Minute).Unix(),
		"exp":   now.Add(ttl).Unix(),
		"jti":   hex.EncodeToString(jti),
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
}

// DevVerifier verifies development tokens (HS256 with the development key).
type DevVerifier struct{ Key []byte }

// Verify implements Verifier. Only HS256 is accepted, whatever the token's
// header says, so "alg: none" and algorithm-confusion tokens fail.
func (d DevVerifier) Verify(_ context.Context, raw string) (*Claims, error) {
	tok, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return d.Key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(DevIssuer),
		jwt.WithAudience(DevAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(30*time.Second),
	)
	if err != nil || !tok.Valid {
		return nil, ErrInvalidToken
	}
	mc, ok := tok.Claims.(jwt.MapClaims)
	if !ok {
		return nil, ErrInvalidToken
	}
	sub, _ := mc["sub"].(string)
	if _, _, err := gid.Parse(sub); err != nil {
		return nil, ErrInvalidToken
	}
	email, _ := mc["email"].(string)
	return &Claims{Issuer: DevIssuer, Subject: sub, Email: strings.ToLower(email), Dev: true}, nil
}

// issuerOf reads the iss claim of a token without verifying it, to pick a
// verifier. Nothing else is trusted before verification.
func issuerOf(raw string) string {
	p := jwt.NewParser()
	tok, _, err := p.ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		return ""
	}
	iss, _ := tok.Claims.GetIssuer()
	return iss
}
