package audit

import "sync"

// backlog holds the cases of the events this process's writer appended,
// for the indexer's postings (see "Case index rows" in chain.go), so that
// the indexer need not read those events back and decode their records: a
// dashboard page's event carries 14 kB of them, and reading them back cost
// 2% of a loaded SQLite server's CPU. Events appended by other processes,
// inside mutations' transactions, or after the backlog filled up, are read
// from the database.
type backlog struct {
	mu    sync.Mutex
	cases map[int64][]string // by event seq; nil for an event naming no case
}

// maxBacklog bounds the events held (a stalled indexer must not grow the
// server's memory): about 50 case IDs per dashboard event.
const maxBacklog = 2048

// eventCases are the cases the event at seq names (casesOf).
type eventCases struct {
	seq   int64
	cases []string
}

// add holds the cases of committed events.
func (b *backlog) add(evs []eventCases) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cases == nil {
		b.cases = map[int64][]string{}
	}
	for _, e := range evs {
		if len(b.cases) >= maxBacklog {
			return
		}
		b.cases[e.seq] = e.cases
	}
}

// take removes and returns the cases of the events it holds with sequence
// numbers from seq to seq+n-1, by sequence number, and forgets the events
// before seq (the index has them). The events it does not hold in that
// range (other processes', mutations', or none yet) are the database's to
// give.
func (b *backlog) take(seq int64, n int) map[int64][]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	held := map[int64][]string{}
	for s, cases := range b.cases {
		switch {
		case s < seq:
			delete(b.cases, s)
		case s < seq+int64(n):
			held[s] = cases
			delete(b.cases, s)
		}
	}
	return held
}

// casesOfLinks are the cases of links, event by event.
func casesOfLinks(links []link) []eventCases {
	out := make([]eventCases, len(links))
	for i, l := range links {
		out[i] = eventCases{seq: l.cn.Seq, cases: casesOf(l.e.Records)}
	}
	return out
}
