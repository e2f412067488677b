package identity

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/rdrr-project/rdrr/internal/gid"
)

// FuzzDevVerifier: the token parser never panics and accepts nothing it did
// not sign: an accepted token's signature must be, byte for byte, the
// HMAC-SHA256 of its first two segments under the key.
func FuzzDevVerifier(f *testing.F) {
	key := []byte("fuzz-signing-key-0123456789abcdef0123")
	good, err := IssueDevToken(key, gid.New("usr"), "a@b.example", time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"iss": DevIssuer, "aud": DevAudience, "sub": string(gid.New("usr")), "exp": time.Now().Add(time.Hour).Unix()}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	for _, s := range []string{good, none, "", ".", "..", "a.b.c", good + "x", strings.Replace(good, ".", "..", 1),
		"eyJhbGciOiJIUzI1NiJ9.e30.", strings.Repeat("A", 5000)} {
		f.Add(s)
	}
	v := DevVerifier{Key: key}
	r := Router{Dev: v}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := v.Verify(context.Background(), raw)
		if err == nil {
			parts := strings.Split(raw, ".")
			if len(parts) != 3 {
				t.Fatalf("accepted a token of %d segments: %q", len(parts), raw)
			}
			mac := hmac.New(sha256.New, key)
			mac.Write([]byte(parts[0] + "." + parts[1]))
			if want := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)); parts[2] != want {
				t.Fatalf("accepted a token whose signature is not ours: %q -> %+v", raw, c)
			}
		}
		_, _ = r.Verify(context.Background(), raw)
		_ = issuerOf(raw)
	})
}
