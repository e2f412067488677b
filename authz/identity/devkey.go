// Package identity turns a bearer token into a viewer: it verifies the token
// (a development HS256 key, or OpenID Connect in production), finds the user
// it names, and asks authz what that user may do.
package identity

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// DevKeyEnv names the environment variable that may hold the development
// signing key (at least 32 characters).
const DevKeyEnv = "RDRR_DEV_SIGNING_KEY"

// DefaultDevKeyFile is where the development key is kept when the variable
// is not set. It is created on first use, readable by its owner only.
const DefaultDevKeyFile = "rdrr-dev-signing.key"

// LoadDevKey returns the development signing key from DevKeyEnv, or from
// path, creating the file with a fresh random key if it does not exist.
func LoadDevKey(path string) ([]byte, error) {
	if v := strings.TrimSpace(os.Getenv(DevKeyEnv)); v != "" {
		if len(v) < 32 {
			return nil, fmt.Errorf("%s must be at least 32 characters", DevKeyEnv)
		}
		return []byte(v), nil
	}
	if path == "" {
		path = DefaultDevKeyFile
	}
	b, err := os.ReadFile(path)
	if err == nil {
		k := strings.TrimSpace(string(b))
		if len(k) < 32 {
			return nil, fmt.Errorf("development key in %s is shorter than 32 characters", path)
		}
		return []byte(k), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading development key: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	k := hex.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // another process created it first
			return LoadDevKey(path)
		}
		return nil, fmt.Errorf("creating development key: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString(k + "\n"); err != nil {
		return nil, fmt.Errorf("writing development key: %w", err)
	}
	return []byte(k), nil
}
