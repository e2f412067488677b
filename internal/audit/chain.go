package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/auditchain"
	"github.com/rdrr-project/rdrr/ent/auditindex"
	"github.com/rdrr-project/rdrr/ent/auditrecordset"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Chain appends events to the hash chain of one database.
type Chain struct {
	Dialect string // dialect.SQLite or dialect.Postgres
}

// canonical is the content an event's hash covers, in a fixed field order.
type canonical struct {
	Seq       int64         `json:"seq"`
	At        string        `json:"at"`
	Kind      string        `json:"kind"`
	Decision  string        `json:"decision"`
	User      gid.ID        `json:"user"`
	Org       gid.ID        `json:"org"`
	Roles     []domain.Role `json:"roles"`
	Operation string        `json:"op"`
	Purpose   string        `json:"purpose"`
	RequestID string        `json:"req"`
	// Records is the JSON of the event's []Record, marshalled once: the
	// same bytes are hashed here and stored in the records column.
	Records json.RawMessage `json:"records"`
	Flagged bool            `json:"flagged"`
	Message string          `json:"message"`
}

// Hash returns the chain hash of an event with content c following prev:
// the SHA-256 of prev, a newline and the JSON of c.
//
// c.Records is written as it is, not through encoding/json, which would
// scan and re-compact its bytes (an event of a dashboard page names about
// 110 records, 14 kB). The bytes hashed are the same: Records always comes
// from json.Marshal (marshalRecords), which writes compact, HTML-escaped
// JSON, what encoding/json would have made of it (hashReference in the
// tests is the plain json.Marshal of c, and they must agree).
func Hash(prev string, c canonical) string {
	recs := c.Records
	if len(recs) == 0 {
		recs = json.RawMessage("null")
	}
	c.Records = recordsPlaceholder
	b, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Errorf("audit: encoding event: %w", err)) // only plain values: cannot happen
	}
	// The placeholder's key and value, followed by the next key: no string
	// value can contain it (quotes inside strings are escaped).
	i := bytes.Index(b, recordsField)
	if i < 0 {
		panic("audit: records placeholder not found") // the canonical field order changed
	}
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(b[:i+len(`"records":`)])
	h.Write(recs)
	h.Write(b[i+len(`"records":0`):])
	return hex.EncodeToString(h.Sum(nil))
}

var (
	recordsPlaceholder = json.RawMessage("0")
	recordsField       = []byte(`"records":0,"flagged":`)
)

func canonicalOf(e *ent.AuditEvent) canonical {
	recs := e.Records
	if recs == nil {
		recs = []Record{}
	}
	return canonical{
		Seq: e.Seq, At: e.OccurredAt.UTC().Format(time.RFC3339Nano), Kind: string(e.Kind), Decision: string(e.Decision),
		User: e.UserID, Org: e.OrganisationID, Roles: e.Roles, Operation: e.Operation, Purpose: e.Purpose,
		RequestID: e.RequestID, Records: marshalRecords(recs), Flagged: e.Flagged, Message: e.Message,
	}
}

// marshalRecords is the JSON of an event's records.
func marshalRecords(rs []Record) json.RawMessage {
	b, err := json.Marshal(rs)
	if err != nil {
		panic(fmt.Errorf("audit: encoding records: %w", err)) // only plain values: cannot happen
	}
	return b
}

// Append writes events at the end of the chain inside tx. It locks the
// chain head until tx ends, so concurrent appenders, in this process or
// another, queue behind each other and the chain stays linear. The events'
// case index rows (AuditSubject) are left to Index, which adds them in
// order (see "Case index rows" below).
func (c Chain) Append(ctx context.Context, tx *ent.Tx, evs []Event) error {
	_, err := c.appendTx(ctx, tx, evs, nil, nil)
	return err
}

// appended is where an append left the chain, with the cases of the
// events it wrote, for the writer to hand to the indexer once they are
// committed.
type appended struct {
	head    Head
	backlog []eventCases
	links   []link // the events written, whose record sets are stored once committed
}

// Head is the end of the chain: the sequence number and hash of its last
// event.
type Head struct {
	Seq  int64
	Hash string
}

// link is one event ready to be written: its content, as hashed, and its
// place in the chain.
type link struct {
	id        gid.ID
	e         Event
	cn        canonical
	at        time.Time
	prev, sum string
	// digest names the record set holding the event's records, or is
	// empty when they are stored with the event (recordSetBytes).
	digest string
}

// chainAfter hashes evs onto the chain ending at head.
func chainAfter(head Head, evs []Event) ([]link, Head) {
	// Timestamps are cut to microseconds, what PostgreSQL keeps, so the
	// hash of an event read back equals the hash it was written with.
	now := time.Now().UTC().Truncate(time.Microsecond)
	seq, prev := head.Seq, head.Hash
	out := make([]link, 0, len(evs))
	for _, e := range evs {
		seq++
		if e.Records == nil {
			e.Records = []Record{}
		}
		if e.Roles == nil {
			e.Roles = []domain.Role{}
		}
		cn := canonical{
			Seq: seq, At: now.Format(time.RFC3339Nano), Kind: string(e.Kind), Decision: string(e.Decision),
			User: e.UserID, Org: e.OrgID, Roles: e.Roles, Operation: clip(e.Operation, 500), Purpose: clip(e.Purpose, 200),
			RequestID: e.RequestID, Records: marshalRecords(e.Records), Flagged: e.Flagged, Message: clip(e.Message, 2000),
		}
		h := Hash(prev, cn)
		l := link{id: gid.New("aud"), e: e, cn: cn, at: now, prev: prev, sum: h}
		if len(cn.Records) >= recordSetBytes {
			l.digest = digestOf(cn.Records)
		}
		out = append(out, l)
		prev = h
	}
	return out, Head{Seq: seq, Hash: prev}
}

// appendTx is Append, reporting the new end of the chain; known is the
// caller's idea of the chain's end, or nil (moveHead); stored the record
// sets known to be in the database already, or nil.
func (c Chain) appendTx(ctx context.Context, tx *ent.Tx, evs []Event, known *Head, stored *storedSets) (appended, error) {
	if len(evs) == 0 {
		return appended{}, nil
	}
	sys := viewer.SystemContext(ctx)
	links, end, err := c.moveHead(sys, tx, evs, known)
	if err != nil {
		return appended{}, err
	}
	if toWrite := setsToWrite(links, stored); len(toWrite) > 0 {
		sets := make([]*ent.AuditRecordSetCreate, len(toWrite))
		for i, l := range toWrite {
			sets[i] = tx.AuditRecordSet.Create().SetID(l.digest).SetRecords(l.e.Records)
		}
		if err := tx.AuditRecordSet.CreateBulk(sets...).OnConflictColumns(auditrecordset.FieldID).DoNothing().Exec(sys); err != nil {
			return appended{}, fmt.Errorf("writing audit record sets: %w", err)
		}
	}
	events := make([]*ent.AuditEventCreate, 0, len(links))
	for _, l := range links {
		e, cn := l.e, l.cn
		ev := tx.AuditEvent.Create().SetID(l.id).SetSeq(cn.Seq).SetOccurredAt(l.at).
			SetKind(e.Kind).SetDecision(e.Decision).SetUserID(e.UserID).SetOrganisationID(e.OrgID).
			SetRoles(cn.Roles).SetOperation(cn.Operation).SetPurpose(cn.Purpose).SetRequestID(e.RequestID).
			SetCategories(categoriesOf(e.Records)).SetFlagged(e.Flagged).SetMessage(cn.Message).
			SetPrevHash(l.prev).SetHash(l.sum)
		if l.digest != "" {
			ev.SetRecordsDigest(l.digest)
		} else {
			ev.SetRecords(e.Records)
		}
		events = append(events, ev)
	}
	for i := 0; i < len(events); i += 200 {
		if err := tx.AuditEvent.CreateBulk(events[i:min(i+200, len(events))]...).Exec(sys); err != nil {
			return appended{}, fmt.Errorf("writing audit events: %w", err)
		}
	}
	return appended{head: end, backlog: casesOfLinks(links), links: links}, nil
}

// moveHead chains evs onto the end of the chain and moves the head past
// them, inside tx, returning the links and the new head.
// known, when not nil, is where the caller's previous append left the
// chain: on SQLite, whose transactions hold the write lock from their
// start, the head's UPDATE then tests it instead of the head being read
// first (one statement fewer on every audited response), and the head is
// read only when another process or a mutation appended since.
func (c Chain) moveHead(ctx context.Context, tx *ent.Tx, evs []Event, known *Head) ([]link, Head, error) {
	if known != nil && c.Dialect == dialect.SQLite {
		links, end := chainAfter(*known, evs)
		n, err := tx.AuditChain.Update().Where(auditchain.ID(1), auditchain.LastSeq(known.Seq), auditchain.LastHash(known.Hash)).
			SetLastSeq(end.Seq).SetLastHash(end.Hash).Save(ctx)
		if err != nil {
			return nil, Head{}, fmt.Errorf("moving the audit chain head: %w", err)
		}
		if n == 1 {
			return links, end, nil
		}
	}
	h, err := c.lockHead(ctx, tx)
	if err != nil {
		return nil, Head{}, err
	}
	start := Head{Seq: h.LastSeq, Hash: h.LastHash}
	links, end := chainAfter(start, evs)
	// A bulk update: UpdateOne would read the row back, one more round trip.
	if err := tx.AuditChain.Update().Where(auditchain.ID(1)).SetLastSeq(end.Seq).SetLastHash(end.Hash).Exec(ctx); err != nil {
		return nil, Head{}, fmt.Errorf("moving the audit chain head: %w", err)
	}
	return links, end, nil
}

// Case index rows: appends never write their events' case index rows; the
// indexer writes those of a quarter of a second's events in one
// transaction, on both stores, as postings: one row per case, listing the
// run's events that name it (ent/schema/audit_event.go), so that a
// dashboard refreshing the same 50 cases adds 50 rows a run, not 50 an
// event. On SQLite, a dashboard page's event names 50 cases, whose rows
// land on 50 leaf pages of the index by case, and every commit writes each
// page it changed to the WAL whole: indexing on append wrote about 50 pages
// (200 kB) per audited response where the indexer writes each page once
// per run. On PostgreSQL appends used to write the rows in their one
// statement when the index was complete up to the chain's end, but under
// steady load it never was: the indexer had just caught up to an end the
// next append had already moved, so nearly every append left its rows to
// the indexer, which read the events back and decoded their records (7.6%
// of a loaded server's CPU). The writer now hands the cases of every
// append's events to the indexer (backlog), and the append's statement
// carries only the events. Queries of the index catch it up first
// (Trail.CatchUp), so they miss nothing.

// indexRows moves the index watermark from event from to event to and,
// if it moved, writes ps, the postings of the events between, inside tx.
// It reports whether it moved. Only the indexer calls it.
//
// The watermark moves first: the postings' INSERT then tests the watermark
// this transaction set, which nobody else can have set to "to", so they go
// in exactly when the watermark moved, even when another process's indexer
// moved it meanwhile (on PostgreSQL the UPDATE waits for that indexer and
// re-reads the row; an INSERT testing "from" first would have read the
// older value and left a hole). The INSERT is skipped when there are no
// postings. A missing watermark row (a new database) is created by the
// indexer (lockIndex) before it calls this.
func (c Chain) indexRows(ctx context.Context, tx *ent.Tx, ps []posting, from, to int64) (bool, error) {
	moved, err := tx.AuditIndex.Update().Where(auditindex.ID(1), auditindex.IndexedSeq(from)).SetIndexedSeq(to).Save(ctx)
	if err != nil {
		return false, fmt.Errorf("moving the index watermark: %w", err)
	}
	if len(ps) == 0 {
		return moved == 1, nil
	}
	cases, firsts, lasts, seqs, err := postingColumns(ps)
	if err != nil {
		return false, err
	}
	if c.Dialect == dialect.SQLite {
		// All postings in one JSON argument: SQLite parses a statement of
		// hundreds of VALUES tuples and binds their arguments at a greater
		// cost than it reads them from JSON.
		rows := make([][]any, len(ps))
		for i := range ps {
			rows[i] = []any{cases[i], firsts[i], lasts[i], json.RawMessage(seqs[i])}
		}
		js, err := json.Marshal(rows)
		if err != nil {
			return false, fmt.Errorf("encoding audit postings: %w", err)
		}
		if _, err := tx.ExecContext(ctx, sqlitePostingInsert, string(js), to); err != nil {
			return false, fmt.Errorf("writing audit postings: %w", err)
		}
		return moved == 1, nil
	}
	if _, err := tx.ExecContext(ctx, pgPostingInsert, cases, firsts, lasts, seqs, to); err != nil {
		return false, fmt.Errorf("writing audit postings: %w", err)
	}
	return moved == 1, nil
}

// sqlitePostingInsert writes postings given as a JSON array of [case,
// first seq, last seq, [seqs]], if the watermark is at the second argument
// (as indexRows).
const sqlitePostingInsert = "INSERT INTO audit_subjects (returnee_id, first_seq, last_seq, seqs) " +
	"SELECT r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value -> 3 FROM json_each(?) AS r " +
	"WHERE EXISTS (SELECT 1 FROM audit_indexes WHERE id = 1 AND indexed_seq = ?)"

// pgPostingInsert writes postings given as four arrays, one per column, if
// the watermark is still where this indexer moved it ($5). One statement
// text for any number of postings: pgx prepares it once per connection,
// where a VALUES list would be a new statement, parsed and planned, at
// nearly every batch size.
const pgPostingInsert = "INSERT INTO audit_subjects (returnee_id, first_seq, last_seq, seqs) " +
	"SELECT v.returnee_id, v.first_seq, v.last_seq, v.seqs::jsonb " +
	"FROM unnest($1::varchar[], $2::bigint[], $3::bigint[], $4::text[]) AS v(returnee_id, first_seq, last_seq, seqs) " +
	"WHERE EXISTS (SELECT 1 FROM audit_indexes WHERE id = 1 AND indexed_seq = $5)"

// maxPostingSpan bounds last_seq - first_seq of a posting, so that rdrr
// audit verify finds the postings of a range of events by first_seq alone.
// The indexer's postings span at most one batch (indexBatch, 200 events).
const maxPostingSpan = 1000

// posting is one row of the case index: the events, in order, of one
// indexer run that name the case.
type posting struct {
	returnee string
	seqs     []int64
}

// postingsOf turns the cases each event from first to last names into
// postings, one per case, in the index's order (case, then position):
// each case's posting goes to its leaf page of the index by case.
func postingsOf(byEvent map[int64][]string, first, last int64) []posting {
	at := map[string]int{}
	var ps []posting
	for seq := first; seq <= last; seq++ {
		for _, c := range byEvent[seq] {
			i, ok := at[c]
			if !ok {
				i = len(ps)
				at[c] = i
				ps = append(ps, posting{returnee: c})
			}
			ps[i].seqs = append(ps[i].seqs, seq)
		}
	}
	slices.SortFunc(ps, func(a, b posting) int { return strings.Compare(a.returnee, b.returnee) })
	return ps
}

// postingColumns turns postings into one array per column, the sequence
// numbers of each as JSON.
func postingColumns(ps []posting) (cases []string, firsts, lasts []int64, seqs []string, err error) {
	cases, seqs = make([]string, len(ps)), make([]string, len(ps))
	firsts, lasts = make([]int64, len(ps)), make([]int64, len(ps))
	for i, p := range ps {
		js, err := json.Marshal(p.seqs)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("encoding audit postings: %w", err)
		}
		cases[i], firsts[i], lasts[i], seqs[i] = p.returnee, p.seqs[0], p.seqs[len(p.seqs)-1], string(js)
	}
	return cases, firsts, lasts, seqs, nil
}

// maxFastBatch bounds the events appendAfter writes in its one statement.
const maxFastBatch = 100

// pgAppend is appendAfter's statement. The events come as arrays, one per
// column, so that its text never changes: pgx prepares it once per
// connection, where VALUES lists (17 parameters per event) made a new
// statement of hundreds of parameters, parsed and planned, for nearly every
// batch. $1, $2: the new head's
// sequence number and hash; $3: now; $4, $5: the head the writer expects;
// $6 to $22 the events; $23, $24 the digests and records of the record
// sets to write (those the writer does not know to be stored), written
// only if the head moved, like the events.
const pgAppend = `WITH head AS (UPDATE audit_chains SET last_seq = $1, last_hash = $2, updated_at = $3 ` +
	`WHERE id = 1 AND last_seq = $4 AND last_hash = $5 RETURNING id), ` +
	`sets AS (INSERT INTO audit_record_sets (id, records) SELECT s.id, s.records::jsonb ` +
	`FROM head, unnest($23::varchar[], $24::text[]) AS s(id, records) ON CONFLICT (id) DO NOTHING), ` +
	`ev AS (INSERT INTO audit_events (id, seq, occurred_at, kind, decision, user_id, organisation_id, roles, operation, purpose, ` +
	`request_id, records, records_digest, categories, flagged, message, prev_hash, hash) ` +
	`SELECT v.id, v.seq, v.occurred_at, v.kind, v.decision, v.user_id, v.organisation_id, v.roles::jsonb, v.operation, v.purpose, ` +
	`v.request_id, NULLIF(v.records, '')::jsonb, v.digest, v.categories, v.flagged, v.message, v.prev_hash, v.hash ` +
	`FROM head, unnest($6::varchar[], $7::bigint[], $8::timestamptz[], $9::varchar[], $10::varchar[], $11::varchar[], $12::varchar[], ` +
	`$13::text[], $14::varchar[], $15::varchar[], $16::varchar[], $17::text[], $18::varchar[], $19::boolean[], $20::varchar[], ` +
	`$21::varchar[], $22::varchar[], $25::varchar[]) AS v(id, seq, occurred_at, kind, decision, user_id, organisation_id, roles, operation, purpose, ` +
	`request_id, records, categories, flagged, message, prev_hash, hash, digest) RETURNING 1) ` +
	`SELECT count(*) FROM ev`

// appendAfter appends evs in one statement, on PostgreSQL only, provided
// the chain still ends at head (the end this writer left it at): the
// statement moves the head only if it is still there, and inserts the
// events only if it moved it, atomically. It reports false, having written
// nothing, when the chain has moved on (another writer, in this process or
// another, appended since) or the batch is too large for one statement:
// the caller then takes the lock (Append). It saves Append's four other
// round trips (BEGIN, SELECT ... FOR UPDATE, the head's UPDATE, COMMIT) on
// every audited read. The events' case index rows are left to the indexer
// (see "Case index rows"). The writer calls it as the system, which is all the
// audit tables' privacy policy allows to write.
func (c Chain) appendAfter(ctx context.Context, client *ent.Client, head Head, evs []Event, stored *storedSets) (appended, bool, error) {
	if c.Dialect != dialect.Postgres || len(evs) == 0 || len(evs) > maxFastBatch {
		return appended{}, false, nil
	}
	links, end := chainAfter(head, evs)
	cols, err := columnsOf(links)
	if err != nil {
		return appended{}, false, err
	}
	args := append([]any{end.Seq, end.Hash, time.Now().UTC(), head.Seq, head.Hash}, cols.args()...)
	var digests, records []string
	for _, l := range setsToWrite(links, stored) {
		digests, records = append(digests, l.digest), append(records, string(l.cn.Records))
	}
	args = append(args, digests, records, cols.digests)
	rs, err := client.QueryContext(ctx, pgAppend, args...)
	if err != nil {
		return appended{}, false, fmt.Errorf("writing audit events: %w", err)
	}
	defer rs.Close()
	var written int64
	if rs.Next() {
		if err := rs.Scan(&written); err != nil {
			return appended{}, false, fmt.Errorf("writing audit events: %w", err)
		}
	}
	if err := rs.Err(); err != nil {
		return appended{}, false, fmt.Errorf("writing audit events: %w", err)
	}
	switch written {
	case int64(len(links)):
		return appended{head: end, backlog: casesOfLinks(links), links: links}, true, nil
	case 0:
		return appended{}, false, nil // the chain moved on: nothing was written
	default:
		return appended{}, false, fmt.Errorf("writing audit events: %d of %d written", written, len(links))
	}
}

// eventColumns are the events of one append as pgAppend takes them: one
// array per column of audit_events.
type eventColumns struct {
	seqs    []int64
	ats     []time.Time
	flagged []bool

	ids, kinds, decisions, users, orgs, roles, ops       []string
	purposes, reqs, records, cats, messages, prevs, sums []string
	digests                                              []string // records_digest ($25), not in args
}

func columnsOf(links []link) (eventColumns, error) {
	var c eventColumns
	for _, l := range links {
		roles, err := json.Marshal(l.cn.Roles)
		if err != nil {
			return c, fmt.Errorf("encoding audit event roles: %w", err)
		}
		e, cn := l.e, l.cn
		c.ids, c.seqs, c.ats = append(c.ids, string(l.id)), append(c.seqs, cn.Seq), append(c.ats, l.at)
		c.kinds, c.decisions = append(c.kinds, string(e.Kind)), append(c.decisions, string(e.Decision))
		c.users, c.orgs, c.roles = append(c.users, string(e.UserID)), append(c.orgs, string(e.OrgID)), append(c.roles, string(roles))
		c.ops, c.purposes, c.reqs = append(c.ops, cn.Operation), append(c.purposes, cn.Purpose), append(c.reqs, e.RequestID)
		recs := string(cn.Records)
		if l.digest != "" {
			recs = "" // NULL: the records are in their set
		}
		c.records, c.cats, c.digests = append(c.records, recs), append(c.cats, categoriesOf(e.Records)), append(c.digests, l.digest)
		c.flagged, c.messages = append(c.flagged, e.Flagged), append(c.messages, cn.Message)
		c.prevs, c.sums = append(c.prevs, l.prev), append(c.sums, l.sum)
	}
	return c, nil
}

// args are the columns in pgAppend's order ($6 to $22).
func (c eventColumns) args() []any {
	return []any{c.ids, c.seqs, c.ats, c.kinds, c.decisions, c.users, c.orgs, c.roles, c.ops, c.purposes,
		c.reqs, c.records, c.cats, c.flagged, c.messages, c.prevs, c.sums}
}

func (c Chain) lockHead(ctx context.Context, tx *ent.Tx) (*ent.AuditChain, error) {
	for attempt := 0; attempt < 2; attempt++ {
		q := tx.AuditChain.Query().Where(auditchain.ID(1))
		if c.Dialect == dialect.Postgres {
			q = q.ForUpdate() // SQLite transactions hold the write lock already
		}
		head, err := q.Only(ctx)
		if err == nil {
			return head, nil
		}
		if !ent.IsNotFound(err) {
			return nil, fmt.Errorf("locking the audit chain: %w", err)
		}
		if err := tx.AuditChain.Create().SetID(1).OnConflictColumns(auditchain.FieldID).Ignore().Exec(ctx); err != nil {
			return nil, fmt.Errorf("starting the audit chain: %w", err)
		}
	}
	return nil, fmt.Errorf("audit chain head missing")
}

// casesOf are the cases an event naming rs is about, each once, in the
// order the records name them: the cases whose postings list the event.
func casesOf(rs []Record) []string {
	var out []string
	seen := map[gid.ID]bool{}
	for _, r := range rs {
		if r.Returnee == "" || r.Category == "" || seen[r.Returnee] {
			continue
		}
		seen[r.Returnee] = true
		out = append(out, string(r.Returnee))
	}
	return out
}

// categoriesOf is the categories column of an event.
func categoriesOf(rs []Record) string {
	cats := map[domain.Category]bool{}
	for _, r := range rs {
		if r.Category != "" {
			cats[r.Category] = true
		}
	}
	return categoryList(cats)
}

// categoryList renders a set of categories in a stable order as
// " LEGAL RISK ", so that LIKE '% LEGAL %' matches one category exactly.
func categoryList(set map[domain.Category]bool) string {
	if len(set) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte(' ')
	for _, c := range domain.Categories {
		if set[c] {
			b.WriteString(string(c))
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
