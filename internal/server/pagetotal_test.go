package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestNestedTotalsFromPagesAndCounts checks the totalCount of a nested
// connection on both of its paths: answered from the loaded page, when a
// first page holds the whole edge, and counted, when the page is full or
// starts after a cursor. Cases with 0 to 12 documents are listed together,
// so a list mixes both paths; every total must be the case's number of
// documents whatever the page size.
func TestNestedTotalsFromPagesAndCounts(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		e := testenv.Start(t, s.URL)
		gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		e.User(t, "cm@gov-kz.example", gov, domain.RoleCaseManager)
		tok := e.Token(t, "cm@gov-kz.example")
		want := map[string]int{}
		ctx := viewer.SystemContext(context.Background())
		for _, n := range []int{0, 1, 4, 5, 6, 12} {
			r := e.Case(t, gov, testenv.CaseOpts{})
			day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			for i := 0; i < n; i++ {
				if err := e.Store.Client.Document.Create().SetReturneeID(r.ID).SetType("PASSPORT").SetStatus("REQUESTED").
					SetRequestedOn(day).Exec(ctx); err != nil {
					t.Fatal(err)
				}
			}
			want[string(r.ID)] = n
		}
		type docs struct {
			TotalCount int
			PageInfo   struct{ EndCursor *string }
			Edges      []struct{ Node struct{ ID string } }
		}
		for _, first := range []int{1, 4, 5, 6, 11, 12, 13, 20} {
			t.Run(fmt.Sprintf("first %d", first), func(t *testing.T) {
				var got struct {
					Returnees struct {
						Edges []struct {
							Node struct {
								ID        string
								Documents docs
							}
						}
					}
				}
				e.Query(t, tok, `query($n: Int!) { returnees(first: 50) { edges { node { id
					documents(first: $n) { totalCount pageInfo { endCursor } edges { node { id } } } } } } }`,
					map[string]any{"n": first}).Decode(t, &got)
				if len(got.Returnees.Edges) != len(want) {
					t.Fatalf("%d cases listed, want %d", len(got.Returnees.Edges), len(want))
				}
				for _, ed := range got.Returnees.Edges {
					n, d := want[ed.Node.ID], ed.Node.Documents
					if d.TotalCount != n || len(d.Edges) != min(n, first) {
						t.Errorf("case with %d documents: totalCount %d, %d on the page; want %d, %d", n, d.TotalCount, len(d.Edges), n, min(n, first))
					}
					if d.PageInfo.EndCursor == nil || n <= first {
						continue
					}
					// A page after a cursor is counted, never taken from the page.
					var next struct{ Node struct{ Documents docs } }
					e.Query(t, tok, `query($id: ID!, $n: Int!, $a: Cursor) { node(id: $id) { ... on Returnee {
						documents(first: $n, after: $a) { totalCount pageInfo { endCursor } edges { node { id } } } } } }`,
						map[string]any{"id": ed.Node.ID, "n": first, "a": *d.PageInfo.EndCursor}).Decode(t, &next)
					if nd := next.Node.Documents; nd.TotalCount != n || len(nd.Edges) != min(n-first, first) {
						t.Errorf("case with %d documents, page after %d: totalCount %d, %d on the page; want %d, %d",
							n, first, nd.TotalCount, len(nd.Edges), n, min(n-first, first))
					}
				}
			})
		}
	})
}
