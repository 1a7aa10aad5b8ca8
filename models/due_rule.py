from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import reporting

FREQUENCIES = [
    ("month", "Monthly"),
    ("quarter", "Quarterly"),
    ("half_year", "6-monthly"),
    ("year", "Yearly"),
]


class SocialSchemeDueRule(models.Model):
    """When a period's report is due: day D of the M-th month after the period ends.

    Shipped as data with its legal basis (the 3rd of the next month for the monthly
    statistics; 15/07 and 15/01 for the half year and the year). A rule of one scheme
    (its own decision) wins over the general one; of several, the latest in force on the
    period's last day applies.
    """

    _name = "social.scheme.due.rule"
    _description = "Reporting due rule"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "frequency, scheme_id, date_from desc, id desc"
    _rec_names_search = ["legal_basis"]

    name = fields.Char(compute="_compute_name")  # in the reader's language
    frequency = fields.Selection(FREQUENCIES, required=True, tracking=True)
    scheme_id = fields.Many2one("social.scheme", ondelete="cascade", index=True, tracking=True,
                                help="Empty: every scheme; set: this scheme's own decision.")
    due_day = fields.Integer(string="Due day", required=True, default=15, tracking=True)
    months_after = fields.Integer(string="Months after the period", required=True, default=1, tracking=True,
                                  help="1: the month after the period's last month.")
    reminder_days = fields.Integer(string="Remind days before", default=5, tracking=True,
                                   help="The unit's officers get a to-do this many days before the due date.")
    lock_days = fields.Integer(string="Lock days after", default=0, tracking=True,
                               help="Figures freeze this many days after the due date; 0: only when a "
                               "planner validates the period.")
    date_from = fields.Date(string="In force from", required=True, tracking=True)
    legal_basis = fields.Char(required=True, tracking=True, size=512)
    active = fields.Boolean(default=True, tracking=True)

    @api.depends("frequency", "due_day", "months_after")
    def _compute_name(self):
        frequencies = dict(self._fields["frequency"]._description_selection(self.env))
        for rule in self:
            rule.name = self.env._("%(frequency)s: day %(day)s, %(months)s month(s) after the period",
                                   frequency=frequencies.get(rule.frequency, ""), day=rule.due_day,
                                   months=rule.months_after)

    @api.constrains("due_day", "months_after", "reminder_days", "lock_days")
    def _check_days(self):
        for rule in self:
            if not 1 <= rule.due_day <= 31:
                raise ValidationError(self.env._("The due day is a day of the month, 1 to 31."))
            if not 0 <= rule.months_after <= 12:
                raise ValidationError(self.env._("A report is due 0 to 12 months after its period."))
            if rule.reminder_days < 0 or rule.lock_days < 0:
                raise ValidationError(self.env._("Reminder and lock days cannot be negative."))

    @api.model
    def _rule_for(self, scheme, frequency, period_end):
        """The rule in force for ``scheme``'s ``frequency`` reports on ``period_end``."""
        rules = self.sudo().search([
            ("frequency", "=", frequency), ("scheme_id", "in", [scheme.id, False]),
            ("date_from", "<=", period_end),
        ])
        return rules.sorted(lambda r: (bool(r.scheme_id), r.date_from, r.id), reverse=True)[:1]

    def _due_date(self, period_end):
        self.ensure_one()
        return reporting.due_date(period_end, self.due_day, self.months_after)
