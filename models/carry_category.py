from odoo import fields, models

KINDS = [
    ("contract", "Contract signed or selection finished before the year end"),
    ("late_allocation", "Money added after 30/09"),
    ("other", "Other task, by decision"),
]


class SocialSchemeCarryCategory(models.Model):
    """A category of carry-forward (chuyển nguồn) the budget law allows, with its legal basis.

    ``kind`` says which money a category may carry: an open contract's remainder, money
    allocated late in the year, or (``other``) anything, by a decision with its reason.
    """

    _name = "social.scheme.carry.category"
    _description = "Carry-forward category"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    kind = fields.Selection(KINDS, required=True, tracking=True)
    requires_decision = fields.Boolean(
        tracking=True, help="A carry-forward in this category needs a decision number and a reason.")
    legal_basis = fields.Char(required=True, tracking=True)
    year_from = fields.Integer(string="From fiscal year", tracking=True)
    year_to = fields.Integer(string="Until fiscal year", tracking=True, help="Empty: still in force.")
    note = fields.Text()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [("code_unique", "unique(code)", "A carry-forward category code is used once.")]

    def _applies_to(self, fiscal_year):
        self.ensure_one()
        return (self.year_from or 0) <= fiscal_year and (not self.year_to or self.year_to >= fiscal_year)
