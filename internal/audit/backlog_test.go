package audit

import (
	"reflect"
	"testing"
)

func TestBacklogTakesTheHeldEventsOfARangeAndForgetsIndexedOnes(t *testing.T) {
	row := func(seq int64) [][]any { return [][]any{{seq, "ret_x", " LEGAL ", false}} }
	var b backlog
	b.add([]eventRows{{3, row(3)}, {4, row(4)}, {5, nil}, {7, row(7)}, {9, row(9)}})

	if got := b.take(1, 2); len(got) != 0 {
		t.Fatalf("1 and 2 (not held): %v, want none", got)
	}
	// 6 is another process's event: the range goes on past it.
	want := map[int64][][]any{3: row(3), 4: row(4), 5: nil, 7: row(7)}
	if got := b.take(3, 5); !reflect.DeepEqual(got, want) {
		t.Fatalf("3 to 7: %v, want %v", got, want)
	}
	if len(b.rows) != 1 || b.rows[9] == nil {
		t.Fatalf("held after taking 3 to 7: %v, want only 9", b.rows)
	}
	b.add([]eventRows{{8, row(8)}, {10, row(10)}})
	if got := b.take(10, 5); len(got) != 1 || got[10] == nil {
		t.Fatalf("from 10: %v, want 10 only", got)
	}
	if len(b.rows) != 0 {
		t.Fatalf("held after taking from 10: %v, want nothing (8 and 9 are behind the index, forgotten)", b.rows)
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
