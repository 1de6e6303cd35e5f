#!/usr/bin/env bash
# The OpenAPI contract, checked against the running server: schemathesis (PyPI, pinned, in a
# venv under ~/.cache) generates valid and invalid requests for every documented operation
# and fails on a 5xx, an undocumented status, a response body that does not match its schema,
# or a missing or wrong documented header. Bounded in time.
#
# Usage: scripts/contract-fuzz.sh BIN   (BIN: a built `rapport` binary, debug or release)
# Env:   RAPPORT_DATABASE_URL (default: a fresh SQLite file; a postgres:// URL names a server
#        on which a fresh database is created and dropped afterwards), RAPPORT_REDIS_URL
#        (default: in-process cache; keys go under a fresh prefix, removed afterwards),
#        FUZZ_MAX_EXAMPLES=12 (test cases per operation and phase), FUZZ_MAX_TIME=240 (s),
#        FUZZ_SEED (reproduce a run), FUZZ_ONLY_PATH (only the operations of this path),
#        PORT (default: a free one).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="$(realpath "${1:?usage: scripts/contract-fuzz.sh path/to/rapport}")"
ST_VERSION=4.32.5
ST_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/rapport-schemathesis-$ST_VERSION"
if [ ! -x "$ST_DIR/bin/st" ]; then
  python3 -m venv "$ST_DIR"
  "$ST_DIR/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

WORK=$(mktemp -d)
SERVER=""
PG_DB=""
PG_ADMIN_URL=""
REDIS_PREFIX="rapport-fuzz-$(date +%s%N):"
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [ -n "$PG_DB" ]; then psql "$PG_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null || true; fi
  if [ -n "${RAPPORT_REDIS_URL:-}" ]; then
    redis-cli -u "$RAPPORT_REDIS_URL" --scan --pattern "${REDIS_PREFIX}*" \
      | xargs -r -d '\n' -n 500 redis-cli -u "$RAPPORT_REDIS_URL" DEL >/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

DB_URL="${RAPPORT_DATABASE_URL:-sqlite://$WORK/fuzz.db}"
if [[ "$DB_URL" == postgres* ]]; then
  # A database of our own on the given server, so runs never see each other's data.
  PG_ADMIN_URL="$DB_URL"
  PG_DB="rapport_fuzz_$(date +%s%N)"
  psql "$PG_ADMIN_URL" -qAtc "CREATE DATABASE \"$PG_DB\"" >/dev/null
  DB_URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$PG_ADMIN_URL" "$PG_DB")
fi
PORT="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
BASE="http://127.0.0.1:$PORT"
export RAPPORT_DATABASE_URL="$DB_URL" RAPPORT_BIND="127.0.0.1:$PORT" RAPPORT_LOG="${RAPPORT_LOG:-error}"
export RAPPORT_REDIS_PREFIX="$REDIS_PREFIX" RAPPORT_JWT_SECRET="contract-fuzz-secret-contract-fuzz"
# The rate limit is documented (429) but would only turn the run into 429s.
export RAPPORT_RATE_LIMIT_PER_MINUTE=100000000 RAPPORT_LOGIN_ATTEMPTS_PER_MINUTE=100000

EMAIL="fuzz-$(date +%s%N)@fuzz.example.com" PASSWORD="fuzz password 123"
"$BIN" bootstrap --workspace Fuzz --email "$EMAIL" --password "$PASSWORD" >/dev/null
(cd "$WORK" && exec "$BIN" serve) &
SERVER=$!
for _ in $(seq 1 200); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST "$BASE/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')

# A little of everything, so lists and reads answer with real records, not only empty pages.
python3 - "$BASE" "$TOKEN" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"authorization": "Bearer " + token, "content-type": "application/json"})
    with urllib.request.urlopen(req) as res:
        text = res.read()
        return json.loads(text) if text else None
org = call("POST", "/v1/accounts", {"kind": "organization", "name": "Acme", "external_id": "acme",
    "emails": ["buy@acme.example.com"], "attributes": {"plan": "gold"}, "lifecycle_stage": "customer"})
call("POST", "/v1/accounts/batch", {"accounts": [
    {"kind": "person", "name": "Ada", "external_id": "ada"}, {"kind": "person", "external_id": "bad"}]})
call("PATCH", "/v1/accounts/" + org["id"], {"tags": ["vip"]})
call("POST", f"/v1/accounts/{org['id']}/contacts", {"name": "Grace", "email": "grace@acme.example.com"})
call("POST", f"/v1/accounts/{org['id']}/interactions", {"type": "call", "channel": "phone", "body": "hello"})
call("POST", "/v1/orders", {"account_id": org["id"], "external_id": "o-1", "amount": 9900,
    "currency": "USD", "cost": 5000, "channel": "web"})
call("POST", "/v1/orders/batch", {"orders": [{"account_external_id": "ada", "external_id": "o-2",
    "amount": 1200, "currency": "USD"}]})
pipeline = call("POST", "/v1/pipelines", {"name": "Sales", "stages": [
    {"name": "Lead", "kind": "open", "probability": 10}, {"name": "Won", "kind": "won"},
    {"name": "Lost", "kind": "lost"}]})
deal = call("POST", "/v1/deals", {"account_id": org["id"], "title": "Big one", "amount": 100000,
    "currency": "USD", "pipeline_id": pipeline["id"]})
call("POST", f"/v1/deals/{deal['id']}/move", {"stage_id": pipeline["stages"][1]["id"]})
call("PUT", "/v1/loyalty/program", {"currency": "USD", "earn_rate": {"numerator": 1, "denominator": 100},
    "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000, "benefits": ""}]})
call("POST", "/v1/loyalty/rewards", {"name": "Mug", "points_cost": 10})
call("POST", f"/v1/accounts/{org['id']}/loyalty/adjust", {"points": 50, "reason": "welcome"})
call("POST", "/v1/api-keys", {"name": "partner", "scopes": ["accounts:read"]})
call("PATCH", "/v1/workspace/value-settings", {"exchange_rates": {"EUR": "1.08"}})
call("POST", "/v1/models/churn/fit")
PY

# Run from the scratch folder: schemathesis keeps a cache in its working directory. The hooks
# (a serializer for NDJSON request bodies) are found through PYTHONPATH.
export PYTHONPATH="$PWD/scripts${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=schemathesis_hooks
cd "$WORK"
"$ST_DIR/bin/st" run "$BASE/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance,response_headers_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "${FUZZ_MAX_EXAMPLES:-12}" --max-time "${FUZZ_MAX_TIME:-240}" \
  ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
  --workers 1 --request-timeout 10 --no-color --suppress-health-check all \
  --warnings off ${FUZZ_ONLY_PATH:+--include-path "$FUZZ_ONLY_PATH"}
