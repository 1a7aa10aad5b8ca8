from odoo import api, fields, models
from odoo.exceptions import ValidationError

KINDS = [
    ("estimate", "Estimate as allocated"),
    ("q1", "Execution at 3 months"),
    ("h1", "Execution at 6 months"),
    ("q3", "Execution at 9 months"),
    ("year", "Execution of the year"),
    ("settlement", "Settlement"),
]


class SocialSchemeDisclosureForm(models.Model):
    """A public budget disclosure form (công khai ngân sách) and its deadline, as data.

    Form numbers and days are shipped *unverified* with their legal basis; a manager
    edits them when the rule is checked or changes.
    """

    _name = "social.scheme.disclosure.form"
    _description = "Budget disclosure form"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    kind = fields.Selection(KINDS, required=True, tracking=True)
    form_number = fields.Char(tracking=True, help="Number of the form in the circular, e.g. Biểu số 02.")
    days_after = fields.Integer(
        string="Days to publish", required=True, default=30, tracking=True,
        help="Publish within this many days after the estimate is allocated or the period ends.")
    legal_basis = fields.Char(required=True, tracking=True)
    year_from = fields.Integer(string="From fiscal year", tracking=True)
    year_to = fields.Integer(string="Until fiscal year", tracking=True, help="Empty: still in force.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)

    @api.constrains("days_after")
    def _check_days_after(self):
        for form in self:
            if not 0 <= form.days_after <= 366:
                raise ValidationError(self.env._("The days to publish must be between 0 and 366."))
