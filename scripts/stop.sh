#!/usr/bin/env bash
# `make stop`: stop the Odoo server started by `make run` (this checkout), then PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -f "$PIDFILE" ]; then
    pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
        info "Stopping Odoo (pid $pid)"
        kill -TERM "$pid"
        # Odoo shuts down gracefully on the first SIGTERM; force it after 20 s.
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && { warn "Odoo still running; killing it"; kill -KILL "$pid" || true; }
    fi
    rm -f "$PIDFILE"
else
    info "Odoo is not running (no $PIDFILE)"
fi
bash "$REPO/scripts/pg.sh" stop
