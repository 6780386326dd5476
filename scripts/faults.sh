# shellcheck shell=bash
# ./peregrine faults: the fault scenarios of tests/node/faults at full size (1,000 subscribers), each
# against its own PostgreSQL cluster and redis-servers on free ports, printing a table per scenario.
# Sourced by ./peregrine.

cmd_faults() {
    require_dotnet
    mkdir -p "$LOG_DIR"
    ensure_packages
    command -v node >/dev/null 2>&1 || die "node (20+) is required for ./peregrine faults"
    local dir="$PEREGRINE_ROOT/tests/node/faults"
    log "dotnet build src/Peregrine.Graph"
    dotnet build "$PEREGRINE_ROOT/src/Peregrine.Graph" -nologo -v quiet -clp:ErrorsOnly || die "build failed"
    if [ ! -d "$dir/node_modules" ]; then
        log "npm ci in tests/node/faults"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
    fi
    (cd "$dir" && node run.js "$@")
}
