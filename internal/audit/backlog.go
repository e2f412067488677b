package audit

import "sync"

// backlog holds the case index rows of events this process's writer
// appended and left to the indexer (Chain.indexesOnAppend), so that the
// indexer need not read those events back and decode their records: a
// dashboard page's event carries 14 kB of them, and reading them back cost
// 2% of a loaded SQLite server's CPU. Events appended by other processes,
// inside mutations' transactions, or after the backlog filled up, are read
// from the database as before.
type backlog struct {
	mu   sync.Mutex
	rows map[int64][][]any // by event seq; nil rows for an event naming no case
}

// maxBacklog bounds the events held (a stalled indexer must not grow the
// server's memory): about 50 rows of 4 values each per dashboard event.
const maxBacklog = 2048

// eventRows are the case index rows of the event at seq.
type eventRows struct {
	seq  int64
	rows [][]any
}

// add holds the rows of committed events.
func (b *backlog) add(evs []eventRows) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rows == nil {
		b.rows = map[int64][][]any{}
	}
	for _, e := range evs {
		if len(b.rows) >= maxBacklog {
			return
		}
		b.rows[e.seq] = e.rows
	}
}

// take removes and returns the rows of the events it holds with sequence
// numbers from seq to seq+n-1, by sequence number, and forgets the events
// before seq (the index has them). The events it does not hold in that
// range (other processes', mutations', or none yet) are the database's to
// give.
func (b *backlog) take(seq int64, n int) map[int64][][]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	held := map[int64][][]any{}
	for s, rows := range b.rows {
		switch {
		case s < seq:
			delete(b.rows, s)
		case s < seq+int64(n):
			held[s] = rows
			delete(b.rows, s)
		}
	}
	return held
}

// rowsOf are the case index rows of links, event by event.
func rowsOf(links []link) []eventRows {
	out := make([]eventRows, len(links))
	for i, l := range links {
		out[i] = eventRows{seq: l.cn.Seq, rows: subjectRows(l.cn.Seq, l.e.Records)}
	}
	return out
}
