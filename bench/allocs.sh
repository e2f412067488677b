#!/usr/bin/env bash
# Heap allocations per response of one operation: a figure that, unlike
# throughput on a shared two-core machine, repeats from run to run within a
# few per cent, for changes that cut allocation (docs/benchmarks.md).
#
#   DB=postgres://postgres@127.0.0.1:5432/rdrr_work?sslmode=disable bench/allocs.sh bench/queries/dashboard.graphql
#   VARS='{"id":"ret_..."}' DB=sqlite:/tmp/rdrr-bench/work.db bench/allocs.sh bench/queries/case.graphql
#
# DB is a seeded database (rdrr seed --demo --returnees 100000), written to
# by the audit trail: use a copy. C clients (default 4) send the operation
# for 2 s to warm up, then for D (default 4s) between two readings of the
# server's runtime.MemStats (its --debug-addr listener, /debug/pprof/heap);
# prints allocations and bytes per response over the second period. BIN
# measures a given rdrr binary instead of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
Q=${1:?usage: bench/allocs.sh QUERY_FILE}
DB=${DB:?set DB to a seeded database URL}
C=${C:-4}
D=${D:-4s}
. bench/one-server.sh # $WORK, start_server, and the clean-up on exit
start_server 18183 16063
load() {
  "$WORK/loadgen" -url http://127.0.0.1:18183/graphql -token "$TOKEN" -purpose benchmark -query-file "$Q" \
    ${VARS:+-vars "$VARS"} -c "$C" -warmup 0s -d "$1" 2>&1 | tail -1
}
memstats() { # total bytes allocated, then number of allocations
  curl -sf http://127.0.0.1:16063/debug/pprof/heap?debug=1 | awk '/^# TotalAlloc = /{b=$4} /^# Mallocs = /{m=$4} END{print b, m}'
}
load 2s >/dev/null
read -r b0 m0 <<<"$(memstats)"
res=$(load "$D")
read -r b1 m1 <<<"$(memstats)"
n=$(awk '{print $1}' <<<"$res")
echo "$res"
echo "per response: $(((m1 - m0) / n)) allocations, $(((b1 - b0) / n)) bytes"
