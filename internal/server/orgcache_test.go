package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// cachingServer starts a server on url whose cache of reference data keeps
// entries for an hour (cacheTTL), with gov-kz and its case manager, whose
// token it returns too.
func cachingServer(t *testing.T, url string) (*testenv.Env, *ent.Organisation, *ent.User, string) {
	t.Helper()
	e := testenv.Start(t, url, func(c *server.Config) { c.OrgCacheTTL = cacheTTL })
	gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
	cm := e.User(t, "cm@gov-kz.example", gov, domain.RoleCaseManager)
	return e, gov, cm, e.Token(t, "cm@gov-kz.example")
}

// cacheTTL outlives every test: entries expire only where a test says so.
const cacheTTL = time.Hour

// TestOrganisationCache: a page naming organisations (here the lead agency
// of each case) reads them from the process's cache once they are there,
// one statement fewer per request; a change made through this process is
// served at once; a change made by another process shows once the entry
// expires, and not before.
func TestOrganisationCache(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		e, gov, cm, tok := cachingServer(t, s.URL)
		first := e.Case(t, gov, testenv.CaseOpts{}, gov)
		e.Case(t, gov, testenv.CaseOpts{}, gov)
		e.AllRecords(t, first, cm)
		sys := viewer.SystemContext(context.Background())

		const q = `{ returnees(first: 10) { edges { node { leadAgency { slug name } } } } }`
		names := func() map[string]bool {
			t.Helper()
			var d struct {
				Returnees struct {
					Edges []struct {
						Node struct{ LeadAgency struct{ Slug, Name string } }
					}
				}
			}
			e.Query(t, tok, q, nil).Decode(t, &d)
			out := map[string]bool{}
			for _, ed := range d.Returnees.Edges {
				out[ed.Node.LeadAgency.Name] = true
			}
			return out
		}
		rename := func(name string) {
			t.Helper()
			if err := e.Store.Client.Organisation.UpdateOneID(gov.ID).SetName(name).Exec(sys); err != nil {
				t.Fatal(err)
			}
		}
		// statements returns the fewest statements one request sent over
		// a few tries (the server writes in the background too), calling
		// before ahead of each.
		statements := func(before func()) int64 {
			best := int64(-1)
			for try := 0; try < 3; try++ {
				before()
				n0 := e.Store.Statements()
				names()
				if n := e.Store.Statements() - n0; best < 0 || n < best {
					best = n
				}
			}
			return best
		}

		i := 0
		cold := statements(func() { i++; rename("Ministry " + string(rune('A'+i))) })
		warm := statements(func() {})
		if warm != cold-1 {
			t.Errorf("a request sent %d statements with the organisations cached, %d without; want one fewer", warm, cold)
		}

		// Resolvers that look organisations up one by one (the author of
		// a record) go through the same cache.
		const rq = `query($id: ID!) { node(id: $id) { ... on Returnee { legalRecords(first: 5) { edges { node { authorOrganisation { name } } } } } } }`
		authorName := func() string {
			t.Helper()
			var d struct {
				Node struct {
					LegalRecords struct {
						Edges []struct {
							Node struct{ AuthorOrganisation struct{ Name string } }
						}
					}
				}
			}
			e.Query(t, tok, rq, map[string]any{"id": first.ID}).Decode(t, &d)
			if len(d.Node.LegalRecords.Edges) == 0 || d.Node.LegalRecords.Edges[0].Node.AuthorOrganisation.Name == "" {
				t.Fatalf("no authoring organisation in %+v", d)
			}
			return d.Node.LegalRecords.Edges[0].Node.AuthorOrganisation.Name
		}
		authorStatements := func() int64 {
			best := int64(-1)
			for try := 0; try < 3; try++ {
				n0 := e.Store.Statements()
				authorName()
				if n := e.Store.Statements() - n0; best < 0 || n < best {
					best = n
				}
			}
			return best
		}
		authorStatements() // warm
		warmAuthor := authorStatements()
		renamed := "Ministry " + string(rune('A'+i+1))
		rename(renamed)
		n0 := e.Store.Statements()
		if got := authorName(); got != renamed {
			t.Errorf("a record's author organisation right after a change in this process: %q, want %q", got, renamed)
		}
		if coldAuthor := e.Store.Statements() - n0; coldAuthor <= warmAuthor {
			t.Errorf("a record's author organisation: %d statements cold, %d warm; want fewer warm", coldAuthor, warmAuthor)
		}
		if got := authorName(); got != renamed { // from the cache again
			t.Errorf("a record's author organisation from the cache: %q, want %q", got, renamed)
		}

		rename("Ministry of Labour")
		if got := names(); !got["Ministry of Labour"] || len(got) != 1 {
			t.Errorf("after a change in this process: lead agency names %v, want only the new one", got)
		}

		// Another process renames it: its own store, so this server's
		// hooks do not see the change.
		other, err := store.Open(context.Background(), s.URL, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if err := other.Client.Organisation.UpdateOneID(gov.ID).SetName("Ministry of Justice").Exec(sys); err != nil {
			t.Fatal(err)
		}
		if got := names(); !got["Ministry of Labour"] {
			t.Errorf("before the entry expired: lead agency names %v, want the cached one", got)
		}

		// A short TTL: the other process's change shows once it passed.
		e2 := testenv.Start(t, s.URL, e.SameKey(), func(c *server.Config) { c.OrgCacheTTL = 50 * time.Millisecond })
		tok2 := e2.Token(t, "cm@gov-kz.example")
		e2.Query(t, tok2, q, nil)
		if err := other.Client.Organisation.UpdateOneID(gov.ID).SetName("Ministry of the Interior").Exec(sys); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		var d struct {
			Returnees struct {
				Edges []struct {
					Node struct{ LeadAgency struct{ Name string } }
				}
			}
		}
		e2.Query(t, tok2, q, nil).Decode(t, &d)
		for _, ed := range d.Returnees.Edges {
			if ed.Node.LeadAgency.Name != "Ministry of the Interior" {
				t.Errorf("after the TTL: lead agency %q, want the other process's change", ed.Node.LeadAgency.Name)
			}
		}
	})
}

// TestOrganisationCacheAfterCommit: a rename inside a transaction, with a
// page read while the transaction is open (it sees, and may cache, the old
// name), is served once the transaction commits.
func TestOrganisationCacheAfterCommit(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		e, gov, _, tok := cachingServer(t, s.URL)
		e.Case(t, gov, testenv.CaseOpts{}, gov)
		sys := viewer.SystemContext(context.Background())
		name := func() string {
			t.Helper()
			var d struct {
				Returnees struct {
					Edges []struct {
						Node struct{ LeadAgency struct{ Name string } }
					}
				}
			}
			e.Query(t, tok, `{ returnees(first: 1) { edges { node { leadAgency { name } } } } }`, nil).Decode(t, &d)
			if len(d.Returnees.Edges) != 1 {
				t.Fatalf("want one case, got %+v", d)
			}
			return d.Returnees.Edges[0].Node.LeadAgency.Name
		}
		before := name()
		tx, err := e.Store.Client.Tx(sys)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Organisation.UpdateOneID(gov.ID).SetName("Ministry of Labour").Exec(sys); err != nil {
			t.Fatal(err)
		}
		if got := name(); got != before {
			t.Errorf("while the rename is uncommitted: %q, want %q", got, before)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := name(); got != "Ministry of Labour" {
			t.Errorf("after the commit: %q, want the new name", got)
		}
	})
}

// TestOrganisationCacheKeepsThePolicy: a lookup answered from the cache is
// still refused to a request without a viewer, as the query would be; a
// transaction is never answered from it.
func TestOrganisationCacheKeepsThePolicy(t *testing.T) {
	e := testenv.Start(t, testenv.SQLiteURL(t))
	gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
	c := ent.NewOrganisationCache(cacheTTL)
	sys := ent.WithOrganisationCache(viewer.SystemContext(context.Background()), c)
	if os, err := ent.LookupOrganisations(sys, e.Store.Client, []gid.ID{gov.ID}); err != nil || len(os) != 1 {
		t.Fatalf("lookup as the system: %v, %v", os, err)
	}
	anon := ent.WithOrganisationCache(context.Background(), c)
	if os, err := ent.LookupOrganisations(anon, e.Store.Client, []gid.ID{gov.ID}); err == nil {
		t.Errorf("lookup with no viewer, from the cache: %d organisations and no error, want the policy's refusal", len(os))
	}
	// CachedOrganisation, which resolvers ask before the loader, decides alike.
	if o, ok, err := ent.CachedOrganisation(sys, e.Store.Client, gov.ID); !ok || err != nil || o.ID != gov.ID {
		t.Errorf("cached organisation as the system: %v, %v, %v; want gov-kz", o, ok, err)
	}
	if _, ok, err := ent.CachedOrganisation(anon, e.Store.Client, gov.ID); !ok || err == nil {
		t.Errorf("cached organisation with no viewer: found %v, error %v; want the policy's refusal", ok, err)
	}
	if _, ok, _ := ent.CachedOrganisation(sys, e.Store.Client, gid.New("org")); ok {
		t.Error("an organisation never looked up was found in the cache")
	}
	tx, err := e.Store.Client.Tx(sys)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck
	if _, ok, _ := ent.CachedOrganisation(sys, tx.Client(), gov.ID); ok {
		t.Error("a transaction was answered from the cache: it may read what it has not committed")
	}
}

// TestOperationCache: a case's repatriation operation, reference data like
// the organisations, comes from the same cache: one statement fewer per
// case once cached, and a rename made through this process is served at
// once.
func TestOperationCache(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		e, gov, _, tok := cachingServer(t, s.URL)
		sys := viewer.SystemContext(context.Background())
		op, err := e.Store.Client.RepatriationOperation.Create().SetName("Operation Zhusan I").SetCountry("KZ").
			SetStartedOn(time.Date(2019, 1, 6, 0, 0, 0, 0, time.UTC)).Save(sys)
		if err != nil {
			t.Fatal(err)
		}
		ret := e.Case(t, gov, testenv.CaseOpts{}, gov)
		if err := e.Store.Client.Returnee.UpdateOneID(ret.ID).SetOperationID(op.ID).Exec(sys); err != nil {
			t.Fatal(err)
		}

		const q = `query($id: ID!) { node(id: $id) { ... on Returnee { operation { name } } } }`
		// fetch returns the operation's name and the statements the
		// request sent (the fewest over a few tries: the server writes in
		// the background too), calling before ahead of each try.
		fetch := func(before func()) (string, int64) {
			t.Helper()
			name, best := "", int64(-1)
			for try := 0; try < 3; try++ {
				before()
				n0 := e.Store.Statements()
				var d struct {
					Node struct{ Operation struct{ Name string } }
				}
				e.Query(t, tok, q, map[string]any{"id": ret.ID}).Decode(t, &d)
				if n := e.Store.Statements() - n0; best < 0 || n < best {
					best = n
				}
				name = d.Node.Operation.Name
			}
			return name, best
		}
		rename := func(name string) {
			t.Helper()
			if err := e.Store.Client.RepatriationOperation.UpdateOneID(op.ID).SetName(name).Exec(sys); err != nil {
				t.Fatal(err)
			}
		}
		i := 0
		_, cold := fetch(func() { i++; rename(fmt.Sprintf("Operation Zhusan %d", i)) })
		name, warm := fetch(func() {})
		if warm != cold-1 {
			t.Errorf("a case sent %d statements with its operation cached, %d without; want one fewer", warm, cold)
		}
		if want := fmt.Sprintf("Operation Zhusan %d", i); name != want {
			t.Errorf("operation %q, want %q", name, want)
		}
		rename("Operation Zhusan IV")
		if name, _ := fetch(func() {}); name != "Operation Zhusan IV" {
			t.Errorf("after a rename in this process: operation %q, want the new name", name)
		}
	})
}
