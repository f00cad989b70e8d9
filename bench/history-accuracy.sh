#!/usr/bin/env bash
# Netflix matching accuracy against hand labels (issue 7: "≥ 95% resolved to the right series and episode automatically").
#
# Imports the real Netflix exports in ../shared/datasets/user-exports (read in place, never copied) into a fresh account,
# against a catalog of bench/fixtures/netflix-series.jsonl (the series involved, with seasons and episodes, plus decoys)
# and, as distractors, the four streaming catalogs of ../shared/datasets (their series have no episodes; "The Flash",
# "Dark", "Titans"… appear there again under other years). Then compares each labelled row's automatic match with
# bench/fixtures/netflix-labels.csv (export file SHA-256, line → catalog id, season, episode; written by reading the rows,
# not from Watchlog's output) and prints, per file and in total: labelled rows, correct, wrong, unmatched (review), rows
# the importer did not count as a viewing (netflix-activity: trailers, merged or too-short sessions) and accuracy.
#
#   bench/history-accuracy.sh [sqlite|postgres] [--no-distractors]      KEEP=1 keeps the work folder
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
distractors=1; [ "${2:-}" = --no-distractors ] && distractors=0
data=$(realpath ../shared/datasets 2>/dev/null || true)
u=$data/user-exports
if [ ! -d "$u/netflix-viewing-history-us" ]; then echo "skipped: ../shared/datasets/user-exports is not here (nothing to measure)"; exit 0; fi
source bench/lib.sh
WORKDIR=$(mktemp -d /tmp/watchlog-accuracy.XXXXXX)
trap bench_cleanup EXIT
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
[ "$engine" = postgres ] && pg_start
app_env Watchlog__StarterCatalog=false NO_COLOR=1
w() { (cd "$WORKDIR" && env "${ENV_ARGS[@]}" dotnet "$dll" "$@"); }
w migrate >/dev/null
w import catalog "$PWD/bench/fixtures/netflix-series.jsonl" --format jsonl --source accuracy-fixture >/dev/null
if [ "$distractors" = 1 ]; then
  for p in netflix:netflix amazon_prime:prime-video disney_plus:disney-plus hulu:hulu; do
    w import catalog "$data/streaming-catalogs/${p%%:*}_titles.csv" --format streaming-csv --platform "${p##*:}" >/dev/null
  done
fi
w user create --email accuracy@example.com --password "correct horse battery staple" >/dev/null

declare -A import_of
for f in netflix-viewing-history-us/NetflixViewingHistory.csv:netflix-history netflix-viewing-history-fi/NetflixViewingHistory.csv:netflix-history \
         netflix-viewing-activity/ViewingActivity.csv:netflix-activity; do
  path=$u/${f%%:*}
  out=$(w import history "$path" --format "${f##*:}" --user accuracy@example.com 2>&1) || { echo "$out" | tail -5; exit 1; }
  id=$(echo "$out" | grep -oE '^import [0-9]+' | grep -oE '[0-9]+')
  import_of[$(sha256sum "$path" | cut -d' ' -f1)]="$id:${f%%/*}"
done

# Every row of those imports with what it matched, as catalog ids of the fixture's source.
ids=$(printf '%s\n' "${import_of[@]}" | cut -d: -f1 | paste -sd, -)
db_sql "SELECT r.import_id, r.line, r.status, coalesce(s.source_id, CASE WHEN r.title_id IS NULL THEN '' ELSE 'other:' || r.title_id END),
               coalesce(e.season_number, -1), coalesce(e.number, -1)
        FROM history_import_rows r
        LEFT JOIN title_sources s ON s.title_id = r.title_id AND s.source = 'accuracy-fixture'
        LEFT JOIN episodes e ON e.id = r.episode_id
        WHERE r.import_id IN ($ids) ORDER BY r.import_id, r.line" | tr '|' ',' >"$WORKDIR/matched.csv"
printf '%s\n' "${!import_of[@]}" | while read -r sha; do echo "$sha,${import_of[$sha]}"; done >"$WORKDIR/imports.csv"

python3 - "$PWD/bench/fixtures/netflix-labels.csv" "$WORKDIR/imports.csv" "$WORKDIR/matched.csv" <<'PY'
import csv, sys
from collections import defaultdict
labels = [r for r in csv.reader(open(sys.argv[1])) if r and not r[0].startswith("#")]
imports = {sha: (int(i), name) for sha, rest in (l.strip().split(",", 1) for l in open(sys.argv[2])) for i, name in [rest.split(":", 1)]}
rows = {}
for imp, line, status, sid, season, ep in csv.reader(open(sys.argv[3])):
    rows[(int(imp), int(line))] = (status, sid, int(season), int(ep))
stats = defaultdict(lambda: defaultdict(int))
wrong = []
for sha, line, sid, season, ep in labels:
    if sha not in imports: print(f"a label names a file that is not here (sha {sha[:12]}…): the exports changed?"); sys.exit(1)
    imp, name = imports[sha]
    got = rows.get((imp, int(line)))
    s = stats[name]; t = stats["total"]
    for x in (s, t): x["labelled"] += 1
    if got is None or got[0] == "skipped":
        for x in (s, t): x["not a viewing"] += 1
    elif got[0] != "matched":
        for x in (s, t): x["review"] += 1
    elif (got[1], got[2], got[3]) == (sid, int(season), int(ep)):
        for x in (s, t): x["correct"] += 1
    else:
        for x in (s, t): x["wrong"] += 1
        wrong.append((name, line, sid, season, ep, got))
print(f"{'file':<30} {'labelled':>8} {'correct':>8} {'wrong':>6} {'review':>7} {'not a viewing':>13} {'accuracy':>9}")
for name, s in sorted(stats.items(), key=lambda kv: kv[0] == "total"):
    counted = s["labelled"] - s["not a viewing"]
    acc = 100.0 * s["correct"] / counted if counted else 0
    print(f"{name:<30} {s['labelled']:>8} {s['correct']:>8} {s['wrong']:>6} {s['review']:>7} {s['not a viewing']:>13} {acc:>8.1f}%")
print("accuracy = correct / (labelled - not a viewing); a row in review counts against it.")
for w in wrong: print("WRONG", *w)
PY
