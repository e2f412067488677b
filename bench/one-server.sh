# Sourced by bench/profile.sh and bench/allocs.sh, which measure one
# operation against one rdrr server. It makes the work directory $WORK,
# removed on exit with the server stopped. start_server PORT DEBUG_PORT builds
# rdrr (unless BIN names a binary to measure) and the load driver into
# $WORK, starts `rdrr serve` on $DB at PORT with its runtime profiles on
# DEBUG_PORT and rate limits off, waits until it answers, and sets pid (the
# server's), BIN and TOKEN (case.manager@gov-kz.example's).
export RDRR_DEV_SIGNING_KEY=${RDRR_DEV_SIGNING_KEY:-bench-signing-key-0123456789abcdef0123}
WORK=$(mktemp -d /tmp/rdrr-one-server.XXXXXX)
pid=
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$WORK"' EXIT

start_server() {
  local port=$1 debug=$2
  if [ -z "${BIN:-}" ]; then
    go build -o "$WORK/rdrr" ./cmd/rdrr
    BIN=$WORK/rdrr
  fi
  go build -o "$WORK/loadgen" ./bench/cmd/loadgen
  # a server left on the port would answer instead of this one, which fails to bind
  if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then echo "port $port is taken by another server: stop it first" >&2; exit 1; fi
  "$BIN" serve --db "$DB" --addr "127.0.0.1:$port" --debug-addr "127.0.0.1:$debug" --rate-limits=false >"$WORK/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  TOKEN=$("$BIN" token --db "$DB" --user case.manager@gov-kz.example)
}
