#!/usr/bin/env bash
# Viewing-log throughput and latency on SQLite or PostgreSQL (durable settings), with wrk on 127.0.0.1.
#
#   bench/tracking-bench.sh [sqlite|postgres]      (default sqlite)
#
# Seeds directly in the database: a generated catalog of 300 series (6 x 16 aired episodes) and 2,000 films (through
# `watchlog import catalog`), 10,000 users sharing one PasswordHasher hash (taken from a user registered through the
# API) with one API key each (SHA-256 hex of the key, as Tokens.Hash stores it), and 50,000 check-ins of the registered
# user over the 300 series, with user_series rebuilt as ProgressStore.RebuildForUserAsync does. Then:
#   checkins  wrk -t2 -c64 -d10s: POST /api/checkins, random user (X-Api-Key) and random film or episode, no Idempotency-Key
#   history   GET /api/history (first page, 20) of the heavy user, -c16 and -c1
#   progress  GET /api/progress of the heavy user, -c16 and -c1
# The reads run twice: on the seeded database ("seeded") and after the check-in load ("after-load").
# wrk's per-request timeout is 10 s, so slow answers count in the latency instead of as errors.
# One RESULT line per measurement (also in bench/results/). Env: DURATION (10s); KEEP=1 keeps the work folder (the
# SQLite database); SEED_ONLY=1 (with KEEP=1) stops after seeding, for profiling queries by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
case "$engine" in sqlite|postgres) ;; *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2;; esac
DURATION=${DURATION:-10s}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
mkdir -p bench/data bench/results
source bench/lib.sh
trap bench_cleanup EXIT
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
catalog=$PWD/bench/data/tracking-catalog.jsonl
[ -f "$catalog" ] || python3 bench/gen_tracking.py catalog "$catalog"
WORKDIR=$(mktemp -d /tmp/watchlog-tracking.XXXXXX)
[ "$engine" = postgres ] && pg_start
PORT=$(free_port 5290)
app_env Watchlog__StarterCatalog=false
t0=$(date +%s)
env "${ENV_ARGS[@]}" dotnet "$dll" migrate >/dev/null
(cd "$WORKDIR" && env "${ENV_ARGS[@]}" NO_COLOR=1 dotnet "$dll" import catalog "$catalog" --format jsonl >/dev/null)
server_start
base=http://127.0.0.1:$PORT
curl -sf "$base/auth/register" -H 'Content-Type: application/json' \
  -d '{"email": "heavy@example.org", "password": "tracking bench password", "first_name": "Heavy"}' >/dev/null
token=$(curl -sf "$base/auth/login" -H 'Content-Type: application/json' \
  -d '{"email": "heavy@example.org", "password": "tracking bench password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
uid=$(db_sql "SELECT id FROM users WHERE email = 'heavy@example.org'")
[ "$uid" = 1 ] || { echo "expected the heavy user to be user 1, got $uid" >&2; exit 1; }
hash=$(db_sql "SELECT password_hash FROM users WHERE id = 1")
q() { db_sql "$1"; }
q "SELECT e.id, e.title_id FROM episodes e JOIN titles t ON t.id = e.title_id WHERE e.season_number > 0 ORDER BY e.title_id, e.season_number, e.number" | tr '|' ' ' > "$WORKDIR/episodes"
q "SELECT 'movie ' || id FROM titles WHERE kind = 'movie' UNION ALL SELECT 'episode ' || id FROM episodes" > "$WORKDIR/targets"
python3 bench/gen_tracking.py seed "$engine" "$hash" "$WORKDIR/episodes" "$WORKDIR/seed.sql" "$WORKDIR/keys"
server_stop
db_sql < "$WORKDIR/seed.sql" >/dev/null
# user_series of the heavy user: ProgressStore.RebuildForUserAsync's statements.
db_sql >/dev/null <<'SQL'
DELETE FROM user_series WHERE user_id = 1;
INSERT INTO user_series (user_id, title_id, watched_episodes, last_watched_at, last_episode_id, last_episode_at)
SELECT c.user_id, c.title_id, count(DISTINCT CASE WHEN e.season_number > 0 THEN c.episode_id END), max(c.watched_at), NULL, NULL
FROM checkins c JOIN episodes e ON e.id = c.episode_id
WHERE c.user_id = 1
GROUP BY c.user_id, c.title_id;
UPDATE user_series SET
    last_episode_id = (SELECT c.episode_id FROM checkins c JOIN episodes e ON e.id = c.episode_id
                       WHERE c.user_id = user_series.user_id AND c.title_id = user_series.title_id AND e.season_number > 0
                       ORDER BY c.watched_at DESC, c.id DESC LIMIT 1),
    last_episode_at = (SELECT c.watched_at FROM checkins c JOIN episodes e ON e.id = c.episode_id
                       WHERE c.user_id = user_series.user_id AND c.title_id = user_series.title_id AND e.season_number > 0
                       ORDER BY c.watched_at DESC, c.id DESC LIMIT 1)
WHERE user_id = 1;
SQL
if [ "$engine" = postgres ]; then
  db_sql "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))" >/dev/null
  db_sql "VACUUM ANALYZE" >/dev/null
else
  db_sql "ANALYZE" >/dev/null
fi
echo "$engine: seeded $(q 'SELECT count(*) FROM users') users, $(q 'SELECT count(*) FROM api_keys') API keys, $(q 'SELECT count(*) FROM checkins') check-ins, $(q 'SELECT count(*) FROM user_series') progress rows, $(q 'SELECT count(*) FROM episodes') episodes in $(( $(date +%s) - t0 )) s"
server_start
curl -sf "$base/api/progress" -H "Authorization: Bearer $token" | python3 -c '
import json, sys
d = json.load(sys.stdin)["items"]; n = d[0]["next_episode"] or {}
print("progress sanity: %d series, first watched %d/%d, next %sx%s" % (len(d), d[0]["watched"], d[0]["aired"], n.get("season"), n.get("number")))' 

if [ -n "${SEED_ONLY:-}" ]; then server_stop; echo "seeded: $WORKDIR (SEED_ONLY)"; exit 0; fi
result=bench/results/tracking-$engine-$(date -u +%Y%m%dT%H%M%SZ).txt
run() {  # name, then wrk arguments
  local name=$1; shift
  local out; out=$(timeout --kill-after=5 120 wrk --timeout 10s "$@" 2>&1)
  echo "$out" >> "$result.wrk"
  local s; s=$(echo "$out" | grep '^WRKSUMMARY' | sed 's/^WRKSUMMARY //')
  echo "RESULT engine=$engine test=$name $s" | tee -a "$result"
}
export TB_KEYS=$WORKDIR/keys TB_TARGETS=$WORKDIR/targets TB_AUTH="Bearer $token"
reads() {  # the heavy user's first history page and progress; $1 tags the phase
  wrk -t1 -c4 -d2s -s bench/get.lua "$base/api/history" >/dev/null 2>&1   # warm-up
  run "history-c16-$1" -t2 -c16 -d"$DURATION" --latency -s bench/get.lua "$base/api/history"
  run "history-c1-$1" -t1 -c1 -d"$DURATION" --latency -s bench/get.lua "$base/api/history"
  wrk -t1 -c4 -d2s -s bench/get.lua "$base/api/progress" >/dev/null 2>&1
  run "progress-c16-$1" -t2 -c16 -d"$DURATION" --latency -s bench/get.lua "$base/api/progress"
  run "progress-c1-$1" -t1 -c1 -d"$DURATION" --latency -s bench/get.lua "$base/api/progress"
}
# Reads on the freshly seeded (and analyzed) database, then the check-in load, then the reads again: the load adds
# ~1-2k progress rows and tens of thousands of check-ins of other users that the planner's statistics don't know yet.
reads seeded
wrk -t2 -c64 -d3s -s bench/checkins.lua "$base/" >/dev/null 2>&1   # warm-up (JIT, pools, caches)
run checkins -t2 -c64 -d"$DURATION" --latency -s bench/checkins.lua "$base/"
reads after-load
echo "results: $result"
server_stop
