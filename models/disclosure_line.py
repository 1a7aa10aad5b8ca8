from odoo import fields, models


class SocialSchemeDisclosureLine(models.Model):
    """A budget line's figures in a disclosure, frozen when it is published."""

    _name = "social.scheme.disclosure.line"
    _description = "Budget disclosure line"
    _inherit = ["social.scheme.guard.mixin"]
    _order = "disclosure_id, scheme_id, sequence, id"
    # figures taken from the ledger by action_update, frozen once published
    _system_fields = ("disclosure_id", "sequence", "budget_line_id", "budget_code", "name", "amount_estimate",
                      "amount_executed", "amount_cancelled", "amount_carried_out", "execution_rate")

    disclosure_id = fields.Many2one("social.scheme.disclosure", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer()
    budget_line_id = fields.Many2one("social.scheme.budget.line", string="Budget line", required=True,
                                     ondelete="restrict")
    scheme_id = fields.Many2one(related="budget_line_id.scheme_id", store=True)
    budget_code = fields.Char()
    name = fields.Char(string="Content", required=True)
    amount_estimate = fields.Monetary(string="Estimate (opening + allocated)")
    amount_executed = fields.Monetary(string="Executed")
    amount_cancelled = fields.Monetary(string="Cancelled")
    amount_carried_out = fields.Monetary(string="Carried forward")
    execution_rate = fields.Float(string="Execution (%)")
    currency_id = fields.Many2one(related="disclosure_id.currency_id")
