#!/usr/bin/env bash
# Search quality, Watchlog beside the seed stack: MRR@10 and success@1 per query kind (exact, prefix, typo,
# punctuation/accents, partial, person, year) over the labelled queries in bench/quality/queries.tsv.
#
#   bench/search-quality.sh [--engines "sqlite postgres"] [--no-peer]
#
# Both systems load the same catalog: ../shared/datasets/streaming-catalogs/*.csv merged into one JSONL file by
# bench/quality/catalog_from_csv.py. Watchlog is asked GET /api/search?q=…&page_size=10, the seed stack its own
# /api/search?q=… (first 10 of its 20). Skips (exit 0) when the datasets folder is not beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
engines="sqlite"; peer=1
while [ $# -gt 0 ]; do
  case "$1" in
    --engines) engines=$2; shift 2;; --no-peer) peer=0; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
DATASETS=../shared/datasets/streaming-catalogs
if [ ! -d "$DATASETS" ]; then echo "skipped: $DATASETS is absent (the quality set is labelled over it)"; exit 0; fi
PEER=$(realpath ../shared/peers/seedstack)
if [ "$peer" = 1 ] && ! /usr/bin/python3 -c "import fastapi, uvicorn, aiosqlite" 2>/dev/null; then
  echo "the seed stack needs: apt-get install -y python3-fastapi python3-uvicorn python3-aiosqlite (or pass --no-peer)" >&2; exit 2
fi

mkdir -p bench/data bench/results
WORKDIR=$(mktemp -d /tmp/watchlog-search-quality.XXXXXX)
PEER_PID=""
source bench/lib.sh
cleanup() { [ -n "$PEER_PID" ] && { kill "$PEER_PID" 2>/dev/null || true; }; bench_cleanup; }
trap cleanup EXIT

dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
catalog=bench/data/quality-catalog.jsonl
/usr/bin/python3 bench/quality/catalog_from_csv.py "$DATASETS" "$catalog"
catalog=$(realpath "$catalog")
results=bench/results/search-quality-$(date -u +%Y%m%dT%H%M%SZ).txt

systems=()
if [ "$peer" = 1 ]; then
  rm -f "$WORKDIR/seed.db"
  /usr/bin/python3 "$PEER/load.py" --catalog "$catalog" --db "$WORKDIR/seed.db" --stats "$WORKDIR/seed.load.json" >/dev/null
  PEER_PORT=$(free_port 8281)
  PEER_PID=$(LOG="$WORKDIR/peer.log" "$PEER/run.sh" "$WORKDIR/seed.db" "$PEER_PORT" 1)
  systems+=("seedstack=http://127.0.0.1:$PEER_PORT/api/search?q={q}")
fi

for engine in $engines; do
  [ "$engine" = postgres ] && [ -z "$PGROOT" ] && pg_start
  rm -rf "${WORKDIR:?}"/watchlog.db*
  app_env Watchlog__StarterCatalog=false
  env "${ENV_ARGS[@]}" dotnet "$dll" migrate >/dev/null
  env "${ENV_ARGS[@]}" NO_COLOR=1 dotnet "$dll" import catalog "$catalog" --format jsonl >/dev/null
  PORT=$(free_port 5281); server_start
  echo "# $engine" | tee -a "$results"
  /usr/bin/python3 bench/quality/evaluate.py "$catalog" bench/quality/queries.tsv \
    "watchlog-$engine=http://127.0.0.1:$PORT/api/search?q={q}&page_size=10" "${systems[@]}" | tee -a "$results"
  server_stop
done
echo "results: $results"
