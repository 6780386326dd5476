# shellcheck shell=bash
# ./peregrine bench [NAME]: each benchmark is bench/NAME/run.sh, one command that prints ratios.
# Sourced by ./peregrine.

bench_names() {
    local f
    for f in "$PEREGRINE_ROOT"/bench/*/run.sh; do
        [ -f "$f" ] && basename "$(dirname "$f")"
    done
    return 0
}

cmd_bench() {
    local name="${1:-}"
    if [ -z "$name" ]; then
        local names
        names="$(bench_names)"
        if [ -z "$names" ]; then
            echo "no benchmarks yet (add bench/<name>/run.sh)"
        else
            echo "benchmarks (./peregrine bench NAME):"
            sed 's/^/  /' <<<"$names"
        fi
        return 0
    fi
    shift
    local script="$PEREGRINE_ROOT/bench/$name/run.sh"
    if [ ! -f "$script" ]; then local m; m="$(bench_names | grep -ixF -- "$name" | head -n1 || true)"; if [ -n "$m" ]; then name="$m"; script="$PEREGRINE_ROOT/bench/$m/run.sh"; fi; fi # any letter case
    [ -f "$script" ] || die "no benchmark '$name' (expected bench/$name/run.sh)"
    services_start
    (cd "$PEREGRINE_ROOT/bench/$name" && bash "$script" "$@")
}
