package main

import (
	"context"
	"time"

	"github.com/rdrr-project/rdrr/bench/load"
	"github.com/rdrr-project/rdrr/bench/procstat"
	"github.com/rdrr-project/rdrr/bench/results"
	"github.com/rdrr-project/rdrr/bench/workload"
)

// measurer runs one operation at one client count and samples the
// processes while it runs.
type measurer struct {
	url              string
	pid, dbPid       int
	duration, warmup time.Duration
}

// sampleEvery is the /proc sampling period: often enough to catch the
// peak RSS of a 15-second run, rarely enough to cost the load driver
// nothing measurable.
const sampleEvery = 200 * time.Millisecond

func (m measurer) run(ctx context.Context, op workload.Operation, clients int) (results.Run, error) {
	var server, db *procstat.Sampler
	if m.pid > 0 {
		server = procstat.Start(m.pid, sampleEvery)
	}
	if m.dbPid > 0 {
		db = procstat.Start(m.dbPid, sampleEvery)
	}
	self := procstat.Start(procstat.Self(), sampleEvery)
	// CPU is counted over the measured window only: mark when the
	// driver's warm-up ends.
	marked := make(chan struct{})
	var atMark *procstat.Machine // the machine's CPU time at the mark, if read; set before marked closes
	go func() {
		defer close(marked)
		select {
		case <-time.After(m.warmup):
		case <-ctx.Done():
			return
		}
		for _, s := range []*procstat.Sampler{server, db, self} {
			if s != nil {
				s.Mark()
			}
		}
		if now, err := procstat.ReadMachine(); err == nil {
			atMark = &now
		}
	}()
	res, err := load.Run(ctx, load.Config{URL: m.url, Ops: op.Ops, Concurrency: clients, Duration: m.duration, Warmup: m.warmup})
	<-marked
	r := results.Run{Op: op.Name, Clients: clients}
	if server != nil {
		u := server.Stop()
		r.ServerCPU, r.MaxRSSMB, r.HWMMB = u.CPUPercent(), mb(u.MaxRSS), mb(u.HWM)
	}
	if db != nil {
		r.DBCPU = db.Stop().CPUPercent()
	}
	r.LoadCPU = self.Stop().CPUPercent()
	if end, err := procstat.ReadMachine(); err == nil && atMark != nil {
		steal := procstat.StealPercent(*atMark, end)
		r.StealPct = &steal
	}
	if err != nil {
		return r, err
	}
	r.Requests, r.Errors, r.FirstError = res.Requests, res.Errors, res.FirstError
	r.Throughput = res.Throughput
	r.P50ms, r.P95ms, r.P99ms, r.MeanMs = ms(res.P50), ms(res.P95), ms(res.P99), ms(res.Mean)
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mb(b int64) float64         { return float64(b) / (1 << 20) }
