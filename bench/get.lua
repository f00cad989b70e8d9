-- wrk script of bench/tracking-bench.sh: GET the URL with TB_AUTH as the Authorization header; prints a summary line.
local auth = os.getenv("TB_AUTH")
function init(args) req = wrk.format("GET", nil, { ["Authorization"] = auth }) end
function request() return req end
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("WRKSUMMARY requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      e.connect + e.read + e.write + e.timeout, e.status))
end
