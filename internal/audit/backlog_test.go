package audit

import (
	"fmt"
	"reflect"
	"testing"
)

func TestBacklogTakesTheHeldEventsOfARangeAndForgetsIndexedOnes(t *testing.T) {
	row := func(seq int64) []string { return []string{fmt.Sprintf("ret_%d", seq)} }
	var b backlog
	b.add([]eventCases{{3, row(3)}, {4, row(4)}, {5, nil}, {7, row(7)}, {9, row(9)}})

	if got := b.take(1, 2); len(got) != 0 {
		t.Fatalf("1 and 2 (not held): %v, want none", got)
	}
	// 6 is another process's event: the range goes on past it.
	want := map[int64][]string{3: row(3), 4: row(4), 5: nil, 7: row(7)}
	if got := b.take(3, 5); !reflect.DeepEqual(got, want) {
		t.Fatalf("3 to 7: %v, want %v", got, want)
	}
	if len(b.cases) != 1 || b.cases[9] == nil {
		t.Fatalf("held after taking 3 to 7: %v, want only 9", b.cases)
	}
	b.add([]eventCases{{8, row(8)}, {10, row(10)}})
	if got := b.take(10, 5); len(got) != 1 || got[10] == nil {
		t.Fatalf("from 10: %v, want 10 only", got)
	}
	if len(b.cases) != 0 {
		t.Fatalf("held after taking from 10: %v, want nothing (8 and 9 are behind the index, forgotten)", b.cases)
	}
}

func TestBacklogIsBounded(t *testing.T) {
	var b backlog
	evs := make([]eventCases, maxBacklog+10)
	for i := range evs {
		evs[i] = eventCases{seq: int64(i + 1)}
	}
	b.add(evs)
	if len(b.cases) != maxBacklog {
		t.Fatalf("%d events held, want at most %d", len(b.cases), maxBacklog)
	}
}
