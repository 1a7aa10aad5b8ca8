from odoo import fields, models


class SocialSchemePeriodReopen(models.TransientModel):
    """Asks the planner why a unit's frozen period is reopened (kept in its chatter)."""

    _name = "social.scheme.period.reopen"
    _description = "Reopen a reporting period"
    _inherit = ["social.scheme.guard.mixin"]

    period_unit_ids = fields.Many2many("social.scheme.period.unit", string="Periods")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.period_unit_ids.action_reopen(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
