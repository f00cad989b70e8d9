#!/usr/bin/env bash
# History-import throughput and match rates on the real public exports, read in place from ../shared/datasets/user-exports
# (never copied), against a catalog built from ../shared/datasets (the four streaming catalogs and MovieLens; no episode
# lists exist there beyond Doctor Who/Torchwood/Friends, so Netflix episode rows mostly land in review). Then a generated
# 10,000-row Netflix history (titles drawn from the catalog) for the "10,000 rows under 2 s" target.
#
#   bench/history-import.sh [sqlite|postgres]      (postgres: WATCHLOG_BENCH_POSTGRES = a connection string to an empty database)
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
data=$(realpath ../shared/datasets 2>/dev/null || true)
[ -d "$data/user-exports" ] || { echo "../shared/datasets/user-exports is not here: nothing to measure"; exit 0; }
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
dll=$PWD/src/Watchlog/bin/Release/net10.0/watchlog.dll
dir=$(mktemp -d /tmp/watchlog-history.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export Watchlog__DataDir=$dir Watchlog__StarterCatalog=false NO_COLOR=1 Logging__LogLevel__Default=Warning
if [ "$engine" = postgres ]; then
  export Watchlog__Database__Provider=postgres Watchlog__Database__ConnectionString=${WATCHLOG_BENCH_POSTGRES:?set WATCHLOG_BENCH_POSTGRES}
fi
w() { (cd "$dir" && dotnet "$dll" "$@"); }
w migrate >/dev/null
for p in netflix:netflix amazon_prime:prime-video disney_plus:disney-plus hulu:hulu; do
  w import catalog "$data/streaming-catalogs/${p%%:*}_titles.csv" --format streaming-csv --platform "${p##*:}" >/dev/null
done
w import catalog "$data/movielens/ml-latest-small" --format movielens >/dev/null
w user create --email bench@example.com --password "correct horse battery staple" >/dev/null

cell() { echo "$1" | grep -E "^│ $2 " | grep -oE '[0-9,]+ +│$' | tr -d ' │,'; }
printf '%-30s %8s %8s %8s %8s %10s\n' "file (format)" rows matched review skipped "rows/s"
run() {
  local label=$1 format=$2 path=$3; shift 3
  local out
  if ! out=$(w import history "$path" --format "$format" --user bench@example.com "$@" 2>&1); then printf '%-30s failed: %s\n' "$label" "$(echo "$out" | tail -3)"; return; fi
  printf '%-30s %8s %8s %8s %8s %10s\n' "$label ($format)" "$(cell "$out" read)" "$(cell "$out" 'matched automatically')" \
    "$(cell "$out" 'needs review')" "$(cell "$out" skipped)" "$(echo "$out" | grep -oE '[0-9,]+ rows/s' | tr -d ', rows/s')"
}
u=$data/user-exports
run netflix-history-us netflix-history "$u/netflix-viewing-history-us/NetflixViewingHistory.csv"
run netflix-history-fi netflix-history "$u/netflix-viewing-history-fi/NetflixViewingHistory.csv"
run netflix-activity netflix-activity "$u/netflix-viewing-activity/ViewingActivity.csv"
run letterboxd letterboxd "$u/letterboxd"
run imdb-ratings imdb-ratings "$u/imdb-ratings/imdb_ratings.csv"

# 10,000 rows: film titles of the catalog with US dates, as Netflix writes them.
big=$dir/NetflixViewingHistory-10k.csv
python3 - "$data/streaming-catalogs/netflix_titles.csv" "$big" <<'PY'
import csv, random, sys, datetime
random.seed(7)
titles = [r["title"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["type"] == "Movie"]
start = datetime.date(2015, 1, 1)
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    f.write("Title,Date\n")
    for i in range(10000):
        d = start + datetime.timedelta(days=random.randrange(3000))
        t = random.choice(titles).replace('"', '""')
        f.write(f'"{t}","{d.month}/{d.day}/{d.year % 100:02d}"\n')
PY
w user create --email big@example.com --password "correct horse battery staple" >/dev/null
out=$(w import history "$big" --format netflix-history --user big@example.com 2>&1)
echo "10,000-row netflix-history: $(echo "$out" | grep -oE 'import [0-9]+: done, [0-9.]+ s, [0-9,]+ rows/s')" \
  "(matched $(cell "$out" 'matched automatically'), review $(cell "$out" 'needs review'))"
