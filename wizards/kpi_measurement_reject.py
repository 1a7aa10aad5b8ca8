from odoo import fields, models


class SocialSchemeKpiMeasurementReject(models.TransientModel):
    """Asks the planner why figures go back to their unit."""

    _name = "social.scheme.kpi.measurement.reject"
    _description = "Reject KPI figures"
    _inherit = ["social.scheme.guard.mixin"]

    reason = fields.Text(required=True)

    def action_confirm(self):
        measurements = self.env["social.scheme.kpi.measurement"].browse(self.env.context.get("active_ids", []))
        measurements.action_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
