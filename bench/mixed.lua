-- Mixed traffic for wrk: every request picks an address at random from a file (one a line,
-- passed after `--`), and counts what the page cache answered and what was not a 2xx.
-- Prints one JSON line: requests per second, median and 95th percentile (ms), counts.

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  math.randomseed(os.time() * 1000 + id)
  hits = 0
  misses = 0
  non2xx = 0
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  local answer = headers["X-Page-Cache"]
  if answer == "hit" then
    hits = hits + 1
  elseif answer == "miss" then
    misses = misses + 1
  end
end

done = function(summary, latency, requests)
  local total_hits, total_misses, total_non2xx = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total_misses = total_misses + thread:get("misses")
    total_non2xx = total_non2xx + thread:get("non2xx")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"rps": %.2f, "p50": %.3f, "p95": %.3f, "requests": %d, "hits": %d, '
      .. '"misses": %d, "non2xx": %d, "errors": %d}\n',
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    summary.requests,
    total_hits,
    total_misses,
    total_non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
