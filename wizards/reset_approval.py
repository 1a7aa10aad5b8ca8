from odoo import fields, models


class SocialSchemeResetApproval(models.TransientModel):
    """Asks the Manager why a cancelled approved scheme goes back to draft."""

    _name = "social.scheme.reset.approval"
    _description = "Reset a scheme's approval"
    _inherit = ["social.scheme.guard.mixin"]

    reason = fields.Text(required=True)

    def action_confirm(self):
        schemes = self.env["social.scheme"].browse(self.env.context.get("active_ids", []))
        schemes.action_reset_approval(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
