#!/usr/bin/env bash
# H3 benchmark: a million LatLngToCell, CellToBoundary and GridDisk(k=2) calls in C# and the
# same loops in h3-js 4.5.0 on this machine; prints ops/s and the C#/h3-js ratios.
#   bench/H3/run.sh [calls]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
calls="${1:-1000000}"

[ -d node_modules/h3-js ] || npm ci --no-audit --no-fund --silent
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
node h3js-bench.js "$calls" > "$results"
dotnet run -c Release --project H3.Bench.csproj -- "$calls" "$results"
