// Command loadgen sends one GraphQL operation to a running rdrr server at a
// given concurrency and prints throughput and latency percentiles.
//
//	go run ./bench/cmd/loadgen -url http://127.0.0.1:8080/graphql -token "$TOKEN" \
//	    -query-file bench/queries/dashboard.graphql -c 8 -d 20s
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/rdrr-project/rdrr/bench/load"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080/graphql", "GraphQL endpoint")
	token := flag.String("token", os.Getenv("TOKEN"), "bearer token")
	queryFile := flag.String("query-file", "", "file with the GraphQL operation")
	vars := flag.String("vars", "", "JSON variables")
	purpose := flag.String("purpose", "", "X-Purpose-Of-Use header")
	c := flag.Int("c", 1, "concurrent clients")
	d := flag.Duration("d", 10*time.Second, "measured duration")
	w := flag.Duration("warmup", 2*time.Second, "warm-up before measuring")
	asJSON := flag.Bool("json", false, "print the result as JSON")
	flag.Parse()
	q, err := os.ReadFile(*queryFile)
	if err != nil {
		log.Fatal(err)
	}
	op := load.Op{Name: *queryFile, Query: string(q), Token: *token}
	if *vars != "" {
		var v map[string]any
		if err := json.Unmarshal([]byte(*vars), &v); err != nil {
			log.Fatalf("-vars: %v", err)
		}
		op.Vars = func(int) map[string]any { return v }
	}
	if *purpose != "" {
		op.Headers = map[string]string{"X-Purpose-Of-Use": *purpose}
	}
	r, err := load.Run(context.Background(), load.Config{URL: *url, Ops: []load.Op{op}, Concurrency: *c, Duration: *d, Warmup: *w})
	if err != nil {
		log.Fatal(err)
	}
	if *asJSON {
		_ = json.NewEncoder(os.Stdout).Encode(r)
	} else {
		fmt.Println(r)
	}
	if r.Errors > 0 {
		fmt.Fprintln(os.Stderr, "first error:", r.FirstError)
		os.Exit(1)
	}
}
