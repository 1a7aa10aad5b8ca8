from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    scheme_unit_ids = fields.Many2many(
        "res.partner",
        "social_scheme_user_unit_rel",
        "user_id",
        "partner_id",
        string="Scheme units",
        help="Facilities whose procurement, payments and KPI figures this user handles "
        "as a facility officer or unit head.",
    )

    def _get_invalidation_fields(self):
        # Officer record rules read scheme_unit_ids: changing it must refresh them.
        return super()._get_invalidation_fields() | {"scheme_unit_ids"}
