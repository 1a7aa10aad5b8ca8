from odoo import fields, models

from .kpi import STATUS_SELECTION
from .procurement_package import STATES as PACKAGE_STATES
from .project_task import ACTIVITY_STATUSES

SECTIONS = [("kpi", "Indicator"), ("budget", "Budget line"), ("package", "Package"), ("activity", "Activity")]


class SocialSchemeProgressReportLine(models.Model):
    """One row of an implementation report, frozen when the report is drafted (figures, not links)."""

    _name = "social.scheme.progress.report.line"
    _description = "Implementation report row"
    _inherit = ["social.scheme.guard.mixin"]
    _order = "report_id, sequence, id"
    # every figure is taken from the data by the report (_generate), never typed in
    _system_fields = ("report_id", "section", "sequence", "level", "code", "name", "kpi_id", "budget_line_id",
                      "package_id", "task_id", "disaggregation_id", "kind", "is_rate", "direction", "target", "has_target", "has_data", "is_breakdown",
                      "numerator", "denominator", "actual", "rate", "has_rate", "kpi_status", "amount_planned",
                      "amount_allocated", "amount_committed", "amount_spent", "amount_spent_period", "amount_rate",
                      "package_state", "activity_status", "progress", "unit_name", "date_planned_end")

    report_id = fields.Many2one("social.scheme.progress.report", required=True, ondelete="cascade", index=True)
    scheme_id = fields.Many2one(related="report_id.scheme_id", store=True, index=True)
    currency_id = fields.Many2one(related="report_id.currency_id")
    section = fields.Selection(SECTIONS, required=True)
    sequence = fields.Integer()
    level = fields.Integer(help="0 for an indicator, 1 for an 'of which' or a breakdown row under it, …")
    code = fields.Char(size=64)
    name = fields.Char(string="Content", required=True, size=512)
    # where the figure came from (kept for reference; the figures do not follow it)
    kpi_id = fields.Many2one("social.scheme.kpi", ondelete="set null")
    budget_line_id = fields.Many2one("social.scheme.budget.line", ondelete="set null")
    package_id = fields.Many2one("social.scheme.procurement.package", ondelete="set null")
    task_id = fields.Many2one("project.task", string="Activity", ondelete="set null")
    disaggregation_id = fields.Many2one("social.scheme.kpi.disaggregation", string="Breakdown", ondelete="set null")
    # indicators
    # the indicator's kinds, whatever they become (ratio, count, survey …)
    kind = fields.Selection(selection=lambda self: self.env["social.scheme.kpi"]._fields["kind"].selection)
    is_rate = fields.Boolean(help="A ratio or a survey: numerator over denominator, in %.")
    direction = fields.Selection([("at_least", "At least"), ("at_most", "At most")])
    target = fields.Float(digits=(16, 2))
    has_target = fields.Boolean()
    has_data = fields.Boolean()
    is_breakdown = fields.Boolean(string="Breakdown row")
    numerator = fields.Float(digits=(16, 2))
    denominator = fields.Float(digits=(16, 2))
    actual = fields.Float(digits=(16, 2))
    rate = fields.Float(string="% of target", digits=(16, 1))
    has_rate = fields.Boolean()
    kpi_status = fields.Selection(STATUS_SELECTION, string="Indicator status")
    # money
    amount_planned = fields.Monetary(string="Planned")
    amount_allocated = fields.Monetary(string="Allocated to date")
    amount_committed = fields.Monetary(string="Committed / contracted")
    amount_spent = fields.Monetary(string="Spent to date")
    amount_spent_period = fields.Monetary(string="Spent in the period")
    amount_rate = fields.Float(string="Disbursement rate (%)", digits=(5, 1))
    # packages and activities
    package_state = fields.Selection(PACKAGE_STATES, string="Package state")
    activity_status = fields.Selection(ACTIVITY_STATUSES, string="Activity status")
    progress = fields.Float(string="Progress (%)", digits=(5, 1))
    unit_name = fields.Char(string="Unit", size=512)
    date_planned_end = fields.Date(string="Planned end")
