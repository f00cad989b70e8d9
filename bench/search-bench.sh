#!/usr/bin/env bash
# /feed side by side with the seed stack (../shared/peers/seedstack): same generated catalog, same cold query files,
# wrk with 16 connections for 10 s, alternating Watchlog and the peer (A B A B …); medians and ratios. Then a hot run
# (repeated queries) and the server's RSS. On SQLite and on PostgreSQL, reported separately.
#
#   bench/search-bench.sh [--titles 100000] [--engines "sqlite postgres"] [--rounds 3] [--duration 10s]
#                         [--connections 16] [--no-peer] [--cache-off] [--data-dir DIR]
#
# Catalog: ../shared/bench-kit/gen_catalog.py --seed 42, cached in bench/data. Cold query files: queries.py --mode cold
# with one seed per round (7, 8, 9 …), so no round replays URLs an earlier round put in Watchlog's response cache;
# both servers get the same file in a round. Warm-up: 5 s of a hot file from another seed (99) on each server.
# --cache-off runs Watchlog with Watchlog__Search__CacheMegabytes=0 (the engine alone, no response cache).
# BENCH_LOCK=FILE: hold an exclusive flock on FILE only while measuring (imports run outside it).
# --data-dir DIR (SQLite): Watchlog's data folder; the catalog is imported into it only when DIR has no database yet,
# so a 1 M-title catalog imported once (11 minutes) can be measured again.
# The peer runs with 1 worker (its README: a second worker helps only at 64 connections). Results: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
titles=100000; engines="sqlite postgres"; rounds=3; duration=10s; connections=16; peer=1; cache_args=(); datadir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --titles) titles=$2; shift 2;; --engines) engines=$2; shift 2;; --rounds) rounds=$2; shift 2;;
    --duration) duration=$2; shift 2;; --connections) connections=$2; shift 2;; --no-peer) peer=0; shift;;
    --cache-off) cache_args=(Watchlog__Search__CacheMegabytes=0); shift;;
    --data-dir) datadir=$(mkdir -p "$2" && realpath "$2"); shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
KIT=$(realpath ../shared/bench-kit); PEER=$(realpath ../shared/peers/seedstack)
if [ "$peer" = 1 ] && ! /usr/bin/python3 -c "import fastapi, uvicorn, aiosqlite" 2>/dev/null; then
  echo "the seed stack needs: apt-get install -y python3-fastapi python3-uvicorn python3-aiosqlite (or pass --no-peer)" >&2; exit 2
fi
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

mkdir -p bench/data bench/results
WORKDIR=$(mktemp -d /tmp/watchlog-search-bench.XXXXXX)
PEER_PID=""
source bench/lib.sh
cleanup() { [ -n "$PEER_PID" ] && { kill "$PEER_PID" 2>/dev/null || true; }; bench_cleanup; }
trap cleanup EXIT

dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
catalog=bench/data/catalog-$titles.jsonl
[ -f "$catalog" ] || /usr/bin/python3 "$KIT/gen_catalog.py" --n "$titles" --seed 42 --out "$catalog"
catalog=$(realpath "$catalog")
qfile() { # mode seed n
  local f=bench/data/q-$titles-$1-s$2.tsv
  [ -f "$f" ] || /usr/bin/python3 "$KIT/queries.py" --catalog "$catalog" --mode "$1" --seed "$2" --n "$3" --out "$f" 2>/dev/null
  echo "$f"
}
warm=$(qfile hot 99 5000); hot=$(qfile hot 7 5000)
results=bench/results/search-$titles-$(date -u +%Y%m%dT%H%M%SZ).txt
echo "# search bench: $titles titles, $rounds rounds, $duration, $connections connections, engines: $engines${cache_args:+, cache off}" | tee "$results"

if [ "$peer" = 1 ]; then
  peerdb=bench/data/seed-$titles.db
  [ -f "$peerdb" ] || /usr/bin/python3 "$PEER/load.py" --catalog "$catalog" --db "$peerdb" --stats "bench/data/seed-$titles.load.json" >/dev/null
  PEER_PORT=$(free_port 8181)
  PEER_PID=$(LOG="$WORKDIR/peer.log" "$PEER/run.sh" "$(realpath "$peerdb")" "$PEER_PORT" 1)
fi

run() { # label url queryfile mode -> appends "label rps p99"
  local out; out=$("$KIT/loadtest.sh" "$2" "$3" "$duration" "$connections" "$4" 2>&1 | grep '^RESULT')
  local rps p99 non2xx
  rps=$(echo "$out" | grep -oE 'rps=[0-9.]+' | cut -d= -f2); p99=$(echo "$out" | grep -oE 'p99_ms=[0-9.]+' | cut -d= -f2)
  non2xx=$(echo "$out" | grep -oE 'non2xx=[0-9]+' | cut -d= -f2 || true)
  echo "$1 rps=$rps p99_ms=$p99 non2xx=${non2xx:-?}" | tee -a "$results"
}
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for engine in $engines; do
  [ "$engine" = postgres ] && [ -z "$PGROOT" ] && pg_start
  rm -rf "${WORKDIR:?}"/watchlog.db*
  app_env "${cache_args[@]}" Watchlog__StarterCatalog=false
  if [ "$engine" = sqlite ] && [ -n "$datadir" ]; then ENV_ARGS+=(Watchlog__DataDir="$datadir"); fi
  reuse=""; [ "$engine" = sqlite ] && [ -n "$datadir" ] && [ -f "$datadir/watchlog.db" ] && reuse=1
  env "${ENV_ARGS[@]}" dotnet "$dll" migrate >/dev/null
  if [ -n "$reuse" ]; then
    echo "$engine: reusing the catalog in $datadir" | tee -a "$results"
  else
    start=$(date +%s.%N)
    env "${ENV_ARGS[@]}" NO_COLOR=1 dotnet "$dll" import catalog "$catalog" --format jsonl >/dev/null
    echo "$engine: imported $titles titles in $(echo "$(date +%s.%N) - $start" | bc) s" | tee -a "$results"
  fi
  [ "$engine" = postgres ] && db_sql "VACUUM ANALYZE" >/dev/null
  # With BENCH_LOCK set (a shared machine), only the measured part holds that lock exclusively: loading the catalog
  # (minutes at 1 M titles) lets other work run.
  if [ -n "${BENCH_LOCK:-}" ]; then exec 9>"$BENCH_LOCK"; flock -x 9; fi
  PORT=$(free_port 5181); server_start
  wl="http://127.0.0.1:$PORT"
  echo "$engine: RSS at start $(rss_mb "$SERVER_PID") MB" | tee -a "$results"
  "$KIT/loadtest.sh" "$wl" "$warm" 5s "$connections" hot >/dev/null 2>&1
  [ "$peer" = 1 ] && [ "$engine" = "${engines%% *}" ] && "$KIT/loadtest.sh" "http://127.0.0.1:$PEER_PORT" "$warm" 5s "$connections" hot >/dev/null 2>&1
  for r in $(seq 1 "$rounds"); do
    cold=$(qfile cold $((6 + r)) 300000)
    run "$engine cold round $r watchlog" "$wl" "$cold" cold
    [ "$peer" = 1 ] && run "$engine cold round $r seedstack" "http://127.0.0.1:$PEER_PORT" "$cold" cold
  done
  run "$engine hot watchlog" "$wl" "$hot" hot
  echo "$engine: RSS after the runs $(rss_mb "$SERVER_PID") MB, peak $(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status") MB" | tee -a "$results"
  server_stop
  if [ -n "${BENCH_LOCK:-}" ]; then flock -u 9; exec 9>&-; fi
  w=$(grep "^$engine cold round .* watchlog" "$results" | grep -oE 'rps=[0-9.]+' | cut -d= -f2 | median)
  wp=$(grep "^$engine cold round .* watchlog" "$results" | grep -oE 'p99_ms=[0-9.]+' | cut -d= -f2 | median)
  if [ "$peer" = 1 ]; then
    s=$(grep "^$engine cold round .* seedstack" "$results" | grep -oE 'rps=[0-9.]+' | cut -d= -f2 | median)
    sp=$(grep "^$engine cold round .* seedstack" "$results" | grep -oE 'p99_ms=[0-9.]+' | cut -d= -f2 | median)
    echo "$engine median cold: watchlog $w rps (p99 $wp ms), seedstack $s rps (p99 $sp ms), ratio $(echo "scale=1; $w / $s" | bc)x" | tee -a "$results"
  else
    echo "$engine median cold: watchlog $w rps (p99 $wp ms)" | tee -a "$results"
  fi
done
echo "results: $results"
