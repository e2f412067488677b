package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

const breakGlass = `mutation($r: ID!, $why: String!) { breakGlass(returneeId: $r, reason: $why) { id grantedAt expiresAt organisation { slug } } }`

func TestBreakGlass(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s) // first server: default 4 hours
		e := testenv.Start(t, s.URL, w.e.SameKey(), func(c *server.Config) { c.BreakGlassFor = 2 * time.Second })
		donor := e.Org(t, "donor", organisation.KindINTERNATIONAL_ORGANISATION, "")
		e.User(t, "analyst@donor.example", donor, domain.RoleAnalyst)
		analyst := e.Token(t, "analyst@donor.example")
		why := "patient admitted unconscious to the emergency ward, allergies unknown"
		hidden := string(w.onTeam.ID)

		// gov-uz is not on the team: the case does not exist for it.
		read := `query($r: ID!) { node(id: $r) { ... on Returnee { familyName } } }`
		if r := e.Query(t, w.cmUZ, read, map[string]any{"r": hidden}); r.Errors[0].Code() != "NOT_FOUND" {
			t.Fatalf("before: %s", r.Raw)
		}
		if r := e.Query(t, w.cmUZ, breakGlass, map[string]any{"r": hidden, "why": "urgent"}); r.Errors[0].Code() != "BAD_USER_INPUT" {
			t.Errorf("short reason: %s", r.Raw)
		}
		if r := e.Query(t, analyst, breakGlass, map[string]any{"r": hidden, "why": why}); r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("analyst: %s", r.Raw)
		}
		var bg struct {
			BreakGlass struct {
				ID                   string
				GrantedAt, ExpiresAt time.Time
			}
		}
		e.Query(t, w.cmUZ, breakGlass, map[string]any{"r": hidden, "why": why}).Decode(t, &bg)
		if d := bg.BreakGlass.ExpiresAt.Sub(bg.BreakGlass.GrantedAt); d != 2*time.Second {
			t.Errorf("access lasts %s, want the configured 2s", d)
		}
		// Read access, on every process.
		for _, env := range []*testenv.Env{e, w.e} {
			if r := env.Query(t, w.cmUZ, read, map[string]any{"r": hidden}); len(r.Errors) != 0 {
				t.Fatalf("during break-glass: %s", r.Raw)
			}
		}
		// Read only: no writes.
		upd := `mutation($r: ID!, $v: Int!) { updateReturnee(id: $r, version: $v, input: {region: "X"}) { id } }`
		if r := e.Query(t, w.cmUZ, upd, map[string]any{"r": hidden, "v": currentVersion(t, e, w.onTeam.ID)}); r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("write during break-glass: %s", r.Raw)
		}
		// The lead agency is notified.
		var notices struct {
			BreakGlassNotices struct {
				Edges []struct {
					Node struct {
						Reason       string
						Organisation struct{ Slug string }
						Returnee     struct{ ID string }
					}
				}
			}
		}
		e.Query(t, w.cm, `{ breakGlassNotices { edges { node { reason organisation { slug } returnee { id } } } } }`, nil).Decode(t, &notices)
		n := notices.BreakGlassNotices.Edges
		if len(n) != 1 || n[0].Node.Organisation.Slug != "gov-uz" || n[0].Node.Returnee.ID != hidden || !strings.Contains(n[0].Node.Reason, "unconscious") {
			t.Errorf("lead agency notices: %+v", notices)
		}
		// And it ends by itself.
		time.Sleep(time.Until(bg.BreakGlass.ExpiresAt) + 100*time.Millisecond)
		if r := e.Query(t, w.cmUZ, read, map[string]any{"r": hidden}); len(r.Errors) == 0 || r.Errors[0].Code() != "NOT_FOUND" {
			t.Errorf("after expiry: %s", r.Raw)
		}
	})
}

func TestLeadAgencyManagesTheTeam(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		add := `mutation($r: ID!, $o: ID!) { addCaseTeamMember(returneeId: $r, organisationId: $o) { id basis } }`
		end := `mutation($id: ID!) { endCaseTeamMembership(id: $id) { until } }`
		read := `query($r: ID!) { node(id: $r) { id } }`
		// Only the lead agency adds members.
		if r := w.e.Query(t, w.clin, add, map[string]any{"r": w.onTeam.ID, "o": w.govUZ.ID}); r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("NGO adding to team: %s", r.Raw)
		}
		var added struct{ AddCaseTeamMember struct{ ID, Basis string } }
		w.e.Query(t, w.cm, add, map[string]any{"r": w.onTeam.ID, "o": w.govUZ.ID}).Decode(t, &added)
		if r := w.e.Query(t, w.cmUZ, read, map[string]any{"r": w.onTeam.ID}); len(r.Errors) != 0 {
			t.Errorf("new member cannot see the case: %s", r.Raw)
		}
		if r := w.e.Query(t, w.cm, add, map[string]any{"r": w.onTeam.ID, "o": w.govUZ.ID}); r.Errors[0].Code() != "CONFLICT" {
			t.Errorf("adding twice: %s", r.Raw)
		}
		w.e.Query(t, w.cm, end, map[string]any{"id": added.AddCaseTeamMember.ID}).Decode(t, &struct{}{})
		if r := w.e.Query(t, w.cmUZ, read, map[string]any{"r": w.onTeam.ID}); len(r.Errors) == 0 || r.Errors[0].Code() != "NOT_FOUND" {
			t.Errorf("former member still sees the case: %s", r.Raw)
		}
	})
}
