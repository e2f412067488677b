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

// take removes and returns the rows of the events from seq on, as long as
// their sequence numbers follow each other, at most n events, with the
// sequence number of the last one; it forgets the events before seq (the
// index has them). When seq itself is not held it returns no events and,
// as next, the first held event after seq (0: none): the events from seq
// to next are the database's to give.
func (b *backlog) take(seq int64, n int) (rows [][]any, last int64, events int, next int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.rows {
		if s < seq {
			delete(b.rows, s)
		} else if s > seq && (next == 0 || s < next) {
			next = s
		}
	}
	for ; events < n; events++ {
		r, ok := b.rows[seq]
		if !ok {
			break
		}
		delete(b.rows, seq)
		rows = append(rows, r...)
		last = seq
		seq++
	}
	if events > 0 {
		next = 0
	}
	return rows, last, events, next
}

// rowsOf are the case index rows of links, event by event.
func rowsOf(links []link) []eventRows {
	out := make([]eventRows, len(links))
	for i, l := range links {
		out[i] = eventRows{seq: l.cn.Seq, rows: subjectRows(l.cn.Seq, l.e.Records)}
	}
	return out
}
