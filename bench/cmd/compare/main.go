// Command compare reads the JSON files bench/cmd/suite wrote and prints the
// per-target tables, the ratios of rdrr to PostGraphile (throughput) and to
// the raw-SQL baseline (p50 latency) with the targets, and rdrr's
// memory under load, as Markdown.
//
//	go run ./bench/cmd/compare results/*.json
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/rdrr-project/rdrr/bench/results"
	"github.com/rdrr-project/rdrr/bench/workload"
)

func main() {
	flag.Parse()
	files, err := results.Load(flag.Args())
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Print(f.Markdown())
	}
	var reads []string
	for _, op := range workload.Names {
		if workload.IsRead(op) {
			reads = append(reads, op)
		}
	}
	fmt.Print(results.Compare(files, reads))
}
