package ent

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/rdrr-project/rdrr/internal/pipeline"
	"github.com/rdrr-project/rdrr/internal/warm"
)

// ent loads a query's edges one after another: a case opened in full waits
// for fourteen statements in a row before any field of it is resolved.
// Every generated sqlAll with edges is rewritten (internal/entpatch,
// edgeloads.go) to hand its edge loads to loadEdges, which runs them side
// by side when there are cores to spare: at one client a case then takes
// its edges' round trips in parallel instead of in series.
//
// On PostgreSQL (outside a transaction) the loads always run side by
// side, as members of one internal/pipeline group: their statements go to
// the database together, one batch per round, one round trip instead of
// one per edge (the store's driver sends them; internal/store/pipeline.go).
// Elsewhere:
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
	if pipelines(c, len(loads)) {
		return pipelinedLoads(ctx, loads)
	}
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

// Together runs fns, reads that do not depend on each other, as a query's
// eager loads run: on PostgreSQL outside a transaction their statements go
// to the database together (one round trip for the first statement of
// each), elsewhere side by side when cores are idle, or one after another.
// It returns the first error, in the order of fns.
func (c *Client) Together(ctx context.Context, fns ...func(context.Context) error) error {
	return loadEdges(ctx, c.config, fns)
}

// pipelines reports whether n loads of a query on c may go to the database
// together (internal/pipeline): on PostgreSQL, outside a transaction. They
// then run side by side whether or not cores are idle, since what they
// cost is not a round trip each but a goroutine each, waiting.
func pipelines(c config, n int) bool {
	if n < 2 {
		return false
	}
	p, ok := c.driver.(interface{ Pipelines() bool })
	return ok && p.Pipelines()
}

// pipelinedLoads runs loads as members of one pipeline group: each round
// of their statements goes to the database as one batch.
func pipelinedLoads(ctx context.Context, loads []func(context.Context) error) error {
	fns := make([]func(context.Context) error, len(loads))
	for i, load := range loads {
		fns[i] = func(ctx context.Context) error { return recovered(ctx, load) }
	}
	for _, err := range pipeline.Run(ctx, fns) {
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
