// Package load drives a running rdrr server with concurrent GraphQL
// requests and reports throughput and latency percentiles. It is the load
// driver of the benchmark suite (bench/) and of the soak test.
package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Op is one GraphQL operation to send.
type Op struct {
	Name          string
	Query         string
	OperationName string                     // which operation of a multi-operation document to run; "" for none
	Vars          func(i int) map[string]any // variables of the i-th request; nil for none
	Token         string
	Headers       map[string]string
}

// Config of a run.
type Config struct {
	URL         string        // e.g. http://127.0.0.1:8080/graphql
	Ops         []Op          // sent round-robin
	Concurrency int           // clients sending back to back
	Duration    time.Duration // measured time
	Warmup      time.Duration // time before measuring
}

// Result of a run.
type Result struct {
	Requests   int
	Errors     int           // transport errors, non-200s and GraphQL errors
	FirstError string        // the first error seen, for diagnosis
	Throughput float64       // requests per second
	P50        time.Duration // latency percentiles
	P95        time.Duration
	P99        time.Duration
	Mean       time.Duration
}

func (r Result) String() string {
	return fmt.Sprintf("%d req, %d errors, %.1f req/s, p50 %s, p95 %s, p99 %s",
		r.Requests, r.Errors, r.Throughput, r.P50.Round(10*time.Microsecond), r.P95.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond))
}

// Run sends requests until the duration is over.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 1
	}
	client := &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Concurrency * 2, MaxConnsPerHost: cfg.Concurrency * 2},
	}
	bodies := make([][]byte, len(cfg.Ops))
	for i, op := range cfg.Ops {
		if op.Vars == nil {
			b, err := json.Marshal(op.body(nil))
			if err != nil {
				return Result{}, err
			}
			bodies[i] = b
		}
	}
	var (
		seq       atomic.Int64
		measuring atomic.Bool
		mu        sync.Mutex
		lat       []time.Duration
		errs      int
		firstErr  string
	)
	deadline := time.Now().Add(cfg.Warmup + cfg.Duration)
	var wg sync.WaitGroup
	for c := 0; c < cfg.Concurrency; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 1024)
			localErrs := 0
			var localFirst string
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n := int(seq.Add(1))
				i := n % len(cfg.Ops)
				op := cfg.Ops[i]
				body := bodies[i]
				if body == nil {
					b, err := json.Marshal(op.body(op.Vars(n)))
					if err != nil {
						localErrs++
						continue
					}
					body = b
				}
				start := time.Now()
				err := send(ctx, client, cfg.URL, op, body)
				d := time.Since(start)
				if measuring.Load() {
					local = append(local, d)
					if err != nil {
						localErrs++
						if localFirst == "" {
							localFirst = op.Name + ": " + err.Error()
						}
					}
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			errs += localErrs
			if firstErr == "" {
				firstErr = localFirst
			}
			mu.Unlock()
		}()
	}
	time.Sleep(cfg.Warmup)
	measuring.Store(true)
	start := time.Now()
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := Result{Requests: len(lat), Errors: errs, FirstError: firstErr}
	if len(lat) > 0 {
		r.Throughput = float64(len(lat)) / elapsed.Seconds()
		r.P50, r.P95, r.P99 = pct(lat, 50), pct(lat, 95), pct(lat, 99)
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		r.Mean = sum / time.Duration(len(lat))
	}
	return r, nil
}

// body is the request body of op with vars (nil: none).
func (op Op) body(vars map[string]any) map[string]any {
	b := map[string]any{"query": op.Query}
	if op.OperationName != "" {
		b["operationName"] = op.OperationName
	}
	if vars != nil {
		b["variables"] = vars
	}
	return b
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	if i > 0 {
		i--
	}
	return sorted[i]
}

func send(ctx context.Context, c *http.Client, url string, op Op, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if op.Token != "" {
		req.Header.Set("Authorization", "Bearer "+op.Token)
	}
	for k, v := range op.Headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, b)
	}
	if bytes.Contains(b, []byte(`"errors":`)) {
		return fmt.Errorf("graphql errors: %.300s", b)
	}
	return nil
}

// Send sends the i-th request of op (its variables are op.Vars(i)) and
// fails on any error in the response, for Go benchmarks and tests.
func Send(ctx context.Context, c *http.Client, url string, op Op, i int) error {
	var vars map[string]any
	if op.Vars != nil {
		vars = op.Vars(i)
	}
	body, err := json.Marshal(op.body(vars))
	if err != nil {
		return err
	}
	return send(ctx, c, url, op, body)
}

// Client posts single operations, for Go benchmarks.
type Client struct {
	once sync.Once
	c    *http.Client
}

// Post sends query with token and fails on any error in the response.
func (c *Client) Post(url, token, query string) error {
	c.once.Do(func() { c.c = &http.Client{Timeout: 60 * time.Second} })
	body, err := json.Marshal(map[string]any{"query": query})
	if err != nil {
		return err
	}
	return send(context.Background(), c.c, url, Op{Token: token}, body)
}
