from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import progress


class SocialSchemeActivityBudget(models.Model):
    """The planned amount an activity uses of one budget line of its scheme.

    The activities' planned amounts on a line add up to at most the line's plan.
    """

    _name = "social.scheme.activity.budget"
    _description = "Activity's share of a budget line"
    _inherit = ["social.scheme.guard.mixin"]
    _order = "task_id, budget_line_id, id"

    task_id = fields.Many2one("project.task", string="Activity", required=True, ondelete="cascade", index=True)
    budget_line_id = fields.Many2one("social.scheme.budget.line", string="Budget line", required=True,
                                     ondelete="restrict", index=True,
                                     domain="[('scheme_id', '=', scheme_id)]")
    scheme_id = fields.Many2one(related="task_id.scheme_id", store=True, index=True)
    unit_id = fields.Many2one(related="task_id.scheme_unit_id", store=True, index=True)
    currency_id = fields.Many2one(related="budget_line_id.currency_id")
    amount_planned = fields.Monetary(string="Planned amount", help="What the activity plans to spend of the line.")
    line_amount_planned = fields.Monetary(related="budget_line_id.amount_planned", string="Line's plan")

    _sql_constraints = [
        ("task_line_unique", "unique(task_id, budget_line_id)", "An activity lists each budget line once."),
    ]

    @api.constrains("task_id", "budget_line_id")
    def _check_same_scheme(self):
        for share in self:
            if share.budget_line_id.scheme_id != share.task_id.scheme_id:
                raise ValidationError(self.env._(
                    "%(line)s belongs to another scheme than the activity %(activity)s.",
                    line=share.budget_line_id.display_name, activity=share.task_id.display_name))

    @api.constrains("amount_planned", "budget_line_id")
    def _check_within_plan(self):
        for share in self:
            if share.currency_id.compare_amounts(share.amount_planned, 0) < 0:
                raise ValidationError(self.env._("A planned amount cannot be negative."))
        lines = self.budget_line_id
        totals = dict(self.sudo()._read_group([("budget_line_id", "in", lines.ids)], ["budget_line_id"],
                                              ["amount_planned:sum"]))
        for line in lines:
            excess = progress.over_plan(line.amount_planned, [totals.get(line, 0.0)])
            if line.currency_id.compare_amounts(excess, 0) > 0:
                raise ValidationError(self.env._(
                    "The activities plan %(total)s on %(line)s, more than its plan of %(plan)s (by %(excess)s).",
                    total=line.scheme_id._format_amount(totals.get(line, 0.0)), line=line.display_name,
                    plan=line.scheme_id._format_amount(line.amount_planned),
                    excess=line.scheme_id._format_amount(excess)))
