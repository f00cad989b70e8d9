-- wrk script of bench/tracking-bench.sh: POST /api/checkins as many users (X-Api-Key from TB_KEYS, one a line), each
-- request a random user and a random film or episode (TB_TARGETS: "movie ID" / "episode ID" lines). Seeded per thread.
local keys_file, targets_file = os.getenv("TB_KEYS"), os.getenv("TB_TARGETS")
local threads, counter = {}, 0
function setup(thread) thread:set("tid", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args)
   keys, bodies = {}, {}
   for line in io.lines(keys_file) do keys[#keys + 1] = line end
   for line in io.lines(targets_file) do
      local kind, id = line:match("^(%a+) (%d+)")
      if kind == "movie" then bodies[#bodies + 1] = '{"title_id":' .. id .. '}'
      else bodies[#bodies + 1] = '{"episode_id":' .. id .. '}' end
   end
   math.randomseed(1000 + (tid or 0))
end
function request()
   return wrk.format("POST", "/api/checkins",
      { ["X-Api-Key"] = keys[math.random(#keys)], ["Content-Type"] = "application/json" },
      bodies[math.random(#bodies)])
end
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("WRKSUMMARY requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      e.connect + e.read + e.write + e.timeout, e.status))
end
