package testenv

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Issuer is a real OpenID Connect issuer on loopback for tests: discovery
// document, JWKS, RS256 signing, and key rotation.
type Issuer struct {
	URL         string
	mu          sync.Mutex
	keys        map[string]*rsa.PrivateKey // kid -> key, all published
	kid         string                     // the key that signs
	JWKSFetches int
}

// NewIssuer starts an issuer until the test ends.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	is := &Issuer{keys: map[string]*rsa.PrivateKey{}}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	is.URL = srv.URL
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": is.URL, "jwks_uri": is.URL + "/jwks", "authorization_endpoint": is.URL + "/auth",
			"token_endpoint": is.URL + "/token", "id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		is.mu.Lock()
		defer is.mu.Unlock()
		is.JWKSFetches++
		var keys []map[string]string
		for kid, k := range is.keys {
			keys = append(keys, map[string]string{
				"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
				"n": base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
				"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes()),
			})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	})
	is.Rotate(t, "key-1", false)
	return is
}

// Rotate adds a signing key kid and signs with it from now on; with
// retire, the previous keys are withdrawn from the JWKS.
func (is *Issuer) Rotate(t testing.TB, kid string, retire bool) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is.mu.Lock()
	defer is.mu.Unlock()
	if retire {
		is.keys = map[string]*rsa.PrivateKey{}
	}
	is.keys[kid] = k
	is.kid = kid
}

// Token signs an ID token for subject with the current key.
func (is *Issuer) Token(t testing.TB, audience, subject, email string, verified bool) string {
	t.Helper()
	is.mu.Lock()
	k, kid := is.keys[is.kid], is.kid
	is.mu.Unlock()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": is.URL, "aud": audience, "sub": subject, "email": email, "email_verified": verified,
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
	})
	tok.Header["kid"] = kid
	s, err := tok.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
