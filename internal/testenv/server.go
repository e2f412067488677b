package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/identity"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/user"
	"github.com/rdrr-project/rdrr/internal/server"
)

// Env is a running server on a real listener.
type Env struct {
	*server.Server
	URL     string // base URL, e.g. http://127.0.0.1:41234
	DBURL   string
	key     []byte
	keyFile string
	Client  *http.Client
	// Purpose is sent as X-Purpose-Of-Use on every request unless empty.
	Purpose string
}

// SameKey makes another server accept this server's development tokens,
// as processes of one deployment do.
func (e *Env) SameKey() func(*server.Config) {
	return func(c *server.Config) { c.DevKeyFile = e.keyFile }
}

// Start runs a server on dbURL until the test ends. Options may change the
// configuration before the server is built.
func Start(t testing.TB, dbURL string, opts ...func(*server.Config)) *Env {
	t.Helper()
	keyFile := filepath.Join(t.TempDir(), "dev.key")
	cfg := server.Defaults() // production defaults, then the test's address, store and key
	cfg.Addr, cfg.DB, cfg.DevKeyFile, cfg.Log = "127.0.0.1:0", dbURL, keyFile, testLogger()
	cfg.NoRateLimits = true    // tests fire bursts; the rate-limit test turns them on
	cfg.Statistics.MaxAge = -1 // statistics see the test's data at once (no snapshot reuse)
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("starting server: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		srv.Close()
		t.Fatalf("listening: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Errorf("server did not stop")
		}
	})
	keyFile = cfg.DevKeyFile
	key, err := identity.LoadDevKey(keyFile)
	if err != nil {
		t.Fatalf("loading key: %v", err)
	}
	return &Env{Server: srv, URL: "http://" + l.Addr().String(), DBURL: dbURL, key: key, keyFile: keyFile, Purpose: "automated test", Client: &http.Client{Timeout: 60 * time.Second}}
}

// Token returns a development token for the user with this e-mail address.
func (e *Env) Token(t testing.TB, email string) string {
	t.Helper()
	u, err := e.Store.Client.User.Query().Where(user.Email(email)).Only(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatalf("finding user %s: %v", email, err)
	}
	tok, err := identity.IssueDevToken(e.key, u.ID, u.Email, time.Hour)
	if err != nil {
		t.Fatalf("issuing token: %v", err)
	}
	return tok
}

// Key returns the development signing key, for tests that forge tokens.
func (e *Env) Key() []byte { return e.key }

// Response is a GraphQL response.
type Response struct {
	Status int
	Header http.Header
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
	Raw    []byte
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns the error's extensions.code.
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Query posts a GraphQL operation with token (may be empty).
func (e *Env) Query(t testing.TB, token, query string, vars map[string]any) *Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return e.Post(t, token, "application/json", body, nil)
}

// Post sends a raw request to /graphql.
func (e *Env) Post(t testing.TB, token, contentType string, body []byte, header http.Header) *Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if e.Purpose != "" {
		req.Header.Set("X-Purpose-Of-Use", e.Purpose)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.Client.Do(req)
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", resp.StatusCode, raw)
	}
	return out
}

// Decode unmarshals the data of r into v, failing on any error in r.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %s", r.Raw)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decoding data: %v: %s", err, r.Raw)
	}
}

// DecodeData unmarshals the data of r into v, allowing errors.
func (r *Response) DecodeData(t testing.TB, v any) {
	t.Helper()
	if len(r.Data) == 0 || string(r.Data) == "null" {
		return
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decoding data: %v: %s", err, r.Raw)
	}
}

// Codes returns the extensions.code of every error.
func (r *Response) Codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Code())
	}
	return out
}

// testLogger discards server logs unless RDRR_TEST_LOG is set.
func testLogger() *slog.Logger {
	if os.Getenv("RDRR_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// Raw2 returns the raw body as a string.
func (r *Response) Raw2() string { return string(r.Raw) }
