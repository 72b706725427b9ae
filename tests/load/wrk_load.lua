-- The wrk script of tests/load/node_load_test.cpp. Its arguments (after wrk's "--"):
--   get <file>          GETs of the paths listed in <file>, one a line, each connection in turn
--   post <path> <file>  POSTs of <file>'s content to <path>, as application/json
-- Every answer is counted by its status, in each thread. At the end one line is printed:
--   ESS_LOAD {"requests":..,"duration_us":..,"bytes":..,"statuses":{"200":..},
--             "errors":{"connect":..,"read":..,"write":..,"timeout":..,"status":..},
--             "latency_us":{"p50":..,"p90":..,"p99":..,"max":..,"mean":..}}
-- where errors.status is wrk's count of answers that were neither 2xx nor 3xx.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local prepared = {}
local turn = 1
-- Global: done() reads it from each thread with thread:get.
statuses = {}

function init(args)
  if args[1] == "get" and args[2] then
    for line in io.lines(args[2]) do
      if line ~= "" then table.insert(prepared, wrk.format("GET", line)) end
    end
  elseif args[1] == "post" and args[3] then
    local file = assert(io.open(args[3], "rb"))
    local body = file:read("*a")
    file:close()
    table.insert(prepared,
                 wrk.format("POST", args[2], {["Content-Type"] = "application/json"}, body))
  end
  assert(#prepared > 0, "wrk_load.lua: get <file> | post <path> <file>")
  -- The threads start at different places of the list.
  turn = (id or 0) % #prepared + 1
end

function request()
  local r = prepared[turn]
  turn = turn % #prepared + 1
  return r
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

local function object(fields)
  local parts = {}
  for _, field in ipairs(fields) do
    table.insert(parts, string.format("%q:%s", field[1], field[2]))
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      total[status] = (total[status] or 0) + count
    end
  end
  local counts = {}
  for status, count in pairs(total) do
    table.insert(counts, {status, string.format("%d", count)})
  end
  table.sort(counts, function(a, b) return a[1] < b[1] end)
  local e = summary.errors
  io.write("ESS_LOAD ", object({
    {"requests", string.format("%d", summary.requests)},
    {"duration_us", string.format("%d", summary.duration)},
    {"bytes", string.format("%d", summary.bytes)},
    {"statuses", object(counts)},
    {"errors", object({{"connect", e.connect}, {"read", e.read}, {"write", e.write},
                       {"timeout", e.timeout}, {"status", e.status}})},
    {"latency_us", object({{"p50", latency:percentile(50)}, {"p90", latency:percentile(90)},
                           {"p99", latency:percentile(99)}, {"max", latency.max},
                           {"mean", string.format("%.1f", latency.mean)}})},
  }), "\n")
end
