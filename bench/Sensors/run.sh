#!/usr/bin/env bash
# Sensor benchmark (issue 15, "Speed"), against the real InfluxDB, PostgreSQL and Redis of `./peregrine services`:
#   1. ingest points/s through POST /v1/sensors/write (line protocol) and insert_sensor_readings, batches of 1,000,
#      against the floor: the same line protocol posted straight to InfluxDB /write (target >= 80 %);
#   2. sensor_series over one device's day of 1 Hz data (86,400 points, every: 1m), p50/p99, against the same
#      InfluxQL sent straight to InfluxDB /query (target <= 1.3x);
#   3. live: a reading written -> its sensor_readings_live subscribers (1,000 over graphql-ws), p50/p99.
#   bench/Sensors/run.sh            # ROUNDS=3 BATCHES=100 SUBSCRIBERS=1000 QUERIES=200 PARTS=123
# A Release build of the server on a free port over a throwaway PostgreSQL database and InfluxDB database.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$(cd ../.. && pwd)"
if [ -z "${PEREGRINE_DATABASE_URL:-}" ]; then eval "$("$ROOT/peregrine" services env)"; fi
[ -d node_modules/graphql-ws ] || npm ci --no-audit --no-fund --silent
echo "building the server (Release)..." >&2
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly "$ROOT/src/Peregrine.Graph" -o .server >&2
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node bench.mjs "$ROOT"
