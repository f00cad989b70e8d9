-- wrk script of bench/metadata-sync.sh: GET /api/titles/{id} for a random id from the file named by MS_IDS.
local ids = {}
for line in io.lines(os.getenv("MS_IDS")) do ids[#ids + 1] = line end
function request() return wrk.format("GET", "/api/titles/" .. ids[math.random(#ids)]) end
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("WRKSUMMARY requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      e.connect + e.read + e.write + e.timeout, e.status))
end
