#!/usr/bin/env bash
# Import time of the real public catalogs, read in place from ../shared/datasets: the four streaming catalogs, then
# MovieLens (which merges into what they imported), then Netflix again (every row an update), into one database.
#
#   bench/streaming-import.sh [sqlite|postgres]      (postgres: WATCHLOG_BENCH_POSTGRES = a connection string to an empty database)
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
[ -d ../shared/datasets/streaming-catalogs ] || { echo "../shared/datasets is not here: nothing to measure"; exit 0; }
data=$(realpath ../shared/datasets)
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
dll=$PWD/src/Watchlog/bin/Release/net10.0/watchlog.dll
dir=$(mktemp -d /tmp/watchlog-streaming.XXXXXX)
export Watchlog__DataDir=$dir Watchlog__StarterCatalog=false NO_COLOR=1
if [ "$engine" = postgres ]; then
  export Watchlog__Database__Provider=postgres Watchlog__Database__ConnectionString=${WATCHLOG_BENCH_POSTGRES:?set WATCHLOG_BENCH_POSTGRES}
fi
dotnet "$dll" migrate >/dev/null
run() {
  local label=$1; shift
  local out
  if ! out=$(cd "$dir" && dotnet "$dll" import catalog "$@" 2>&1); then printf '%-22s failed: %s\n' "$label" "$out"; return; fi
  printf '%-22s %s | imported %s, updated %s, merged %s, skipped %s\n' "$label" \
    "$(echo "$out" | grep -oE '^[0-9.]+ s, [0-9,]+ rows/s')" \
    "$(echo "$out" | grep -E '^│ imported' | grep -oE '[0-9,]+ │$' | tr -d ' │')" \
    "$(echo "$out" | grep -E '^│ updated' | grep -oE '[0-9,]+ │$' | tr -d ' │')" \
    "$(echo "$out" | grep -E '^│ merged' | grep -oE '[0-9,]+ │$' | tr -d ' │')" \
    "$(echo "$out" | grep -E '^│ skipped' | grep -oE '[0-9,]+ │$' | tr -d ' │')"
}
run "netflix_titles.csv" "$data/streaming-catalogs/netflix_titles.csv" --format streaming-csv --platform netflix
run "amazon_prime_titles" "$data/streaming-catalogs/amazon_prime_titles.csv" --format streaming-csv --platform prime-video
run "disney_plus_titles" "$data/streaming-catalogs/disney_plus_titles.csv" --format streaming-csv --platform disney-plus
run "hulu_titles.csv" "$data/streaming-catalogs/hulu_titles.csv" --format streaming-csv --platform hulu
run "movielens (small)" "$data/movielens/ml-latest-small" --format movielens
run "netflix again" "$data/streaming-catalogs/netflix_titles.csv" --format streaming-csv --platform Netflix
rm -rf "$dir"
