package workload

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rdrr-project/rdrr/bench/load"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/names"
)

// Target is a server the suite measures.
type Target string

// The targets.
const (
	RDRR         Target = "rdrr"         // rdrr, enforcing policy, auditing
	Raw          Target = "raw"          // bench/cmd/rawsql: hand-written SQL, no GraphQL, no policy
	RawOne       Target = "raw1"         // rawsql -case-statements one: the case in one statement built as JSON by PostgreSQL
	RawOneAudit  Target = "raw1a"        // rawsql -case-statements one-audited: the same with the case-team rule and an audit row
	PostGraphile Target = "postgraphile" // PostGraphile v4 on the same PostgreSQL database, no policy
)

// handWritten reports whether t is bench/cmd/rawsql, which reads no query
// text and dispatches on the operation's name.
func (t Target) handWritten() bool { return t == Raw || t == RawOne || t == RawOneAudit }

// Names of the operations, in the order they run.
const (
	Dashboard  = "dashboard"
	Case       = "case"
	Search     = "search"
	Mutations  = "mutations"
	Statistics = "statistics"
)

// Names lists the operations in order.
var Names = []string{Dashboard, Case, Search, Mutations, Statistics}

// IsRead reports whether the operation only reads (the targets apply to reads).
func IsRead(name string) bool { return name != Mutations }

// Operation is one named operation of the workload for one target.
type Operation struct {
	Name string
	Ops  []load.Op // sent round-robin (the mutation mix has three)
	Skip string    // why the operation is not run on this target; "" when it is
}

// Tokens are the bearer tokens of the demo accounts that send the
// operations to rdrr (PostGraphile and the raw baseline need none).
type Tokens struct {
	CaseManager string // case.manager@gov-kz.example: reads, createIntervention
	Legal       string // legal@gov-kz.example: updateDocument
	Clinician   string // psychologist@ngo-kz.example: createMedicalRecord
	Analyst     string // analyst@donor.example: statistics
}

// TokensFromEnv reads the tokens from TOKEN_CASE_MANAGER, TOKEN_LEGAL,
// TOKEN_CLINICIAN and TOKEN_ANALYST (bench/suite.sh and bench/soak.sh set
// them with rdrr token).
func TokensFromEnv() Tokens {
	return Tokens{
		CaseManager: os.Getenv("TOKEN_CASE_MANAGER"), Legal: os.Getenv("TOKEN_LEGAL"),
		Clinician: os.Getenv("TOKEN_CLINICIAN"), Analyst: os.Getenv("TOKEN_ANALYST"),
	}
}

// purpose is sent on every request: rdrr asks for a purpose of use on
// reads of sensitive records.
var purpose = map[string]string{"X-Purpose-Of-Use": "benchmark"}

// Operations returns the workload for target; dir is bench/queries.
func Operations(target Target, dir string, f *Fixture, tok Tokens) ([]Operation, error) {
	docs := &docCursor{docs: append([]Doc(nil), f.Documents...)}
	var out []Operation
	for _, name := range Names {
		op, err := operation(target, dir, name, f, tok, docs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, op)
	}
	return out, nil
}

func operation(target Target, dir, name string, f *Fixture, tok Tokens, docs *docCursor) (Operation, error) {
	op := Operation{Name: name}
	file := filepath.Join(dir, name+".graphql")
	if target == PostGraphile {
		file = filepath.Join(dir, "postgraphile", name+".graphql")
	}
	query := ""
	switch {
	case (target == RawOne || target == RawOneAudit) && name != Case:
		op.Skip = "the one-statement floor covers the case only"
		return op, nil
	case target.handWritten() && name == Mutations:
		op.Skip = "the raw-SQL baseline covers reads only"
		return op, nil
	case target.handWritten() && name == Statistics, target == PostGraphile && name == Statistics:
		op.Skip = "no equivalent (statistics are rdrr's disclosure-controlled aggregates)"
		return op, nil
	case !target.handWritten():
		b, err := os.ReadFile(file)
		if err != nil {
			return op, err
		}
		query = string(b)
	}
	one := func(opName, token string, vars func(int) map[string]any) load.Op {
		o := load.Op{Name: name, Query: query, Vars: vars, Headers: purpose}
		if target == RDRR {
			o.Token = token
		}
		if target.handWritten() {
			o.OperationName = opName // rawsql dispatches on it
		} else if name == Mutations {
			o.OperationName = opName
		}
		return o
	}
	switch name {
	case Dashboard:
		op.Ops = []load.Op{one("Dashboard", tok.CaseManager, nil)}
	case Case:
		op.Ops = []load.Op{one("Case", tok.CaseManager, func(i int) map[string]any {
			return map[string]any{"id": f.Cases[i%len(f.Cases)]}
		})}
	case Search:
		op.Ops = []load.Op{one("Search", tok.CaseManager, func(i int) map[string]any {
			s := searches[i%len(searches)]
			v := map[string]any{"phase": s.Phase, "custody": s.Custody, "country": s.Country}
			if target == PostGraphile {
				v["key"] = names.Fold(s.Prefix) // rdrr and rawsql fold the prefix themselves
			} else {
				v["prefix"] = s.Prefix
			}
			return v
		})}
	case Mutations:
		op.Ops = mutationOps(target, f, tok, docs, one)
	case Statistics:
		op.Ops = []load.Op{one("Statistics", tok.Analyst, nil)}
	}
	return op, nil
}

var interventionTypes = []string{"EDUCATION", "VOCATIONAL_TRAINING", "EMPLOYMENT", "HOUSING", "PSYCHOSOCIAL_SUPPORT", "FAMILY_SUPPORT"}

// mutationOps are the three writes of the mutation mix. The load driver
// numbers requests 1, 2, 3, ... across clients and sends op i%3, so each
// write sees every third number; i/3 walks its own list.
func mutationOps(target Target, f *Fixture, tok Tokens, docs *docCursor, one func(string, string, func(int) map[string]any) load.Op) []load.Op {
	now := func() string { return time.Now().UTC().Format(time.RFC3339Nano) }
	pg := target == PostGraphile
	return []load.Op{
		one("CreateIntervention", tok.CaseManager, func(i int) map[string]any {
			v := map[string]any{"returneeId": f.Cases[(i/3)%len(f.Cases)], "providerId": f.GovKZ, "type": interventionTypes[(i/3)%len(interventionTypes)]}
			if pg {
				v["id"], v["now"] = string(gid.New("int")), now()
			}
			return v
		}),
		one("UpdateDocumentStatus", tok.Legal, func(int) map[string]any {
			d := docs.next()
			status := "IN_PROGRESS"
			if d.Version%2 == 0 {
				status = "REQUESTED"
			}
			v := map[string]any{"id": d.ID, "version": d.Version, "status": status}
			if pg { // PostGraphile checks no version: the client sets the next one
				v["version"], v["now"] = fmt.Sprint(d.Version+1), now()
			}
			return v
		}),
		one("AddMedicalRecord", tok.Clinician, func(i int) map[string]any {
			v := map[string]any{"returneeId": f.NgoCases[(i/3)%len(f.NgoCases)]}
			if pg {
				v["id"], v["authorId"], v["authorOrganisationId"], v["now"] = string(gid.New("med")), f.Clinician, f.NgoKZ, now()
			}
			return v
		}),
	}
}

// docCursor hands out documents in turn with the version each will have
// when its previous update (if any) has landed: rdrr refuses an update
// that names a stale version.
type docCursor struct {
	mu   sync.Mutex
	docs []Doc
	i    int
}

func (c *docCursor) next() Doc {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := &c.docs[c.i%len(c.docs)]
	c.i++
	out := *d
	d.Version++
	return out
}
