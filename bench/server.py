#!/usr/bin/env python3
"""Odoo's own server (odoo-bin arguments) with the bench's probes: `make bench` only.

Before the workers fork, the XLSX reports' ``render`` and the payments' ``action_post``
are wrapped to log, from inside the transaction that runs them, whether PostgreSQL is
in recovery (a standby) and its port: the proof of where a reviewer's export and an
officer's posting ran. Nothing else differs from ``odoo-bin``.
"""

import logging
import os
import sys

sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo"))

import odoo  # noqa: E402
from odoo.cli.server import main  # noqa: E402

_logger = logging.getLogger("social_scheme.bench")


def probe(env, what):
    env.cr.execute("SELECT pg_is_in_recovery(), current_setting('port')")
    in_recovery, port = env.cr.fetchone()
    _logger.warning("bench probe: %s ran with pg_is_in_recovery()=%s on port %s", what, in_recovery, port)


def install_probes():
    from odoo import api  # noqa: PLC0415

    from odoo.addons.social_scheme.models import disbursement  # noqa: PLC0415
    from odoo.addons.social_scheme.reports import xlsx_report  # noqa: PLC0415

    Report, Payment = xlsx_report.SocialSchemeXlsxReport, disbursement.SocialSchemeDisbursement
    render, post = Report.render, Payment.action_post

    @api.readonly
    def probed_render(self, options):
        probe(self.env, f"export {self._name}")
        return render(self, options)

    def probed_post(self):
        probe(self.env, "posting")
        return post(self)

    Report.render, Payment.action_post = probed_render, probed_post


if __name__ == "__main__":
    args = sys.argv[1:]
    odoo.tools.config.parse_config(args)
    odoo.modules.module.initialize_sys_path()
    install_probes()
    main(args)
