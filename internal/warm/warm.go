// Package warm runs functions on long-lived goroutines whose stacks have
// already grown.
//
// A new goroutine starts with a small stack, and the call chains of a
// GraphQL request (gqlgen's field resolution, an ent query with its eager
// loads) grow it several times over, each time by copying it: stack growth
// was 10% of the server's CPU on the PostgreSQL dashboard when each case of
// a page had a goroutine of its own, and 8% on one case at one client when
// its eager loads did. Work handed to a warm goroutine skips that.
package warm

import "sync"

// Workers is the number of long-lived goroutines: enough for the work in
// flight of a few dozen concurrent requests, at a few tens of kilobytes of
// stack each.
const Workers = 128

var (
	tasks = make(chan func()) // unbuffered: a send succeeds only when a worker is idle
	start sync.Once
)

// startWorkers starts the workers and returns once they have, so that the
// first TryGo finds them waiting.
func startWorkers() {
	var ready sync.WaitGroup
	ready.Add(Workers)
	for range Workers {
		go func() {
			ready.Done()
			for f := range tasks {
				f()
			}
		}()
	}
	ready.Wait()
}

// Go runs f on an idle warm goroutine, or on a new one when all are busy:
// f never waits for a worker.
func Go(f func()) {
	if !TryGo(f) {
		go f()
	}
}

// TryGo runs f on an idle warm goroutine and reports true, or reports
// false, without running f, when all are busy.
func TryGo(f func()) bool {
	start.Do(startWorkers)
	select {
	case tasks <- f:
		return true
	default:
		return false
	}
}
