package stats

import (
	"context"
	"testing"
	"time"
)

// manyPeople returns n returnees of one sex and country, enough to be
// published.
func manyPeople(n int, sex string) []person {
	out := make([]person, n)
	for i := range out {
		out[i] = person{sex: sex, country: "KZ", category: "ADULT_WOMAN", phase: "REINTEGRATION", custody: "FAMILY_HOME",
			returned: date(2020, 3, 1), key: i % 256}
	}
	return out
}

// TestSnapshotIsReusedUntilStaleOrTheDateChanges: reports of one snapshot
// all come from the same data (a change to the cases is not seen while it
// is fresh); it is rebuilt when MaxAge has passed or the date has changed,
// and the report says when its data was read.
func TestSnapshotIsReusedUntilStaleOrTheDateChanges(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		st := freshStore(t, name)
		w := newWorld(t, st)
		w.add(t, manyPeople(60, "FEMALE"))
		req := Request{GroupBy: []Dimension{DimSex}, Measures: []Measure{MeasureReturneeCount}}
		day := testAsOf.Add(12 * time.Hour)
		cfg := Config{Now: func() time.Time { return day }, MaxAge: time.Hour}

		first := compute(t, st, req, cfg)
		if len(first.Cells) != 1 || first.ComputedAt.IsZero() || !first.AsOf.Equal(testAsOf) {
			t.Fatalf("first report: %d cells, computed at %v, as of %v", len(first.Cells), first.ComputedAt, first.AsOf)
		}
		w.add(t, manyPeople(40, "MALE"))

		again := compute(t, st, req, cfg)
		if len(again.Cells) != 1 || !again.ComputedAt.Equal(first.ComputedAt) {
			t.Errorf("a fresh snapshot was not reused: %d cells, computed at %v then %v", len(again.Cells), first.ComputedAt, again.ComputedAt)
		}

		next := cfg
		next.Now = func() time.Time { return day.Add(24 * time.Hour) }
		tomorrow := compute(t, st, req, next)
		if len(tomorrow.Cells) != 2 || !tomorrow.AsOf.Equal(testAsOf.AddDate(0, 0, 1)) {
			t.Errorf("a snapshot of yesterday answered: %d cells, as of %v", len(tomorrow.Cells), tomorrow.AsOf)
		}

		stale := next
		stale.MaxAge = time.Nanosecond
		w.add(t, manyPeople(40, "MALE"))
		later := compute(t, st, req, stale)
		if !later.ComputedAt.After(tomorrow.ComputedAt) || *later.Total.Values[MeasureReturneeCount].Value < *tomorrow.Total.Values[MeasureReturneeCount].Value+30 {
			t.Errorf("a stale snapshot answered: computed at %v (before: %v), total %v (before: %v)", later.ComputedAt, tomorrow.ComputedAt,
				*later.Total.Values[MeasureReturneeCount].Value, *tomorrow.Total.Values[MeasureReturneeCount].Value)
		}
	})
}

// TestRunKeepsTheSnapshotFresh: the background refresher builds the
// snapshot without any report asking.
func TestRunKeepsTheSnapshotFresh(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		st := freshStore(t, name)
		w := newWorld(t, st)
		w.add(t, manyPeople(25, "FEMALE"))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		src := &Source{DB: st.DB, Dialect: st.Dialect}
		go func() {
			defer close(done)
			src.Run(ctx, 10*time.Millisecond, func(err error) { t.Errorf("refreshing: %v", err) })
		}()
		deadline := time.Now().Add(10 * time.Second)
		for {
			s, err := readSnapshot(ctx, st.DB)
			if err == nil && s.returnees == 25 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no snapshot of 25 returnees after 10 s: %+v, %v", s, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		<-done
	})
}
