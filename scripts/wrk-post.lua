-- wrk script for bench-http.sh: POST the JSON in $WRK_BODY (when set), and replace
-- `ANY_ACCOUNT` (the script's `{any_account}`) in the path by the ids in the file
-- $WRK_ACCOUNTS_FILE (comma-separated), in turn.
local body = os.getenv("WRK_BODY") or ""
if body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

local accounts = {}
local file = os.getenv("WRK_ACCOUNTS_FILE")
local text = ""
if file and file ~= "" then
  local f = io.open(file, "r")
  if f then
    text = f:read("*a")
    f:close()
  end
end
for id in string.gmatch(text, "[^,]+") do
  accounts[#accounts + 1] = id
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end

local n = 0
function request()
  if #accounts == 0 or not string.find(wrk.path, "ANY_ACCOUNT", 1, true) then
    return wrk.format()
  end
  n = n + 1
  local id = accounts[((n + (offset or 0)) % #accounts) + 1]
  return wrk.format(nil, (string.gsub(wrk.path, "ANY_ACCOUNT", id)))
end
