package warm

import (
	"sync"
	"testing"
	"time"
)

// With every worker busy, TryGo declines (the caller runs the work itself)
// and Go still runs its function at once, on a new goroutine; once the
// workers are free, TryGo hands work to them again.
func TestBusyWorkersDeclineWorkAndGoNeverWaits(t *testing.T) {
	release := make(chan struct{})
	var busy sync.WaitGroup
	busy.Add(Workers)
	for i := 0; i < Workers; i++ {
		for !TryGo(func() { busy.Done(); <-release }) {
			time.Sleep(time.Millisecond) // a worker between two tasks
		}
	}
	busy.Wait()
	if TryGo(func() {}) {
		t.Fatal("TryGo accepted work with every worker busy")
	}
	ran := make(chan struct{})
	Go(func() { close(ran) })
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("Go waited for a worker")
	}
	close(release)
	done := make(chan struct{})
	for !TryGo(func() { close(done) }) {
		time.Sleep(time.Millisecond)
	}
	<-done
}
