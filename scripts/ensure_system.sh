#!/usr/bin/env bash
# Debian packages needed by Odoo and the tooling. As root, install what is missing
# (apt-get update/install only then); as another user, print the apt command.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

# Required to build the venv and run the server: compiler and libpq headers for
# psycopg2 (built from source), and a PostgreSQL server.
required=()
command -v gcc >/dev/null || required+=(build-essential)
command -v pg_config >/dev/null || required+=(libpq-dev)
pg_bindir >/dev/null || required+=(postgresql)
# Wanted: PDF reports (wkhtmltopdf + Liberation fonts for the "Times New Roman"
# stack), browser tours (chromium), `msgfmt --check` of i18n/vi.po (gettext).
wanted=()
for pkg in wkhtmltopdf fonts-liberation chromium gettext; do
    installed "$pkg" || wanted+=("$pkg")
done

missing=("${required[@]}" "${wanted[@]}")
[ "${#missing[@]}" = 0 ] && exit 0

if [ "$IS_ROOT" = 1 ] && command -v apt-get >/dev/null; then
    info "Installing Debian packages: ${missing[*]}"
    apt-get update -qq </dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
    exit 0
fi

cmd="sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
if [ "${#required[@]}" != 0 ]; then
    die "missing required system packages (${required[*]}); run: $cmd"
fi
warn "optional system packages missing (${wanted[*]}): PDF reports, browser tours or the vi.po check may not work. Run: $cmd"
