#!/usr/bin/env bash
# Real-time benchmark (issue 6, "Speed and scale"): SUBSCRIBERS websocket subscribers on the app's feed
# (NewPhenoms) in 1 unfiltered group + CELLS groups filtered to one H3 cell each, a writer inserting RATE
# reports/s through the API for SECONDS seconds, first against one instance, then two behind Redis.
# Prints latency p50/p99/max, delivered vs expected, queries per event, server CPU and RSS.
#   bench/Realtime/run.sh                      # 10,000 subscribers, 1,000 cells, 10/s, 60 s
#   SUBSCRIBERS=2000 SECONDS_=30 bench/Realtime/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$(cd ../.. && pwd)"

if [ -z "${PEREGRINE_DATABASE_URL:-}" ]; then eval "$("$ROOT/peregrine" services env)"; fi
[ -d node_modules/ws ] || npm ci --no-audit --no-fund --silent

# A Release build of the server, apart from the Debug one the tests use.
echo "building the server (Release)..." >&2
if ! dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly "$ROOT/src/Peregrine.Graph" -o .server >&2; then
    # The H3 folder may be mid-edit: build without it.
    dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly -p:ExcludeGeo=true "$ROOT/src/Peregrine.Graph" -o .server >&2
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node --max-old-space-size=2048 load.js "$@"
