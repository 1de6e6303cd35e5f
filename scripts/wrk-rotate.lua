-- wrk script: GET the path template in $WRK_PATH with `{id}` replaced by the next id of the
-- file $WRK_IDS (one per line), each thread starting at its own offset: every request asks
-- for another account until the file is used up (for cache-miss measurements).
local ids = {}
for line in io.lines(os.getenv("WRK_IDS")) do
  ids[#ids + 1] = line
end
local template = os.getenv("WRK_PATH")
local counter = 0
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  counter = offset * math.floor(#ids / 2)
end

function request()
  counter = counter + 1
  local id = ids[(counter % #ids) + 1]
  return wrk.format("GET", (template:gsub("{id}", id)))
end
