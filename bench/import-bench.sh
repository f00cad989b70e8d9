#!/usr/bin/env bash
# Catalog import throughput on SQLite and PostgreSQL: titles/s (all side tables included), peak RSS, database size.
#
#   bench/import-bench.sh [--titles 1000000] [--runs 3] [--engines "sqlite postgres"] [--format jsonl|imdb]
#
# jsonl: the catalog comes from ../shared/bench-kit/gen_catalog.py (seed 42), imdb: from bench/gen_imdb.py (seed 1);
# both are cached under bench/data. Each run imports into an empty database: a fresh SQLite file, or a fresh database
# on a throwaway PostgreSQL 15 cluster this script starts on 127.0.0.1 (or WATCHLOG_BENCH_POSTGRES, a connection string
# for a role that may create databases). Prints one line per run and the medians; results also go to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
titles=1000000; runs=3; engines="sqlite postgres"; format=jsonl
while [ $# -gt 0 ]; do
  case "$1" in
    --titles) titles=$2; shift 2;; --runs) runs=$2; shift 2;; --engines) engines=$2; shift 2;; --format) format=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done

mkdir -p bench/data bench/results
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
dll=$PWD/src/Watchlog/bin/Release/net10.0/watchlog.dll

case "$format" in
  jsonl)
    input=bench/data/catalog-$titles.jsonl
    [ -f "$input" ] || python3 ../shared/bench-kit/gen_catalog.py --n "$titles" --seed 42 --out "$input" ;;
  imdb)
    input=bench/data/imdb-$titles
    [ -d "$input" ] || python3 bench/gen_imdb.py --titles "$titles" --seed 1 --out "$input" ;;
  *) echo "--format is jsonl or imdb" >&2; exit 2;;
esac
input=$(realpath "$input")

PGROOT=""; admin=""
pg_stop() { [ -n "$PGROOT" ] && { runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGROOT"; }; }
trap pg_stop EXIT
# Runs in this shell (not in $(…)), so the EXIT trap knows the cluster it has to stop.
pg_start() {
  if [ -n "${WATCHLOG_BENCH_POSTGRES:-}" ]; then admin=$WATCHLOG_BENCH_POSTGRES; return; fi
  local port=55490
  while (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
  PGROOT=$(mktemp -d /tmp/watchlog-bench-pg.XXXXXX); chown postgres:postgres "$PGROOT"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Settings for a bulk load on a small box; durability stays on (fsync, synchronous_commit) as in production.
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGROOT/data" -l "$PGROOT/log" -w \
    -o "-p $port -k $PGROOT -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_wal_size=4GB -c checkpoint_timeout=15min" start >/dev/null
  psql -h 127.0.0.1 -p $port -U postgres -qc "CREATE ROLE watchlog LOGIN PASSWORD 'watchlog' CREATEDB" >/dev/null
  admin="Host=127.0.0.1;Port=$port;Username=watchlog;Password=watchlog;Database=postgres"
}
# A libpq connection string from a Npgsql one.
libpq() { echo "$1" | sed 's/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Password=/password=/; s/Database=/dbname=/'; }
case " $engines " in *" postgres "*) pg_start;; esac

results=bench/results/import-$format-$titles-$(date -u +%Y%m%dT%H%M%SZ).txt
for engine in $engines; do
  for run in $(seq 1 "$runs"); do
    dir=$(mktemp -d /tmp/watchlog-bench.XXXXXX)
    env_args=(Watchlog__DataDir="$dir" Watchlog__StarterCatalog=false)
    if [ "$engine" = postgres ]; then
      db=wl_bench_$run
      psql "$(libpq "$admin")" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
      cs="${admin/Database=postgres/Database=$db}"
      env_args+=(Watchlog__Database__Provider=postgres "Watchlog__Database__ConnectionString=$cs")
      env "${env_args[@]}" dotnet "$dll" migrate >/dev/null
    else
      env "${env_args[@]}" dotnet "$dll" migrate >/dev/null
    fi
    out=$(cd "$dir" && env "${env_args[@]}" NO_COLOR=1 /usr/bin/time -v dotnet "$dll" import catalog "$input" --format "$format" 2>&1)
    secs=$(echo "$out" | grep -oE '^[0-9.]+ s, ' | grep -oE '^[0-9.]+')
    imported=$(echo "$out" | grep -E '^│ imported' | grep -oE '[0-9,]+ │$' | tr -d ', │')
    rss=$(echo "$out" | grep 'Maximum resident' | grep -oE '[0-9]+$')
    if [ "$engine" = postgres ]; then
      size=$(psql "$(libpq "$admin")" -Atc "SELECT pg_database_size('$db')")
      psql "$(libpq "$admin")" -qc "DROP DATABASE $db" >/dev/null
    else
      size=$(du -cb "$dir"/watchlog.db* | tail -1 | cut -f1)
    fi
    line=$(awk -v e="$engine" -v r="$run" -v s="$secs" -v n="$imported" -v m="$rss" -v z="$size" \
      'BEGIN { printf "%s run %d: %d titles in %.1f s = %.0f titles/s, peak RSS %.0f MB, database %.0f MB\n", e, r, n, s, n / s, m / 1024, z / 1048576 }')
    echo "$line" | tee -a "$results"
    echo "$out" | grep -E 'rows/s|skipped' | head -3 >> "$results"
    rm -rf "$dir"
  done
  grep "^$engine run" "$results" | sed -E 's/.*= ([0-9]+) titles\/s.*/\1/' | sort -n | awk -v e="$engine" '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s median: %.0f titles/s over %d runs\n", e, m, NR }' | tee -a "$results"
done
echo "results: $results"
