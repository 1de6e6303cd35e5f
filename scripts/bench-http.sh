#!/usr/bin/env bash
# Load test of the API on loopback with wrk (Debian: apt-get install wrk), bounded in time.
# Usage: scripts/bench-http.sh [PATH ...]   (default: /healthz)
# Env: CONNECTIONS="1 16 64", DURATION=10s, RAPPORT_DATABASE_URL (default: a fresh SQLite file).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release -q -p rapport
BIN="$PWD/target/release/rapport"
PORT="${PORT:-18080}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-1 16 64}"
PATHS=("$@"); [ ${#PATHS[@]} -gt 0 ] || PATHS=(/healthz)

WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export RAPPORT_BIND="127.0.0.1:$PORT" RAPPORT_LOG="${RAPPORT_LOG:-warn}"
export RAPPORT_DATABASE_URL="${RAPPORT_DATABASE_URL:-sqlite://$WORK/bench.db}"
(cd "$WORK" && exec "$BIN" serve) &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "database: ${RAPPORT_DATABASE_URL%%://*}, cache: ${RAPPORT_REDIS_URL:+redis}${RAPPORT_REDIS_URL:-memory}"
printf '%-28s %6s %12s %10s %10s\n' path conns req/s p50 p99
for path in "${PATHS[@]}"; do
  for c in $CONNECTIONS; do
    threads=$(( c < 2 ? 1 : 2 ))
    out=$(wrk -t"$threads" -c"$c" -d"$DURATION" --latency "http://127.0.0.1:$PORT$path")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    printf '%-28s %6s %12s %10s %10s\n' "$path" "$c" "$rps" "$p50" "$p99"
  done
done
