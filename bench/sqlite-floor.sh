#!/usr/bin/env bash
# The SQLite engine's own floor for a catalog load: copies every catalog row of an imported database into a fresh,
# migrated one with plain INSERT … SELECT (no Watchlog code, no parameter binding), in batches of 2,000 titles with
# the same side tables, indexes and foreign keys. What this takes is the least any importer can take on this schema.
#
#   bench/sqlite-floor.sh SOURCE.db [fk=on|off]
set -euo pipefail
src=$(realpath "$1"); fk=${2:-on}
cd "$(dirname "$0")/.."
dst=$(mktemp -d /tmp/watchlog-floor.XXXXXX)/watchlog.db
dll=$PWD/src/Watchlog/bin/Release/net10.0/watchlog.dll
Watchlog__DataDir=$(dirname "$dst") Watchlog__StarterCatalog=false dotnet "$dll" migrate >/dev/null
max=$(sqlite3 "$src" "SELECT max(id) FROM titles")
start=$(date +%s.%N)
for ((lo = 0; lo < max; lo += 2000)); do
  hi=$((lo + 2000))
  cat <<SQL
BEGIN IMMEDIATE;
INSERT INTO titles SELECT * FROM src.titles WHERE id > $lo AND id <= $hi;
INSERT INTO title_sources SELECT * FROM src.title_sources WHERE title_id > $lo AND title_id <= $hi;
INSERT OR IGNORE INTO genres SELECT * FROM src.genres;
INSERT INTO title_genres SELECT * FROM src.title_genres WHERE title_id > $lo AND title_id <= $hi;
INSERT INTO title_regions SELECT * FROM src.title_regions WHERE title_id > $lo AND title_id <= $hi;
INSERT INTO title_aliases SELECT * FROM src.title_aliases WHERE title_id > $lo AND title_id <= $hi;
INSERT OR IGNORE INTO people SELECT p.* FROM src.people p WHERE p.id IN (SELECT person_id FROM src.credits WHERE title_id > $lo AND title_id <= $hi);
INSERT INTO credits SELECT * FROM src.credits WHERE title_id > $lo AND title_id <= $hi;
INSERT OR IGNORE INTO platforms SELECT * FROM src.platforms;
INSERT INTO availability SELECT * FROM src.availability WHERE title_id > $lo AND title_id <= $hi;
COMMIT;
SQL
done | sqlite3 -cmd "PRAGMA foreign_keys=$fk" -cmd "PRAGMA synchronous=NORMAL" -cmd "PRAGMA cache_size=-65536" \
               -cmd "PRAGMA wal_autocheckpoint=10000" -cmd "ATTACH '$src' AS src" "$dst"
end=$(date +%s.%N)
n=$(sqlite3 "$dst" "SELECT count(*) FROM titles")
awk -v n="$n" -v s="$start" -v e="$end" -v fk="$fk" 'BEGIN { printf "engine floor (foreign keys %s): %d titles in %.1f s = %.0f titles/s\n", fk, n, e - s, n / (e - s) }'
rm -rf "$(dirname "$dst")"
