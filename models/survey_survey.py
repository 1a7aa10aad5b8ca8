from odoo import fields, models


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    scheme_unit_id = fields.Many2one(
        "res.partner", string="Facility", index=True,
        help="The facility whose service the survey measures: survey indicators count its answers for it.",
    )
