# shellcheck shell=bash
# The GraphiQL console's bundle (clients/console → dist/, copied into the server's output by its build) and
# the browser the console test drives. Sourced by ./peregrine; run and test call these before building.

CONSOLE_DIR="$PEREGRINE_ROOT/clients/console"
TEST_PACKAGES=(chromium)

# Builds the bundle when it is missing or older than its sources. Without npm the server still runs; /console
# then answers 503 naming what to do.
console_build() {
    command -v npm >/dev/null 2>&1 || { log "npm not found: the console (/console) is not built"; return 0; }
    local stamp="$CONSOLE_DIR/dist/index.html"
    if [ ! -x "$CONSOLE_DIR/node_modules/.bin/esbuild" ] || [ "$CONSOLE_DIR/package-lock.json" -nt "$CONSOLE_DIR/node_modules/.package-lock.json" ]; then
        log "npm ci in clients/console"
        (cd "$CONSOLE_DIR" && npm ci --no-audit --no-fund --loglevel=error) || { log "npm ci in clients/console failed"; return 1; }
    fi
    if [ -f "$stamp" ] && [ -z "$(find "$CONSOLE_DIR/src" "$CONSOLE_DIR/build.mjs" "$CONSOLE_DIR/package-lock.json" -newer "$stamp" -print -quit)" ]; then
        return 0
    fi
    log "building the console bundle (clients/console)"
    (cd "$CONSOLE_DIR" && npm run --silent build) || { log "the console bundle failed to build"; return 1; }
}

# Debian's chromium for the console's browser test (playwright-core drives it; nothing is downloaded).
console_test_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local saved=("${DEBIAN_PACKAGES[@]}")
    DEBIAN_PACKAGES=("${TEST_PACKAGES[@]}")
    ensure_packages
    DEBIAN_PACKAGES=("${saved[@]}")
}

# PEREGRINE_ENV=production or ASPNETCORE_ENVIRONMENT=Production: no development keys, no console by default.
run_is_production() {
    [ "$(printf '%s' "${PEREGRINE_ENV:-}" | tr '[:upper:]' '[:lower:]')" = production ] \
        || [ "$(printf '%s' "${ASPNETCORE_ENVIRONMENT:-}" | tr '[:upper:]' '[:lower:]')" = production ]
}

# What `./peregrine run` adds on a development machine: the console on, and an admin secret and JWT key made
# once into .data/dev-keys (git-ignored) by the server itself, unless the caller set their own.
console_run_defaults() {
    run_is_production && return 0
    [ -n "$CALLER_ADMIN_SECRET" ] || unset PEREGRINE_ADMIN_SECRET
    export PEREGRINE_DEV_KEYS_DIR="${PEREGRINE_DEV_KEYS_DIR:-$DATA_DIR/dev-keys}"
    export PEREGRINE_ENABLE_CONSOLE="${PEREGRINE_ENABLE_CONSOLE:-${HASURA_GRAPHQL_ENABLE_CONSOLE:-true}}"
}
