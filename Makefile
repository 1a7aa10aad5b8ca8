# Development tooling of the social_scheme addon (the repository root is the addon).
# Everything generated (virtualenv, Odoo config, PostgreSQL data, logs) lives outside
# the checkout, under ${XDG_CACHE_HOME:-$HOME/.cache}/social_scheme; see scripts/lib.sh.
#
#   make run          set up, create the demo database once, serve http://localhost:8069 (admin/admin)
#   make stop         stop Odoo and PostgreSQL
#   make test         static checks + pytest + Odoo tests (fresh db) + concurrency; last line "N passed, N failed"
#   make lint         static checks only       make unit    pytest tests/unit only
#   make odoo-test TAGS=/social_scheme:TestClass[.test_method]     (alias: make test-odoo)
#                     only the Odoo tests, on a kept database updated with -u (FRESH=1: reinstall)
#   make update       -u social_scheme on the demo database    make shell   odoo shell on it
#   make setup        only the set-up (venv, config, PostgreSQL)  make conf-path   print the Odoo config path
#   make fix          ruff check --fix (import order, pyupgrade, ...)
#
# Variables (environment or make arguments): ODOO_SRC (default /opt/odoo), PGPORT (5433),
# HTTP_PORT (8069), TAGS, KEEP_DB=1 (keep test databases).

SHELL := /bin/bash
.DEFAULT_GOAL := help
export ODOO_SRC PGPORT HTTP_PORT TAGS KEEP_DB

S := scripts

.PHONY: help setup run stop test lint unit odoo-test test-odoo update shell fix conf-path screenshots bench

help:
	@sed -n '1,/^$$/p' Makefile | sed -n 's/^# \{0,1\}//p'

setup:
	@bash $(S)/setup.sh

run:
	@bash $(S)/run.sh

stop:
	@bash $(S)/stop.sh

test:
	@bash $(S)/setup.sh
	@bash $(S)/test.sh all

lint:
	@bash $(S)/setup.sh --no-pg
	@bash $(S)/test.sh lint

unit:
	@bash $(S)/setup.sh --no-pg
	@bash $(S)/test.sh unit

odoo-test:
	@bash $(S)/setup.sh
	@REUSE_DB=$(if $(FRESH),0,1) bash $(S)/test.sh odoo

test-odoo: odoo-test

update:
	@bash $(S)/setup.sh
	@source $(S)/lib.sh && odoo_bin -d "$$DEMO_DB" -u "$$MODULE" --stop-after-init --no-http --max-cron-threads=0

shell:
	@bash $(S)/setup.sh
	@source $(S)/lib.sh && exec "$$PY" "$$ODOO_SRC/odoo-bin" shell -c "$$CONF" -d "$$DEMO_DB" --no-http

bench:
	@bash $(S)/setup.sh
	@bash $(S)/bench.sh

screenshots:
	@bash $(S)/setup.sh --no-pg
	@source $(S)/lib.sh && "$$PY" $(S)/screenshots.py --url "http://localhost:$${HTTP_PORT:-8069}" --db "$$DEMO_DB"

fix:
	@bash $(S)/setup.sh --no-pg
	@source $(S)/lib.sh && "$$VENV/bin/ruff" check --fix "$$REPO"

conf-path:
	@source $(S)/lib.sh && echo "$$CONF"
