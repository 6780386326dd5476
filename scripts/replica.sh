# shellcheck shell=bash
# A streaming read replica of the local PostgreSQL, started beside it by services.sh: a base backup of the
# primary (pg_basebackup -R writes standby.signal and primary_conninfo), run as a second postgres process on
# loopback (PEREGRINE_PG_REPLICA_PORT, default one above the primary's port), its data in .data/postgres-replica.
#
# The server does not use it unless told to: `services env` exports its URL as PEREGRINE_PG_REPLICA_URL, which
# the replica tests read and pass on as PEREGRINE_READ_REPLICA_URLS (set that yourself to route reads to it).
# A PEREGRINE_PG_REPLICA_URL set by the caller is used as is; with an external primary nothing is started
# (a base backup of someone else's server is not ours to take).
# Sourced by services.sh; expects PG_PORT, PG_DATA, DATA_DIR, LOG_DIR and the helpers there.

PG_REPLICA_PORT=${PEREGRINE_PG_REPLICA_PORT:-$((PG_PORT + 1))}
PG_REPLICA_DATA="$DATA_DIR/postgres-replica"
CALLER_PG_REPLICA_URL="${PEREGRINE_PG_REPLICA_URL:-}"

replica_export_env() {
    if [ -n "$CALLER_PG_REPLICA_URL" ]; then export PEREGRINE_PG_REPLICA_URL="$CALLER_PG_REPLICA_URL"
    elif [ -n "$CALLER_DATABASE_URL" ]; then unset PEREGRINE_PG_REPLICA_URL
    else export PEREGRINE_PG_REPLICA_URL="postgres://peregrine:peregrine@127.0.0.1:$PG_REPLICA_PORT/peregrine"; fi
}

replica_ready() { "$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$PG_REPLICA_PORT" -d postgres; }

replica_sql() { # replica_sql <sql>
    "$(pg_bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_REPLICA_PORT" -U postgres -d postgres -tAc "$1"
}

# The cluster's identity; a replica whose identity is not its primary's (the primary was initialised again)
# can never follow it and is made again.
system_identifier() { pg_run pg_controldata "$(readlink -f "$1")" 2>/dev/null | awk -F': *' '/Database system identifier/ {print $2}'; }

replica_base_backup() {
    log "making the read replica: pg_basebackup of 127.0.0.1:$PG_PORT into $PG_REPLICA_DATA"
    local dir
    dir="$(readlink -f "$PG_REPLICA_DATA")"
    # -R: standby.signal plus primary_conninfo in postgresql.auto.conf; -X stream: the WAL written during the
    # copy comes along, so the copy is consistent on its own.
    pg_run pg_basebackup -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$dir" -R -X stream -c fast \
        >"$LOG_DIR/pg_basebackup.log" 2>&1 || die "pg_basebackup failed (see $LOG_DIR/pg_basebackup.log)"
}

replica_start() {
    if [ -n "$CALLER_PG_REPLICA_URL" ]; then log "PostgreSQL replica: using PEREGRINE_PG_REPLICA_URL as set"; return 0; fi
    if [ -n "$CALLER_DATABASE_URL" ]; then log "PostgreSQL replica: not started (PEREGRINE_DATABASE_URL is external)"; return 0; fi
    if port_is_ours "PostgreSQL replica" "$PG_REPLICA_PORT" "$(pidfile_pid "$PG_REPLICA_DATA/postmaster.pid")"; then
        # The replica tests pause replay; one stopped half-way must not leave it paused for the next run.
        replica_sql "SELECT pg_wal_replay_resume() WHERE pg_is_wal_replay_paused()" >/dev/null || true
        return 0
    fi
    pg_prepare_dir "$PG_REPLICA_DATA" postgres-replica.log
    if [ -f "$PG_REPLICA_DATA/PG_VERSION" ] && [ "$(system_identifier "$PG_REPLICA_DATA")" != "$(system_identifier "$PG_DATA")" ]; then
        log "the read replica belongs to another primary; making it again"
        find "$(readlink -f "$PG_REPLICA_DATA")" -mindepth 1 -delete
    fi
    [ -f "$PG_REPLICA_DATA/PG_VERSION" ] || replica_base_backup
    log "starting the PostgreSQL read replica on 127.0.0.1:$PG_REPLICA_PORT"
    local dir opts
    dir="$(readlink -f "$PG_REPLICA_DATA")"
    # A hot standby must allow at least as many connections as its primary (200, see pg_start).
    opts="-c listen_addresses=127.0.0.1 -c port=$PG_REPLICA_PORT -c unix_socket_directories=$dir"
    opts+=" -c max_connections=200 -c shared_buffers=128MB -c hot_standby=on -c hot_standby_feedback=on"
    pg_run pg_ctl -D "$dir" -l "$(readlink -f "$LOG_DIR/postgres-replica.log")" -o "$opts" -w -t "$SERVICE_TIMEOUT" start \
        >/dev/null || { tail -n 20 "$LOG_DIR/postgres-replica.log" >&2; die "the PostgreSQL read replica failed to start"; }
    wait_ours "PostgreSQL replica" "$PG_REPLICA_PORT" "$PG_REPLICA_DATA/postmaster.pid" replica_ready \
        || die "the PostgreSQL read replica is not accepting connections"
    # Streaming, not just open: a standby that cannot reach its primary still answers (with old data).
    wait_until "replica streaming" replica_streaming \
        || { tail -n 20 "$LOG_DIR/postgres-replica.log" >&2; die "the read replica does not stream from 127.0.0.1:$PG_PORT"; }
}

replica_streaming() { [ "$(replica_sql "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")" = 1 ]; }

replica_stop() {
    [ -f "$PG_REPLICA_DATA/postmaster.pid" ] || return 0
    log "stopping the PostgreSQL read replica"
    pg_run pg_ctl -D "$(readlink -f "$PG_REPLICA_DATA")" -m fast -w -t "$SERVICE_TIMEOUT" stop >/dev/null 2>&1 || true
}

replica_status() {
    if [ -z "$CALLER_PG_REPLICA_URL" ] && [ -n "$CALLER_DATABASE_URL" ]; then printf '%-9s none (external primary)\n' replica; return 0; fi
    status_line replica "$PG_REPLICA_PORT" "$PG_REPLICA_DATA/postmaster.pid" "$CALLER_PG_REPLICA_URL"
}
