#!/usr/bin/env bash
# `make run`: set everything up, create the demo database once, serve Odoo in the
# foreground on http://localhost:$HTTP_PORT (login admin / admin).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$REPO/scripts/setup.sh"

if ! db_exists "$DEMO_DB"; then
    info "Creating database $DEMO_DB with $MODULE and its demo data (Vietnamese loaded)"
    # Odoo 18 loads demo data unless --without-demo; a failed install leaves no half db.
    odoo_bin -d "$DEMO_DB" -i "$MODULE" --load-language=vi_VN --stop-after-init --no-http \
        --max-cron-threads=0 </dev/null \
        || { drop_db "$DEMO_DB"; die "installing $MODULE in $DEMO_DB failed (see above)"; }
fi

if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    die "Odoo already runs (pid $(cat "$PIDFILE")); \`make stop\` first"
fi
info "Serving Odoo on http://localhost:$HTTP_PORT (database $DEMO_DB, login admin / admin); Ctrl-C or \`make stop\` to stop"
# exec: the pid file then names this very process, and Ctrl-C reaches Odoo directly.
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DEMO_DB" --db-filter="^${DEMO_DB}\$" \
    --pidfile="$PIDFILE" --http-port="$HTTP_PORT" "$@"
