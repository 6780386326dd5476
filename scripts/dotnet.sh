# shellcheck shell=bash
# Building and driving the Peregrine.Graph host. Sourced by ./peregrine.

GRAPH_PROJECT="$PEREGRINE_ROOT/src/Peregrine.Graph/Peregrine.Graph.csproj"
GRAPH_DLL="$PEREGRINE_ROOT/src/Peregrine.Graph/bin/Release/net10.0/Peregrine.Graph.dll"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

require_dotnet() {
    command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH"
}

graph_build() {
    require_dotnet
    log "building Peregrine.Graph (Release)"
    dotnet build "$GRAPH_PROJECT" -c Release -nologo -v quiet -clp:ErrorsOnly \
        || die "dotnet build failed"
    [ -f "$GRAPH_DLL" ] || die "build produced no $GRAPH_DLL"
}

graph() { # graph <args...>: run the built host with the given CLI verb
    (cd "$PEREGRINE_ROOT/src/Peregrine.Graph" && dotnet "$GRAPH_DLL" "$@")
}

graph_migrate() {
    log "applying migrations"
    graph migrate || die "migrate failed"
}

cmd_run() {
    services_start
    console_build || log "continuing without the console bundle"
    graph_build
    graph_migrate
    graph seed --reports "${PEREGRINE_SEED_REPORTS:-10000}" --if-empty || die "seed failed"
    local has_urls=0 a
    for a in "$@"; do
        case "$a" in --urls|--urls=*) has_urls=1 ;; esac
    done
    if [ "$has_urls" -eq 0 ] && [ -z "${ASPNETCORE_URLS:-}" ]; then
        set -- --urls http://127.0.0.1:8080 "$@"
    fi
    # Local development defaults: any browser origin, as Hasura allows by default; TOTP secrets sealed with a
    # key made once for this checkout and kept in .data/ (git-ignored). Set both yourself anywhere else.
    export PEREGRINE_CORS_DOMAIN="${PEREGRINE_CORS_DOMAIN:-${HASURA_GRAPHQL_CORS_DOMAIN:-*}}"
    if [ -z "${PEREGRINE_ENCRYPTION_KEY:-}" ]; then
        [ -s "$DATA_DIR/encryption.key" ] || (umask 077 && head -c 32 /dev/urandom | base64 > "$DATA_DIR/encryption.key")
        PEREGRINE_ENCRYPTION_KEY="$(cat "$DATA_DIR/encryption.key")"
        export PEREGRINE_ENCRYPTION_KEY
    fi
    console_run_defaults
    log "serving (Ctrl-C stops the server; services keep running until ./peregrine services stop)"
    if [ "${PEREGRINE_ENABLE_CONSOLE:-}" = true ]; then
        local url="${ASPNETCORE_URLS:-}" prev=""
        for a in "$@"; do
            case "$a" in --urls=*) url="${a#--urls=}" ;; *) [ "$prev" = --urls ] && url="$a" ;; esac
            prev="$a"
        done
        log "GraphiQL console: ${url%%;*}/console (admin secret and JWT key: see below)"
    fi
    cd "$PEREGRINE_ROOT/src/Peregrine.Graph"
    exec dotnet "$GRAPH_DLL" "$@"
}

cmd_seed() {
    services_start
    graph_build
    graph_migrate
    graph seed "$@"
}

cmd_migrate() {
    services_start
    graph_build
    graph_migrate
}
