package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

func TestSubscriptionsOverWebSocket(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		// The second process raises the events: on PostgreSQL they cross
		// processes by LISTEN/NOTIFY.
		other := w.e
		if s.Name == "postgres" {
			other = testenv.Start(t, s.URL, w.e.SameKey())
		}
		refs, err := w.e.Subscribe(t, w.cmUZ, `subscription { referralEvents { referral { status service to { slug } } transition { toStatus } } }`, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		updates, err := w.e.Subscribe(t, w.clin, `subscription($r: ID!) { caseUpdated(returneeId: $r) { returneeId kind } }`, map[string]any{"r": w.onTeam.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // let both subscriptions start
		due := time.Now().UTC().AddDate(0, 0, 7).Format(time.DateOnly)
		other.Query(t, w.cm, sendReferral, map[string]any{"in": referralInput(w, due)}).Decode(t, &struct{}{})
		m, err := refs.Next(5 * time.Second)
		if err != nil || m.Type != "next" || !strings.Contains(string(m.Payload), `"status":"SENT"`) || !strings.Contains(string(m.Payload), "gov-uz") {
			t.Fatalf("referral event: %v %s %s", err, m.Type, m.Payload)
		}
		m, err = updates.Next(5 * time.Second)
		if err != nil || !strings.Contains(string(m.Payload), `"kind":"REFERRAL"`) {
			t.Fatalf("case update: %v %s", err, m.Payload)
		}
		// The lead agency takes the NGO off the team: its subscription ends
		// instead of delivering the next change.
		var team struct {
			Node struct {
				CaseTeam struct {
					Edges []struct {
						Node struct {
							ID, Basis    string
							Organisation struct{ Slug string }
						}
					}
				}
			}
		}
		w.e.Query(t, w.cm, `query($r: ID!) { node(id: $r) { ... on Returnee { caseTeam { edges { node { id basis organisation { slug } } } } } } }`,
			map[string]any{"r": w.onTeam.ID}).Decode(t, &team)
		for _, e := range team.Node.CaseTeam.Edges {
			if e.Node.Organisation.Slug == "ngo-kz" {
				other.Query(t, w.cm, `mutation($id: ID!) { endCaseTeamMembership(id: $id) { until } }`, map[string]any{"id": e.Node.ID}).Decode(t, &struct{}{})
			}
		}
		m, err = updates.Next(5 * time.Second)
		if err != nil || m.Type != "complete" {
			t.Errorf("after leaving the team the subscription should complete, got %v %s %s", err, m.Type, m.Payload)
		}
	})
}

func TestSubscriptionsEndOnPolicyChangeAndCheckTheirConnection(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	op := w.e.Org(t, "operator", organisation.KindOPERATOR, "")
	w.e.User(t, "admin@operator.example", op, domain.RoleAdmin)
	admin := w.e.Token(t, "admin@operator.example")
	sub, err := w.e.Subscribe(t, w.clin, `subscription($r: ID!) { caseUpdated(returneeId: $r) { kind } }`, map[string]any{"r": w.onTeam.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	w.e.Query(t, admin, addRule, map[string]any{"in": map[string]any{"role": "*", "organisation": "ngo-kz", "object": "core", "action": "read", "effect": "DENY"}}).Decode(t, &struct{}{})
	if m, err := sub.Next(5 * time.Second); err != nil || m.Type != "complete" {
		t.Errorf("after the policy took core read away: %v %s %s", err, m.Type, m.Payload)
	}
	// Connections from another origin, with a bad token, or beyond the
	// per-user limit are refused.
	if _, err := w.e.Subscribe(t, w.cm, `subscription { referralEvents { transition { toStatus } } }`, nil, "https://evil.example"); err == nil {
		t.Error("cross-origin WebSocket accepted")
	}
	if _, err := w.e.Subscribe(t, "bad-token", `subscription { referralEvents { transition { toStatus } } }`, nil, ""); err == nil {
		t.Error("bad token accepted")
	}
	var errs int
	for i := 0; i < 7; i++ {
		if _, err := w.e.Subscribe(t, w.cm, `subscription { referralEvents { transition { toStatus } } }`, nil, ""); err != nil {
			errs++
		}
	}
	if errs != 2 {
		t.Errorf("%d of 7 connections refused, want 2 beyond the limit of 5", errs)
	}
}
