package audit

import (
	"reflect"
	"testing"
)

func TestBacklogTakesConsecutiveEventsAndForgetsIndexedOnes(t *testing.T) {
	row := func(seq int64) [][]any { return [][]any{{seq, "ret_x", " LEGAL ", false}} }
	var b backlog
	b.add([]eventRows{{3, row(3)}, {4, row(4)}, {5, nil}, {7, row(7)}})

	if rows, _, n, next := b.take(2, 10); n != 0 || rows != nil || next != 3 {
		t.Fatalf("from 2 (not held): %d events %v, next %d; want none, next 3", n, rows, next)
	}
	rows, last, n, _ := b.take(3, 10)
	if n != 3 || last != 5 || !reflect.DeepEqual(rows, append(row(3), row(4)...)) {
		t.Fatalf("from 3: %d events up to %d, rows %v; want 3 events (3, 4, and 5 naming no case) up to 5", n, last, rows)
	}
	if _, _, n, next := b.take(6, 10); n != 0 || next != 7 {
		t.Fatalf("from 6 (a gap: another process's event): %d events, next %d; want 0, next 7", n, next)
	}
	b.add([]eventRows{{8, row(8)}, {9, row(9)}})
	if _, last, n, _ := b.take(8, 1); n != 1 || last != 8 {
		t.Fatalf("from 8, at most 1: %d events up to %d", n, last)
	}
	if len(b.rows) != 1 || b.rows[9] == nil {
		t.Fatalf("held after taking from 8: %v, want only 9 (7 is behind the index, forgotten)", b.rows)
	}
	if _, _, n, next := b.take(10, 5); n != 0 || next != 0 || len(b.rows) != 0 {
		t.Fatalf("from 10: %d events, next %d, %d held; want none of each", n, next, len(b.rows))
	}
}

func TestBacklogIsBounded(t *testing.T) {
	var b backlog
	evs := make([]eventRows, maxBacklog+10)
	for i := range evs {
		evs[i] = eventRows{seq: int64(i + 1)}
	}
	b.add(evs)
	if len(b.rows) != maxBacklog {
		t.Fatalf("%d events held, want at most %d", len(b.rows), maxBacklog)
	}
}
