package server_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/ratelimit"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

func TestRateLimits(t *testing.T) {
	// One process alone on its database: it holds the whole limit.
	e := testenv.Start(t, testenv.SQLiteURL(t), func(c *server.Config) {
		c.NoRateLimits = false
		c.RateLimits = ratelimit.Limits{PerUser: 1, PerUserBurst: 5, PerOrg: 100, PerOrgBurst: 100, PerIP: 1, PerIPBurst: 3}
	})
	gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
	uz := e.Org(t, "gov-uz", organisation.KindGOVERNMENT, "UZ")
	e.User(t, "cm@gov-kz.example", gov, domain.RoleCaseManager)
	e.User(t, "cm@gov-uz.example", uz, domain.RoleCaseManager)
	w := &world{e: e, cm: e.Token(t, "cm@gov-kz.example"), cmUZ: e.Token(t, "cm@gov-uz.example")}
	limited := 0
	var last *testenv.Response
	for i := 0; i < 8; i++ {
		r := e.Query(t, w.cm, `{ me { roles } }`, nil)
		if r.Status == http.StatusTooManyRequests {
			limited++
			last = r
		}
	}
	if limited != 3 {
		t.Fatalf("%d of 8 requests limited, want 3 after a burst of 5", limited)
	}
	if last.Errors[0].Code() != "RATE_LIMITED" || last.Header.Get("Retry-After") == "" {
		t.Errorf("limited answer: %v %s", last.Header, last.Raw)
	}
	if n, err := strconv.Atoi(last.Header.Get("Retry-After")); err != nil || n < 1 {
		t.Errorf("Retry-After %q", last.Header.Get("Retry-After"))
	}
	// Another user of another organisation is not affected.
	if r := e.Query(t, w.cmUZ, `{ me { roles } }`, nil); r.Status != http.StatusOK {
		t.Errorf("other user limited: %s", r.Raw)
	}
	// Failed logins are limited per address.
	codes := map[string]int{}
	for i := 0; i < 6; i++ {
		r := e.Query(t, "bad-token", `{ me { roles } }`, nil)
		codes[r.Errors[0].Code()]++
	}
	if codes["UNAUTHENTICATED"] != 3 || codes["RATE_LIMITED"] != 3 {
		t.Errorf("failed logins: %v, want 3 UNAUTHENTICATED then 3 RATE_LIMITED", codes)
	}
}

func TestCORSIsAnAllowList(t *testing.T) {
	s := testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)}
	e := testenv.Start(t, s.URL, func(c *server.Config) { c.CORSOrigins = []string{"https://dashboard.example"} })
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, e.URL+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := preflight("https://dashboard.example"); r.StatusCode != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != "https://dashboard.example" {
		t.Errorf("allowed origin: %d %v", r.StatusCode, r.Header)
	}
	if r := preflight("https://evil.example"); r.StatusCode != http.StatusForbidden || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin: %d %v", r.StatusCode, r.Header)
	}
	// Off by default.
	d := testenv.Start(t, testenv.SQLiteURL(t))
	req, _ := http.NewRequest(http.MethodOptions, d.URL+"/graphql", nil)
	req.Header.Set("Origin", "https://dashboard.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.StatusCode != http.StatusForbidden {
		t.Errorf("default deployment answered CORS: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestRateLimitsHoldAcrossProcesses: two processes on one database count
// each other from their heartbeats and each allows half of every limit, so
// a client spreading its requests over both (as a load balancer does) gets
// the deployment's limit, not twice it.
func TestRateLimitsHoldAcrossProcesses(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		limits := func(c *server.Config) {
			c.NoRateLimits = false
			c.RateLimits = ratelimit.Limits{PerUser: 0.01, PerUserBurst: 10, PerOrg: 100, PerOrgBurst: 100, PerIP: 1, PerIPBurst: 3}
		}
		a := testenv.Start(t, s.URL, limits)
		b := testenv.Start(t, s.URL, limits, a.SameKey())
		gov := a.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		a.User(t, "cm@gov-kz.example", gov, domain.RoleCaseManager)
		tok := a.Token(t, "cm@gov-kz.example")
		// The first process learns of the second at its next heartbeat.
		deadline := time.Now().Add(15 * time.Second)
		for a.Processes() < 2 || b.Processes() < 2 {
			if time.Now().After(deadline) {
				t.Fatalf("processes do not see each other: %d and %d", a.Processes(), b.Processes())
			}
			time.Sleep(100 * time.Millisecond)
		}
		allowed := map[string]int{}
		for i := 0; i < 20; i++ {
			e, name := a, "a"
			if i%2 == 1 {
				e, name = b, "b"
			}
			if r := e.Query(t, tok, `{ me { roles } }`, nil); r.Status == http.StatusOK {
				allowed[name]++
			} else if r.Errors[0].Code() != "RATE_LIMITED" {
				t.Fatalf("unexpected answer: %s", r.Raw)
			}
		}
		if allowed["a"] != 5 || allowed["b"] != 5 {
			t.Errorf("allowed %v over two processes, want 5 on each (a burst of 10 for the deployment)", allowed)
		}
	})
}
