package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
	"github.com/rdrr-project/rdrr/internal/webhook"
)

func TestWebhooksAreSignedRetriedAndLogged(t *testing.T) {
	s := testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)}
	w := newWorld(t, s)
	e := testenv.Start(t, s.URL, w.e.SameKey(), func(c *server.Config) {
		c.WebhookAllow = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		c.WebhookRetryBase, c.WebhookPoll = 50*time.Millisecond, 50*time.Millisecond
	})
	var (
		mu       sync.Mutex
		calls    int
		received []map[string]any
		secret   string
	)
	hook := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls <= 2 { // the endpoint is down twice, then recovers
			rw.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if got, want := r.Header.Get("X-Rdrr-Signature"), webhook.Sign([]byte(secret), r.Header.Get("X-Rdrr-Timestamp"), body); got != want {
			t.Errorf("signature %q, want %q", got, want)
		}
		var p map[string]any
		_ = json.Unmarshal(body, &p)
		received = append(received, p)
	}))
	defer hook.Close()

	// The receiving organisation (gov-uz) registers its endpoint.
	var created struct {
		CreateWebhook struct {
			Secret  string
			Webhook struct{ ID string }
		}
	}
	e.Query(t, w.cmUZ, `mutation($u: String!) { createWebhook(url: $u) { secret webhook { id } } }`, map[string]any{"u": hook.URL}).Decode(t, &created)
	mu.Lock()
	secret = created.CreateWebhook.Secret
	mu.Unlock()
	due := time.Now().UTC().AddDate(0, 0, 7).Format(time.DateOnly)
	e.Query(t, w.cm, sendReferral, map[string]any{"in": referralInput(w, due)}).Decode(t, &struct{}{})
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(received)
		mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not delivered after %d calls", calls)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p := received[0]
	ref, _ := p["referral"].(map[string]any)
	if p["event"] != "referral.sent" || ref["status"] != "SENT" || ref["service"] != "HOUSING" {
		t.Errorf("payload %v", p)
	}
	for _, k := range []string{"returnee", "reason", "envelope", "returneeId"} {
		if _, leak := ref[k]; leak {
			t.Errorf("payload carries %q", k)
		}
	}
	var log struct {
		Node struct {
			Deliveries struct {
				Edges []struct {
					Node struct {
						Status         string
						Attempts       int
						LastStatusCode int
					}
				}
			}
		}
	}
	e.Query(t, w.cmUZ, `query($id: ID!) { node(id: $id) { ... on Webhook { deliveries { edges { node { status attempts lastStatusCode } } } } } }`,
		map[string]any{"id": created.CreateWebhook.Webhook.ID}).Decode(t, &log)
	d := log.Node.Deliveries.Edges
	if len(d) != 1 || d[0].Node.Status != "DELIVERED" || d[0].Node.Attempts != 3 || d[0].Node.LastStatusCode != 200 {
		t.Errorf("delivery log %+v", d)
	}
	// Another organisation cannot see gov-uz's webhook.
	if r := e.Query(t, w.cm, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": created.CreateWebhook.Webhook.ID}); r.Errors[0].Code() != "NOT_FOUND" {
		t.Errorf("other organisation sees the webhook: %s", r.Raw)
	}
}

func TestWebhookEndpointsInsideTheNetworkAreRefused(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	for _, u := range []string{"http://127.0.0.1:8080/hook", "https://localhost/hook", "https://169.254.169.254/latest/meta-data/",
		"https://10.0.0.5/hook", "https://[::1]/hook", "http://example.org/hook", "file:///etc/passwd"} {
		r := w.e.Query(t, w.cm, `mutation($u: String!) { createWebhook(url: $u) { secret } }`, map[string]any{"u": u})
		if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "url" {
			t.Errorf("%s: %s", u, r.Raw)
		}
	}
}
