#!/usr/bin/env bash
# Builds Watchlog and runs every test on SQLite and, when it can be had, PostgreSQL 15.
# Where PostgreSQL is missing and we run as root with apt, it is installed from Debian's packages; a throwaway
# cluster on 127.0.0.1 serves the run and is removed afterwards. Always ends with "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1
PGBIN=/usr/lib/postgresql/15/bin
PGROOT=""

pg_install() {
  [ -x "$PGBIN/postgres" ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then return 1; fi
  echo "test.sh: installing PostgreSQL 15 from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1
  for try in 1 2; do   # the first install has been seen to fail transiently (TOOLCHAIN.md pitfall 8)
    apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-client-15 postgresql-contrib >/dev/null 2>&1 && return 0
    sleep 3
  done
  return 1
}

pg_start() {
  [ -n "${WATCHLOG_TEST_POSTGRES:-}" ] && { echo "test.sh: using WATCHLOG_TEST_POSTGRES from the environment"; return 0; }
  pg_install || return 1
  local port=${WATCHLOG_TEST_PGPORT:-55432}
  while (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
  PGROOT=$(mktemp -d /tmp/watchlog-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGROOT"; as=(runuser -u postgres --); fi
  "${as[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PGROOT/initdb.log" 2>&1 || { cat "$PGROOT/initdb.log"; return 1; }
  "${as[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 \
    -o "-p $port -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$PGROOT/server.log"; return 1; }
  psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -q -c "CREATE ROLE watchlog LOGIN PASSWORD 'watchlog' CREATEDB" >/dev/null || return 1
  export WATCHLOG_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=watchlog;Password=watchlog;Database=postgres"
  export PATH="/usr/lib/postgresql/15/bin:$PATH"   # pg_dump / pg_restore of the same major version
  echo "test.sh: PostgreSQL 15 running on 127.0.0.1:$port"
}

pg_stop() {
  [ -n "$PGROOT" ] || return 0
  local as=(); [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap pg_stop EXIT

# The browser tests (tests/Watchlog.Browser) drive Debian's Chromium through Playwright's bundled driver.
chromium_install() {
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then return 1; fi
  echo "test.sh: installing Chromium from Debian's packages (for the browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1
  for try in 1 2; do   # retried once: the first install has been seen to fail transiently (TOOLCHAIN.md pitfall 8)
    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 && return 0
    sleep 3
  done
  return 1
}
chromium_install || echo "test.sh: Chromium is not available (not root, or no apt): the browser tests will fail."

if ! pg_start; then
  unset WATCHLOG_TEST_POSTGRES
  echo "test.sh: PostgreSQL 15 is not available: the PostgreSQL tests are SKIPPED (SQLite only)."
fi

log=$(mktemp)
if ! dotnet build Watchlog.slnx -c Release -nologo -v quiet 2>&1 | tee "$log" | grep -E "error|warn" ; then :; fi
if ! grep -q "Build succeeded" "$log" && grep -qE ": error " "$log"; then
  echo "test.sh: the build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# htmx comes from npm during the build (src/Watchlog/Watchlog.csproj). Without it the pages still work, but the browser
# tests would only exercise the no-JavaScript path: refuse to run rather than pass quietly.
if [ ! -s src/Watchlog/wwwroot/lib/htmx.min.js ]; then
  echo "test.sh: src/Watchlog/wwwroot/lib/htmx.min.js is missing: the build could not install htmx from npm (is npm installed, is the registry reachable?)."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

rm -rf tests/Watchlog.Browser/bin/Release/net10.0/artifacts
dotnet test Watchlog.slnx -c Release --no-build --logger "console;verbosity=minimal" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
sum() { grep -E '(Passed|Failed)!' "$log" | grep -oE "$1: +[0-9]+" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ -z "${WATCHLOG_TEST_POSTGRES:-}" ]; then echo "test.sh: note: PostgreSQL tests were skipped (no PostgreSQL 15)."; fi
if [ -d tests/Watchlog.Browser/bin/Release/net10.0/artifacts ]; then
  echo "test.sh: screenshots of failed browser tests: tests/Watchlog.Browser/bin/Release/net10.0/artifacts/"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$passed" -gt 0 ] || { echo "test.sh: no test ran"; rc=1; }
[ "$failed" -eq 0 ] || rc=1
exit $rc
