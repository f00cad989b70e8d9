#!/usr/bin/env bash
# Screenshots of the main pages at phone (360 px) and desktop (1280 px) width, light and dark, for the README:
# a Release server on a throwaway SQLite database with the starter catalog, a demo user with a few months of viewing,
# Debian's Chromium driven by playwright-core from npm. Writes docs/screenshots/*.png.
# Usage: flock -s /tmp/wl-cpu.lock bench/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
engine=sqlite
WORKDIR=$(mktemp -d /tmp/watchlog-shots.XXXXXX)
trap bench_cleanup EXIT
[ -x "${WATCHLOG_CHROMIUM:-/usr/bin/chromium}" ] || { echo "needs Chromium: apt-get install chromium" >&2; exit 1; }
dotnet build src/Watchlog -c Release -nologo -v quiet >/dev/null
(cd bench/screenshots && npm install --no-audit --no-fund --silent >/dev/null)
app_env Watchlog__StarterCatalog=true
env "${ENV_ARGS[@]}" dotnet "$dll" migrate >/dev/null
env "${ENV_ARGS[@]}" dotnet "$dll" user create --email demo@example.com --password 'correct horse battery staple' >/dev/null
PORT=$(free_port 5620)
server_start
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/search?q=breaking+bad" | grep -q '"total":[1-9]' && break; sleep 0.2; done
mkdir -p docs/screenshots
node bench/screenshots/shots.mjs "http://127.0.0.1:$PORT" "$PWD/docs/screenshots"
ls -la docs/screenshots
