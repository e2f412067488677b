package audit

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/auditevent"
)

// ExportCSV writes the events that occurred in [from, to) as CSV, in chain
// order, with their hashes so an export can be checked against the chain.
func ExportCSV(ctx context.Context, c *ent.Client, from, to time.Time, w io.Writer) (int, error) {
	ctx = viewer.SystemContext(ctx)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"seq", "occurred_at", "kind", "decision", "user_id", "organisation_id", "roles",
		"operation", "purpose", "request_id", "flagged", "message", "records", "prev_hash", "hash"})
	var (
		n    int
		next int64
	)
	for {
		evs, err := c.AuditEvent.Query().
			Where(auditevent.OccurredAtGTE(from), auditevent.OccurredAtLT(to), auditevent.SeqGT(next)).
			Order(ent.Asc(auditevent.FieldSeq)).Limit(1000).All(ctx)
		if err != nil {
			return n, fmt.Errorf("reading audit events: %w", err)
		}
		if len(evs) == 0 {
			break
		}
		for _, e := range evs {
			roles := make([]string, len(e.Roles))
			for i, r := range e.Roles {
				roles[i] = string(r)
			}
			recs, _ := json.Marshal(e.Records)
			if err := cw.Write([]string{
				strconv.FormatInt(e.Seq, 10), e.OccurredAt.UTC().Format(time.RFC3339Nano), string(e.Kind), string(e.Decision),
				string(e.UserID), string(e.OrganisationID), strings.Join(roles, " "), csvSafe(e.Operation), csvSafe(e.Purpose),
				e.RequestID, strconv.FormatBool(e.Flagged), csvSafe(e.Message), string(recs), e.PrevHash, e.Hash,
			}); err != nil {
				return n, err
			}
			n++
			next = e.Seq
		}
	}
	cw.Flush()
	return n, cw.Error()
}

// csvSafe defuses spreadsheet formula injection in free text: a cell that
// starts with = + - @ is prefixed with a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
