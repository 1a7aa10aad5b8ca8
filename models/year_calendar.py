from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import fiscal_year as fy

EVENTS = [
    ("late_allocation_after", "Money added after this date may be carried forward"),
    ("allocation_last", "Last change of the year's allocations"),
    ("payment_documents_last", "Last payment documents to the treasury"),
    ("spending_last", "Last day of spending"),
    ("adjustment_end", "End of the adjustment period"),
    ("reconciliation", "Reconciliation with the treasury"),
    ("advance_refund", "Open advances refunded or settled"),
]


class SocialSchemeYearCalendar(models.Model):
    """A dated rule of the year-end calendar (e.g. 31/01 of the next year ends the adjustment period).

    Shipped as data with its legal basis, edited by managers when the law changes:
    for a fiscal year the rule whose first year is the latest applies.
    """

    _name = "social.scheme.year.calendar"
    _description = "Year-end calendar rule"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "year_from desc, event, id"
    _rec_names_search = ["legal_basis"]

    name = fields.Char(compute="_compute_name")  # in the reader's language
    event = fields.Selection(EVENTS, required=True, tracking=True)
    day = fields.Integer(required=True, tracking=True)
    month = fields.Integer(required=True, tracking=True)
    year_offset = fields.Selection(
        [("0", "In the fiscal year"), ("1", "In the next year")], string="Year", required=True, default="0",
        tracking=True,
    )
    year_from = fields.Integer(string="From fiscal year", required=True, tracking=True)
    year_to = fields.Integer(string="Until fiscal year", tracking=True, help="Empty: still in force.")
    legal_basis = fields.Char(required=True, tracking=True)
    note = fields.Text()
    active = fields.Boolean(default=True, tracking=True)

    @api.depends("event", "day", "month", "year_offset")
    def _compute_name(self):
        events = dict(self._fields["event"]._description_selection(self.env))
        for rule in self:
            when = f"{rule.day:02d}/{rule.month:02d}" + (" (+1)" if rule.year_offset == "1" else "")
            rule.name = f"{events.get(rule.event, '')}: {when}"

    @api.constrains("day", "month", "year_from", "year_to")
    def _check_date(self):
        for rule in self:
            if not 1 <= rule.month <= 12 or not 1 <= rule.day <= 31:
                raise ValidationError(self.env._("%(day)s/%(month)s is not a day of the year.",
                                                 day=rule.day, month=rule.month))
            if not 2000 <= rule.year_from <= 2100 or (rule.year_to and rule.year_to < rule.year_from):
                raise ValidationError(self.env._("The fiscal years of a calendar rule are not valid."))

    @api.model
    def _basis(self, event, fiscal_year):
        """The legal basis of the rule that sets ``event`` for ``fiscal_year``."""
        rules = self.sudo().search([("event", "=", event), ("year_from", "<=", fiscal_year)],
                                   order="year_from desc").filtered(
            lambda r: not r.year_to or r.year_to >= fiscal_year)
        return rules[:1].legal_basis or ""

    @api.model
    def _event_date(self, event, fiscal_year):
        """The date of ``event`` for ``fiscal_year``, from the active rules (None without one)."""
        rules = self.sudo().search_fetch([("event", "=", event)], ["event", "day", "month", "year_offset",
                                                                   "year_from", "year_to"])
        return fy.event_date(
            [{"event": r.event, "day": r.day, "month": r.month, "year_offset": int(r.year_offset),
              "year_from": r.year_from, "year_to": r.year_to} for r in rules],
            event, fiscal_year,
        )
