#!/usr/bin/env bash
# RSS and cold /feed throughput of one server configuration on an existing data folder (no import, no peer): start
# the server, wait until the in-process search index is ready (or off), note RSS; 5 s of a hot query file, RSS;
# 10 s of a cold query file (16 connections), RSS and peak. Extra arguments are environment settings for the server,
# so configurations can be compared on the same database:
#
#   bench/search-memory.sh DATADIR QUERYFILE [NAME=VALUE ...]
#   bench/search-memory.sh /tmp/wl-1m bench/data/q-1000000-cold-s8.tsv Watchlog__Search__MemoryIndex=false
#   bench/search-memory.sh /tmp/wl-1m bench/data/q-1000000-cold-s8.tsv DOTNET_gcServer=1
#
# DATADIR is a Watchlog data folder holding an imported catalog (for example from
# `Watchlog__DataDir=/tmp/wl-1m dotnet src/Watchlog/bin/Release/net10.0/watchlog.dll import catalog
# bench/data/catalog-1000000.jsonl --format jsonl`). BENCH_LOCK=FILE holds an exclusive flock on FILE while measuring.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,13p "$0"; exit 2; }
datadir=$1; queries=$2; shift 2
KIT=$(realpath ../shared/bench-kit)
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
source bench/lib.sh
WORKDIR=$(mktemp -d /tmp/watchlog-search-memory.XXXXXX)
trap bench_cleanup EXIT
ENV_ARGS=(Watchlog__DataDir="$(realpath "$datadir")" Watchlog__StarterCatalog=false Watchlog__Jobs__Enabled=false
          Logging__LogLevel__Default=Warning "$@")
dll=src/Watchlog/bin/Release/net10.0/watchlog.dll
hot=bench/data/q-100000-hot-s99.tsv
[ -f "$hot" ] || hot=$queries
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
if [ -n "${BENCH_LOCK:-}" ]; then exec 9>"$BENCH_LOCK"; flock -x 9; fi
PORT=$(free_port 5281); server_start
echo "settings: ${*:-(defaults)}"
echo "RSS at start $(rss) MB ($(curl -s "http://127.0.0.1:$PORT/api/search/status"))"
"$KIT/loadtest.sh" "http://127.0.0.1:$PORT" "$hot" 5s 16 hot >/dev/null 2>&1
echo "RSS after 5 s hot $(rss) MB"
"$KIT/loadtest.sh" "http://127.0.0.1:$PORT" "$queries" 10s 16 cold 2>&1 | grep '^RESULT'
echo "RSS after 10 s cold $(rss) MB, peak $(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status") MB"
server_stop
