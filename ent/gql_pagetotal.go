package ent

import (
	"database/sql/driver"

	"github.com/rdrr-project/rdrr/internal/gid"
)

// pageTotals is called by the edge total loaders of gql_collection.go (as
// rewritten by internal/entpatch) after an edge's pages were eagerly
// loaded. fromPage is true when the pages are first pages of the edge
// (no cursor, no last) that were loaded; first is the page size asked for,
// of which entgql loaded one row more. A node whose page came back with at
// most first rows (or any number, with no first: nothing was cut) holds
// its edge's every row, so its total is the page's length: those totals
// are in known. The others' IDs are returned for the count query.
//
// The page and the count run the same query (filters and privacy rules
// alike) but for the page's cursor, order and limit, so a complete page and
// the count agree.
func pageTotals[N any](nodes []N, fromPage bool, first *int, id func(N) gid.ID, loaded func(N) (int, bool)) (known map[gid.ID]int, ids []driver.Value) {
	ids = make([]driver.Value, 0, len(nodes))
	for _, n := range nodes {
		if fromPage {
			if c, ok := loaded(n); ok && PageHoldsEdge(first, c) {
				if known == nil {
					known = make(map[gid.ID]int, len(nodes))
				}
				known[id(n)] = c
				continue
			}
		}
		ids = append(ids, id(n))
	}
	return known, ids
}

// PageHoldsEdge reports whether an eagerly loaded first page (no cursor, no
// last) of loaded rows, asked for with first (nil: no page size), holds
// every row of its edge: entgql loads one row more than first to know
// whether there is a next page, so a page of at most first rows is all
// there is. The edge totals above and the case timeline
// (graph/timeline_reuse.go) decide by it.
func PageHoldsEdge(first *int, loaded int) bool {
	return first == nil || loaded <= *first
}
