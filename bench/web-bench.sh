#!/usr/bin/env bash
# The web UI's title page, server-side: GET /titles/{id}?season=N for a series with 20 seasons x 22 episodes (440
# episodes, 12 credits), signed in with a web session, half of the series checked in (so progress, watched marks and
# "up next" are all computed). Sequential requests over one keep-alive connection on 127.0.0.1: each latency is the
# server's render time plus a loopback round trip. Also reports the HTML size and the JavaScript a page loads (htmx,
# as served compressed). Usage: flock -x /tmp/wl-cpu.lock bench/web-bench.sh [sqlite|postgres]   (N=2000 requests)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
engine=${1:-sqlite}
export N=${N:-2000}
WORKDIR=$(mktemp -d /tmp/watchlog-webbench.XXXXXX)
trap bench_cleanup EXIT
mkdir -p bench/results
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
[ "$engine" = postgres ] && pg_start
app_env Watchlog__StarterCatalog=false

python3 - >"$WORKDIR/series.jsonl" <<'PY'
import json, datetime
start = datetime.date(2000, 1, 3)
seasons = []
for s in range(1, 21):
    eps = [{"number": e, "title": f"Chapter {s}.{e}", "runtime_min": 44,
            "air_date": (start + datetime.timedelta(days=(s - 1) * 365 + (e - 1) * 7)).isoformat()} for e in range(1, 23)]
    seasons.append({"number": s, "episodes": eps})
people = [{"name": f"Actor {i}", "role": "actor", "character": f"Role {i}"} for i in range(1, 11)] + [{"name": "Show Runner", "role": "creator"}, {"name": "Lead Director", "role": "director"}]
print(json.dumps({"id": "bench-long-series", "kind": "series", "title": "The Long Series", "year": 2000, "genres": ["Drama", "Crime"],
                  "network": "Bench TV", "regions": ["US"], "popularity": 50, "runtime_min": 44, "status": "Ended",
                  "overview": "Twenty seasons of a very long show, for the title page benchmark.", "people": people, "seasons": seasons}))
PY
env "${ENV_ARGS[@]}" dotnet "$dll" import catalog "$WORKDIR/series.jsonl" --format jsonl >/dev/null
env "${ENV_ARGS[@]}" dotnet "$dll" user create --email bench@example.com --password 'correct horse battery staple' >/dev/null
PORT=$(free_port 5610)
server_start
python3 bench/web_title.py "http://127.0.0.1:$PORT" | tee "bench/results/web-title-$engine.txt"
