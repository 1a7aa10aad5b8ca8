#!/usr/bin/env bash
# Everything `make run` / `make test` need before they start Odoo:
#   setup.sh            Odoo source, system packages, venv, config, PostgreSQL
#   setup.sh --no-pg    the same without PostgreSQL (static checks, pytest)
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"

bash "$here/ensure_odoo_src.sh"
bash "$here/ensure_system.sh"
bash "$here/ensure_venv.sh"
bash "$here/write_conf.sh"
[ "${1:-}" = --no-pg ] || bash "$here/pg.sh" start
