#!/usr/bin/env bash
# The benchmark suite (issue #8, docs/benchmarks.md): for each store, rdrr
# on a copy of the 100000-returnee demo seed, every operation of
# bench/workload at 1, 8 and 32 clients, then the same reads on the raw-SQL
# baseline (bench/cmd/rawsql) and, on PostgreSQL, the case once more in one
# statement (rawsql -case-statements one, and one-audited) and PostGraphile
# v4 on the same database; server CPU and memory sampled from /proc; tables and
# ratios printed at the end and kept in $OUT.
#
#   bench/suite.sh                                  # both stores, 15 s per run
#   DURATION=5s CLIENTS=1,8 STORES=postgres bench/suite.sh
#   ROUNDS=3 STORES=postgres OPS=case bench/suite.sh
#
# ROUNDS (default 1) repeats, per store, the whole sequence (a fresh copy,
# rdrr, raw SQL, the one-statement case plain and audited, PostGraphile)
# that many times; each round's rdrr is compared with the same round's baselines and the ratios reported are the
# rounds' medians, so that the machine's drift between minutes moves the
# verdict less (bench/results, compareRounds).
#
# Sources (copied, never written): SQLITE_SOURCE, a seeded SQLite file
# (default /tmp/rdrr-bench/bench.db); PG_SOURCE, a seeded PostgreSQL
# database (default rdrr_bench) copied with createdb -T, which needs nobody
# connected to it (else a fresh seed is made, about a minute). Needs go,
# psql/createdb/dropdb, node and npm (PostGraphile 4.14.1 is installed into
# the work directory). Everything started is stopped and the copies are
# removed on exit; the results stay in $OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-3s}
CLIENTS=${CLIENTS:-1,8,32}
STORES=${STORES:-"sqlite postgres"}
OPS=${OPS:-dashboard,case,search,mutations,statistics}
ROUNDS=${ROUNDS:-1}
SQLITE_SOURCE=${SQLITE_SOURCE:-/tmp/rdrr-bench/bench.db}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
PG_SOURCE=${PG_SOURCE:-rdrr_bench}
PG_COPY=rdrr_suite_$$
PG_URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$PG_COPY?sslmode=disable"
round=0 # the round being run, from 1 when ROUNDS > 1 (0 when the suite runs once)
N=${N:-100000} # returnees, when a fresh seed is needed
PGL_VERSION=4.14.1
PORT_RDRR=${PORT_RDRR:-18181}
PORT_RAW=${PORT_RAW:-18190}
PORT_PGL=${PORT_PGL:-18191}
WORK=$(mktemp -d /tmp/rdrr-suite.XXXXXX)
OUT=${OUT:-/tmp/rdrr-suite-results-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" "$WORK/bin" "$WORK/logs"
export RDRR_DEV_SIGNING_KEY=${RDRR_DEV_SIGNING_KEY:-bench-signing-key-0123456789abcdef0123}
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER")

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  dropdb --if-exists -f -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PG_COPY" 2>/dev/null || true
  cp "$WORK"/logs/* "$OUT/" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# start NAME PORT CMD...: runs CMD in the background, logs to
# $WORK/logs/NAME.log, waits (up to 10 minutes: rdrr migrates its database
# first) until GET /readyz (or, for PostGraphile, a GraphQL POST) answers;
# the PID is in $started.
answers() { # answers PORT: something serves /readyz or GraphQL on PORT
  curl -sf "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 ||
    curl -sf -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:$1/graphql" >/dev/null 2>&1
}

start() {
  local name=$1 port=$2; shift 2
  # A server left on the port would answer for the one started here, which
  # then fails to bind, and the suite would measure the wrong server.
  if answers "$port"; then echo "port $port is taken by another server: stop it first" >&2; exit 1; fi
  "$@" >"$WORK/logs/$name.log" 2>&1 &
  started=$!
  PIDS+=("$started")
  for _ in $(seq 1 3000); do
    if answers "$port"; then
      sleep 0.2
      kill -0 "$started" 2>/dev/null || { cat "$WORK/logs/$name.log"; echo "$name exited" >&2; exit 1; }
      return
    fi
    kill -0 "$started" 2>/dev/null || { cat "$WORK/logs/$name.log"; echo "$name exited" >&2; exit 1; }
    sleep 0.2
  done
  echo "$name did not become ready" >&2
  exit 1
}

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# settle STORE: writes to disk what the database copy, the VACUUM and the
# previous contender left dirty (PostgreSQL's CHECKPOINT, then the kernel's
# sync), so that every contender starts from the same clean state. Without
# it the first contender measured after a copy (rdrr, whose every audited
# read commits and flushes WAL) ran while the kernel wrote back the copy's
# ~400 MB: one client on one case, three pairs after a fresh copy, 198.0 /
# 196.8 / 240.2 req/s without and 233.1 / 233.4 / 306.1 with
# (docs/benchmarks.md, "Thirteenth session").
settle() {
  if [ "$1" = postgres ]; then
    "${PSQL[@]}" -d "$PG_COPY" -c "CHECKPOINT" || echo "CHECKPOINT refused: measuring without it" >&2
  fi
  sync
}

suite() { # suite TARGET STORE DB PID PORT [OPS]: one suite run, results in $OUT
  local target=$1 store=$2 db=$3 pid=$4 port=$5 ops=${6:-$OPS} name=$1-$2 label=
  if [ "$round" -gt 0 ]; then name=$name-r$round label=" (round $round of $ROUNDS)"; fi
  settle "$store"
  echo "== $target on $store$label"
  "$WORK/bin/suite" -target "$target" -store "$store" -url "http://127.0.0.1:$port/graphql" -db "$db" \
    -pid "$pid" -db-pid "${PGPID:-0}" -queries "$ROOT/bench/queries" -clients "$CLIENTS" -ops "$ops" \
    -duration "$DURATION" -warmup "$WARMUP" -round "$round" -out "$OUT/$name.json" >"$OUT/$name.md"
  cat "$OUT/$name.md"
}

echo "building into $WORK/bin"
for c in ./cmd/rdrr ./bench/cmd/rawsql ./bench/cmd/suite ./bench/cmd/compare; do
  go build -o "$WORK/bin/" "$c"
done

for store in $STORES; do
  for r in $(seq 1 "$ROUNDS"); do
    tag= # of this round's logs
    if [ "$ROUNDS" -gt 1 ]; then round=$r tag=-r$r; fi
    PGPID=0
    case $store in
      sqlite)
        mkdir -p "$WORK/sqlite"
        echo "copying $SQLITE_SOURCE"
        if command -v sqlite3 >/dev/null; then # a consistent copy even if someone writes meanwhile
          sqlite3 "$SQLITE_SOURCE" ".backup '$WORK/sqlite/bench.db'"
        else
          cp "$SQLITE_SOURCE" "$WORK/sqlite/bench.db"
          for x in -wal -shm; do [ -f "$SQLITE_SOURCE$x" ] && cp "$SQLITE_SOURCE$x" "$WORK/sqlite/bench.db$x"; done
        fi
        DB="sqlite:$WORK/sqlite/bench.db" ;;
      postgres)
        echo "copying database $PG_SOURCE to $PG_COPY"
        dropdb --if-exists -f -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PG_COPY" # the previous round's
        if ! createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -T "$PG_SOURCE" "$PG_COPY" 2>"$WORK/logs/createdb.log"; then
          echo "cannot copy $PG_SOURCE ($(head -c 200 "$WORK/logs/createdb.log")); seeding $N returnees instead"
          createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PG_COPY"
          "$WORK/bin/rdrr" seed --demo --returnees "$N" --db "$PG_URL" >"$WORK/logs/seed.log" 2>&1
        fi
        # The planner setting docs/deployment.md recommends for a database
        # that lives in memory or on SSD; every contender runs on this copy.
        "${PSQL[@]}" -d "$PG_COPY" -c "ALTER DATABASE $PG_COPY SET random_page_cost = ${PG_RANDOM_PAGE_COST:-1.1}"
        DB=$PG_URL
        datadir=$("${PSQL[@]}" -d "$PG_COPY" -Atc "SHOW data_directory" 2>/dev/null || true)
        PGPID=$(head -1 "$datadir/postmaster.pid" 2>/dev/null || pgrep -o -x postgres || echo 0) ;;
    esac

    start "rdrr-$store$tag" "$PORT_RDRR" "$WORK/bin/rdrr" serve --db "$DB" --addr "127.0.0.1:$PORT_RDRR" --rate-limits=false
    rdrr_pid=$started
    if [ "$store" = postgres ]; then
      # rdrr has just applied its pending migrations, some of which rewrite
      # whole tables: vacuum and analyze as autovacuum soon would, so every
      # target reads the same well-kept tables.
      "${PSQL[@]}" -d "$PG_COPY" -c "VACUUM ANALYZE"
    fi
    export TOKEN_CASE_MANAGER TOKEN_LEGAL TOKEN_CLINICIAN TOKEN_ANALYST
    TOKEN_CASE_MANAGER=$("$WORK/bin/rdrr" token --db "$DB" --user case.manager@gov-kz.example)
    TOKEN_LEGAL=$("$WORK/bin/rdrr" token --db "$DB" --user legal@gov-kz.example)
    TOKEN_CLINICIAN=$("$WORK/bin/rdrr" token --db "$DB" --user psychologist@ngo-kz.example)
    TOKEN_ANALYST=$("$WORK/bin/rdrr" token --db "$DB" --user analyst@donor.example)
    suite rdrr "$store" "$DB" "$rdrr_pid" "$PORT_RDRR"
    stop "$rdrr_pid" # each target runs alone on the machine

    start "rawsql-$store$tag" "$PORT_RAW" "$WORK/bin/rawsql" -db "$DB" -addr "127.0.0.1:$PORT_RAW"
    raw_pid=$started
    suite raw "$store" "$DB" "$raw_pid" "$PORT_RAW"
    stop "$raw_pid"

    if [ "$store" = postgres ] && [[ ",$OPS," == *,case,* ]]; then
      # The case once more, in one statement that PostgreSQL turns into the
      # answer's JSON (bench/cmd/rawsql/case_one.sql): the floor of a design
      # that compiles a query into one statement, as PostGraphile does
      # (target raw1); then with the case manager's case-team rule and an
      # audit row written by the same statement (case_one_audited.sql; raw1a):
      # what compiling the policy and the audit into it would cost.
      for floor in one:raw1 one-audited:raw1a; do
        mode=${floor%%:*} target=${floor##*:}
        start "rawsql-$mode-$store$tag" "$PORT_RAW" "$WORK/bin/rawsql" -db "$DB" -addr "127.0.0.1:$PORT_RAW" \
          -case-statements "$mode" -viewer-org gov-kz
        floor_pid=$started
        suite "$target" "$store" "$DB" "$floor_pid" "$PORT_RAW" case
        stop "$floor_pid"
      done
    fi

    if [ "$store" = postgres ]; then
      if [ ! -x "$WORK/pgl/node_modules/.bin/postgraphile" ]; then
        echo "installing PostGraphile $PGL_VERSION"
        mkdir -p "$WORK/pgl"
        (cd "$WORK/pgl" && npm install --no-audit --no-fund --loglevel=error "postgraphile@$PGL_VERSION" >"$WORK/logs/npm.log" 2>&1)
      fi
      "${PSQL[@]}" -d "$PG_COPY" -f "$ROOT/bench/queries/postgraphile/search.sql"
      # Defaults as shipped except: the pool as large as rdrr's (20), no
      # query log and no GraphiQL (production settings), and the recommended
      # --dynamic-json / --no-setof-functions-contain-nulls.
      start "postgraphile$tag" "$PORT_PGL" node "$WORK/pgl/node_modules/.bin/postgraphile" \
        -c "postgres://$PG_USER@$PG_HOST:$PG_PORT/$PG_COPY" --schema public,pgl_bench -n 127.0.0.1 -p "$PORT_PGL" \
        --max-pool-size 20 --disable-query-log --disable-graphiql --dynamic-json --no-setof-functions-contain-nulls
      pgl_pid=$started
      suite postgraphile "$store" "$DB" "$pgl_pid" "$PORT_PGL"
      stop "$pgl_pid"
    fi
  done
done

"$WORK/bin/compare" "$OUT"/*.json >"$OUT/results.md"
echo
echo "================ results ================"
grep -A1000 "^### Ratios" "$OUT/results.md" | head -200 || true
echo
echo "all tables: $OUT/results.md"
