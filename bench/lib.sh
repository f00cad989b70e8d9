# Shared by the tracking bench scripts (sourced): a throwaway PostgreSQL cluster with durable settings, and the Release
# server started and stopped on 127.0.0.1. Callers set `set -euo pipefail` and cd to the repository root first.
dll=$PWD/src/Watchlog/bin/Release/net10.0/watchlog.dll
PGROOT=""; admin=""; SERVER_PID=""
bench_cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$PGROOT" ] && [ -n "${PG_EXTRA:-}" ] && cp "$PGROOT/log" "bench/results/postgres-last.log" 2>/dev/null
  [ -n "$PGROOT" ] && { runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGROOT"; }
  if [ -n "${WORKDIR:-}" ]; then
    if [ -n "${KEEP:-}" ]; then echo "kept: $WORKDIR${PGROOT:+ (PostgreSQL cluster removed)}" >&2; else rm -rf "$WORKDIR"; fi
  fi
  return 0
}
free_port() { local port=$1; while (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done; echo $port; }
# PG_EXTRA: more server options (e.g. auto_explain); the server log is then kept as bench/results/postgres-last.log.
# Durable: fsync, synchronous_commit and full_page_writes stay at their defaults (on), as in production.
pg_start() {
  local port; port=$(free_port 55590)
  PGROOT=$(mktemp -d /tmp/watchlog-bench-pg.XXXXXX); chown postgres:postgres "$PGROOT"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGROOT/data" -l "$PGROOT/log" -w \
    -o "-p $port -k $PGROOT -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c max_wal_size=2GB -c fsync=on -c synchronous_commit=on -c max_connections=200 ${PG_EXTRA:-}" start >/dev/null
  psql -h 127.0.0.1 -p $port -U postgres -qc "CREATE ROLE watchlog LOGIN PASSWORD 'watchlog' CREATEDB" >/dev/null
  psql -h 127.0.0.1 -p $port -U postgres -qc "CREATE DATABASE watchlog OWNER watchlog" >/dev/null
  PGPORT_BENCH=$port
  admin="Host=127.0.0.1;Port=$port;Username=watchlog;Password=watchlog;Database=watchlog"
}
# env for the app: Watchlog__DataDir in $WORKDIR, the engine chosen by $engine
app_env() {
  ENV_ARGS=(Watchlog__DataDir="$WORKDIR" Logging__LogLevel__Default=Warning Watchlog__Jobs__Enabled=false "$@")
  [ "$engine" = postgres ] && ENV_ARGS+=(Watchlog__Database__Provider=postgres "Watchlog__Database__ConnectionString=$admin")
  return 0
}
# SQL against the app's database: the statement as the argument, or a script on stdin
db_sql() {
  if [ "$engine" = postgres ]; then
    if [ $# -gt 0 ]; then psql -h 127.0.0.1 -p "$PGPORT_BENCH" -U watchlog -d watchlog -v ON_ERROR_STOP=1 -qAt -c "$1"
    else psql -h 127.0.0.1 -p "$PGPORT_BENCH" -U watchlog -d watchlog -v ON_ERROR_STOP=1 -qAt; fi
  elif [ $# -gt 0 ]; then sqlite3 -bail "$WORKDIR/watchlog.db" "$1"
  else sqlite3 -bail "$WORKDIR/watchlog.db"; fi
}
server_start() {
  env "${ENV_ARGS[@]}" dotnet "$dll" --urls "http://127.0.0.1:$PORT" >>"$WORKDIR/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited; log:" >&2; tail -20 "$WORKDIR/server.log" >&2; return 1; }
    sleep 0.1
  done
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 || { echo "server did not start in 60 s" >&2; return 1; }
  # A large catalog's in-process search index is read in the background: measure once it answers (10 minutes at most).
  for _ in $(seq 1 6000); do
    curl -sf "http://127.0.0.1:$PORT/api/search/status" 2>/dev/null | grep -q '"memory_index":"building"' || return 0
    sleep 0.1
  done
  echo "the search index was not ready in 10 minutes" >&2; return 1
}
server_stop() { [ -n "$SERVER_PID" ] && { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }; SERVER_PID=""; }
