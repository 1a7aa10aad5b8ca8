# shellcheck shell=bash
# Shared settings and helpers for the development tooling of the social_scheme addon.
# Sourced by the other scripts (never executed directly). Everything generated lives
# OUTSIDE the checkout: Odoo's i18n export walks the addon folder, and CI runs from a
# fresh clone in another folder.

set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MODULE=social_scheme
# HOME may be missing in a bare CI environment: fall back to the passwd entry.
HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/$MODULE"
VENV="$CACHE/venv"
PY="$VENV/bin/python"
ODOO_BRANCH=18.0
ODOO_GIT_URL=https://github.com/odoo/odoo.git
ODOO_CLONE="$CACHE/odoo"
# Odoo tree: $ODOO_SRC when given; else /opt/odoo, or our own shallow clone of Odoo
# (made by ensure_odoo_src.sh) when /opt/odoo is absent.
ODOO_SRC_GIVEN="${ODOO_SRC:+1}"
if [ -z "${ODOO_SRC:-}" ]; then
    ODOO_SRC="${ODOO_DEFAULT_SRC:-/opt/odoo}"
    if [ ! -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_CLONE/odoo-bin" ]; then
        ODOO_SRC="$ODOO_CLONE"
    fi
fi

# One addons folder (and config) per checkout: several clones may coexist, and the
# checkout folder is rarely named like the module.
CHECKOUT_HASH="$(printf '%s' "$REPO" | sha1sum | cut -c1-10)"
ADDONS_DIR="$CACHE/addons-$CHECKOUT_HASH"
CONF="$CACHE/odoo-$CHECKOUT_HASH.conf"
LOG_DIR="$CACHE/logs"
DATA_DIR="$CACHE/data"
PIDFILE="$CACHE/odoo-$CHECKOUT_HASH.pid"

DEMO_DB="${DEMO_DB:-${MODULE}_demo}"
HTTP_PORT="${HTTP_PORT:-8069}"

# PostgreSQL: a cluster of our own, unix socket only.
PGPORT="${PGPORT:-5433}"
PG_SOCKET_DIR="${PG_SOCKET_DIR:-/tmp/${MODULE}_pg}"
IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1
if [ "$IS_ROOT" = 1 ]; then
    # initdb/postgres refuse to run as root: the cluster belongs to the `postgres`
    # user, and its data must be reachable by it (/root is 0700).
    PG_ROOT="${PG_ROOT:-/var/lib/$MODULE}"
    PG_OS_USER=postgres
    DB_USER=root
else
    PG_ROOT="${PG_ROOT:-$CACHE}"
    PG_OS_USER="$(id -un)"
    DB_USER="$(id -un)"
fi
PGDATA_DIR="$PG_ROOT/pgdata"
PG_LOG="$PG_ROOT/postgresql.log"

export PGHOST="$PG_SOCKET_DIR" PGPORT PGUSER="$DB_USER" PGDATABASE=postgres
# The tooling never reads from the terminal (CI has no stdin).
export DEBIAN_FRONTEND=noninteractive PIP_NO_INPUT=1

info() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Newest PostgreSQL server binaries installed by Debian's packages.
pg_bindir() {
    local d
    if [ -n "${PG_BIN:-}" ]; then printf '%s' "$PG_BIN"; return; fi
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
    [ -n "$d" ] && [ -x "$d/pg_ctl" ] || return 1
    printf '%s' "$d"
}

# Run a PostgreSQL server command as the cluster owner.
as_pg() {
    if [ "$IS_ROOT" = 1 ]; then
        runuser -u "$PG_OS_USER" -- "$@"
    else
        "$@"
    fi
}

psql_q() {  # psql_q SQL... : run as the Odoo db user, quiet, unaligned
    "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"
}

db_exists() {
    [ "$(psql_q -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

drop_db() {
    # Odoo may leave idle connections for a moment; terminate them first.
    psql_q -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$1' AND pid <> pg_backend_pid()" >/dev/null || true
    PGOPTIONS="-c client_min_messages=warning" "$(pg_bindir)/dropdb" --if-exists "$1"
    rm -rf "$DATA_DIR/filestore/$1"
}

odoo_bin() {  # odoo_bin ARGS... : Odoo from $ODOO_SRC with the venv's python and our config
    "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" "$@"
}
