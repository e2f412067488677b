package server_test

import (
	"strings"
	"testing"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

const createReturnee = `mutation($in: CreateReturneeInput!) { createReturnee(input: $in) {
  id version givenName familyName leadAgency { slug } caseTeam { edges { node { basis organisation { slug } } } } } }`

func newReturneeInput() map[string]any {
	return map[string]any{
		"givenName": "Айгерим", "familyName": "Сапарова", "sex": "FEMALE", "citizenship": "KZ",
		"returnedAs": "ADULT_WOMAN", "returnDate": "2019-05-10", "birthDate": "1990-02-01",
		"custodyStatus": "FAMILY_HOME", "alternativeSpellings": []string{"Aigerim Saparova"},
	}
}

func TestCreateAndUpdateReturnee(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		e := w.e
		var created struct {
			CreateReturnee struct {
				ID, GivenName string
				Version       int
				LeadAgency    struct{ Slug string }
				CaseTeam      struct {
					Edges []struct {
						Node struct {
							Basis        string
							Organisation struct{ Slug string }
						}
					}
				}
			}
		}
		e.Query(t, w.cm, createReturnee, map[string]any{"in": newReturneeInput()}).Decode(t, &created)
		c := created.CreateReturnee
		if c.LeadAgency.Slug != "gov-kz" || c.Version != 1 || len(c.CaseTeam.Edges) != 1 || c.CaseTeam.Edges[0].Node.Basis != "LEAD" {
			t.Fatalf("created %+v", c)
		}

		// Search sees through script: created in Cyrillic, found in Latin.
		var found struct {
			Returnees struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		e.Query(t, w.cm, `{ returnees(search: "saparov") { edges { node { id } } } }`, nil).Decode(t, &found)
		if len(found.Returnees.Edges) != 1 || found.Returnees.Edges[0].Node.ID != c.ID {
			t.Errorf("search by Latin spelling found %+v", found)
		}

		update := `mutation($id: ID!, $v: Int!, $in: UpdateReturneeInput!) { updateReturnee(id: $id, version: $v, input: $in) { version givenName region } }`
		var upd struct {
			UpdateReturnee struct {
				Version           int
				GivenName, Region string
			}
		}
		e.Query(t, w.cm, update, map[string]any{"id": c.ID, "v": 1, "in": map[string]any{"region": "Almaty"}}).Decode(t, &upd)
		if upd.UpdateReturnee.Version != 2 || upd.UpdateReturnee.Region != "Almaty" {
			t.Fatalf("update = %+v", upd)
		}
		// A stale version is a CONFLICT and changes nothing.
		res := e.Query(t, w.cm, update, map[string]any{"id": c.ID, "v": 1, "in": map[string]any{"region": "Astana"}})
		if len(res.Errors) != 1 || res.Errors[0].Code() != "CONFLICT" {
			t.Fatalf("stale update: %s", res.Raw)
		}
		var now struct {
			Node struct {
				Region  string
				Version int
			}
		}
		e.Query(t, w.cm, `query($id: ID!) { node(id: $id) { ... on Returnee { region version } } }`, map[string]any{"id": c.ID}).Decode(t, &now)
		if now.Node.Region != "Almaty" || now.Node.Version != 2 {
			t.Errorf("after stale update: %+v", now.Node)
		}
		// A clinician (core read only) may not update; the gov-uz case
		// manager cannot even see the case.
		res = e.Query(t, w.clin, update, map[string]any{"id": c.ID, "v": 2, "in": map[string]any{"region": "X"}})
		if len(res.Errors) != 1 || res.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("clinician update: %s", res.Raw)
		}
		res = e.Query(t, w.cmUZ, update, map[string]any{"id": c.ID, "v": 2, "in": map[string]any{"region": "X"}})
		if len(res.Errors) != 1 || res.Errors[0].Code() != "NOT_FOUND" {
			t.Errorf("off-team update: %s", res.Raw)
		}
	})
}

func TestInputValidation(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		cases := []struct {
			name  string
			set   map[string]any
			field string
		}{
			{"empty given name", map[string]any{"givenName": ""}, "givenName"},
			{"given name too long", map[string]any{"givenName": strings.Repeat("a", 101)}, "givenName"},
			{"bad country", map[string]any{"citizenship": "Kazakhstan"}, "citizenship"},
			{"born after return", map[string]any{"birthDate": "2020-01-01"}, "returnDate"},
			{"return in the future", map[string]any{"returnDate": "2099-01-01"}, "returnDate"},
			{"year out of range", map[string]any{"returnDate": "1800-01-01"}, "returnDate"},
			{"not a date", map[string]any{"returnDate": "10/05/2019"}, "returnDate"},
			{"bidi override in name", map[string]any{"familyName": "Ахмедов\u202eводе"}, "familyName"},
			{"control character", map[string]any{"givenName": "Nur\x07lan"}, "givenName"},
		}
		for _, c := range cases {
			in := newReturneeInput()
			for k, v := range c.set {
				in[k] = v
			}
			res := w.e.Query(t, w.cm, createReturnee, map[string]any{"in": in})
			if len(res.Errors) != 1 || res.Errors[0].Code() != "BAD_USER_INPUT" {
				t.Errorf("%s: want BAD_USER_INPUT, got %s", c.name, res.Raw)
				continue
			}
			if f, _ := res.Errors[0].Extensions["field"].(string); !strings.Contains(f, c.field) {
				t.Errorf("%s: field %q, want %q (%s)", c.name, f, c.field, res.Raw)
			}
		}
		// Server-owned fields are not part of any input: mass assignment is
		// rejected before anything runs.
		for _, f := range []string{"leadAgencyId", "version", "createdBy", "nameKey", "createdAt"} {
			in := newReturneeInput()
			in[f] = "x"
			res := w.e.Query(t, w.cm, createReturnee, map[string]any{"in": in})
			if len(res.Errors) == 0 || res.Errors[0].Code() != "BAD_USER_INPUT" {
				t.Errorf("input with %s: %s", f, res.Raw)
			}
		}
		var count struct{ Returnees struct{ TotalCount int } }
		w.e.Query(t, w.cm, `{ returnees { totalCount } }`, nil).Decode(t, &count)
		if count.Returnees.TotalCount != 1 {
			t.Errorf("invalid inputs wrote returnees: %d visible, want 1", count.Returnees.TotalCount)
		}
	})
}
