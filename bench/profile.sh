#!/usr/bin/env bash
# One operation against one rdrr server, with an optional CPU profile: the
# tool behind the before/after figures of single changes in
# docs/benchmarks.md (the suite, bench/suite.sh, is the full comparison).
#
#   DB=sqlite:/tmp/rdrr-bench/work.db bench/profile.sh bench/queries/dashboard.graphql
#   DB=postgres://postgres@127.0.0.1:5432/rdrr_work?sslmode=disable C=8 D=15s \
#     PROF=/tmp/cpu.prof bench/profile.sh bench/queries/dashboard.graphql
#   VARS='{"id":"ret_..."}' bench/profile.sh bench/queries/case.graphql
#
# DB is a seeded database (rdrr seed --demo --returnees 100000), written to
# by the audit trail: use a copy. C clients (default 8) send the operation
# back to back for D (default 15s) after a 3 s warm-up, as
# case.manager@gov-kz.example, rate limits off. With PROF set, an 8 s CPU
# profile is taken from the server's --debug-addr listener mid-run (read it
# with go tool pprof). Prints the load driver's result and the server's
# resident memory (now and peak). BIN measures a given rdrr binary instead
# of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
Q=${1:?usage: bench/profile.sh QUERY_FILE}
DB=${DB:?set DB to a seeded database URL}
C=${C:-8}
D=${D:-15s}
. bench/one-server.sh # $WORK, start_server, and the clean-up on exit
start_server 18181 16060
"$WORK/loadgen" -url http://127.0.0.1:18181/graphql -token "$TOKEN" -purpose benchmark -query-file "$Q" \
  ${VARS:+-vars "$VARS"} -c "$C" -d "$D" -warmup 3s &
lg=$!
if [ -n "${PROF:-}" ]; then
  sleep 5
  curl -s "http://127.0.0.1:16060/debug/pprof/profile?seconds=8" -o "$PROF"
  echo "CPU profile: $PROF (go tool pprof -top $PROF)"
fi
wait $lg
echo "server memory: $(grep -E 'VmRSS|VmHWM' /proc/$pid/status | tr -s ' \t' ' ' | tr '\n' ' ')"
