#!/usr/bin/env bash
# A check-in is acknowledged only after it is committed: 32 concurrent clients POST check-ins (each with its own
# Idempotency-Key), the server is killed with SIGKILL mid-load and restarted, the unacknowledged requests are retried
# with the same keys, and GET /api/history (every page) must hold every acknowledged check-in exactly once.
#
#   bench/checkin-resilience.sh [sqlite|postgres]      (default sqlite)
#
# Env: CLIENTS (32), LOAD_SECONDS (8: the clients' run), KILL_AFTER (3: seconds of load before the SIGKILL).
# postgres: a throwaway PostgreSQL 15 cluster on 127.0.0.1 with durable settings (fsync, synchronous_commit on).
# Prints one PASS/FAIL line; exits 1 on FAIL. Log and state go to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
case "$engine" in sqlite|postgres) ;; *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2;; esac
CLIENTS=${CLIENTS:-32}; LOAD_SECONDS=${LOAD_SECONDS:-8}; KILL_AFTER=${KILL_AFTER:-3}
mkdir -p bench/results
source bench/lib.sh
trap bench_cleanup EXIT
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
WORKDIR=$(mktemp -d /tmp/watchlog-resilience.XXXXXX)
[ "$engine" = postgres ] && pg_start
PORT=$(free_port 5190)
app_env Watchlog__StarterCatalog=true
server_start

# Targets: every film and every episode of the starter catalog (loaded at start; wait for it, bounded).
for _ in $(seq 1 300); do [ "$(db_sql "SELECT count(*) FROM episodes")" -gt 0 ] && break; sleep 0.2; done
db_sql "SELECT 'movie ' || id FROM titles WHERE kind = 'movie' UNION ALL SELECT 'episode ' || id FROM episodes" > "$WORKDIR/ids"
[ -s "$WORKDIR/ids" ] || { echo "FAIL: no films or episodes in the starter catalog" >&2; exit 1; }
echo "$engine: $(grep -c '^movie' "$WORKDIR/ids") films, $(grep -c '^episode' "$WORKDIR/ids") episodes; $CLIENTS clients for ${LOAD_SECONDS}s, SIGKILL after ${KILL_AFTER}s"
state=$WORKDIR/state.json
python3 bench/checkin_client.py signup "$PORT" "$state"

python3 bench/checkin_client.py load "$PORT" "$state" "$WORKDIR/ids" "$LOAD_SECONDS" "$CLIENTS" &
load_pid=$!
sleep "$KILL_AFTER"
kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
echo "server killed (SIGKILL) after ${KILL_AFTER}s of load"
wait "$load_pid"

server_start
echo "server restarted"
set +e
out=$(timeout 600 python3 bench/checkin_client.py verify "$PORT" "$state"); rc=$?
set -e
echo "$out"
result=bench/results/checkin-resilience-$engine-$(date -u +%Y%m%dT%H%M%SZ).txt
{ echo "$engine CLIENTS=$CLIENTS LOAD_SECONDS=$LOAD_SECONDS KILL_AFTER=$KILL_AFTER"; echo "$out"; } > "$result"
server_stop
exit $rc
