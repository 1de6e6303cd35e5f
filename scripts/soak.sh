#!/usr/bin/env bash
# Soak test (issue #17): a release server on a fresh PostgreSQL database and a private Redis,
# 32 connections of mixed reads and writes (profiles, balances, redemptions and new orders on
# a few shared accounts, lists, GraphQL) for 60 s, with that Redis frozen (SIGSTOP) for 10 s
# in the middle. Reports the answers by status and the throughput before, during and after
# the freeze; exits non-zero if any answer was a 500 (or a GraphQL error) or if throughput
# during the freeze fell below a third of before. Bounded: about 70 s plus the build.
#
# Usage: scripts/soak.sh
# Env: PG_URL (server URL without a database, default postgres://postgres@127.0.0.1:5432;
#      a database rapport_soak_<random> is created and dropped), CONNECTIONS=32, THREADS=2,
#      BEFORE=25, FREEZE=10, AFTER=25 (seconds), ACCOUNTS=20, PORT=18090, RAPPORT_BIN (a
#      binary to use instead of building the release one), SOAK_KEEP_LOG (a file to copy the
#      server's log to).
# Needs wrk (apt-get install wrk), redis-server, psql and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in wrk redis-server psql python3 curl; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
if [ -z "${RAPPORT_BIN:-}" ]; then
  cargo build --release -q -p rapport
fi
BIN=$(realpath "${RAPPORT_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/release/rapport}")
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
CONNECTIONS="${CONNECTIONS:-32}" THREADS="${THREADS:-2}"
BEFORE="${BEFORE:-25}" FREEZE="${FREEZE:-10}" AFTER="${AFTER:-25}"
ACCOUNTS="${ACCOUNTS:-20}" PORT="${PORT:-18090}"
DB="rapport_soak_$(date +%s)_$$"
REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

WORK=$(mktemp -d)
SERVER="" REDIS=""
cleanup() {
  [ -n "$REDIS" ] && { kill -CONT "$REDIS" 2>/dev/null || true; kill "$REDIS" 2>/dev/null || true; }
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true
  psql -q "$PG_URL/postgres?sslmode=disable" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  [ -n "${SOAK_KEEP_LOG:-}" ] && cp "$WORK/server.log" "$SOAK_KEEP_LOG"
  rm -rf "$WORK"
}
trap cleanup EXIT

psql -q "$PG_URL/postgres?sslmode=disable" -c "CREATE DATABASE $DB" >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
REDIS=$!
export RAPPORT_BIND="127.0.0.1:$PORT" RAPPORT_LOG="${RAPPORT_LOG:-warn,rapport_persistence::outage=info}"
export RAPPORT_DATABASE_URL="$PG_URL/$DB?sslmode=disable"
export RAPPORT_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" RAPPORT_REDIS_PREFIX="soak:"
# Throttling is not what is measured; the limiter still runs on every request (and takes
# leases of 50 tokens from Redis), and the profile cache reads Redis on every profile.
export RAPPORT_RATE_LIMIT_PER_MINUTE=1000000000
BASE="http://127.0.0.1:$PORT"

EMAIL="soak-$(date +%s%N)@soak.example.com" PASSWORD="soak password 123"
"$BIN" bootstrap --workspace Soak --email "$EMAIL" --password "$PASSWORD" >/dev/null
(cd "$WORK" && exec "$BIN" serve 2>"$WORK/server.log") &
SERVER=$!
for _ in $(seq 1 300); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "$BASE/healthz" >/dev/null || { echo "the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }
JWT=$(curl -sf -X POST "$BASE/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

# Shared accounts with a loyalty programme (orders earn points) and points to redeem.
SOAK_ACCOUNTS=$(python3 - "$BASE" "$JWT" "$ACCOUNTS" <<'PY'
import json, sys, urllib.request
base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(method, path, body=None):
    req = urllib.request.Request(f"{base}{path}", json.dumps(body).encode() if body else None,
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, method=method)
    return json.loads(urllib.request.urlopen(req).read() or b"null")
call("PUT", "/v1/loyalty/program", {"currency": "USD", "earn_rate": {"numerator": 1, "denominator": 100},
    "tiers": [{"name": "Member", "threshold": 0, "multiplier_permille": 1000}]})
ids = []
for i in range(n):
    a = call("POST", "/v1/accounts", {"kind": "person", "name": f"Shared {i}"})
    call("POST", f"/v1/accounts/{a['id']}/loyalty/adjust", {"points": 10_000_000, "reason": "soak"})
    ids.append(a["id"])
print(",".join(ids))
PY
)
export SOAK_TOKEN="$JWT" SOAK_ACCOUNTS SOAK_COUNTS="$WORK/counts"

TOTAL=$((BEFORE + FREEZE + AFTER))
echo "soak: $CONNECTIONS connections, ${TOTAL}s, Redis (port $REDIS_PORT) frozen from ${BEFORE}s to $((BEFORE + FREEZE))s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${TOTAL}s" --latency -s scripts/soak.lua "$BASE" >"$WORK/wrk.txt" &
WRK=$!
START=$(date +%s)
sleep "$BEFORE"
FROZEN=$(date +%s)
kill -STOP "$REDIS"
sleep "$FREEZE"
kill -CONT "$REDIS"
THAWED=$(date +%s)
wait "$WRK"
grep -E "Requests/sec|latency p50|Non-2xx|Socket errors" "$WORK/wrk.txt" || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
WARNINGS=$(grep -c "redis unavailable" "$WORK/server.log" || true)
echo "server log: $WARNINGS 'redis unavailable' warnings (one per client and outage), $(grep -c "redis answers again" "$WORK/server.log" || true) recoveries"

python3 - "$SOAK_COUNTS" "$START" "$FROZEN" "$THAWED" <<'PY'
import sys, collections
path, start, frozen, thawed = sys.argv[1], *map(int, sys.argv[2:])
by_status = collections.Counter()
phase = collections.Counter()
seconds = collections.defaultdict(set)
for line in open(path):
    second, status, count = line.split()
    second, count = int(second), int(count)
    by_status[status] += count
    # Whole seconds only: the second a signal was sent in belongs to neither side.
    if start < second < frozen:
        name = "before"
    elif frozen < second < thawed:
        name = "during"
    elif second > thawed:
        name = "after"
    else:
        continue
    phase[name] += count
    seconds[name].add(second)
print("answers by status:", dict(sorted(by_status.items())))
rate = {}
for name in ("before", "during", "after"):
    n = len(seconds[name]) or 1
    rate[name] = phase[name] / n
    print(f"{name:>6}: {phase[name]} answers in {len(seconds[name])} whole seconds = {rate[name]:.0f}/s")
errors = by_status.get("500", 0) + by_status.get("200-graphql-error", 0)
ratio = rate["during"] / rate["before"] if rate["before"] else 0
print(f"during/before = {ratio:.2f} (need >= 0.33); 500s and GraphQL errors: {errors}")
sys.exit(0 if errors == 0 and ratio >= 1 / 3 else 1)
PY
