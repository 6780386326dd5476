# shellcheck shell=bash
# Local services for Peregrine: PostgreSQL 15 + PostGIS, Redis 7 and InfluxDB 1.x, run as plain
# processes on loopback with non-default ports, their data under $PEREGRINE_ROOT/.data.
# Sourced by ./peregrine; expects PEREGRINE_ROOT to be set.
#
# Ports sit below 32768, outside Linux's ephemeral range, so an outgoing connection never holds them first.
# A service is used only if it is the one this checkout started (its pid file names the process listening on
# the port); anything else on the port stops start-up with a message naming the port. A URL the caller set
# (PEREGRINE_DATABASE_URL, _REDIS_URL, _INFLUX_URL, _CLAMAV_URL, _S3_ENDPOINT) means "use that server": it is
# neither started nor overwritten.

# Overridable, e.g. to run a second checkout's services beside the first.
PG_PORT=${PEREGRINE_PG_PORT:-25432}
REDIS_PORT=${PEREGRINE_REDIS_PORT:-26379}
INFLUX_PORT=${PEREGRINE_INFLUX_PORT:-28086}
INFLUX_RPC_PORT=${PEREGRINE_INFLUX_RPC_PORT:-28088}

# What the caller set before ./peregrine touched the environment.
CALLER_DATABASE_URL="${PEREGRINE_DATABASE_URL:-}"
CALLER_REDIS_URL="${PEREGRINE_REDIS_URL:-}"
CALLER_INFLUX_URL="${PEREGRINE_INFLUX_URL:-}"
CALLER_ADMIN_SECRET="${PEREGRINE_ADMIN_SECRET:-${HASURA_GRAPHQL_ADMIN_SECRET:-}}"
SERVICE_TIMEOUT=${PEREGRINE_SERVICE_TIMEOUT:-60}

DATA_DIR="$PEREGRINE_ROOT/.data"
LOG_DIR="$DATA_DIR/logs"
RUN_DIR="$DATA_DIR/run"
PG_DATA="$DATA_DIR/postgres"
REDIS_DIR="$DATA_DIR/redis"
INFLUX_DIR="$DATA_DIR/influxdb"

DEBIAN_PACKAGES=(postgresql-15-postgis-3 redis-server influxdb curl iproute2)

# shellcheck source=scripts/media.sh
source "$PEREGRINE_ROOT/scripts/media.sh"
DEBIAN_PACKAGES+=("${MEDIA_PACKAGES[@]}")
# shellcheck source=scripts/replica.sh
source "$PEREGRINE_ROOT/scripts/replica.sh"

log() { printf '[peregrine] %s\n' "$*" >&2; }
die() { printf '[peregrine] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- environment

services_export_env() {
    export PEREGRINE_DATABASE_URL="${CALLER_DATABASE_URL:-postgres://peregrine:peregrine@127.0.0.1:$PG_PORT/peregrine}"
    export PEREGRINE_REDIS_URL="${CALLER_REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"
    export PEREGRINE_INFLUX_URL="${CALLER_INFLUX_URL:-http://127.0.0.1:$INFLUX_PORT}"
    export PEREGRINE_ADMIN_SECRET="${PEREGRINE_ADMIN_SECRET:-peregrine-admin-secret}"
    media_export_env
    replica_export_env
}

services_print_env() {
    services_export_env
    local v
    for v in PEREGRINE_DATABASE_URL PEREGRINE_REDIS_URL PEREGRINE_INFLUX_URL PEREGRINE_ADMIN_SECRET PEREGRINE_CLAMAV_URL \
        PEREGRINE_S3_ENDPOINT PEREGRINE_S3_ACCESS_KEY PEREGRINE_S3_SECRET_KEY; do
        printf 'export %s=%q\n' "$v" "${!v}"
    done
    # Only when there is one (an external primary has none of ours).
    [ -z "${PEREGRINE_PG_REPLICA_URL:-}" ] || printf 'export %s=%q\n' PEREGRINE_PG_REPLICA_URL "$PEREGRINE_PG_REPLICA_URL"
}

# ---------------------------------------------------------------- packages

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

pg_bin_dir() {
    local d
    for d in /usr/lib/postgresql/15/bin; do
        [ -x "$d/postgres" ] && { echo "$d"; return 0; }
    done
    return 1
}

packages_missing() {
    local p missing=()
    for p in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    echo "${missing[@]:-}"
}

ensure_packages() {
    command -v dpkg-query >/dev/null 2>&1 || {
        # Not Debian: the binaries must already be on the machine.
        pg_bin_dir >/dev/null && command -v redis-server >/dev/null && command -v influxd >/dev/null \
            || die "PostgreSQL 15, redis-server and influxd are required (no dpkg here to install them)"
        return 0
    }
    local missing
    missing="$(packages_missing)"
    [ -z "${missing// /}" ] && return 0
    log "installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! as_root apt-get install -y --no-install-recommends $missing >"$LOG_DIR/apt.log" 2>&1; then
        log "apt-get update"
        as_root apt-get update >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed (see $LOG_DIR/apt.log)"
        # shellcheck disable=SC2086
        as_root apt-get install -y --no-install-recommends $missing >>"$LOG_DIR/apt.log" 2>&1 \
            || die "apt-get install failed (see $LOG_DIR/apt.log)"
    fi
}

# ---------------------------------------------------------------- helpers

wait_until() { # wait_until <what> <command...>
    local what="$1"; shift
    local deadline=$((SECONDS + SERVICE_TIMEOUT))
    until "$@" >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "$what did not become ready within ${SERVICE_TIMEOUT}s"
            return 1
        fi
        sleep 0.2
    done
}

port_pid() { # port_pid <port>: the pid listening on 127.0.0.1:<port>, or nothing
    # Nothing listening is an answer, not a failure (grep finding nothing would stop the script under pipefail).
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -oE 'pid=[0-9]+' | head -n1 | cut -d= -f2 || true
}

# ours <name> <port> <pid>: is the process listening on <port> the one we started (<pid>, from its pid file)?
# Returns 0 when it is, 1 when nothing listens; anything else listening stops start-up: adopting a
# foreign server would hand our data to whatever it is.
port_is_ours() {
    local name="$1" port="$2" want="$3" have
    have="$(port_pid "$port")"
    if [ -z "$have" ]; then
        # Something may listen without a visible pid (another user's process): still not ours.
        ss -Hltn "sport = :$port" 2>/dev/null | grep -q . \
            && die "port $port ($name) is taken by a process this checkout did not start; stop it or choose another port (see ./peregrine help)"
        return 1
    fi
    [ -n "$want" ] && [ "$have" = "$want" ] && return 0
    die "port $port ($name) is taken by pid $have ($(tr '\0' ' ' </proc/"$have"/cmdline 2>/dev/null | cut -c1-80)), not the $name this checkout started; stop it or choose another port (see ./peregrine help)"
}

pidfile_pid() { [ -f "$1" ] && head -n1 "$1" 2>/dev/null | tr -dc 0-9; }

# wait_ours <name> <port> <pidfile> <ready-command...>: ready, and the listener is the process we started.
wait_ours() {
    local name="$1" port="$2" pidfile="$3"; shift 3
    wait_until "$name" "$@" || return 1
    local want have
    want="$(pidfile_pid "$pidfile")"
    have="$(port_pid "$port")"
    [ -n "$want" ] && [ "$have" = "$want" ] \
        || die "$name answers on port $port but its listener (pid ${have:-unknown}) is not the process started here (pid ${want:-none})"
}

pid_alive() { # pid_alive <pidfile>
    [ -f "$1" ] || return 1
    local pid
    pid="$(head -n1 "$1" 2>/dev/null)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

stop_pidfile() { # stop_pidfile <name> <pidfile>
    local name="$1" pidfile="$2" pid
    pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
    pid="$(head -n1 "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + SERVICE_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "$name did not stop in time; killing $pid"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f "$pidfile"
}

# ---------------------------------------------------------------- PostgreSQL

pg_run() { # run a PostgreSQL binary as the postgres OS user when we are root
    local bin
    bin="$(pg_bin_dir)/$1"; shift
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$bin" "$@")
    else
        "$bin" "$@"
    fi
}

pg_ready() { "$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres; }

psql_admin() { # psql_admin <db> <sql>
    "$(pg_bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -tAc "$2"
}

pg_prepare_dir() { # pg_prepare_dir [<data dir> <log file name>]: the primary's by default
    local data="${1:-$PG_DATA}" logname="${2:-postgres.log}"
    mkdir -p "$DATA_DIR"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "the postgres OS user is missing (is postgresql-15 installed?)"
        # The postgres user must be able to reach the data folder; a clone under a private home
        # folder is not reachable, so keep the cluster under /var/tmp and link it from .data.
        if [ ! -e "$data" ] && ! (cd / && runuser -u postgres -- test -x "$DATA_DIR"); then
            local alt key="$PEREGRINE_ROOT"
            [ "$data" = "$PG_DATA" ] || key="$data"
            alt="/var/tmp/peregrine-pg-$(printf '%s' "$key" | md5sum | cut -c1-12)"
            log "postgres cannot reach $DATA_DIR; keeping the cluster in $alt"
            mkdir -p "$alt/data"
            touch "$alt/$logname"
            chown postgres:postgres "$alt" "$alt/data" "$alt/$logname"
            ln -s "$alt/data" "$data"
            ln -sf "$alt/$logname" "$LOG_DIR/$logname"
        fi
        mkdir -p "$data"
        chown postgres:postgres "$(readlink -f "$data")"
        touch "$LOG_DIR/$logname"
        chown postgres:postgres "$(readlink -f "$LOG_DIR/$logname")"
    else
        mkdir -p "$data"
    fi
    chmod 700 "$(readlink -f "$data")"
}

pg_init() {
    [ -f "$PG_DATA/PG_VERSION" ] && return 0
    log "initialising PostgreSQL cluster in $PG_DATA"
    pg_run initdb -D "$(readlink -f "$PG_DATA")" -U postgres --auth=trust -E UTF8 --no-locale \
        >"$LOG_DIR/initdb.log" 2>&1 || die "initdb failed (see $LOG_DIR/initdb.log)"
}

pg_ensure_database() {
    psql_admin postgres "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'peregrine') THEN
            CREATE ROLE peregrine LOGIN SUPERUSER PASSWORD 'peregrine';
        END IF; END \$\$;" >/dev/null
    if [ -z "$(psql_admin postgres "SELECT 1 FROM pg_database WHERE datname = 'peregrine'")" ]; then
        psql_admin postgres "CREATE DATABASE peregrine OWNER peregrine" >/dev/null
    fi
}

pg_start() {
    if [ -n "$CALLER_DATABASE_URL" ]; then log "PostgreSQL: using PEREGRINE_DATABASE_URL as set"; return 0; fi
    if port_is_ours PostgreSQL "$PG_PORT" "$(pidfile_pid "$PG_DATA/postmaster.pid")"; then
        pg_ensure_database
        return 0
    fi
    pg_prepare_dir
    pg_init
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    # pg_ctl detaches the postmaster into its own session, so Ctrl-C in this terminal leaves it up.
    # Settings go on the command line (they win over postgresql.conf), so they hold for any cluster.
    local dir opts
    dir="$(readlink -f "$PG_DATA")"
    opts="-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$dir"
    opts+=" -c max_connections=200 -c shared_buffers=256MB -c synchronous_commit=off"
    # WAL kept for the read replica (scripts/replica.sh) while it is stopped, so it can catch up when it starts.
    opts+=" -c wal_keep_size=512MB"
    pg_run pg_ctl -D "$dir" -l "$(readlink -f "$LOG_DIR/postgres.log")" -o "$opts" -w -t "$SERVICE_TIMEOUT" start \
        >/dev/null || { tail -n 20 "$LOG_DIR/postgres.log" >&2; die "PostgreSQL failed to start"; }
    wait_ours PostgreSQL "$PG_PORT" "$PG_DATA/postmaster.pid" pg_ready || die "PostgreSQL is not accepting connections"
    pg_ensure_database
}

pg_stop() {
    [ -f "$PG_DATA/postmaster.pid" ] || return 0
    log "stopping PostgreSQL"
    pg_run pg_ctl -D "$(readlink -f "$PG_DATA")" -m fast -w -t "$SERVICE_TIMEOUT" stop >/dev/null 2>&1 || true
}

# status_line <name> <port> <pidfile> <external-url>
status_line() {
    local name="$1" port="$2" pidfile="$3" url="$4" have
    if [ -n "$url" ]; then printf '%-9s external %s\n' "$name" "$url"; return 0; fi
    have="$(port_pid "$port")"
    if [ -z "$have" ]; then printf '%-9s stopped\n' "$name"
    elif [ "$have" = "$(pidfile_pid "$pidfile")" ]; then printf '%-9s running  127.0.0.1:%s\n' "$name" "$port"
    else printf '%-9s foreign  127.0.0.1:%s is taken by pid %s\n' "$name" "$port" "$have"; fi
}

pg_status() { status_line postgres "$PG_PORT" "$PG_DATA/postmaster.pid" "$CALLER_DATABASE_URL"; }

# ---------------------------------------------------------------- Redis

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

redis_start() {
    if [ -n "$CALLER_REDIS_URL" ]; then log "Redis: using PEREGRINE_REDIS_URL as set"; return 0; fi
    port_is_ours Redis "$REDIS_PORT" "$(pidfile_pid "$RUN_DIR/redis.pid")" && return 0
    mkdir -p "$REDIS_DIR"
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" \
        --daemonize yes --pidfile "$RUN_DIR/redis.pid" --logfile "$LOG_DIR/redis.log" \
        --save '' --appendonly no >/dev/null \
        || die "redis-server failed to start (see $LOG_DIR/redis.log)"
    wait_ours Redis "$REDIS_PORT" "$RUN_DIR/redis.pid" redis_ready || { tail -n 20 "$LOG_DIR/redis.log" >&2; die "Redis is not answering"; }
}

redis_stop() {
    # Only our own: a SHUTDOWN sent to whatever answers on the port could stop someone else's Redis.
    if [ -n "$(pidfile_pid "$RUN_DIR/redis.pid")" ] && [ "$(port_pid "$REDIS_PORT")" = "$(pidfile_pid "$RUN_DIR/redis.pid")" ]; then
        log "stopping Redis"
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    fi
    stop_pidfile Redis "$RUN_DIR/redis.pid"
}

redis_status() { status_line redis "$REDIS_PORT" "$RUN_DIR/redis.pid" "$CALLER_REDIS_URL"; }

# ---------------------------------------------------------------- InfluxDB

influx_ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$INFLUX_PORT/ping"; }

influx_config() {
    mkdir -p "$INFLUX_DIR/meta" "$INFLUX_DIR/data" "$INFLUX_DIR/wal"
    cat >"$INFLUX_DIR/influxdb.conf" <<EOF
# Generated by ./peregrine services start; edits are overwritten.
reporting-disabled = true
bind-address = "127.0.0.1:$INFLUX_RPC_PORT"

[meta]
  dir = "$INFLUX_DIR/meta"

[data]
  dir = "$INFLUX_DIR/data"
  wal-dir = "$INFLUX_DIR/wal"
  query-log-enabled = false

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:$INFLUX_PORT"
  auth-enabled = false
  log-enabled = false

[logging]
  level = "warn"
EOF
}

influx_start() {
    if [ -n "$CALLER_INFLUX_URL" ]; then log "InfluxDB: using PEREGRINE_INFLUX_URL as set"; return 0; fi
    if ! port_is_ours InfluxDB "$INFLUX_PORT" "$(pidfile_pid "$RUN_DIR/influxd.pid")"; then
        influx_config
        log "starting InfluxDB on 127.0.0.1:$INFLUX_PORT"
        setsid influxd run -config "$INFLUX_DIR/influxdb.conf" -pidfile "$RUN_DIR/influxd.pid" \
            >>"$LOG_DIR/influxdb.log" 2>&1 </dev/null &
        disown 2>/dev/null || true
        wait_ours InfluxDB "$INFLUX_PORT" "$RUN_DIR/influxd.pid" influx_ready || { tail -n 20 "$LOG_DIR/influxdb.log" >&2; die "InfluxDB is not answering"; }
    fi
    curl -fsS -o /dev/null --max-time 5 -XPOST "http://127.0.0.1:$INFLUX_PORT/query" \
        --data-urlencode "q=CREATE DATABASE peregrine" || log "could not create the InfluxDB database 'peregrine'"
}

influx_stop() {
    if pid_alive "$RUN_DIR/influxd.pid"; then log "stopping InfluxDB"; fi
    stop_pidfile InfluxDB "$RUN_DIR/influxd.pid"
}

influx_status() { status_line influxdb "$INFLUX_PORT" "$RUN_DIR/influxd.pid" "$CALLER_INFLUX_URL"; }

# ---------------------------------------------------------------- verbs

services_start() {
    mkdir -p "$DATA_DIR" "$LOG_DIR" "$RUN_DIR"
    ensure_packages
    pg_start
    replica_start
    redis_start
    influx_start
    media_start
    services_export_env
}

services_stop() {
    mkdir -p "$RUN_DIR"
    media_stop
    influx_stop
    redis_stop
    replica_stop
    pg_stop
}

services_status() {
    pg_status
    replica_status
    redis_status
    influx_status
    media_status
}

services_main() {
    case "${1:-status}" in
        start) services_start; services_status ;;
        stop) services_stop; services_status ;;
        status) services_status ;;
        env) services_print_env ;;
        *) die "usage: ./peregrine services start|stop|status|env" ;;
    esac
}
