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
		listed, malformed, err := casesByEvent(ctx, c, evs[0].Seq, evs[len(evs)-1].Seq)
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
			case e.Seq == malformed:
				return broken(rep, e.Seq, "a case index posting from here is malformed"), nil
			}
			// Beyond the watermark read at the start, an event may have been
			// indexed since, or not yet: either its exact cases or none.
			want, got := casesOf(e.Records), listed[e.Seq]
			if e.Seq > indexed && len(got) == 0 {
				want = nil
			}
			if !sameCases(want, got) {
				return broken(rep, e.Seq, "case index does not match the event's records"), nil
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

// casesByEvent reads the postings that may list events from to to (their
// span is below maxPostingSpan) and returns, by event in that range, the
// cases whose postings list it. malformed is the first event of the range
// where a posting starts that cannot have been the indexer's (its list not
// strictly increasing, not from first_seq to last_seq, or too long), or 0.
func casesByEvent(ctx context.Context, c *ent.Client, from, to int64) (listed map[int64][]string, malformed int64, err error) {
	ps, err := c.AuditSubject.Query().Where(auditsubject.FirstSeqGT(from-maxPostingSpan), auditsubject.FirstSeqLTE(to)).All(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("reading the case index: %w", err)
	}
	listed = map[int64][]string{}
	for _, p := range ps {
		if !wellFormed(p) {
			if at := max(p.FirstSeq, from); malformed == 0 || at < malformed {
				malformed = at
			}
			continue
		}
		for _, seq := range p.Seqs {
			if seq >= from && seq <= to {
				listed[seq] = append(listed[seq], string(p.ReturneeID))
			}
		}
	}
	return listed, malformed, nil
}

func wellFormed(p *ent.AuditSubject) bool {
	n := len(p.Seqs)
	if n == 0 || p.Seqs[0] != p.FirstSeq || p.Seqs[n-1] != p.LastSeq || p.LastSeq-p.FirstSeq >= maxPostingSpan {
		return false
	}
	for i := 1; i < n; i++ {
		if p.Seqs[i] <= p.Seqs[i-1] {
			return false
		}
	}
	return true
}

// sameCases reports whether got lists each case of want once and no other.
func sameCases(want, got []string) bool {
	if len(want) != len(got) {
		return false
	}
	m := map[string]int{}
	for _, c := range want {
		m[c]++
	}
	for _, c := range got {
		m[c]--
		if m[c] < 0 {
			return false
		}
	}
	return true
}
