package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// auditWorld adds a data-protection officer to the small world.
func auditWorld(t *testing.T, s testenv.Store) (*world, string) {
	t.Helper()
	w := newWorld(t, s)
	op := w.e.Org(t, "operator", organisation.KindOPERATOR, "")
	w.e.User(t, "dpo@operator.example", op, domain.RoleDataProtectionOfficer)
	return w, w.e.Token(t, "dpo@operator.example")
}

type trailEvent struct {
	Seq       int
	Kind      string
	Decision  string
	UserEmail *string
	Purpose   string
	Operation string
	Flagged   bool
	Message   string
	Records   []struct {
		ID, Type, Category, Level string
		ReturneeID                *string
	}
}

func trail(t *testing.T, w *world, dpo, filter string) []trailEvent {
	t.Helper()
	var d struct {
		AuditEvents struct{ Edges []struct{ Node trailEvent } }
	}
	q := fmt.Sprintf(`{ auditEvents(first: 100%s) { edges { node { seq kind decision userEmail purpose operation flagged message
	  records { id type category level returneeId } } } } }`, filter)
	w.e.Query(t, dpo, q, nil).Decode(t, &d)
	out := make([]trailEvent, len(d.AuditEvents.Edges))
	for i, e := range d.AuditEvents.Edges {
		out[i] = e.Node
	}
	return out
}

func TestReadsAreAuditedPerResponseWithTheirRecords(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w, dpo := auditWorld(t, s)
		colleague := w.e.User(t, "doc2@ngo-kz.example", w.ngo, domain.RoleClinician)
		for i := 0; i < 3; i++ {
			w.e.AllRecords(t, w.onTeam, colleague)
		}
		// The clinician reads 4 medical records (summaries) and their details.
		w.e.Purpose = "treatment planning"
		w.e.Query(t, w.clin, `{ returnees { edges { node { medicalRecords { edges { node { summary detail } } } } } } }`, nil).Decode(t, &struct{}{})
		evs := trail(t, w, dpo, `, where: {kind: READ}`)
		if len(evs) != 1 {
			t.Fatalf("want one READ event for one response, got %d: %+v", len(evs), evs)
		}
		ev := evs[0]
		if ev.Purpose != "treatment planning" || ev.UserEmail == nil || *ev.UserEmail != "doc@ngo-kz.example" {
			t.Errorf("event %+v", ev)
		}
		levels := map[string]int{}
		for _, r := range ev.Records {
			if r.Type != "MedicalRecord" || r.Category != "MEDICAL" || r.ReturneeID == nil || *r.ReturneeID != string(w.onTeam.ID) {
				t.Errorf("record %+v", r)
			}
			levels[r.Level]++
		}
		if levels["SUMMARY"] != 4 || levels["DETAIL"] != 4 {
			t.Errorf("want 4 summary and 4 detail reads, got %v", levels)
		}
		// A query that returns no sensitive record writes no read event.
		w.e.Query(t, w.clin, `{ returnees { totalCount edges { node { familyName } } } }`, nil).Decode(t, &struct{}{})
		if n := len(trail(t, w, dpo, `, where: {kind: READ}`)); n != 1 {
			t.Errorf("core-only query wrote a read event (%d events)", n)
		}
		// Detail needs a declared purpose; the summary does not.
		w.e.Purpose = ""
		r := w.e.Query(t, w.clin, `{ returnees { edges { node { medicalRecords { edges { node { summary detail } } } } } } }`, nil)
		if len(r.Errors) == 0 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "X-Purpose-Of-Use" {
			t.Errorf("detail without purpose: %s", r.Raw)
		}
		if !strings.Contains(string(r.Data), "medical summary") {
			t.Errorf("summary withheld: %s", r.Raw)
		}
	})
}

func TestWritesDenialsAndFailedLoginsAreAudited(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w, dpo := auditWorld(t, s)
		var created struct{ CreateMedicalRecord struct{ ID string } }
		w.e.Query(t, w.clin, `mutation($r: ID!) { createMedicalRecord(input: {returneeId: $r, summary: "s", detail: "d", recordedOn: "2025-01-01", kind: DIAGNOSIS}) { id } }`,
			map[string]any{"r": w.onTeam.ID}).Decode(t, &created)
		writes := trail(t, w, dpo, `, where: {kind: WRITE}`)
		if len(writes) != 1 || len(writes[0].Records) != 1 || writes[0].Records[0].ID != created.CreateMedicalRecord.ID || writes[0].Records[0].Level != "DETAIL" {
			t.Fatalf("write events: %+v", writes)
		}
		// A refused write leaves a DENIED event and no WRITE.
		r := w.e.Query(t, w.cm, `mutation($r: ID!) { createMedicalRecord(input: {returneeId: $r, summary: "s", recordedOn: "2025-01-01", kind: DIAGNOSIS}) { id } }`,
			map[string]any{"r": w.onTeam.ID})
		if r.Errors[0].Code() != "FORBIDDEN" {
			t.Fatalf("case manager writing medical: %s", r.Raw)
		}
		if n := len(trail(t, w, dpo, `, where: {kind: WRITE}`)); n != 1 {
			t.Errorf("refused write left %d write events", n)
		}
		denied := trail(t, w, dpo, `, where: {decision: DENY, kind: DENIED}`)
		if len(denied) != 1 || !strings.Contains(denied[0].Message, "createMedicalRecord") {
			t.Errorf("denied events: %+v", denied)
		}
		// A refused field read is a denial too.
		w.e.Query(t, w.clin, `{ returnees { edges { node { legalRecords { totalCount } } } } }`, nil)
		if n := len(trail(t, w, dpo, `, where: {kind: DENIED}`)); n != 2 {
			t.Errorf("want 2 denials, got %d", n)
		}
		// Failed logins.
		w.e.Query(t, "not-a-token", `{ me { roles } }`, nil)
		fails := trail(t, w, dpo, `, where: {kind: LOGIN_FAILURE}`)
		if len(fails) != 1 || fails[0].Decision != "DENY" {
			t.Errorf("login failures: %+v", fails)
		}
		// Only data-protection officers read the trail.
		if r := w.e.Query(t, w.cm, `{ auditEvents { totalCount } }`, nil); r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("case manager reading the trail: %s", r.Raw)
		}
	})
}

func TestBreakGlassReviewAndAccessLog(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w, dpo := auditWorld(t, s)
		why := "patient admitted unconscious to the emergency ward, allergies unknown"
		var bg struct{ BreakGlass struct{ ID string } }
		w.e.Query(t, w.cmUZ, breakGlass, map[string]any{"r": w.onTeam.ID, "why": why}).Decode(t, &bg)
		flagged := trail(t, w, dpo, `, where: {kind: BREAK_GLASS}`)
		if len(flagged) != 1 || !flagged[0].Flagged || flagged[0].Message != why {
			t.Fatalf("break-glass events: %+v", flagged)
		}
		var queue struct {
			BreakGlassReviews struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		w.e.Query(t, dpo, `{ breakGlassReviews { edges { node { id } } } }`, nil).Decode(t, &queue)
		if len(queue.BreakGlassReviews.Edges) != 1 || queue.BreakGlassReviews.Edges[0].Node.ID != bg.BreakGlass.ID {
			t.Fatalf("review queue: %+v", queue)
		}
		w.e.Query(t, dpo, `mutation($id: ID!) { reviewBreakGlass(id: $id, note: "justified: emergency admission confirmed") { reviewedAt } }`,
			map[string]any{"id": bg.BreakGlass.ID}).Decode(t, &struct{}{})
		w.e.Query(t, dpo, `{ breakGlassReviews { edges { node { id } } } }`, nil).Decode(t, &queue)
		if len(queue.BreakGlassReviews.Edges) != 0 {
			t.Errorf("reviewed event still queued")
		}
		if n := len(trail(t, w, dpo, `, where: {kind: REVIEW}`)); n != 1 {
			t.Errorf("want one REVIEW event, got %d", n)
		}
		// The gov-uz case manager now reads the case: the lead agency's case
		// manager sees it in the access log; the NGO's clinician may not.
		w.e.Query(t, w.cmUZ, `query($r: ID!) { node(id: $r) { ... on Returnee { documents { totalCount edges { node { status } } } } } }`,
			map[string]any{"r": w.onTeam.ID}).Decode(t, &struct{}{})
		log := `query($r: ID!) { node(id: $r) { ... on Returnee { accessLog { edges { node { kind userEmail organisation { slug } } } } } } }`
		var al struct {
			Node struct {
				AccessLog struct {
					Edges []struct {
						Node struct {
							Kind         string
							UserEmail    string
							Organisation struct{ Slug string }
						}
					}
				}
			}
		}
		w.e.Query(t, w.cm, log, map[string]any{"r": w.onTeam.ID}).Decode(t, &al)
		found := false
		for _, e := range al.Node.AccessLog.Edges {
			if e.Node.Kind == "READ" && e.Node.Organisation.Slug == "gov-uz" {
				found = true
			}
		}
		if !found {
			t.Errorf("access log lacks gov-uz's read: %+v", al)
		}
		if r := w.e.Query(t, w.clin, log, map[string]any{"r": w.onTeam.ID}); len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("clinician reading the access log: %s", r.Raw)
		}
		// The trail of the case, for the DPO, by category.
		if n := len(trail(t, w, dpo, fmt.Sprintf(`, where: {returnee: %q, category: LEGAL}`, w.onTeam.ID))); n < 1 {
			t.Errorf("no legal events for the case")
		}
	})
}

// TestAuditChainUnderConcurrentWritersFromTwoProcesses: two servers on one
// database append reads and writes at once; the chain stays one linear,
// verifiable chain.
func TestAuditChainUnderConcurrentWritersFromTwoProcesses(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w, _ := auditWorld(t, s)
		other := testenv.Start(t, s.URL, w.e.SameKey())
		var wg sync.WaitGroup
		errs := make(chan string, 64)
		for i := 0; i < 8; i++ {
			env := w.e
			if i%2 == 1 {
				env = other
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 5; j++ {
					r := env.Query(t, w.clin, `mutation($r: ID!) { createMedicalRecord(input: {returneeId: $r, summary: "s", recordedOn: "2025-01-01", kind: DIAGNOSIS}) { id summary } }`,
						map[string]any{"r": w.onTeam.ID})
					if len(r.Errors) > 0 {
						errs <- string(r.Raw)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Errorf("concurrent write failed: %s", e)
		}
		rep, err := audit.Verify(context.Background(), w.e.Store.Client)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Events < 80 {
			t.Errorf("chain after concurrent writers: %s", rep)
		}
		n, err := w.e.Store.Client.AuditEvent.Query().Where(auditevent.KindEQ(auditevent.KindWRITE)).Count(sysCtx())
		if err != nil || n != 40 {
			t.Errorf("want 40 write events, got %d (%v)", n, err)
		}
	})
}
