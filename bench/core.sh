#!/usr/bin/env bash
# Core figures for docs/benchmarks.md, per store: seed time and database
# size for the demo seed, server RSS, and latency of the dashboard query
# (returnees(first: 50) with four nested edges) at 1 client.
#
#   bench/core.sh                 # 100000 returnees, SQLite and PostgreSQL
#   N=10000 STORES=sqlite bench/core.sh
#
# PostgreSQL: a database rdrr_bench is (re)created on $PG_ADMIN_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
STORES=${STORES:-"sqlite postgres"}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/rdrr_bench?sslmode=disable}
WORK=${WORK:-$(mktemp -d /tmp/rdrr-bench.XXXXXX)}
DURATION=${DURATION:-20s}
mkdir -p "$WORK"
go build -o "$WORK/rdrr" ./cmd/rdrr
go build -o "$WORK/loadgen" ./bench/cmd/loadgen
export RDRR_DEV_SIGNING_KEY=${RDRR_DEV_SIGNING_KEY:-bench-signing-key-0123456789abcdef0123}

for store in $STORES; do
  case $store in
    sqlite)
      DB="sqlite:$WORK/bench.db"
      rm -f "$WORK"/bench.db* ;;
    postgres)
      DB="$PG_URL"
      psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS rdrr_bench WITH (FORCE)" -c "CREATE DATABASE rdrr_bench" ;;
  esac
  echo "== $store: seeding $N returnees"
  /usr/bin/time -f "seed wall %e s, max RSS %M KB" "$WORK/rdrr" seed --demo --returnees "$N" --db "$DB" 2>&1 | grep -v "level=INFO"
  case $store in
    sqlite) echo "database size: $(du -cb "$WORK"/bench.db* | tail -1 | cut -f1) bytes" ;;
    postgres) echo "database size: $(psql "$PG_URL" -tAc "SELECT pg_database_size(current_database())") bytes" ;;
  esac
  # a server left on the port would answer instead of this one, which fails to bind
  if curl -sf "http://127.0.0.1:18181/readyz" >/dev/null 2>&1; then echo "port 18181 is taken by another server: stop it first" >&2; exit 1; fi
  "$WORK/rdrr" serve --db "$DB" --addr 127.0.0.1:18181 >"$WORK/serve-$store.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 50); do curl -sf http://127.0.0.1:18181/readyz >/dev/null && break; sleep 0.2; done
  TOKEN=$("$WORK/rdrr" token --db "$DB" --user case.manager@gov-kz.example)
  echo "dashboard query, 1 client, $DURATION:"
  "$WORK/loadgen" -url http://127.0.0.1:18181/graphql -token "$TOKEN" -query-file bench/queries/dashboard.graphql -c 1 -d "$DURATION"
  echo "dashboard query, 8 clients, $DURATION:"
  "$WORK/loadgen" -url http://127.0.0.1:18181/graphql -token "$TOKEN" -query-file bench/queries/dashboard.graphql -c 8 -d "$DURATION"
  echo "server RSS now: $(grep VmRSS /proc/$pid/status | awk '{print $2, $3}'), peak: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
  kill $pid; wait $pid 2>/dev/null || true
done
echo "work directory: $WORK"
