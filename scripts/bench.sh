#!/usr/bin/env bash
# `make bench`: a fresh database with the addon (no demo data), the data set of
# bench/bench.py at BENCH_SCALE (1: a province, 10: a ministry), its timings, the load
# row (Odoo in prefork, JSON-RPC clients) and the replica proof (a streaming standby).
#
# Variables: BENCH_SCALE (1), BENCH_DB (social_scheme_bench, or ..._x10), BENCH_HTTP_PORT
# (8169), REPLICA_PORT (5434), BENCH_STAGES (rows,load,replica), BENCH_LOAD_SECONDS (30),
# REUSE=1 (keep the generated data set), KEEP_BENCH_DB=1 (do not drop it at the end).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_SCALE="${BENCH_SCALE:-1}"
if [ "$BENCH_SCALE" = 1 ]; then
    BENCH_DB="${BENCH_DB:-${MODULE}_bench}"
else
    BENCH_DB="${BENCH_DB:-${MODULE}_bench_x$BENCH_SCALE}"
fi
export BENCH_SCALE BENCH_DB
if [ "${REUSE:-0}" = 1 ] && db_exists "$BENCH_DB"; then
    # iterate on the timings without regenerating the data set (the code is updated)
    info "Updating $MODULE in $BENCH_DB"
    odoo_bin -d "$BENCH_DB" -u "$MODULE" --stop-after-init --no-http --max-cron-threads=0 \
        </dev/null >"$LOG_DIR/bench-install-$BENCH_DB.log" 2>&1 \
        || die "update failed (see $LOG_DIR/bench-install-$BENCH_DB.log)"
    set -- --reuse "$@"
else
    drop_db "$BENCH_DB"
    info "Installing $MODULE in $BENCH_DB"
    odoo_bin -d "$BENCH_DB" -i "$MODULE" --without-demo=all --stop-after-init --no-http --max-cron-threads=0 \
        </dev/null >"$LOG_DIR/bench-install-$BENCH_DB.log" 2>&1 \
        || die "install failed (see $LOG_DIR/bench-install-$BENCH_DB.log)"
fi
export PG_BIN_DIR="$(pg_bindir)" PG_OS_USER PG_ROOT PG_SOCKET_DIR PGPORT IS_ROOT LOG_DIR
status=0
ODOO_SRC="$ODOO_SRC" "$PY" "$REPO/bench/bench.py" -c "$CONF" -d "$BENCH_DB" --scale "$BENCH_SCALE" "$@" || status=$?
if [ "${KEEP_BENCH_DB:-0}" != 1 ]; then
    info "Dropping $BENCH_DB (KEEP_BENCH_DB=1 keeps it)"
    drop_db "$BENCH_DB"
fi
exit "$status"
