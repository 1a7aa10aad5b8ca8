#!/usr/bin/env bash
# Create/refresh the virtualenv in the cache. Requirements are reinstalled only when
# the requirement files (Odoo's and ours) or this recipe change: a stamp keeps their hash.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON="${PYTHON:-python3}"
RECIPE=1  # bump when the install steps below change
STAMP="$VENV/.requirements.sha256"

stamp="$( {
    echo "recipe $RECIPE"
    "$PYTHON" -c 'import sys; print(sys.version)'
    cat "$ODOO_SRC/requirements.txt" "$REPO/requirements.txt" "$REPO/requirements-dev.txt"
} | sha256sum | cut -d' ' -f1)"

if [ -x "$PY" ] && "$PY" -c 'import sys' 2>/dev/null && [ "$(cat "$STAMP" 2>/dev/null)" = "$stamp" ]; then
    exit 0
fi

mkdir -p "$CACHE" "$LOG_DIR"
if ! { [ -x "$PY" ] && "$PY" -c 'import sys' 2>/dev/null; }; then
    info "Creating virtualenv $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
rm -f "$STAMP"
pip() {
    # The machine's pip config may name local index folders that do not exist: drop
    # that noise, keep everything else.
    "$PY" -m pip --disable-pip-version-check --no-input "$@" 2>&1 \
        | sed -u "/^WARNING: Location 'file:.* is ignored/d"
}

info "Installing Odoo's requirements into $VENV (the first time takes a few minutes)"
# Several of Odoo's pinned sdists (e.g. psycopg2, cbor2) build with the venv's own
# setuptools (--no-build-isolation), and setuptools >= 70 breaks some of them.
pip install -q 'setuptools<70' wheel
# python-ldap: needs libldap headers and is only for auth_ldap; cbor2 5.4.2 does not
# build on Python 3.11 with recent toolchains, 5.4.6 is a drop-in.
odoo_reqs="$CACHE/odoo-requirements.txt"
sed -e '/^[[:space:]]*python-ldap/d' -e 's/cbor2==5\.4\.2/cbor2==5.4.6/' \
    "$ODOO_SRC/requirements.txt" >"$odoo_reqs"
pip install -q --no-build-isolation -r "$odoo_reqs"

info "Installing the addon's and the dev tools' requirements"
pip install -q -r "$REPO/requirements.txt" -r "$REPO/requirements-dev.txt"

echo "$stamp" >"$STAMP"
info "Virtualenv ready"
