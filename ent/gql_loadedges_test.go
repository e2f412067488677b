package ent

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rdrr-project/rdrr/internal/pipeline"
)

// Loads outside a transaction run side by side: each of three loads waits
// until all three have started, which never happens in series.
func TestLoadEdgesRunsLoadsSideBySide(t *testing.T) {
	// Start the warm goroutines and let them reach their wait for work: a
	// load finding none idle runs in the caller.
	noop := func(context.Context) error { return nil }
	_ = loadEdges(context.Background(), config{}, []func(context.Context) error{noop, noop})
	time.Sleep(20 * time.Millisecond)
	var started sync.WaitGroup
	started.Add(3)
	load := func(context.Context) error {
		started.Done()
		done := make(chan struct{})
		go func() { started.Wait(); close(done) }()
		select {
		case <-done:
			return nil
		case <-time.After(5 * time.Second):
			return errors.New("the other loads did not start")
		}
	}
	if err := loadEdges(context.Background(), config{}, []func(context.Context) error{load, load, load}); err != nil {
		t.Fatal(err)
	}
}

// In a transaction (one connection) the loads run in series, in order.
func TestLoadEdgesInATransactionRunsInSeries(t *testing.T) {
	var order []int
	var running, overlap bool
	loads := make([]func(context.Context) error, 3)
	for i := range loads {
		loads[i] = func(context.Context) error {
			if running {
				overlap = true
			}
			running = true
			time.Sleep(10 * time.Millisecond)
			order = append(order, i)
			running = false
			return nil
		}
	}
	if err := loadEdges(context.Background(), config{driver: &txDriver{}}, loads); err != nil {
		t.Fatal(err)
	}
	if overlap || len(order) != 3 || order[0] != 0 || order[1] != 1 || order[2] != 2 {
		t.Errorf("loads in a transaction: order %v, overlapping %v", order, overlap)
	}
}

// A failing load's error is returned, and a panicking load becomes an
// error instead of ending the process.
func TestLoadEdgesReportsErrorsAndPanics(t *testing.T) {
	fail := errors.New("load failed")
	ok := func(context.Context) error { return nil }
	if err := loadEdges(context.Background(), config{}, []func(context.Context) error{ok, func(context.Context) error { return fail }, ok}); !errors.Is(err, fail) {
		t.Errorf("error %v, want %v", err, fail)
	}
	err := loadEdges(context.Background(), config{}, []func(context.Context) error{ok, func(context.Context) error { panic("boom") }})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("panicking load: error %v", err)
	}
}

// pipeliningDriver stands for the store's PostgreSQL driver, which sends
// the statements of loads run under internal/pipeline together.
type pipeliningDriver struct{ dialect.Driver }

func (pipeliningDriver) Pipelines() bool { return true }

// Where the driver pipelines, every load runs as a member of one pipeline
// group (its statements then go in batches), and a panicking load is still
// an error; elsewhere loads are not members of any group.
func TestLoadEdgesPipelineWhereTheDriverDoes(t *testing.T) {
	var members atomic.Int32
	load := func(ctx context.Context) error {
		if pipeline.InGroup(ctx) {
			members.Add(1)
		}
		return nil
	}
	loads := []func(context.Context) error{load, load, load}
	if err := loadEdges(context.Background(), config{driver: pipeliningDriver{}}, loads); err != nil {
		t.Fatal(err)
	}
	if n := members.Load(); n != 3 {
		t.Errorf("%d of 3 loads ran in a pipeline group", n)
	}
	members.Store(0)
	if err := loadEdges(context.Background(), config{}, loads); err != nil {
		t.Fatal(err)
	}
	if n := members.Load(); n != 0 {
		t.Errorf("%d loads ran in a pipeline group on a driver that does not pipeline", n)
	}
	err := loadEdges(context.Background(), config{driver: pipeliningDriver{}}, []func(context.Context) error{load, func(context.Context) error { panic("boom") }})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("panicking pipelined load: error %v", err)
	}
}
