package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// recorder is a Sender that answers every statement with its query text
// and remembers the batches it was given.
type recorder struct {
	mu      sync.Mutex
	batches [][]string
	panics  bool
}

func (r *recorder) SendBatch(_ context.Context, stmts []*Statement) {
	r.mu.Lock()
	var qs []string
	for _, s := range stmts {
		qs = append(qs, s.Query)
	}
	r.batches = append(r.batches, qs)
	r.mu.Unlock()
	if r.panics {
		panic("sender broke")
	}
	for _, s := range stmts {
		s.Rows = "rows of " + s.Query
	}
}

func (r *recorder) sizes() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n []int
	for _, b := range r.batches {
		n = append(n, len(b))
	}
	return n
}

// query submits q through to and fails unless it got q's own result.
func query(ctx context.Context, to Sender, q string) error {
	st := &Statement{Query: q}
	if !Submit(ctx, to, st) {
		return fmt.Errorf("%s: not submitted", q)
	}
	if st.Err != nil {
		return st.Err
	}
	if st.Rows != "rows of "+q {
		return fmt.Errorf("%s: got the result %v", q, st.Rows)
	}
	return nil
}

func noErrors(t *testing.T, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("function %d: %v", i, err)
		}
	}
}

func TestRounds(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// statements[i] is how many statements member i sends, one after another
		statements []int
		want       []int // batch sizes, in order
	}{
		{"one statement each goes as one batch", []int{1, 1, 1, 1, 1}, []int{5}},
		{"members without a statement do not hold the round", []int{1, 0, 1, 0, 0, 1}, []int{3}},
		{"second statements form the next round", []int{2, 1, 2}, []int{3, 2}},
		{"a member alone sends its statements one round each", []int{3}, []int{1, 1, 1}},
		{"no statements send nothing", []int{0, 0}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{}
			var fns []func(context.Context) error
			for i, n := range tc.statements {
				fns = append(fns, func(ctx context.Context) error {
					for j := range n {
						if err := query(ctx, r, fmt.Sprintf("m%d.%d", i, j)); err != nil {
							return err
						}
					}
					return nil
				})
			}
			noErrors(t, Run(ctx, fns))
			if got := r.sizes(); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("batches of %v, want %v (%v)", got, tc.want, r.batches)
			}
		})
	}
}

func TestRoundWaitsForSlowMember(t *testing.T) {
	// A member still working when the others have queued is waited for:
	// its statement joins theirs.
	r := &recorder{}
	fast := func(ctx context.Context) error { return query(ctx, r, "fast") }
	slow := func(ctx context.Context) error {
		time.Sleep(20 * time.Millisecond)
		return query(ctx, r, "slow")
	}
	noErrors(t, Run(context.Background(), []func(context.Context) error{fast, slow, fast}))
	if got := r.sizes(); fmt.Sprint(got) != "[3]" {
		t.Fatalf("batches %v, want one of 3", r.batches)
	}
}

func TestSubmitOutsideAGroup(t *testing.T) {
	if Submit(context.Background(), &recorder{}, &Statement{Query: "q"}) {
		t.Fatal("Submit outside Run reported the statement sent")
	}
	if InGroup(context.Background()) {
		t.Fatal("InGroup outside Run")
	}
}

func TestSecondGoroutineOfAMemberSendsItself(t *testing.T) {
	// While a member's statement waits for its round, a goroutine of the
	// same member is refused (it sends its statement itself) instead of
	// being counted twice; the round still completes.
	r := &recorder{}
	started := make(chan struct{})
	refused := make(chan bool, 1)
	member := func(ctx context.Context) error {
		go func() {
			<-started
			// The member is now waiting for the other one below.
			time.Sleep(10 * time.Millisecond)
			refused <- !Submit(ctx, r, &Statement{Query: "extra"})
		}()
		close(started)
		return query(ctx, r, "own")
	}
	other := func(ctx context.Context) error {
		time.Sleep(30 * time.Millisecond)
		return query(ctx, r, "other")
	}
	noErrors(t, Run(context.Background(), []func(context.Context) error{member, other}))
	if !<-refused {
		t.Fatal("a second statement of a waiting member was queued")
	}
	if got := r.sizes(); fmt.Sprint(got) != "[2]" {
		t.Fatalf("batches %v, want one of 2", r.batches)
	}
}

func TestSenderPanicGivesErrors(t *testing.T) {
	r := &recorder{panics: true}
	fns := []func(context.Context) error{
		func(ctx context.Context) error { return query(ctx, r, "a") },
		func(ctx context.Context) error { return query(ctx, r, "b") },
	}
	done := make(chan []error)
	go func() { done <- Run(context.Background(), fns) }()
	select {
	case errs := <-done:
		if errs[0] == nil || errs[1] == nil {
			t.Fatalf("a broken sender's statements reported no error: %v", errs)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("members still wait after their sender panicked")
	}
}

func TestSendersGetTheirOwnBatches(t *testing.T) {
	primary, replica := &recorder{}, &recorder{}
	fns := []func(context.Context) error{
		func(ctx context.Context) error { return query(ctx, primary, "p1") },
		func(ctx context.Context) error { return query(ctx, replica, "r1") },
		func(ctx context.Context) error { return query(ctx, primary, "p2") },
	}
	noErrors(t, Run(context.Background(), fns))
	if fmt.Sprint(primary.batches) != "[[p1 p2]]" && fmt.Sprint(primary.batches) != "[[p2 p1]]" {
		t.Fatalf("primary got %v", primary.batches)
	}
	if fmt.Sprint(replica.batches) != "[[r1]]" {
		t.Fatalf("replica got %v", replica.batches)
	}
}

func TestRunReturnsErrorsInOrder(t *testing.T) {
	boom := errors.New("boom")
	errs := Run(context.Background(), []func(context.Context) error{
		func(context.Context) error { return nil },
		func(context.Context) error { return boom },
	})
	if errs[0] != nil || !errors.Is(errs[1], boom) {
		t.Fatalf("errors %v", errs)
	}
}
