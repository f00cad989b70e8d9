#!/usr/bin/env bash
# Metadata sync against the local fake TMDB (bench/MetadataFake, started here on 127.0.0.1) with realistic payloads:
# every series has 10 seasons of 20 episodes (200) and 60 credits, so one title is 11 provider calls.
#
#   flock -x /tmp/wl-cpu.lock bench/metadata-sync.sh [sqlite|postgres]      (default sqlite)
#
# 1. limit off: COUNT (1000) lookups of missing series queue COUNT sync jobs; titles synced per second, from the first
#    lookup to the last sync in the sync log (the CPU and database cost of a sync; 2 Quartz threads).
# 2. p99 of GET /api/titles/{id} for stored titles: idle, then while a full re-sync of those COUNT titles runs
#    (POST /api/admin/sync/{id} for each, queued first; measured while the queue drains): wrk -t1 -c1 (one request at a time, so the latency is a request's own, not
#    a queue's) for WRK_SECONDS (15), after a 3 s warm-up.
# 3. default limit (TMDB 40 requests/s): LIMITED (100) more titles; titles synced per second. Then the p99 of step 2
#    again while a full re-sync of every stored title runs at that limit (the production setting).
# Env: COUNT, LIMITED, WRK_SECONDS, KEEP; CONTROL=1 adds two idle measurements with 1 and 2 shell busy loops running
# (no syncs): what CPU contention alone does to the p99. Results go to bench/results/metadata-sync-*.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
case "$engine" in sqlite|postgres) ;; *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2;; esac
COUNT=${COUNT:-1000}; LIMITED=${LIMITED:-100}; WRK_SECONDS=${WRK_SECONDS:-15}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
mkdir -p bench/results
source bench/lib.sh
FAKE_PID=""
cleanup() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; bench_cleanup; }
trap cleanup EXIT
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
dotnet build bench/MetadataFake -c Release -nologo -v quiet >/dev/null
WORKDIR=$(mktemp -d /tmp/watchlog-metadata.XXXXXX)
[ "$engine" = postgres ] && pg_start
result=bench/results/metadata-sync-$engine-$(date -u +%Y%m%dT%H%M%SZ).txt
say() { echo "$*" | tee -a "$result"; }

FAKE_PORT=$(free_port 5290)
dotnet bench/MetadataFake/bin/Release/net10.0/MetadataFake.dll "$FAKE_PORT" 10 20 49 10 >"$WORKDIR/fake.log" 2>&1 &
FAKE_PID=$!
for _ in $(seq 1 300); do grep -q "fake provider at" "$WORKDIR/fake.log" 2>/dev/null && break; sleep 0.1; done
PORT=$(free_port 5190)
start_app() {  # extra env
  app_env Watchlog__Jobs__Enabled=true Watchlog__StarterCatalog=false \
    "Watchlog__Metadata__Tmdb__BaseUrl=http://127.0.0.1:$FAKE_PORT/tmdb/3" Watchlog__Metadata__Tmdb__ReadAccessToken=tmdb-read-token \
    Watchlog__Metadata__SyncJitterSeconds=0 "$@"
  server_start
}
lookups() {  # first last: GET /api/titles/lookup for TMDB series ids first..last, 16 at a time
  seq "$1" "$2" | xargs -P16 -I{} curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$PORT/api/titles/lookup?tmdb={}&type=series" | sort | uniq -c | tr '\n' ' '
}
wait_synced() {  # how many titles with tmdb ids in first..last must be synced
  for _ in $(seq 1 36000); do
    [ "$(db_sql "SELECT count(*) FROM titles WHERE tmdb_id BETWEEN $1 AND $2 AND last_synced_at IS NOT NULL")" -ge "$3" ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for syncs" >&2; return 1
}
now() { date +%s.%N; }
requeue() {  # queue a re-sync of every title in $WORKDIR/ids (POST /api/admin/sync/{id}); the latency is measured after
  local q0; q0=$(now)
  xargs -P8 -I{} curl -s -o /dev/null -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/admin/sync/{}" < "$WORKDIR/ids"
  say "  $(wc -l < "$WORKDIR/ids") re-syncs queued in $(echo "$(now) - $q0" | bc -l | xargs printf %.1f) s ($(( $(db_sql "SELECT count(*) FROM sync_log WHERE status = 'succeeded'") - before )) already done)"
}

say "metadata-sync $engine COUNT=$COUNT LIMITED=$LIMITED WRK_SECONDS=$WRK_SECONDS; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
start_app Watchlog__Metadata__Tmdb__RequestsPerSecond=0
t0=$(now)
codes=$(lookups 1 "$COUNT")
t1=$(now)
wait_synced 1 "$COUNT" "$COUNT"
t2=$(now)
say "limit off: $COUNT lookups answered ($codes) in $(echo "$t1 - $t0" | bc -l | xargs printf %.1f) s; all synced after $(echo "$t2 - $t0" | bc -l | xargs printf %.1f) s: $(echo "$COUNT / ($t2 - $t0)" | bc -l | xargs printf %.1f) titles/s"
say "  per sync (sync log): $(db_sql "SELECT 'avg ' || round(avg(duration_ms)) || ' ms, max ' || max(duration_ms) || ' ms' FROM sync_log WHERE status = 'succeeded'"); episodes stored: $(db_sql "SELECT count(*) FROM episodes"), credits: $(db_sql "SELECT count(*) FROM credits")"

db_sql "SELECT id FROM titles WHERE tmdb_id BETWEEN 1 AND $COUNT" > "$WORKDIR/ids"
MS_IDS=$WORKDIR/ids wrk -t1 -c1 -d3s -s bench/titles.lua "http://127.0.0.1:$PORT" >/dev/null   # warm-up
say "idle:     $(MS_IDS=$WORKDIR/ids wrk -t1 -c1 -d"${WRK_SECONDS}s" -s bench/titles.lua "http://127.0.0.1:$PORT" | grep WRKSUMMARY)"
if [ "${CONTROL:-0}" = 1 ]; then  # no syncs, but 1 then 2 shell busy loops on the 2 cores: what CPU contention alone does to the tail
  for hogs in 1 2; do
    HOG_PIDS=()
    for _ in $(seq 1 "$hogs"); do sh -c 'while :; do :; done' & HOG_PIDS+=($!); done
    say "idle + $hogs busy loop(s): $(MS_IDS=$WORKDIR/ids wrk -t1 -c1 -d"${WRK_SECONDS}s" -s bench/titles.lua "http://127.0.0.1:$PORT" | grep WRKSUMMARY)"
    kill "${HOG_PIDS[@]}"; wait "${HOG_PIDS[@]}" 2>/dev/null || true
  done
fi
curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"correct horse battery staple","first_name":"Bench"}' "http://127.0.0.1:$PORT/auth/register"
token=$(curl -sf -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"correct horse battery staple"}' "http://127.0.0.1:$PORT/auth/login" | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')
before=$(db_sql "SELECT count(*) FROM sync_log WHERE status = 'succeeded'")
requeue
during=$(db_sql "SELECT count(*) FROM sync_log WHERE status = 'succeeded'")
say "re-sync:  $(MS_IDS=$WORKDIR/ids wrk -t1 -c1 -d"${WRK_SECONDS}s" -s bench/titles.lua "http://127.0.0.1:$PORT" | grep WRKSUMMARY)"
say "  syncs that ran during the measurement: $(( $(db_sql "SELECT count(*) FROM sync_log WHERE status = 'succeeded'") - during ))"
# The re-sync runs to its end, so none of it is left in the job store for the next step.
for _ in $(seq 1 36000); do [ "$(db_sql "SELECT count(*) FROM sync_log WHERE status = 'succeeded'")" -ge $((before + COUNT)) ] && break; sleep 0.2; done
server_stop

start_app   # the default client-side limit: TMDB 40 requests/s
first=$((COUNT + 1)); last=$((COUNT + LIMITED))
t0=$(now)
codes=$(lookups "$first" "$last")
wait_synced "$first" "$last" "$LIMITED"
t2=$(now)
say "default limit (40 req/s): $LIMITED titles ($codes) synced in $(echo "$t2 - $t0" | bc -l | xargs printf %.1f) s: $(echo "$LIMITED / ($t2 - $t0)" | bc -l | xargs printf %.2f) titles/s (11 requests each)"
db_sql "SELECT id FROM titles WHERE tmdb_id IS NOT NULL" > "$WORKDIR/ids"
before=$(db_sql "SELECT count(*) FROM sync_log WHERE status = 'succeeded'")
requeue
during=$(db_sql "SELECT count(*) FROM sync_log WHERE status = 'succeeded'")
say "re-sync at the default limit: $(MS_IDS=$WORKDIR/ids wrk -t1 -c1 -d"${WRK_SECONDS}s" -s bench/titles.lua "http://127.0.0.1:$PORT" | grep WRKSUMMARY)"
say "  syncs that ran during the measurement: $(( $(db_sql "SELECT count(*) FROM sync_log WHERE status = 'succeeded'") - during ))"
server_stop
echo "results: $result"
