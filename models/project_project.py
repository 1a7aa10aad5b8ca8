from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    # the record rules of scheme projects follow their scheme (one scheme per project)
    social_scheme_ids = fields.One2many("social.scheme", "project_id", string="Schemes")
