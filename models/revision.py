from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import budget_math


class SocialSchemeRevision(models.Model):
    """A decision that changes an approved scheme's amounts (Điều chỉnh dự toán / đề án).

    Approving it applies every new amount at once, keeps the old ones on its lines,
    and leaves the history in the chatter of the scheme and of each budget line.
    """

    _name = "social.scheme.revision"
    _description = "Scheme revision"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.scheme.workflow.mixin"]
    _order = "date desc, id desc"
    _frozen_fields = ("scheme_id", "decision_number", "date", "amount_total_new", "reason")

    name = fields.Char(required=True, default=lambda self: self.env._("New revision"), tracking=True, size=256)
    scheme_id = fields.Many2one(
        "social.scheme", required=True, ondelete="cascade", index=True, tracking=True,
        domain="[('state', 'in', ('approved', 'in_progress'))]",
    )
    decision_number = fields.Char(tracking=True, size=64)
    date = fields.Date(string="Decision date", default=fields.Date.context_today, tracking=True)
    reason = fields.Text(required=True)
    line_ids = fields.One2many("social.scheme.revision.line", "revision_id", string="Lines", copy=True)
    amount_total_old = fields.Monetary(string="Total before", readonly=True, copy=False)
    amount_total_new = fields.Monetary(
        string="New approved total", tracking=True,
        help="Fill only when the decision changes the scheme's approved total.",
    )
    amount_total_current = fields.Monetary(related="scheme_id.amount_total", string="Current total")
    currency_id = fields.Many2one(related="scheme_id.currency_id", store=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"), ("cancelled", "Cancelled")],
        default="draft", required=True, tracking=True, copy=False, index=True,
    )

    @api.constrains("amount_total_new")
    def _check_amount_total_new(self):
        for revision in self:
            if revision.currency_id.compare_amounts(revision.amount_total_new, 0) < 0:
                raise ValidationError(self.env._("A new total cannot be negative."))

    # ---------------------------------------------------------------- guards
    def _check_can_submit(self):
        self._check_state(("draft",), self.env._("submitted"))
        self._check_group(
            ("social_scheme.group_planner",), self.env._("Only a planner of the Department can submit a revision.")
        )
        self._check_write_access()

    def _check_can_approve(self):
        self._check_state(("draft", "submitted"), self.env._("approved"))
        self._check_group(
            ("social_scheme.group_manager",),
            self.env._("Only the Department leader (Manager) can approve a revision."),
        )
        self._check_write_access()
        for revision in self:
            if revision.scheme_id.state not in ("approved", "in_progress"):
                raise UserError(
                    self.env._("%(scheme)s is %(state)s: only an approved scheme that runs can be revised.",
                               scheme=revision.scheme_id.display_name, state=revision.scheme_id._state_label())
                )
            if not revision.decision_number or not revision.date:
                raise UserError(self.env._("Enter the number and date of the revision decision before approving it."))
            if not revision.line_ids and not revision.amount_total_new:
                raise UserError(self.env._("The revision changes nothing: add the lines it revises."))

    def _check_can_cancel(self):
        self._check_state(("draft", "submitted"), self.env._("cancelled"))
        self._check_group(
            ("social_scheme.group_planner",), self.env._("Only a planner of the Department can cancel a revision.")
        )
        self._check_write_access()

    # --------------------------------------------------------------- actions
    def action_submit(self):
        """Ask the Department leader to approve the revision decision."""
        self._check_can_submit()
        self._write_state({"state": "submitted"})
        self._request_approval()
        return True

    def action_approve(self):
        self._check_can_approve()
        for revision in self:
            revision._apply()
        self._close_approval("approved")
        return True

    def action_cancel(self):
        self._check_can_cancel()
        returned = self.filtered(lambda revision: revision.state == "submitted"
                                 and self.env.user != revision.submitted_by_id)
        self._write_state({"state": "cancelled"})
        returned._close_approval("returned", self.env.context.get("social_scheme_reason"))
        (self - returned)._close_approval()
        return True

    def _approvers(self):
        return self._group_users(self.env.ref("social_scheme.group_manager"))

    def _apply(self):
        """Check the revised plan against fresh ledger figures and apply it atomically."""
        self.ensure_one()
        scheme = self.scheme_id
        budget_lines = scheme.budget_line_ids
        budget_lines._lock_ledger()
        totals = budget_lines._ledger_totals()
        current = {line.id: line.amount_planned for line in budget_lines}
        changes = {rl.budget_line_id.id: rl.amount_new for rl in self.line_ids}
        floors = {}
        for line_id, total in totals.items():
            floors[line_id] = max(total.get("allocated", 0.0) - total.get("cancelled", 0.0),
                                  total.get("committed", 0.0) + total.get("spent", 0.0))
        target = self.amount_total_new or scheme.amount_total
        for problem in budget_math.revision_problems(current, changes, floors, target):
            raise UserError(self._problem_message(problem))
        for revision_line in self.line_ids:
            revision_line.sudo().amount_old = revision_line.budget_line_id.amount_planned
            revision_line.budget_line_id.sudo().amount_planned = revision_line.amount_new
        self._write_state({"state": "approved", "amount_total_old": scheme.amount_total})
        if self.amount_total_new and scheme.currency_id.compare_amounts(self.amount_total_new, scheme.amount_total):
            scheme.sudo().amount_total = self.amount_total_new
        scheme._post_as_user(
            body=self.env._("Revision %(revision)s applied (decision %(number)s).",
                            revision=self.name, number=self.decision_number)
        )
        budget_lines._check_ledger()

    def _problem_message(self, problem):
        line_model = self.env["social.scheme.budget.line"]
        kind = problem[0]
        if kind == "negative":
            return self.env._("%(line)s: a planned amount cannot be negative.",
                              line=line_model.browse(problem[1]).display_name)
        if kind == "below_floor":
            line = line_model.browse(problem[1])
            return self.env._(
                "%(line)s cannot be cut to %(new)s: %(floor)s is already allocated, committed or spent.",
                line=line.display_name,
                new=line._format_amount(problem[2]),
                floor=line._format_amount(problem[3]),
            )
        return self.env._(
            "The revised lines add up to %(sum)s, but the scheme total is %(total)s. "
            "They must be equal (fill the new total when the decision changes it).",
            sum=self.scheme_id._format_amount(problem[1]),
            total=self.scheme_id._format_amount(problem[2]),
        )
