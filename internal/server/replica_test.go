package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestReadsGoToTheReplicaUnlessTheUserHasJustWritten: the "replica" here is
// a second, empty database, so an answer shows which database gave it.
// Read-only operations go to the replica; after a user writes, that user's
// reads stay on the primary on every process (the pin crosses processes by
// LISTEN/NOTIFY); other users keep reading the replica. SQLite refuses a
// replica with a clear error.
func TestReadsGoToTheReplicaUnlessTheUserHasJustWritten(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		if s.Name == "sqlite" {
			_, err := server.New(context.Background(), server.Config{DB: s.URL, DBReplica: "postgres://127.0.0.1/x", AutoMigrate: true})
			if err == nil || !strings.Contains(err.Error(), "read replica needs PostgreSQL") {
				t.Fatalf("a replica on SQLite should be refused, got %v", err)
			}
			return
		}
		replicaURL := testenv.PostgresURL(t)
		rst, err := store.Open(context.Background(), replicaURL, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := rst.Migrate(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		rst.Close()

		withReplica := func(c *server.Config) { c.DBReplica = replicaURL }
		e := testenv.Start(t, s.URL, withReplica)
		other := testenv.Start(t, s.URL, withReplica, e.SameKey())
		kz := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		e.User(t, "writer@gov-kz.example", kz, domain.RoleCaseManager)
		e.User(t, "reader@gov-kz.example", kz, domain.RoleCaseManager)
		r := e.Case(t, kz, testenv.CaseOpts{})
		writer, reader := e.Token(t, "writer@gov-kz.example"), e.Token(t, "reader@gov-kz.example")

		cases := func(env *testenv.Env, token string) int {
			var out struct {
				Returnees struct {
					Edges []struct{ Node struct{ ID string } }
				}
			}
			env.Query(t, token, `{ returnees(first: 10) { edges { node { id } } } }`, nil).Decode(t, &out)
			return len(out.Returnees.Edges)
		}
		if n := cases(e, writer); n != 0 {
			t.Fatalf("a read-only query should be answered by the (empty) replica, got %d cases", n)
		}
		e.Query(t, writer, `mutation($id: ID!) { updateReturnee(id: $id, version: 1, input: {region: "Almaty"}) { version } }`,
			map[string]any{"id": r.ID}).Decode(t, &struct{}{})
		if n := cases(e, writer); n != 1 {
			t.Errorf("after writing, the writer's reads should stay on the primary: got %d cases", n)
		}
		if n := cases(other, writer); n != 1 {
			t.Errorf("the pin should reach the other process: got %d cases there", n)
		}
		if n := cases(other, reader); n != 0 {
			t.Errorf("a user who has not written should still read the replica, got %d cases", n)
		}
	})
}
