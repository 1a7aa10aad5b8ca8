from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SocialSchemeBudgetCode(models.Model):
    """One code of the state-budget classification (Mục lục ngân sách nhà nước).

    The classification has separate dimensions (chapter, function type, economic
    item, funding source) and is versioned by law, so codes are dated data.
    """

    _name = "social.scheme.budget.code"
    _description = "State budget classification code"
    _inherit = ["social.scheme.guard.mixin"]
    _parent_store = True
    _order = "dimension, code, date_from desc"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True, size=32)
    name = fields.Char(required=True, translate=True, size=512)
    dimension = fields.Selection(
        [
            ("chapter", "Chapter"),
            ("type", "Type / Item of function"),
            ("item", "Economic item / sub-item"),
            ("source", "Funding source"),
        ],
        required=True,
        default="item",
    )
    parent_id = fields.Many2one(
        "social.scheme.budget.code", index=True, ondelete="restrict",
        domain="[('dimension', '=', dimension)]",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("social.scheme.budget.code", "parent_id", string="Sub-codes")
    date_from = fields.Date(string="Valid from")
    date_to = fields.Date(string="Valid to")
    legal_basis = fields.Char(size=256)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_dimension_from_unique",
            "unique(code, dimension, date_from)",
            "A budget code is unique within its dimension and validity start.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for code in self:
            code.display_name = f"{code.code} - {code.name}" if code.name else code.code

    @api.constrains("parent_id", "dimension")
    def _check_parent(self):
        for code in self:
            if code.parent_id and code.parent_id.dimension != code.dimension:
                raise ValidationError(
                    self.env._("Budget code %(code)s and its parent must belong to the same dimension.",
                               code=code.code)
                )
        if self._has_cycle():
            raise ValidationError(self.env._("Budget codes cannot be their own parents."))

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for code in self:
            if code.date_from and code.date_to and code.date_from > code.date_to:
                raise ValidationError(
                    self.env._("Budget code %(code)s: the validity start is after its end.", code=code.code)
                )
