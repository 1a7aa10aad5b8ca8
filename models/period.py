from odoo import api, fields, models

from ..tools import reporting
from .due_rule import FREQUENCIES


class SocialSchemePeriod(models.Model):
    """A reporting period of a scheme (Kỳ báo cáo): the figures every unit owes for it.

    Generated from the scheme's (and its indicators') reporting frequencies and the due
    rules, never entered: ``social.scheme._generate_periods``. Each unit of the scheme
    has a line (``social.scheme.period.unit``) that carries its lock; the expected
    reports (``social.scheme.expected.report``) say what came in.
    """

    _name = "social.scheme.period"
    _description = "Reporting period"
    _inherit = ["social.scheme.guard.mixin"]
    _order = "scheme_id, date_from, frequency, id"

    scheme_id = fields.Many2one("social.scheme", required=True, ondelete="cascade", index=True, readonly=True)
    frequency = fields.Selection(FREQUENCIES, required=True, readonly=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True, index=True)
    date_due = fields.Date(string="Due", readonly=True, help="From the due rule in force.")
    date_lock = fields.Date(string="Locks on", readonly=True,
                            help="Figures freeze the day after; empty: only when a planner validates.")
    due_rule_id = fields.Many2one("social.scheme.due.rule", readonly=True, ondelete="restrict")
    unit_line_ids = fields.One2many("social.scheme.period.unit", "period_id", string="Units", readonly=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    expected_count = fields.Integer(string="Expected", compute="_compute_rates")
    received_count = fields.Integer(string="Received", compute="_compute_rates")
    on_time_count = fields.Integer(string="On time", compute="_compute_rates")
    completeness_rate = fields.Float(string="Completeness (%)", compute="_compute_rates", digits=(16, 1),
                                     help="Reports received / expected (DHIS2's reporting rate).")
    timeliness_rate = fields.Float(string="Timeliness (%)", compute="_compute_rates", digits=(16, 1),
                                   help="Reports received by the due date / expected.")

    _sql_constraints = [
        ("period_unique", "unique(scheme_id, frequency, date_from)", "A scheme has one period per start date and "
         "frequency."),
    ]

    @api.depends("frequency", "date_from", "date_to")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for period in self:
            period.display_name = period._label()

    def _label(self):
        return self._label_for(self.frequency, self.date_from)

    @api.model
    def _label_for(self, frequency, start):
        """'Q1/2022', '01/2022', 'H1/2022', '2022' in the reader's language."""
        if not start:
            return ""
        if frequency == "month":
            return f"{start.month:02d}/{start.year}"
        if frequency == "quarter":
            return self.env._("Q%(quarter)s/%(year)s", quarter=(start.month - 1) // 3 + 1, year=start.year)
        if frequency == "half_year":
            return self.env._("H%(half)s/%(year)s", half=(start.month - 1) // 6 + 1, year=start.year)
        return str(start.year)

    def _compute_rates(self):
        counts = self.env["social.scheme.expected.report"]._counts([("period_id", "in", self.ids)], "period_id")
        for period in self:
            expected, received, on_time = counts.get(period.id, (0, 0, 0))
            period.expected_count, period.received_count, period.on_time_count = expected, received, on_time
            completeness, timeliness = reporting.rates(expected, received, on_time)
            period.completeness_rate, period.timeliness_rate = completeness or 0.0, timeliness or 0.0
