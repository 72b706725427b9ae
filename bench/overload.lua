-- wrk script of bench/overload.sh: by default the national clusters of all of France for a
-- keyword (ESS_OVERLOAD_PATH, a format with a word and four bbox numbers, overrides it), each
-- request its own bounding box (jittered) so that no response cache answers it; at the end,
-- one JSON line with what wrk counted: answers 200, 503 and other, errors, latency.
local words = {"solidaire", "jardin", "atelier", "epicerie", "velo", "culture", "insertion",
               "habitat", "energie", "alimentation", "cooperative", "reemploi"}
local path = os.getenv("ESS_OVERLOAD_PATH") or "/api/map/clusters?zoom=6&q=%s&bbox=%.4f,%.4f,%.4f,%.4f"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  math.randomseed(os.time() + id * 7919)
  ok, busy, other = 0, 0, 0
end

function request()
  local d = math.random() * 0.8
  return wrk.format("GET", string.format(path, words[math.random(#words)],
                                         -5.5 + d, 41.0 + d, 9.8 - d, 51.2 - d))
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 elseif status == 503 then busy = busy + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local o, b, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o, b, x = o + t:get("ok"), b + t:get("busy"), x + t:get("other")
  end
  io.write(string.format(
    '{"requests":%d,"ok":%d,"busy":%d,"other":%d,"timeouts":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"seconds":%.1f,"p50_ms":%.1f,"p99_ms":%.1f}\n',
    summary.requests, o, b, x, summary.errors.timeout, summary.errors.connect, summary.errors.read,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
