package server_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestTimelineFromTheCaseConnections checks that a timeline asked for next
// to the case's own connections is the same as one asked for alone, for
// connection shapes whose rows can stand in for the timeline's queries
// (complete pages, with or without the timeline's columns selected) and
// shapes whose rows cannot (filtered, a full page, a page from a cursor);
// and that the rows are reused: next to complete connections the timeline
// adds its two own statements (phase changes, referral transitions), not
// eight.
func TestTimelineFromTheCaseConnections(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		// No policy polling: its statements would land in the counts.
		w := newWorldWith(t, s, func(c *server.Config) { c.PolicyPoll = time.Hour })
		e, c := w.e, w.e.Store.Client
		day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		// An intervention that started and ended, a document not yet
		// issued (no timeline item), a second legal record.
		if _, err := c.Intervention.Create().SetReturneeID(w.onTeam.ID).SetType("HOUSING").SetStatus("COMPLETED").
			SetStartedOn(day).SetEndedOn(day.AddDate(0, 2, 0)).SetProviderID(w.ngo.ID).SetDescription("housing").Save(sysCtx()); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Document.Create().SetReturneeID(w.onTeam.ID).SetType("BIRTH_CERTIFICATE").SetStatus("REQUESTED").
			SetRequestedOn(day).Save(sysCtx()); err != nil {
			t.Fatal(err)
		}
		const timeline = `timeline(first: 50) { edges { cursor node { at kind category summary subjectId } } pageInfo { hasNextPage } }`
		ask := func(fields string) (json.RawMessage, int64) {
			t.Helper()
			q := `query($id: ID!) { node(id: $id) { ... on Returnee { ` + fields + ` } } }`
			vars := map[string]any{"id": w.onTeam.ID}
			if strings.Contains(fields, "$n") { // a page size from a variable
				q = strings.Replace(q, "$id: ID!", "$id: ID!, $n: Int", 1)
				vars["n"] = 10
			}
			e.Query(t, w.cm, q, vars) // warm caches
			// The store counts the statements of background work too
			// (indexer, heartbeats), which only ever adds: the fewest of
			// three runs is the request's own.
			var data struct {
				Node struct{ Timeline json.RawMessage }
			}
			var fewest int64 = -1
			for range 3 {
				before := e.Store.Statements()
				res := e.Query(t, w.cm, q, vars)
				if n := e.Store.Statements() - before; fewest < 0 || n < fewest {
					fewest = n
				}
				res.Decode(t, &data)
			}
			return data.Node.Timeline, fewest
		}
		want, _ := ask(timeline)
		var items struct {
			Edges []struct{ Node struct{ Kind string } }
		}
		if err := json.Unmarshal(want, &items); err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, ed := range items.Edges {
			kinds[ed.Node.Kind]++
		}
		if kinds["DOCUMENT_ISSUED"] != 1 || kinds["INTERVENTION_STARTED"] != 1 || kinds["INTERVENTION_ENDED"] != 1 || kinds["RECORD_CREATED"] != 4 {
			t.Fatalf("the timeline alone: %v", kinds)
		}
		const all = `documents { totalCount edges { node { id type status issuedOn } } }
		  legalRecords { totalCount edges { node { id kind summary } } }
		  medicalRecords { edges { node { id kind summary } } }
		  theologicalRecords { edges { node { id summary } } }
		  riskAssessments { edges { node { id level summary } } }
		  interventions { edges { node { id type status startedOn endedOn } } }`
		for _, tc := range []struct{ name, fields string }{
			{"complete connections", all},
			{"connections selecting none of the timeline's columns", `documents { edges { node { id } } }
			  legalRecords { edges { node { id } } } medicalRecords { edges { node { id } } }
			  theologicalRecords { edges { node { id } } } riskAssessments { edges { node { id } } }
			  interventions { edges { node { id } } }`},
			{"filtered connections", `documents(where: {status: ISSUED}) { edges { node { id issuedOn } } }
			  interventions(where: {status: ACTIVE}) { edges { node { id startedOn } } }`},
			{"full pages, with totals", `documents(first: 1) { totalCount edges { node { id } } }
			  interventions(first: 1) { totalCount edges { node { id } } } legalRecords(first: 1) { totalCount edges { node { id } } }`},
			{"page sizes from variables", `documents(first: $n) { edges { node { id } } } legalRecords(first: $n) { edges { node { id } } }`},
			{"pages from the end and aliases", `a: documents(last: 1) { edges { node { id } } } b: documents(first: 1) { edges { node { id } } }
			  c: interventions(first: 100) { edges { node { id type } } }`},
		} {
			got, _ := ask(tc.fields + " " + timeline)
			if string(got) != string(want) {
				t.Errorf("%s: timeline\n%s\nwant (alone)\n%s", tc.name, got, want)
			}
		}
		_, alone := ask("id " + timeline)
		_, bare := ask("id")
		_, conns := ask(all)
		_, both := ask(all + " " + timeline)
		t.Logf("statements: timeline alone %d (case alone %d), connections %d, connections and timeline %d", alone, bare, conns, both)
		if alone-bare < 8 {
			t.Errorf("the timeline alone took %d statements, want its eight source queries", alone-bare)
		}
		if both-conns > 2 {
			t.Errorf("next to complete connections the timeline took %d more statements, want at most 2 (its own sources)", both-conns)
		}
		// Page sizes given as variables: documents and legal records are
		// reused, the four other sources queried.
		const byVars = `documents(first: $n) { edges { node { id } } } legalRecords(first: $n) { edges { node { id } } }`
		_, varConns := ask(byVars)
		_, varBoth := ask(byVars + " " + timeline)
		if varBoth-varConns > 6 {
			t.Errorf("next to connections paged by a variable the timeline took %d more statements, want at most 6", varBoth-varConns)
		}
	})
}
