#!/usr/bin/env bash
# Abusive documents (issue 13 §1): the time a Release server takes to answer each shape, sent anonymously,
# and the slowest answer a second client's cheap query got meanwhile.
#
#   ./peregrine bench Abuse                (or bench/Abuse/run.sh)
#
# Environment:
#   REF=<git ref>     measure that commit instead of the working tree (e.g. REF=main for the "before" figures)
#   SIZES="1048576 250000"   document sizes: a megabyte, and just under the default PEREGRINE_MAX_DOCUMENT_BYTES
#   SHAPES="..."      the shapes (bench/Abuse/shapes.mjs lists them)    SHAPE_TIMEOUT_MS=60000  give up after this
# Prints one table row per (size, shape): ms, HTTP status, error code and message, slowest cheap answer; a
# server that died on a shape is restarted and the row says connection-lost. Kept in bench/Abuse/.out/results-<ref>.txt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/.out"
mkdir -p "$OUT"
REF="${REF:-}"
SIZES="${SIZES:-1048576 250000}"
SHAPES="${SHAPES:-repeated-field repeated-typename distinct-aliases deep-selection deep-list-value fragment-chain fragment-cycle many-fragments fragment-bomb huge-string many-variables repeated-directives conflicting-counts}"
DB=peregrine_abuse
say() { printf '[bench/Abuse] %s\n' "$*" >&2; }
die() { printf '[bench/Abuse] error: %s\n' "$*" >&2; exit 1; }

cd "$ROOT"
./peregrine services start >/dev/null
eval "$(./peregrine services env)"
PG_PORT="$(sed -E 's#.*:([0-9]+)/[^/]*$#\1#' <<<"$PEREGRINE_DATABASE_URL")"
export PGPASSWORD=peregrine
DB_URL="postgres://peregrine:peregrine@127.0.0.1:$PG_PORT/$DB"

SRC="$ROOT"; LABEL="worktree"
if [ -n "$REF" ]; then
    LABEL="$(tr '/' '-' <<<"$REF")"
    SRC="$OUT/src-$LABEL"
    rm -rf "$SRC"; mkdir -p "$SRC"
    git -C "$ROOT" archive "$REF" | tar -x -C "$SRC"
fi
say "building $LABEL (Release)"
dotnet build "$SRC/src/Peregrine.Graph/Peregrine.Graph.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly \
    -o "$OUT/build-$LABEL" >"$OUT/build-$LABEL.log" 2>&1 || { cat "$OUT/build-$LABEL.log" >&2; die "build failed"; }
DLL="$OUT/build-$LABEL/Peregrine.Graph.dll"

if [ -z "$(psql -X -h 127.0.0.1 -p "$PG_PORT" -U peregrine -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U peregrine -d postgres -c "CREATE DATABASE $DB OWNER peregrine"
    (cd "$SRC/src/Peregrine.Graph" && PEREGRINE_DATABASE_URL="$DB_URL" dotnet "$DLL" migrate) >"$OUT/migrate.log" 2>&1 || die "migrate failed (see $OUT/migrate.log)"
    (cd "$SRC/src/Peregrine.Graph" && PEREGRINE_DATABASE_URL="$DB_URL" dotnet "$DLL" seed --reports 1000) >"$OUT/seed.log" 2>&1 || die "seed failed"
fi

PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
URL="http://127.0.0.1:$PORT/v1/graphql"
PID=""
start() {
    (cd "$SRC/src/Peregrine.Graph" && PEREGRINE_DATABASE_URL="$DB_URL" PEREGRINE_UNAUTHORIZED_ROLE=anonymous PEREGRINE_REDIS_URL= \
        Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production exec dotnet "$DLL" --urls "http://127.0.0.1:$PORT") \
        >>"$OUT/server-$LABEL.log" 2>&1 &
    PID=$!
    local deadline=$((SECONDS + 60))
    until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/healthz" 2>/dev/null; do
        kill -0 "$PID" 2>/dev/null || die "server exited during start-up (see $OUT/server-$LABEL.log)"
        [ "$SECONDS" -lt "$deadline" ] || die "server not ready after 60 s"
        sleep 0.3
    done
    # Warm the cheap query (its first run builds the anonymous schema).
    curl -fsS -o /dev/null -H 'content-type: application/json' -d '{"query":"{ categories(limit: 1) { name } }"}' "$URL"
}
stop() { [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }; PID=""; }
trap stop EXIT
start

RESULTS="$OUT/results-$LABEL.txt"
{
    echo "bench/Abuse ($LABEL): anonymous POSTs, default limits; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    printf '%-9s %-20s %8s %6s %-18s %9s  %s\n' bytes shape ms status code cheap-max message
    for size in $SIZES; do
        for shape in $SHAPES; do
            line="$(node "$HERE/shapes.mjs" "$URL" "$shape" "$size")"
            node -e 'const r=JSON.parse(process.argv[1]);console.log([String(r.bytes).padEnd(9),r.shape.padEnd(20),String(r.ms).padStart(8),String(r.status).padStart(6),r.code.padEnd(18),String(r.cheapMaxMs<0?"lost":r.cheapMaxMs).padStart(9)," "+r.message].join(" "))' "$line"
            if ! kill -0 "$PID" 2>/dev/null || ! curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
                echo "          (server died or stopped answering on $shape: restarted)"
                stop; start
            fi
        done
    done
} | tee "$RESULTS"
