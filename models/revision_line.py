from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SocialSchemeRevisionLine(models.Model):
    """The new planned amount of one budget line in a revision."""

    _name = "social.scheme.revision.line"
    _description = "Revision line"
    _inherit = ["social.scheme.guard.mixin"]
    _order = "revision_id, id"

    revision_id = fields.Many2one("social.scheme.revision", required=True, ondelete="cascade", index=True)
    scheme_id = fields.Many2one(related="revision_id.scheme_id", store=True, index=True)
    budget_line_id = fields.Many2one(
        "social.scheme.budget.line", string="Budget line", required=True, ondelete="restrict", index=True,
        domain="[('scheme_id', '=', scheme_id)]",
    )
    amount_current = fields.Monetary(related="budget_line_id.amount_planned", string="Current amount")
    amount_old = fields.Monetary(string="Amount before", readonly=True, copy=False,
                                 help="The line's planned amount when the revision was approved.")
    amount_new = fields.Monetary(string="New amount", required=True)
    amount_change = fields.Monetary(string="Change", compute="_compute_amount_change")
    currency_id = fields.Many2one(related="revision_id.currency_id")

    _sql_constraints = [
        ("line_unique", "unique(revision_id, budget_line_id)", "A budget line appears once in a revision."),
    ]

    @api.depends("amount_new", "amount_old", "amount_current", "revision_id.state")
    def _compute_amount_change(self):
        for line in self:
            before = line.amount_old if line.revision_id.state == "approved" else line.amount_current
            line.amount_change = line.amount_new - before

    @api.constrains("amount_new")
    def _check_amount_new(self):
        for line in self:
            if line.currency_id.compare_amounts(line.amount_new, 0) < 0:
                raise ValidationError(self.env._("A new planned amount cannot be negative."))

    @api.constrains("budget_line_id", "revision_id")
    def _check_same_scheme(self):
        for line in self:
            if line.budget_line_id.scheme_id != line.revision_id.scheme_id:
                raise ValidationError(
                    self.env._("%(line)s does not belong to the revised scheme.", line=line.budget_line_id.display_name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_revision_editable()
        return lines

    def write(self, vals):
        self._check_revision_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._check_revision_editable()

    def _check_revision_editable(self):
        if self.env.su:
            return
        for line in self:
            if line.revision_id.state != "draft":
                raise UserError(
                    self.env._("%(revision)s is no longer a draft: its lines cannot change.",
                               revision=line.revision_id.display_name)
                )
