package server_test

import (
	"net/http"
	"strconv"
	"testing"

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
