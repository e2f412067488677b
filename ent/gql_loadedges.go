package ent

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/rdrr-project/rdrr/internal/warm"
)

// ent loads a query's edges one after another: a case opened in full waits
// for fourteen statements in a row before any field of it is resolved.
// Every generated sqlAll with edges is rewritten (internal/entpatch,
// edgeloads.go) to hand its edge loads to loadEdges, which runs them side
// by side when there are cores to spare: at one client a case then takes
// its edges' round trips in parallel instead of in series.
//
// When every core is already serving requests, running one request's loads
// in parallel only adds hand-overs between goroutines, so at most
// GOMAXPROCS queries spread their loads at a time and only onto idle warm
// goroutines (internal/warm); every other load runs in the caller, as
// before. Inside a transaction the loads stay in series: a transaction is
// one connection, and pgx refuses a second statement on a connection while
// the first one's rows are open.

// edgeFanouts admits the queries whose loads may run in parallel now.
var edgeFanouts = make(chan struct{}, runtime.GOMAXPROCS(0))

// loadEdges runs loads, the eager loads of one query's edges, and returns
// the first error. Each load fills other fields of the nodes, so any two
// may run at once.
func loadEdges(ctx context.Context, c config, loads []func(context.Context) error) error {
	if !parallelLoads(c, len(loads)) {
		for _, load := range loads {
			if err := load(ctx); err != nil {
				return err
			}
		}
		return nil
	}
	defer func() { <-edgeFanouts }()
	errs := make([]error, len(loads))
	var wg sync.WaitGroup
	var inline []int
	for i := 1; i < len(loads); i++ {
		wg.Add(1)
		if !warm.TryGo(func() { defer wg.Done(); errs[i] = recovered(ctx, loads[i]) }) {
			wg.Done()
			inline = append(inline, i)
		}
	}
	errs[0] = recovered(ctx, loads[0])
	for _, i := range inline {
		errs[i] = recovered(ctx, loads[i])
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// parallelLoads reports whether n loads of a query on c may run in
// parallel, taking a place in edgeFanouts when they may.
func parallelLoads(c config, n int) bool {
	if n < 2 {
		return false
	}
	if _, inTx := c.driver.(*txDriver); inTx {
		return false
	}
	select {
	case edgeFanouts <- struct{}{}:
		return true
	default:
		return false
	}
}

// recovered runs load, turning a panic into an error: on a warm goroutine
// a panic would end the process instead of the request (and the caller's
// loads are treated alike, so that a panic never leaves others running).
func recovered(ctx context.Context, load func(context.Context) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic loading an edge: %v", v)
		}
	}()
	return load(ctx)
}
