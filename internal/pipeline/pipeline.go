// Package pipeline sends the statements of functions that run side by side
// together, as one batch, instead of one round trip each.
//
// One case opened in full loads a dozen edges, each one statement. Sent
// one by one (even from parallel goroutines, each on a connection of its
// own) every statement pays a round trip, a write and a read on both ends
// and PostgreSQL's start and end of a transaction; on a 2-core machine
// that fixed cost, not the work of the statements, was most of the
// database's and a good part of the server's CPU. Sent as one pipeline
// they cost one round trip and run in one implicit transaction, so the
// edges of one case also come from one snapshot.
//
// Run starts the functions with a context that makes them members of one
// group. A member's statement (Submit) waits until every other member has
// either sent one too or returned; then they go as one batch, sent by the
// member that completed the round, and each waiter gets its own result.
// Statements a member sends afterwards (a nested edge) form the next round
// with the others' next statements.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/rdrr-project/rdrr/internal/warm"
)

// Statement is one query of a batch: what to send, and what came back.
// The Sender fills in Rows or Err.
type Statement struct {
	Query string
	Args  []any
	Rows  any   // the Sender's representation of the result
	Err   error // why there is no result
}

// Sender sends statements as one batch and fills in each one's result.
// It must not return before every statement has Rows or Err.
type Sender interface {
	SendBatch(ctx context.Context, stmts []*Statement)
}

// group is the members of one Run.
type group struct {
	mu      sync.Mutex
	running int // members neither returned nor waiting for a round
	queued  []*waiter
}

// waiter is a statement waiting for its round.
type waiter struct {
	m    *member
	to   Sender
	st   *Statement
	done chan struct{}
}

// member is one function of a Run; its state is guarded by its group's mu.
type member struct {
	g     *group
	state memberState
}

type memberState int8

const (
	running   memberState = iota
	waiting               // its statement is queued
	returning             // it returned while a statement of a goroutine of its own was queued
	returned
)

type memberKey struct{}

// Run runs fns side by side, each with a context under which its
// statements are sent in rounds with the others' (Submit), and returns
// their errors, in order. fns[0] runs in the caller; the others on warm
// goroutines, or new ones when none is idle: every member must be able to
// reach its statement for a round to complete.
func Run(ctx context.Context, fns []func(context.Context) error) []error {
	errs := make([]error, len(fns))
	if len(fns) == 0 {
		return errs
	}
	g := &group{running: len(fns)}
	var wg sync.WaitGroup
	for i := 1; i < len(fns); i++ {
		wg.Add(1)
		m := &member{g: g}
		warm.Go(func() {
			defer wg.Done()
			errs[i] = m.run(ctx, fns[i])
		})
	}
	errs[0] = (&member{g: g}).run(ctx, fns[0])
	wg.Wait()
	return errs
}

// run runs fn as m and leaves the group when it returns, sending the round
// it completes by leaving.
func (m *member) run(ctx context.Context, fn func(context.Context) error) error {
	mctx := context.WithValue(ctx, memberKey{}, m)
	defer func() {
		g := m.g
		g.mu.Lock()
		if m.state == waiting {
			// A goroutine fn started still waits for its round, and
			// stopped counting as running when it queued.
			m.state = returning
		} else {
			m.state = returned
			g.running--
		}
		batch := g.takeRound()
		g.mu.Unlock()
		send(mctx, batch)
	}()
	return fn(mctx)
}

// Submit sends st through to as part of the current round of the group
// ctx belongs to, and returns true once st has its result. It returns
// false, sending nothing, when ctx belongs to no group, or when its member
// already waits for a statement (a goroutine of its own sending a second
// one at the same time): the caller then sends st itself.
func Submit(ctx context.Context, to Sender, st *Statement) bool {
	m, _ := ctx.Value(memberKey{}).(*member)
	if m == nil {
		return false
	}
	g := m.g
	g.mu.Lock()
	if m.state != running {
		g.mu.Unlock()
		return false
	}
	m.state = waiting
	w := &waiter{m: m, to: to, st: st, done: make(chan struct{})}
	g.queued = append(g.queued, w)
	g.running--
	batch := g.takeRound()
	g.mu.Unlock()
	send(ctx, batch)
	<-w.done
	return true
}

// InGroup reports whether ctx belongs to a group of Run.
func InGroup(ctx context.Context) bool {
	return ctx.Value(memberKey{}) != nil
}

// takeRound returns the queued statements once no member is running, and
// counts their members as running again. g.mu must be held.
func (g *group) takeRound() []*waiter {
	if g.running > 0 || len(g.queued) == 0 {
		return nil
	}
	batch := g.queued
	g.queued = nil
	for _, w := range batch {
		if w.m.state == returning {
			w.m.state = returned
			continue
		}
		w.m.state = running
		g.running++
	}
	return batch
}

// send sends batch, grouped by Sender in order of arrival, and wakes its
// waiters, with an error for any statement a Sender left without a result
// (or panicked on).
func send(ctx context.Context, batch []*waiter) {
	if len(batch) == 0 {
		return
	}
	defer func() {
		// A panicking Sender fails its statements, not the process: the
		// sender runs on whichever member's goroutine completed the round.
		missing := errors.New("pipeline: the sender gave no result for the statement")
		if r := recover(); r != nil {
			missing = fmt.Errorf("pipeline: sending the batch: panic: %v", r)
		}
		for _, w := range batch {
			if w.st.Rows == nil && w.st.Err == nil {
				w.st.Err = missing
			}
			close(w.done)
		}
	}()
	var stmts []*Statement
	for i, w := range batch {
		if w.to == nil {
			continue
		}
		to := w.to
		stmts = stmts[:0]
		for _, o := range batch[i:] {
			if o.to == to {
				stmts = append(stmts, o.st)
				o.to = nil
			}
		}
		to.SendBatch(ctx, stmts)
	}
}
