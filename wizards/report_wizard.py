import base64

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
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period starts after it ends: check its dates."))
            if wizard.fiscal_year and not 2000 <= wizard.fiscal_year <= 2100:
                raise ValidationError(self.env._("%(year)s is not a valid fiscal year.", year=wizard.fiscal_year))

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
        """Render the chosen XLSX report and download it."""
        self.ensure_one()
        self._check_can_export()
        report = self.env[REPORTS[self.report]]
        options = self._options()
        # the file is the application's output, a system field: written under sudo
        self.sudo().write({
            "file_data": base64.b64encode(report.render(options)),
            "file_name": report.file_name(options),
        })
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file_data"
                   f"&filename_field=file_name&download=true",
        }

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
