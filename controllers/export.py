from odoo import http
from odoo.http import content_disposition, request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SocialSchemeExport(http.Controller):
    """The reviewers' XLSX exports, rendered on a read-only cursor.

    ``readonly=True``: with ``db_replica_host`` configured, Odoo runs the request on the
    PostgreSQL replica (and falls back to the primary when no replica connection can be
    made); the export only reads. The filters are in the URL, so the replica needs no row
    written by the request that asked for the file.
    """

    @http.route("/social_scheme/export/<string:report>", type="http", auth="user", readonly=True)
    def export(self, report, **params):
        Wizard = request.env["social.scheme.report.wizard"]
        data, name = Wizard._export(report, Wizard._options_from_params(params))
        return request.make_response(data, headers=[
            ("Content-Type", XLSX), ("Content-Length", len(data)), ("Content-Disposition", content_disposition(name)),
        ])
