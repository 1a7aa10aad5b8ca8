from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    social_scheme_import_max_size_mb = fields.Integer(
        string="Largest figures file (MB)", default=5, config_parameter="social_scheme.import_max_size_mb",
        help="Spreadsheets of KPI figures above this size are refused at upload.",
    )

    @api.constrains("social_scheme_import_max_size_mb")
    def _check_social_scheme_import_max_size(self):
        for settings in self:
            if not 1 <= settings.social_scheme_import_max_size_mb <= 100:
                raise ValidationError(self.env._("The largest figures file is 1 to 100 MB."))
