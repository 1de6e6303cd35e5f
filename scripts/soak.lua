-- wrk script for soak.sh: a mix of reads and writes on a few shared accounts (the 360°
-- profile, loyalty balances, redemptions, new orders, lists, GraphQL), counting answers by
-- second and status into $SOAK_COUNTS ("second status count" lines) when done.
-- $SOAK_TOKEN is the bearer token, $SOAK_ACCOUNTS the comma-separated account ids.
local token = os.getenv("SOAK_TOKEN") or ""
local accounts = {}
for id in string.gmatch(os.getenv("SOAK_ACCOUNTS") or "", "[^,]+") do
  accounts[#accounts + 1] = id
end

local threads = {}
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  threads[#threads + 1] = thread
end

local n = 0
counts = {}

local json_headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}
local get_headers = { ["Authorization"] = "Bearer " .. token }

local graphql = '{"query":"query($id: String!) { account(id: $id) { id name metrics { ordersCount revenue } } loyaltyBalance(accountId: $id) { available ledgerBalance } }","variables":{"id":"%s"}}'

function request()
  n = n + 1
  local account = accounts[(n * 7 + (thread_id or 0)) % #accounts + 1]
  local kind = n % 20
  if kind < 6 then
    return wrk.format("GET", "/v1/accounts/" .. account .. "/profile", get_headers)
  elseif kind < 9 then
    return wrk.format("GET", "/v1/accounts/" .. account .. "/loyalty", get_headers)
  elseif kind < 12 then
    return wrk.format("POST", "/v1/accounts/" .. account .. "/loyalty/redeem", json_headers,
      '{"points":1}')
  elseif kind < 15 then
    local body = string.format(
      '{"account_id":"%s","external_id":"soak-%d-%d-%d","amount":%d,"currency":"USD","occurred_at":"2026-11-01T12:00:00Z"}',
      account, thread_id or 0, os.time(), n, 500 + n % 5000)
    return wrk.format("POST", "/v1/orders", json_headers, body)
  elseif kind < 17 then
    return wrk.format("GET", "/v1/accounts?limit=20", get_headers)
  elseif kind < 19 then
    return wrk.format("POST", "/graphql", json_headers, string.format(graphql, account))
  else
    return wrk.format("GET", "/v1/me", get_headers)
  end
end

function response(status, headers, body)
  local label = tostring(status)
  -- A GraphQL answer carries its errors inside a 200.
  if status == 200 and string.find(body, '"extensions"', 1, true) then
    label = "200-graphql-error"
  end
  local key = os.time() .. " " .. label
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("SOAK_COUNTS"), "w")
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts")) do
      out:write(key .. " " .. count .. "\n")
    end
  end
  out:close()
  io.write(string.format("latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; socket errors: connect %d, read %d, write %d, timeout %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
