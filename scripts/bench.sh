#!/usr/bin/env bash
# `make bench`: a fresh database with the addon (no demo data), the province-scale data
# set and the timings of bench/bench.py.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_DB="${MODULE}_bench"
if [ "${REUSE:-0}" = 1 ] && db_exists "$BENCH_DB"; then
    # iterate on the timings without regenerating the data set (the code is updated)
    info "Updating $MODULE in $BENCH_DB"
    odoo_bin -d "$BENCH_DB" -u "$MODULE" --stop-after-init --no-http --max-cron-threads=0 \
        </dev/null >"$LOG_DIR/bench-install.log" 2>&1 || die "update failed (see $LOG_DIR/bench-install.log)"
    set -- --reuse "$@"
else
    drop_db "$BENCH_DB"
    info "Installing $MODULE in $BENCH_DB"
    odoo_bin -d "$BENCH_DB" -i "$MODULE" --without-demo=all --stop-after-init --no-http --max-cron-threads=0 \
        </dev/null >"$LOG_DIR/bench-install.log" 2>&1 || die "install failed (see $LOG_DIR/bench-install.log)"
fi
ODOO_SRC="$ODOO_SRC" exec "$PY" "$REPO/bench/bench.py" -c "$CONF" -d "$BENCH_DB" "$@"
