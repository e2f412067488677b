package audit

import (
	"context"
	"fmt"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/auditchain"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/auditsubject"
)

// Report is the outcome of Verify.
type Report struct {
	Events   int   // events checked
	BrokenAt int64 // sequence number of the first broken link; 0 when intact
	Reason   string
}

// OK reports whether the chain is intact.
func (r Report) OK() bool { return r.BrokenAt == 0 && r.Reason == "" }

func (r Report) String() string {
	if r.OK() {
		return fmt.Sprintf("audit chain intact: %d events", r.Events)
	}
	return fmt.Sprintf("audit chain broken at event %d: %s (%d events checked)", r.BrokenAt, r.Reason, r.Events)
}

// Verify walks the whole chain in order and reports the first broken link:
// a missing or repeated sequence number (a deleted or inserted event), a
// previous-hash that is not the predecessor's hash (reordering), a hash that
// does not match the content (an edit), index rows that do not match an
// event's records (for events the indexer has reached; later ones must have
// none yet), or a head that does not point at the last event (the newest
// events deleted).
func Verify(ctx context.Context, c *ent.Client) (Report, error) {
	ctx = viewer.SystemContext(ctx)
	var (
		rep  Report
		prev string
		next int64 = 1
	)
	indexed := int64(0)
	if w, err := c.AuditIndex.Get(ctx, 1); err == nil {
		indexed = w.IndexedSeq
	} else if !ent.IsNotFound(err) {
		return rep, fmt.Errorf("reading the index watermark: %w", err)
	}
	const page = 1000
	for {
		evs, err := c.AuditEvent.Query().Where(auditevent.SeqGTE(next)).
			Order(ent.Asc(auditevent.FieldSeq)).Limit(page).All(ctx)
		if err != nil {
			return rep, fmt.Errorf("reading audit events: %w", err)
		}
		if len(evs) == 0 {
			break
		}
		subj, err := subjectsByEvent(ctx, c, evs[0].Seq, evs[len(evs)-1].Seq)
		if err != nil {
			return rep, err
		}
		for _, e := range evs {
			switch {
			case e.Seq != next:
				return broken(rep, next, fmt.Sprintf("event %d is missing (next found is %d)", next, e.Seq)), nil
			case e.PrevHash != prev:
				return broken(rep, e.Seq, "previous-hash does not match the preceding event"), nil
			case Hash(prev, canonicalOf(e)) != e.Hash:
				return broken(rep, e.Seq, "content does not match its hash"), nil
			case e.Categories != categoriesOf(e.Records):
				return broken(rep, e.Seq, "categories column does not match the event's records"), nil
			}
			// Beyond the watermark read at the start, an event may have been
			// indexed since, or not yet: either its exact rows or none.
			want, got := subjectsOf(e.Records), subj[e.Seq]
			if e.Seq > indexed && len(got) == 0 {
				want = nil
			}
			if !sameSubjects(want, got) {
				return broken(rep, e.Seq, "case index rows do not match the event's records"), nil
			}
			prev = e.Hash
			next++
			rep.Events++
		}
	}
	head, err := c.AuditChain.Query().Where(auditchain.ID(1)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		if rep.Events > 0 {
			return broken(rep, next, "chain head is missing"), nil
		}
	case err != nil:
		return rep, fmt.Errorf("reading the chain head: %w", err)
	case head.LastSeq != next-1 || head.LastHash != prev:
		return broken(rep, next, fmt.Sprintf("chain head points at event %d, but the chain ends at event %d", head.LastSeq, next-1)), nil
	}
	return rep, nil
}

func broken(r Report, at int64, why string) Report {
	r.BrokenAt, r.Reason = at, why
	return r
}

func subjectsByEvent(ctx context.Context, c *ent.Client, from, to int64) (map[int64][]subject, error) {
	rows, err := c.AuditSubject.Query().Where(auditsubject.EventSeqGTE(from), auditsubject.EventSeqLTE(to)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading audit index rows: %w", err)
	}
	out := map[int64][]subject{}
	for _, r := range rows {
		out[r.EventSeq] = append(out[r.EventSeq], subject{r.ReturneeID, r.Categories, r.Detail})
	}
	return out, nil
}

func sameSubjects(a, b []subject) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[subject]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
		if m[s] < 0 {
			return false
		}
	}
	return true
}
