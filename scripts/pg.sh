#!/usr/bin/env bash
# Our own PostgreSQL cluster (no system service): pg.sh start|stop|status
#   - unix socket only (listen_addresses=''), socket in $PG_SOCKET_DIR, port $PGPORT;
#   - as root, the cluster belongs to `postgres` (initdb/postgres refuse root) with its
#     data in /var/lib/social_scheme, and a superuser role `root` is created for Odoo;
#   - as another user, the cluster is that user's, with its data in the cache.
# Local connections use `trust`: this is a development/test cluster.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BIN="$(pg_bindir)" || die "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin); run scripts/ensure_system.sh as root or install Debian's postgresql package."

running() { as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }

prepare_dirs() {
    mkdir -p "$PG_ROOT" "$PG_SOCKET_DIR"
    if [ "$IS_ROOT" = 1 ]; then
        chown "$PG_OS_USER:" "$PG_ROOT" "$PG_SOCKET_DIR"
        chmod 0700 "$PG_ROOT"
        # The socket folder must be traversable by the Odoo user (root can anyway).
        chmod 0755 "$PG_SOCKET_DIR"
    fi
}

init_cluster() {
    [ -f "$PGDATA_DIR/PG_VERSION" ] && return 0
    info "Creating PostgreSQL cluster in $PGDATA_DIR"
    as_pg "$BIN/initdb" -D "$PGDATA_DIR" -U "$PG_OS_USER" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    # Settings live in the cluster, so a plain `pg_ctl start` is enough afterwards.
    # fsync & co. off: throw-away dev/test data, much faster database creation.
    as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<CONF

# --- social_scheme development cluster ---
listen_addresses = ''
port = $PGPORT
unix_socket_directories = '$PG_SOCKET_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
}

ensure_role() {
    # As root, Odoo connects as `root` (peer name of the OS user) over the socket.
    [ "$DB_USER" = "$PG_OS_USER" ] && return 0
    if [ "$(as_pg "$BIN/psql" -X -At -h "$PG_SOCKET_DIR" -p "$PGPORT" -U "$PG_OS_USER" -d postgres \
            -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != 1 ]; then
        info "Creating PostgreSQL role $DB_USER"
        as_pg "$BIN/psql" -X -q -h "$PG_SOCKET_DIR" -p "$PGPORT" -U "$PG_OS_USER" -d postgres \
            -c "CREATE ROLE \"$DB_USER\" SUPERUSER LOGIN"
    fi
}

start() {
    prepare_dirs
    init_cluster
    if running; then
        info "PostgreSQL already running (socket $PG_SOCKET_DIR, port $PGPORT)"
    else
        info "Starting PostgreSQL (socket $PG_SOCKET_DIR, port $PGPORT, log $PG_LOG)"
        # pg_ctl opens the log file as the cluster owner: it sits in $PG_ROOT.
        # -p/-k repeat port and socket so that PGPORT/PG_SOCKET_DIR overrides apply.
        as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" -w -t 60 \
            -o "-p $PGPORT -k $PG_SOCKET_DIR" start >/dev/null \
            || { tail -n 30 "$PG_LOG" >&2 || true; die "PostgreSQL did not start"; }
    fi
    ensure_role
}

stop() {
    if [ -f "$PGDATA_DIR/PG_VERSION" ] && running; then
        info "Stopping PostgreSQL"
        as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
    else
        info "PostgreSQL is not running"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) if running; then echo "running ($PGDATA_DIR, socket $PG_SOCKET_DIR:$PGPORT)"; else echo stopped; exit 3; fi ;;
    *) die "usage: $0 start|stop|status" ;;
esac
