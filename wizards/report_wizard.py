from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REPORTS = {
    "budget_execution": "social.scheme.report.budget.execution",
    "kpi": "social.scheme.report.kpi",
    "procurement_register": "social.scheme.report.procurement.register",
    "disbursement_register": "social.scheme.report.disbursement.register",
    "settlement": "social.scheme.report.settlement",
}


class SocialSchemeReportWizard(models.TransientModel):
    """Filters of the reviewers' exports: schemes, period, unit."""

    _name = "social.scheme.report.wizard"
    _description = "Export scheme reports"
    _inherit = ["social.scheme.guard.mixin"]

    report = fields.Selection(
        [
            ("budget_execution", "Budget execution (XLSX)"),
            ("kpi", "Indicators (XLSX)"),
            ("procurement_register", "Procurement register (XLSX)"),
            ("disbursement_register", "Disbursement register (XLSX)"),
            ("settlement", "Settlement of a fiscal year, B01/BCQT and F01-02/BCQT (XLSX)"),
        ],
        required=True, default="budget_execution",
    )
    scheme_ids = fields.Many2many("social.scheme", string="Schemes", help="Empty: every scheme you can read.")
    fiscal_year = fields.Integer(help="Empty: every year.")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    unit_id = fields.Many2one("res.partner", help="Empty: every unit you can read.")
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "social.scheme" and self.env.context.get("active_ids"):
            values["scheme_ids"] = [fields.Command.set(self.env.context["active_ids"])]
        return values

    @api.constrains("date_from", "date_to", "fiscal_year")
    def _check_period(self):
        self._check_fiscal_years(optional=True)
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period starts after it ends: check its dates."))

    def _options(self):
        self.ensure_one()
        return {
            "scheme_ids": self.scheme_ids.ids,
            "fiscal_year": self.fiscal_year or None,
            "date_from": self.date_from or None,
            "date_to": self.date_to or None,
            "unit_id": self.unit_id.id or None,
        }

    def _check_can_export(self):
        user = self.env.user
        if not (user.has_group("social_scheme.group_reviewer") or user.has_group("social_scheme.group_officer")):
            raise UserError(self.env._("Only reviewers, the Department's staff and facility officers can export."))

    def action_export(self):
        """Check the filters, then download the chosen XLSX report from the read-only export route.

        The file is rendered by ``/social_scheme/export/<report>`` on a read-only cursor (the
        PostgreSQL replica when one is configured): this button only checks, on the primary,
        what would make the report refuse, so that a refusal is a dialog, not an error page.
        """
        self.ensure_one()
        self._check_can_export()
        options = self._options()
        self.env[REPORTS[self.report]]._check_options(options)
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/social_scheme/export/{self.report}?{urlencode(self._params(options))}",
        }

    @staticmethod
    def _params(options):
        """The URL parameters of ``options`` (``_options_from_params`` reads them back)."""
        params = {key: value for key, value in options.items() if value and key != "scheme_ids"}
        if options.get("scheme_ids"):
            params["scheme_ids"] = ",".join(map(str, options["scheme_ids"]))
        return {key: str(value) for key, value in params.items()}

    @api.model
    def _options_from_params(self, params):
        """The report options from the export route's URL parameters (bad input is refused)."""
        try:
            options = {
                "scheme_ids": [int(i) for i in (params.get("scheme_ids") or "").split(",") if i],
                "fiscal_year": int(params["fiscal_year"]) if params.get("fiscal_year") else None,
                "date_from": fields.Date.to_date(params.get("date_from")) or None,
                "date_to": fields.Date.to_date(params.get("date_to")) or None,
                "unit_id": int(params["unit_id"]) if params.get("unit_id") else None,
            }
        except ValueError as error:
            raise UserError(self.env._("The export link is not valid: %(error)s", error=error)) from error
        if options["date_from"] and options["date_to"] and options["date_from"] > options["date_to"]:
            raise UserError(self.env._("The period starts after it ends: check its dates."))
        return options

    @api.model
    def _export(self, report, options):
        """``(file content, file name)`` of ``report`` (a key of REPORTS) with ``options``; only reads."""
        if report not in REPORTS:
            raise UserError(self.env._("Unknown report %(report)s.", report=report))
        self._check_can_export()
        model = self.env[REPORTS[report]]
        return model.render(options), model.file_name(options)

    def action_print_settlement(self):
        """The settlement of the chosen year (B01/BCQT) as the PDF a reviewer signs."""
        self.ensure_one()
        self._check_can_export()
        if not self.fiscal_year:
            raise UserError(self.env._("Choose the fiscal year to settle."))
        schemes = self.scheme_ids or self.env["social.scheme"].search([])
        return self.env.ref("social_scheme.action_report_settlement").report_action(
            schemes, data={"fiscal_year": self.fiscal_year})

    def action_print_summary(self):
        """The scheme summary PDF in the official layout."""
        self.ensure_one()
        self._check_can_export()
        schemes = self.scheme_ids or self.env["social.scheme"].search([])
        return self.env.ref("social_scheme.action_report_scheme_summary").report_action(schemes)
