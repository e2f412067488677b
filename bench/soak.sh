#!/usr/bin/env bash
# The soak run (issue #7, docs/benchmarks.md): rdrr on a copy of the
# 100000-returnee seed under a mixed load of reads and writes from C
# clients (saturating the server) for D, reporting every 30 s throughput,
# errors, latency and the server's resident memory.
#
#   bench/soak.sh                                # SQLite, 16 clients, 10 minutes
#   STORE=postgres D=2m bench/soak.sh
#
# Sources as for bench/suite.sh: SQLITE_SOURCE (default
# /tmp/rdrr-bench/bench.db) or PG_SOURCE (default rdrr_bench), copied,
# never written. Everything started is stopped and the copy removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${STORE:-sqlite}
C=${C:-16}
D=${D:-10m}
SQLITE_SOURCE=${SQLITE_SOURCE:-/tmp/rdrr-bench/bench.db}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_USER=${PG_USER:-postgres}
PG_SOURCE=${PG_SOURCE:-rdrr_bench}
PG_COPY=rdrr_soak_$$
PORT=${PORT:-18182}
WORK=$(mktemp -d /tmp/rdrr-soak.XXXXXX)
export RDRR_DEV_SIGNING_KEY=${RDRR_DEV_SIGNING_KEY:-bench-signing-key-0123456789abcdef0123}
PID=
cleanup() {
  [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  dropdb --if-exists -f -h "$PG_HOST" -U "$PG_USER" "$PG_COPY" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

go build -o "$WORK/rdrr" ./cmd/rdrr
go build -o "$WORK/soak" ./bench/cmd/soak
case $STORE in
  sqlite)
    sqlite3 "$SQLITE_SOURCE" ".backup '$WORK/soak.db'"
    DB="sqlite:$WORK/soak.db" ;;
  postgres)
    createdb -h "$PG_HOST" -U "$PG_USER" -T "$PG_SOURCE" "$PG_COPY"
    DB="postgres://$PG_USER@$PG_HOST:5432/$PG_COPY?sslmode=disable" ;;
  *) echo "STORE must be sqlite or postgres" >&2; exit 2 ;;
esac
# a server left on the port would answer instead of this one, which fails to bind
if curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then echo "port $PORT is taken by another server: stop it first" >&2; exit 1; fi
"$WORK/rdrr" serve --db "$DB" --addr "127.0.0.1:$PORT" --rate-limits=false >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 3000); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
export TOKEN_CASE_MANAGER TOKEN_LEGAL TOKEN_CLINICIAN TOKEN_ANALYST
TOKEN_CASE_MANAGER=$("$WORK/rdrr" token --db "$DB" --user case.manager@gov-kz.example)
TOKEN_LEGAL=$("$WORK/rdrr" token --db "$DB" --user legal@gov-kz.example)
TOKEN_CLINICIAN=$("$WORK/rdrr" token --db "$DB" --user psychologist@ngo-kz.example)
TOKEN_ANALYST=$("$WORK/rdrr" token --db "$DB" --user analyst@donor.example)
echo "soak: rdrr on $STORE, $C clients, $D"
"$WORK/soak" -url "http://127.0.0.1:$PORT/graphql" -db "$DB" -pid "$PID" -c "$C" -d "$D"
