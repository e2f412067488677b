package server_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestDatabaseLoss: with PostgreSQL gone, /readyz fails, requests get a
// clear INTERNAL "database unavailable" error quickly, and service resumes
// by itself when the database returns. The database is "lost" by cutting a
// TCP proxy in front of it.
func TestDatabaseLoss(t *testing.T) {
	if os.Getenv(testenv.PostgresEnv) == "" {
		t.Log("PostgreSQL only: set " + testenv.PostgresEnv)
		return
	}
	real := testenv.PostgresURL(t)
	u, _ := url.Parse(real)
	proxy := testenv.NewProxy(t, u.Host)
	u.Host = proxy.Addr
	w := newWorld(t, testenv.Store{Name: "postgres", URL: u.String()})
	ready := func() int {
		resp, err := http.Get(w.e.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	q := `{ returnees { totalCount edges { node { familyName documents { totalCount } } } } }`
	if r := w.e.Query(t, w.cm, q, nil); len(r.Errors) != 0 || ready() != 200 {
		t.Fatalf("before: %s", r.Raw)
	}
	proxy.Cut()
	start := time.Now()
	if code := ready(); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database gone: %d", code)
	}
	r := w.e.Query(t, w.cm, q, nil)
	took := time.Since(start)
	if len(r.Errors) == 0 || r.Errors[0].Code() != "INTERNAL" || !strings.Contains(r.Errors[0].Message, "database unavailable") {
		t.Errorf("request with the database gone: %s", r.Raw)
	}
	if took > 5*time.Second {
		t.Errorf("answers took %s with the database gone", took)
	}
	proxy.Restore(t)
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := w.e.Query(t, w.cm, q, nil)
		if len(r.Errors) == 0 && ready() == 200 {
			t.Logf("database lost: first answer after %s; service resumed %s after the database returned", took.Round(time.Millisecond), time.Since(deadline.Add(-15*time.Second)).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("service did not resume: %s", r.Raw)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
