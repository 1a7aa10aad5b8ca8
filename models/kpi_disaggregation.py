from odoo import fields, models


class SocialSchemeKpiDisaggregation(models.Model):
    """A breakdown category of KPI figures, e.g. voluntary in-province admissions."""

    _name = "social.scheme.kpi.disaggregation"
    _description = "KPI breakdown category"
    _inherit = ["social.scheme.guard.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, size=256)
    code = fields.Char(required=True, size=32)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a breakdown category must be unique."),
    ]
