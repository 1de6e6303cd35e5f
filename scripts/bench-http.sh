#!/usr/bin/env bash
# Load test of the API on loopback with wrk (Debian: apt-get install wrk), bounded in time.
# Starts a release server on a fresh database, creates a workspace, logs in, makes an API key,
# then measures each case at each connection count, in one run so the ratios compare.
#
# Usage: scripts/bench-http.sh [CASE ...]   CASE = label|path|auth[|graphql-query or JSON body]
#   auth = none|jwt|key; `{account}` in a path or query is replaced by a seeded account id;
#   a case with a GraphQL query POSTs it to the path (use /graphql); a case whose last field
#   starts with `{` POSTs that JSON body as it is (no Idempotency-Key); `{any_account}` in a
#   path is replaced, request by request, by each seeded account in turn (GET: cache misses);
#   the last field `@ingest` POSTs INGEST_BATCHES batches of 1,000 new orders (unique external
#   ids, random seeded accounts) to the path (/v1/orders/batch) from INGEST_CLIENTS parallel
#   clients and reports orders per second. Each wrk row prints the profile-cache hits and
#   misses it caused, and the server's CPU time (user + system) per request.
#   default cases: healthz, /v1/workspace with a JWT, /v1/workspace with an API key
# Env: CONNECTIONS="1 16 64", DURATION=10s, SEED_ACCOUNTS=0 (accounts created first, in
#      batches of 500), SEED_LOYALTY_POINTS=0 (a loyalty programme, then that many points
#      credited to every seeded account), SEED_CONTACTS=0 (when set, the seeded accounts are
#      organizations and each gets that many contacts), RAPPORT_DATABASE_URL (default: a fresh SQLite
#      file), RAPPORT_REDIS_URL (default: in-process cache), PORT=18080, INGEST_BATCHES=40,
#      INGEST_CLIENTS=2, RAPPORT_BENCH_BIN (a server binary to use instead of building this
#      tree's), WEBHOOK=1 (a webhook subscription to every event type, created after the
#      seeding, delivered to scripts/webhook-receiver.py on PORT+1; each `@ingest` row is
#      followed by a `webhook` row: deliveries from the start of the ingestion until they
#      stop, per second, and the delay from each event's `occurred_at` to its arrival;
#      WEBHOOK_BATCH=N gives the subscription that `batch_size`, default 1),
#      SEED_ORDERS=0 (that many orders per seeded account, each with 3 line items from a theme
#      of SKUs, then a recommendations refresh), SEED_OFFERS=0 (that many percent-discount
#      offers, each issued as a personal voucher to every seeded account), INGEST_VOUCHERS=0
#      (1: a third of the `@ingest` orders redeem one of those vouchers, each code once; the
#      run stops unless SEED_ACCOUNTS x SEED_OFFERS covers a third of (INGEST_BATCHES + 2)
#      x 1,000 orders, e.g. SEED_ACCOUNTS=4000 SEED_OFFERS=2 for 20 batches),
#      SEED_CAMPAIGNS=0 (that many in-store campaigns launched on all the seeded accounts, so
#      every `@ingest` order is attributed to that many campaign members), SEED_FEEDBACK=0
#      (that many NPS responses per seeded account, on random days of 2026-01 to 2026-10 like
#      the `@ingest` orders: each ingested order then adds to the 90-day outcomes of the
#      responses of the 90 days before it).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
if [ -n "${RAPPORT_BENCH_BIN:-}" ]; then
  BIN=$RAPPORT_BENCH_BIN  # another build (to compare commits in the same session)
else
  cargo build --release -q -p rapport
  BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/rapport"
fi
PORT="${PORT:-18080}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-1 16 64}"
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=("healthz|/healthz|none" "workspace-jwt|/v1/workspace|jwt" "workspace-key|/v1/workspace|key")
SEED_ACCOUNTS="${SEED_ACCOUNTS:-0}"
SEED_CONTACTS="${SEED_CONTACTS:-0}"

WORK=$(mktemp -d)
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; [ -n "${HOOK:-}" ] && kill "$HOOK" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
export RAPPORT_BIND="127.0.0.1:$PORT" RAPPORT_LOG="${RAPPORT_LOG:-warn}"
export RAPPORT_DATABASE_URL="${RAPPORT_DATABASE_URL:-sqlite://$WORK/bench.db}"
# The point is to measure the server, not to be throttled by it; the check still runs.
export RAPPORT_RATE_LIMIT_PER_MINUTE=1000000000
WEBHOOK="${WEBHOOK:-0}"
HOOK_PORT=$((PORT + 1))
HOOK=""
if [ "$WEBHOOK" = 1 ]; then
  export RAPPORT_WEBHOOKS_ALLOW_PRIVATE=true
  python3 scripts/webhook-receiver.py "$HOOK_PORT" &
  HOOK=$!
fi
BASE="http://127.0.0.1:$PORT"

EMAIL="bench-$(date +%s%N)@bench.example.com" PASSWORD="bench password 123"
"$BIN" bootstrap --workspace Bench --email "$EMAIL" --password "$PASSWORD" >/dev/null
(cd "$WORK" && exec "$BIN" serve) &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
JWT=$(curl -sf -X POST "$BASE/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
KEY=$(curl -sf -X POST "$BASE/v1/api-keys" -H "authorization: Bearer $JWT" -H 'content-type: application/json' \
  -d '{"name":"bench","scopes":["admin"]}' | sed -E 's/.*"secret":"([^"]+)".*/\1/')

ACCOUNT=""
if [ "$SEED_ACCOUNTS" -gt 0 ]; then
  python3 - "$BASE" "$JWT" "$SEED_ACCOUNTS" "$SEED_CONTACTS" <<'PY'
import json, sys, urllib.request
base, token, n, contacts = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def post(path, body):
    req = urllib.request.Request(f"{base}{path}", json.dumps(body).encode(),
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())
kind = "organization" if contacts > 0 else "person"
for start in range(0, n, 500):
    items = [{"kind": kind, "name": f"Customer {i}", "emails": [f"c{i}@shop.example.com"],
              "tags": ["seed"], "lifecycle_stage": "customer", "external_id": f"seed-{i}",
              "attributes": {"segment": i % 7}} for i in range(start, min(n, start + 500))]
    batch = post("/v1/accounts/batch", {"accounts": items})
    for result in batch["results"] if contacts > 0 else []:
        for c in range(contacts):
            post(f"/v1/accounts/{result['id']}/contacts", {"name": f"Person {c} of {result['index']}",
                "email": f"p{c}.{start + result['index']}@shop.example.com", "is_primary": c == 0})
PY
  ACCOUNT=$(curl -sf "$BASE/v1/accounts?limit=1&external_id=seed-0" -H "authorization: Bearer $JWT" | sed -E 's/.*"id":"([^"]+)".*/\1/')
fi
SEED_LOYALTY_POINTS="${SEED_LOYALTY_POINTS:-0}"
WRK_ACCOUNTS=""
if [ "$SEED_LOYALTY_POINTS" -gt 0 ]; then
  WRK_ACCOUNTS=$(python3 - "$BASE" "$JWT" "$SEED_LOYALTY_POINTS" <<'PY'
import json, sys, urllib.request
base, token, points = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(method, path, body=None):
    req = urllib.request.Request(f"{base}{path}", json.dumps(body).encode() if body else None,
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, method=method)
    return json.loads(urllib.request.urlopen(req).read() or b"null")
call("PUT", "/v1/loyalty/program", {"currency": "EUR", "earn_rate": {"numerator": 1, "denominator": 100},
    "tiers": [{"name": "Member", "threshold": 0, "multiplier_permille": 1000}]})
ids, after = [], ""
while True:
    page = call("GET", f"/v1/accounts?limit=500{after}")
    ids += [a["id"] for a in page["data"]]
    if not page["next_cursor"]:
        break
    after = "&after=" + page["next_cursor"]
for i in ids:
    call("POST", f"/v1/accounts/{i}/loyalty/adjust", {"points": points, "reason": "benchmark credit"})
print(",".join(ids))
PY
)
fi

if [ "$SEED_ACCOUNTS" -gt 0 ] && [ -z "$WRK_ACCOUNTS" ]; then
  WRK_ACCOUNTS=$(python3 - "$BASE" "$JWT" <<'PY'
import json, sys, urllib.request
base, token, after, ids = sys.argv[1], sys.argv[2], None, []
while True:
    url = f"{base}/v1/accounts?limit=500" + (f"&after={after}" if after else "")
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})))
    ids += [a["id"] for a in page["data"]]
    after = page["next_cursor"]
    if not after:
        break
print(",".join(ids))
PY
)
fi
# Too long for the environment or a command line: wrk and the ingester read them from a file.
printf '%s' "$WRK_ACCOUNTS" > "$WORK/accounts"
export WRK_ACCOUNTS_FILE="$WORK/accounts"
SEED_ORDERS="${SEED_ORDERS:-0}"
SEED_OFFERS="${SEED_OFFERS:-0}"
export INGEST_VOUCHERS="${INGEST_VOUCHERS:-0}" VOUCHERS_FILE="$WORK/vouchers"
echo '{}' > "$VOUCHERS_FILE"
if [ "$SEED_ORDERS" -gt 0 ] || [ "$SEED_OFFERS" -gt 0 ]; then
  python3 - "$BASE" "$JWT" "$WRK_ACCOUNTS_FILE" "$SEED_ORDERS" "$SEED_OFFERS" "$VOUCHERS_FILE" <<'PY'
import json, random, sys, time, urllib.request
base, token, ids, per, offers, out = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().split(","), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
def call(method, path, body=None):
    req = urllib.request.Request(f"{base}{path}", json.dumps(body).encode() if body is not None else None,
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, method=method)
    return json.loads(urllib.request.urlopen(req).read() or b"null")
rng = random.Random(11)
started = time.time()
if per > 0:
    # 200 themes of 25 SKUs; a customer mostly buys from one theme.
    orders = []
    for n, account in enumerate(ids):
        theme = rng.randrange(200)
        for k in range(per):
            items = []
            for _ in range(3):
                th = rng.randrange(200) if rng.random() < 0.1 else theme
                sku = th * 25 + rng.randrange(25)
                items.append({"sku": f"SKU-{sku}", "name": f"Product {sku}", "quantity": 1,
                              "unit_price": 1000, "category": f"theme-{th}"})
            orders.append({"account_id": account, "external_id": f"seed-order-{n}-{k}", "amount": 3000,
                           "currency": "USD", "occurred_at": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}T10:00:00Z",
                           "items": items})
    for start in range(0, len(orders), 1000):
        call("POST", "/v1/orders/batch", {"orders": orders[start:start + 1000]})
    refreshed = call("POST", "/v1/recommendations/refresh", {})
    print(f"seeded {len(orders)} orders with line items; recommendations: {refreshed.get('items')} SKUs, {refreshed.get('pairs')} pairs ({time.time() - started:.0f} s)")
codes = {}
if offers > 0:
    segment = call("POST", "/v1/segments", {"name": "Seeded", "rule": {"field": "tags", "op": "contains", "value": "seed"}})
    for k in range(offers):
        offer = call("POST", "/v1/offers", {"name": f"{5 + k} % off", "kind": "percent_discount", "percent": 5 + k})
        call("POST", f"/v1/offers/{offer['id']}/issue", {"segment_id": segment["id"]})
    for account in ids:
        page = call("GET", f"/v1/accounts/{account}/offers?limit=500")
        codes[account] = [p["voucher"]["code"] for p in page["data"]]
    print(f"seeded {offers} offers, {sum(map(len, codes.values()))} vouchers ({time.time() - started:.0f} s)")
json.dump(codes, open(out, "w"))
PY
fi
SEED_CAMPAIGNS="${SEED_CAMPAIGNS:-0}"
if [ "$SEED_CAMPAIGNS" -gt 0 ]; then
  python3 - "$BASE" "$JWT" "$SEED_CAMPAIGNS" <<'PY'
import json, sys, urllib.request
base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def post(path, body):
    req = urllib.request.Request(f"{base}{path}", json.dumps(body).encode(),
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read() or b"null")
segment = post("/v1/segments", {"name": "Seeded for campaigns", "rule": {"field": "tags", "op": "contains", "value": "seed"}})
for k in range(n):
    c = post("/v1/campaigns", {"name": f"Bench campaign {k}", "channel": "in_store", "segment_id": segment["id"]})
    launched = post(f"/v1/campaigns/{c['id']}/launch", None)
    print(f"launched campaign {k}: {launched['audience']['treated'] + launched['audience']['control']} members")
PY
fi
SEED_FEEDBACK="${SEED_FEEDBACK:-0}"
if [ "$SEED_FEEDBACK" -gt 0 ]; then
  python3 - "$BASE" "$JWT" "$WRK_ACCOUNTS_FILE" "$SEED_FEEDBACK" <<'PY'
import json, random, sys, time, urllib.request
base, token, ids, per = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().split(","), int(sys.argv[4])
rng, started = random.Random(23), time.time()
responses = [{"account_id": a, "nps": rng.randint(0, 10), "touchpoint": "purchase",
              "occurred_at": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}T09:00:00Z"}
             for a in ids for _ in range(per)]
for start in range(0, len(responses), 1000):
    req = urllib.request.Request(f"{base}/v1/feedback/batch", json.dumps({"responses": responses[start:start + 1000]}).encode(),
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
print(f"seeded {len(responses)} NPS responses ({time.time() - started:.0f} s)")
PY
fi
if [ "$WEBHOOK" = 1 ]; then
  curl -sf -X POST "$BASE/v1/webhooks" -H "authorization: Bearer $JWT" -H 'content-type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$HOOK_PORT/hook\",\"event_types\":[\"*\"],\"batch_size\":${WEBHOOK_BATCH:-1}}" >/dev/null
  echo "webhook: one subscription to every event type (batch_size ${WEBHOOK_BATCH:-1}), receiver on 127.0.0.1:$HOOK_PORT"
fi
# The server's CPU time (user + system, clock ticks) from /proc: CPU per request is steadier
# than throughput on a shared machine.
server_cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$SERVER/stat"
}
cache_counts() {
  curl -sf "$BASE/metrics" | awk '/^rapport_cache_lookups_total/ {split($1, a, "\""); n[a[2]] = $2}
    END {printf "%d %d", n["hit"], n["miss"]}'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wrk and server share the cores"
cache=${RAPPORT_REDIS_URL:+redis}
echo "database: ${RAPPORT_DATABASE_URL%%:*}, cache: ${cache:-memory}, duration: $DURATION per row, accounts: $SEED_ACCOUNTS, contacts each: $SEED_CONTACTS"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %-22s %6s %10s %9s %9s %7s\n' case path conns req/s p50 p99 cpu/req
for case in "${CASES[@]}"; do
  IFS='|' read -r label path auth query <<<"$case"
  if [ "$query" = "@ingest" ]; then
    [ "$WEBHOOK" = 1 ] && curl -sf "http://127.0.0.1:$HOOK_PORT/reset" >/dev/null
    python3 - "$BASE$path" "$JWT" "$WRK_ACCOUNTS_FILE" "${INGEST_BATCHES:-40}" "${INGEST_CLIENTS:-2}" "$label" <<'PY'
import http.client, json, random, sys, threading, time, urllib.parse
from concurrent.futures import ThreadPoolExecutor
url, token, ids, batches, clients, label = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().split(","), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
target = urllib.parse.urlsplit(url)
local = threading.local()
rng = random.Random(7)
run = time.time_ns()
import os
codes = json.load(open(os.environ["VOUCHERS_FILE"])) if os.environ.get("INGEST_VOUCHERS") == "1" else {}
holders = [a for a in codes if codes[a]]
def order(b, i):
    o = {"account_id": rng.choice(ids), "external_id": f"bench-{run}-{b}-{i}",
         "amount": rng.randint(100, 50000), "cost": rng.randint(50, 20000), "currency": "USD",
         "occurred_at": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}T12:00:00Z", "channel": "web"}
    if holders and i % 3 == 0:
        # A voucher order: an account that still holds an unused code redeems it.
        k = rng.randrange(len(holders))
        o["account_id"] = holders[k]
        o["voucher_codes"] = [codes[holders[k]].pop()]
        if not codes[holders[k]]:
            holders[k] = holders[-1]
            holders.pop()
    return o
needed = (batches + 2) * len(range(0, 1000, 3))
if codes and sum(map(len, codes.values())) < needed:
    # Every third order (warm-up included) redeems a code once: fewer codes would leave
    # later batches with fewer voucher orders than the third the comparison is about.
    sys.exit(f"INGEST_VOUCHERS=1 needs {needed} issued codes for {batches} batches "
             f"(+2 warm-up); seeding issued {sum(map(len, codes.values()))}: raise SEED_ACCOUNTS or SEED_OFFERS")
bodies = [json.dumps({"orders": [order(b, i) for i in range(1000)]}).encode() for b in range(batches + 2)]
if codes:
    print(f"{sum(b.count(b'voucher_codes') for b in bodies[2:])} of the {batches * 1000} measured orders redeem a voucher")
# One kept-alive connection per client thread, and the answer checked by its leading
# `"created":1000` rather than parsed: the client shares the two cores with the server and
# PostgreSQL, so it should spend as little of them as it can. The SQL check after the run
# (BENCHMARKS.md) verifies what was written.
def post(body):
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection(target.hostname, target.port)
    t = time.perf_counter()
    local.conn.request("POST", target.path, body, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = local.conn.getresponse()
    answer = response.read()
    assert response.status == 200 and answer.startswith(b'{"created":1000,'), answer[:300]
    return time.perf_counter() - t
for body in bodies[:2]:
    post(body)  # warm-up
start = time.perf_counter()
with ThreadPoolExecutor(clients) as pool:
    latencies = sorted(pool.map(post, bodies[2:]))
elapsed = time.perf_counter() - start
p50, p99 = latencies[len(latencies) // 2], latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
print(f"{label:<16} {'/v1/orders/batch':<22} {clients:>6} {batches * 1000 / elapsed:>10.0f} {p50 * 1000:>7.1f}ms {p99 * 1000:>7.1f}ms orders/s, {batches} batches of 1000")
PY
    if [ "$WEBHOOK" = 1 ]; then
      python3 - "http://127.0.0.1:$HOOK_PORT/stats" <<'PY'
import json, sys, time, urllib.request
# Until deliveries stop (nothing new for 3 s, at most 10 minutes).
seen, still, deadline = -1, 0, time.time() + 600
while still < 3 and time.time() < deadline:
    s = json.load(urllib.request.urlopen(sys.argv[1]))
    still = still + 1 if s["count"] == seen else 0
    seen = s["count"]
    time.sleep(1)
if s["count"]:
    rate = s["count"] / max(s["last"] - s["first"], 1e-9)
    print(f"{'webhook':<16} {'deliveries':<22} {1:>6} {rate:>10.0f} {s['p50_ms']:>7.1f}ms {s['p99_ms']:>7.1f}ms events/s, {s['count']} delivered in {s['last'] - s['first']:.1f} s; occurred_at to arrival p90 {s['p90_ms']} ms, max {s['max_ms']} ms")
PY
    fi
    continue
  fi
  path=${path//\{account\}/$ACCOUNT}
  query=${query//\{account\}/$ACCOUNT}
  header=()
  post=()
  export WRK_BODY=""
  if [ "${query:0:1}" = "{" ]; then
    WRK_BODY=$query
    post=(-s scripts/wrk-post.lua)
  elif [ -n "$query" ]; then
    WRK_BODY=$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$query")
    post=(-s scripts/wrk-post.lua)
  fi
  [[ "$path" != *"{any_account}"* ]] || post=(-s scripts/wrk-post.lua)
  wrk_path=${path//\{any_account\}/ANY_ACCOUNT}
  case "$auth" in
    jwt) header=(-H "Authorization: Bearer $JWT") ;;
    key) header=(-H "Authorization: Bearer $KEY") ;;
  esac
  first_path=${path//\{any_account\}/${WRK_ACCOUNTS%%,*}}
  if [ "${query:0:1}" = "{" ]; then
    status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' "${header[@]}" -d "$WRK_BODY" "$BASE$first_path")
    [ "${status:0:1}" = 2 ] || { echo "$label: POST $first_path answered $status" >&2; exit 1; }
  elif [ -n "$query" ]; then
    answer=$(curl -s -X POST -H 'content-type: application/json' "${header[@]}" -d "$WRK_BODY" "$BASE$path")
    case "$answer" in *'"errors"'*) echo "$label: $answer" >&2; exit 1 ;; esac
  else
    status=$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "$BASE$first_path")
    [ "$status" = 200 ] || { echo "$label: $path answered $status, not 200" >&2; exit 1; }
  fi
  for c in $CONNECTIONS; do
    threads=$(( c < 2 ? 1 : 2 ))
    before=$(cache_counts)
    cpu0=$(server_cpu_ticks)
    out=$(wrk -t"$threads" -c"$c" -d"$DURATION" --latency "${post[@]}" "${header[@]}" "$BASE$wrk_path")
    cpu1=$(server_cpu_ticks)
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu_us=$(( requests > 0 ? (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / requests : 0 ))
    read -r h0 m0 <<<"$before"
    read -r h1 m1 <<<"$(cache_counts)"
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    cache=""
    [ $((h1 - h0 + m1 - m0)) -gt 0 ] && cache="cache hits $((h1 - h0)) misses $((m1 - m0))"
    printf '%-16s %-22s %6s %10s %9s %9s %7s %s\n' "$label" "${path:0:22}" "$c" "$rps" "$p50" "$p99" "${cpu_us}us" "${non2xx:+non-2xx: $non2xx }$cache"
  done
done
echo "server RSS: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$SERVER/status), load average after: $(cut -d" " -f1-3 /proc/loadavg)"
