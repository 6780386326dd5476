# shellcheck shell=bash
# ./peregrine test: every suite (dotnet test over the solution, then each Node folder under
# tests/node with a "test" script), closing with one line "N passed, N failed".
# Sourced by ./peregrine.

TEST_PASSED=0
TEST_FAILED=0

node_script() { # node_script <dir> <name>: does package.json define scripts.<name>?
    node -e 'const p=require(process.argv[1]);process.exit(p.scripts&&p.scripts[process.argv[2]]?0:1)' \
        "$1/package.json" "$2" 2>/dev/null
}

node_folders() {
    local pkg
    for pkg in "$PEREGRINE_ROOT"/tests/node/*/package.json; do
        [ -f "$pkg" ] && dirname "$pkg"
    done
    return 0
}

# npm ci (or install when there is no lock file) and the optional "generate" script, which
# writes fixtures (e.g. oracle vectors) that the dotnet suites read.
node_prepare() {
    local dir
    command -v npm >/dev/null 2>&1 || { [ -z "$(node_folders)" ] || log "npm not found: Node folders skipped"; return 0; }
    while IFS= read -r dir; do
        [ -n "$dir" ] || continue
        log "npm install in ${dir#"$PEREGRINE_ROOT"/}"
        if [ -f "$dir/package-lock.json" ]; then
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || { TEST_FAILED=$((TEST_FAILED + 1)); continue; }
        else
            (cd "$dir" && npm install --no-audit --no-fund --loglevel=error) || { TEST_FAILED=$((TEST_FAILED + 1)); continue; }
        fi
        if node_script "$dir" generate; then
            (cd "$dir" && npm run --silent generate) || { log "npm run generate failed in $dir"; TEST_FAILED=$((TEST_FAILED + 1)); }
        fi
    done < <(node_folders)
}

# Reads pass/fail counts from a test runner's output: node --test (TAP or spec), jest, vitest, mocha.
node_counts() { # node_counts <logfile> -> "passed failed" or nothing
    local f="$1" p f_
    p="$(grep -aE '^(# |ℹ )pass [0-9]+' "$f" | tail -n1 | grep -oE '[0-9]+$' || true)"
    f_="$(grep -aE '^(# |ℹ )fail [0-9]+' "$f" | tail -n1 | grep -oE '[0-9]+$' || true)"
    if [ -z "$p" ]; then
        local line
        line="$(grep -aE '^ *Tests:? ' "$f" | tail -n1 || true)"
        if [ -n "$line" ]; then
            p="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
            f_="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
        else
            p="$(grep -aoE '^ *[0-9]+ passing' "$f" | tail -n1 | grep -oE '[0-9]+' || true)"
            f_="$(grep -aoE '^ *[0-9]+ failing' "$f" | tail -n1 | grep -oE '[0-9]+' || true)"
        fi
    fi
    [ -n "$p" ] && echo "$p ${f_:-0}"
}

node_tests() {
    local dir rc counts logf
    command -v npm >/dev/null 2>&1 || return 0
    while IFS= read -r dir; do
        [ -n "$dir" ] || continue
        node_script "$dir" test || continue
        log "npm test in ${dir#"$PEREGRINE_ROOT"/}"
        logf="$RESULTS_DIR/node-$(basename "$dir").log"
        set +e
        (cd "$dir" && npm test 2>&1) | tee "$logf"
        rc=${PIPESTATUS[0]}
        set -e
        counts="$(node_counts "$logf" || true)"
        if [ -n "$counts" ]; then
            TEST_PASSED=$((TEST_PASSED + ${counts% *}))
            TEST_FAILED=$((TEST_FAILED + ${counts#* }))
            if [ "$rc" -ne 0 ] && [ "${counts#* }" -eq 0 ]; then TEST_FAILED=$((TEST_FAILED + 1)); fi
        elif [ "$rc" -eq 0 ]; then
            TEST_PASSED=$((TEST_PASSED + 1))
        else
            TEST_FAILED=$((TEST_FAILED + 1))
        fi
    done < <(node_folders)
}

# Sums the <Counters> of every trx file under the results folder.
trx_counts() { # -> "passed failed"
    local p=0 f=0 trx counters n
    while IFS= read -r trx; do
        counters="$(grep -aoE '<Counters [^>]*>' "$trx" | head -n1 || true)"
        [ -n "$counters" ] || continue
        n="$(grep -oE ' passed="[0-9]+"' <<<"$counters" | grep -oE '[0-9]+' || echo 0)"; p=$((p + n))
        n="$(grep -oE ' failed="[0-9]+"' <<<"$counters" | grep -oE '[0-9]+' || echo 0)"; f=$((f + n))
        n="$(grep -oE ' error="[0-9]+"' <<<"$counters" | grep -oE '[0-9]+' || echo 0)"; f=$((f + n))
        n="$(grep -oE ' timeout="[0-9]+"' <<<"$counters" | grep -oE '[0-9]+' || echo 0)"; f=$((f + n))
        n="$(grep -oE ' aborted="[0-9]+"' <<<"$counters" | grep -oE '[0-9]+' || echo 0)"; f=$((f + n))
    done < <(find "$RESULTS_DIR" -name '*.trx' -type f 2>/dev/null)
    echo "$p $f"
}

dotnet_tests() {
    local rc counts
    log "dotnet build Peregrine.sln"
    if ! dotnet build "$PEREGRINE_ROOT/Peregrine.sln" -nologo -v quiet -clp:ErrorsOnly; then
        log "build failed"
        TEST_FAILED=$((TEST_FAILED + 1))
        return 0
    fi
    log "dotnet test Peregrine.sln"
    set +e
    dotnet test "$PEREGRINE_ROOT/Peregrine.sln" --no-build -nologo \
        --logger trx --results-directory "$RESULTS_DIR" "$@"
    rc=$?
    set -e
    counts="$(trx_counts)"
    TEST_PASSED=$((TEST_PASSED + ${counts% *}))
    TEST_FAILED=$((TEST_FAILED + ${counts#* }))
    if [ "$rc" -ne 0 ] && [ "${counts#* }" -eq 0 ]; then
        log "dotnet test exited with $rc without a failed test (a test host crashed or no test ran)"
        TEST_FAILED=$((TEST_FAILED + 1))
    fi
}

cmd_test() {
    require_dotnet
    services_start
    RESULTS_DIR="$PEREGRINE_ROOT/.data/test-results/$(date +%Y%m%d-%H%M%S)-$$"
    mkdir -p "$RESULTS_DIR"
    console_test_packages
    console_build || TEST_FAILED=$((TEST_FAILED + 1))
    node_prepare
    dotnet_tests "$@"
    node_tests
    echo
    echo "$TEST_PASSED passed, $TEST_FAILED failed"
    [ "$TEST_FAILED" -eq 0 ] && [ "$TEST_PASSED" -gt 0 ]
}
