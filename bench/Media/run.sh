#!/usr/bin/env bash
# Media benchmark (local backend, encryption at rest on):
#   1. a 500 MB upload through the signed PUT: MB/s against `dd` writing the same bytes to the same disk,
#      and the server's RSS growth during the upload;
#   2. direct multipart uploads of a ~100 KB JPEG (validation + thumbnail) per second, and the latency of
#      making a 256-px thumbnail (p50/p99, an uncached ?w=256 transform of each new file).
#   bench/Media/run.sh [MB] [small uploads] [rounds of dd vs upload]
# Runs a Release build of the server on a free port over a throwaway database; files go under .data/bench-media.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$(cd ../.. && pwd)"
MB="${1:-500}"
SMALL="${2:-300}"
ROUNDS="${3:-3}"

dotnet build "$ROOT/src/Peregrine.Graph" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
node bench.mjs "$ROOT" "$MB" "$SMALL" "$ROUNDS"
