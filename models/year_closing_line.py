from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

SOURCES = [
    ("contract", "Open contract"),
    ("reservation", "Reservation of a package not contracted"),
    ("late_allocation", "Money added after 30/09"),
    ("carried_in", "Carried-in money not used"),
    ("unspent", "Other unspent money"),
    ("advance", "Open advances"),
]
DECISIONS = [
    ("cancel", "Cancel"),
    ("carry_forward", "Carry forward"),
    ("settle", "Settle or refund"),
]


class SocialSchemeYearClosingLine(models.Model):
    """One proposal of a year-end closing; once the closing is done, a ledger record.

    ``cancel`` removes ``amount`` from the year; ``carry_forward`` moves it out of the
    year and into the next one on the same line (with the package's reservation where
    there is one); ``settle`` lists open advances, which move nothing.
    """

    _name = "social.scheme.year.closing.line"
    _description = "Year-end closing proposal"
    _inherit = ["social.scheme.guard.mixin"]
    _order = "closing_id, scheme_id, budget_line_id, id"
    # proposals come from the ledger (action_propose): a Manager changes only the decision
    _system_fields = ("closing_id", "budget_line_id", "package_id", "commitment_id", "new_commitment_id",
                      "source", "amount")

    closing_id = fields.Many2one("social.scheme.year.closing", required=True, ondelete="cascade", index=True)
    fiscal_year = fields.Integer(related="closing_id.fiscal_year", store=True, precompute=True)
    state = fields.Selection(related="closing_id.state", store=True, precompute=True, index=True)
    budget_line_id = fields.Many2one("social.scheme.budget.line", string="Budget line", required=True,
                                     ondelete="restrict", index=True)
    scheme_id = fields.Many2one(related="budget_line_id.scheme_id", store=True, precompute=True, index=True)
    package_id = fields.Many2one("social.scheme.procurement.package", ondelete="restrict", index=True)
    commitment_id = fields.Many2one("social.scheme.commitment", string="Reservation of the year",
                                    ondelete="restrict")
    new_commitment_id = fields.Many2one("social.scheme.commitment", string="Reservation carried in",
                                        ondelete="restrict")
    source = fields.Selection(SOURCES, required=True)
    amount = fields.Monetary(required=True)
    decision = fields.Selection(DECISIONS, required=True)
    category_id = fields.Many2one("social.scheme.carry.category", string="Carry-forward category",
                                  ondelete="restrict")
    reason = fields.Text()
    decision_number = fields.Char(help="Decision allowing a carry-forward that needs one.")
    currency_id = fields.Many2one(related="budget_line_id.currency_id", store=True, precompute=True)
    company_id = fields.Many2one(related="budget_line_id.company_id", store=True, precompute=True, index=True)

    @api.constrains("amount")
    def _check_amount(self):
        for line in self:
            if line.currency_id.compare_amounts(line.amount, 0) < 0:
                raise ValidationError(self.env._("A closing amount cannot be negative."))

    @api.constrains("budget_line_id", "package_id", "closing_id")
    def _check_line(self):
        for line in self:
            if line.budget_line_id.scheme_id not in line.closing_id.scheme_ids:
                raise ValidationError(
                    self.env._("%(line)s is not a line of the schemes this closing covers.",
                               line=line.budget_line_id.display_name)
                )
            if line.package_id and line.package_id.budget_line_id != line.budget_line_id:
                raise ValidationError(
                    self.env._("Money of %(package)s stays on its own budget line.",
                               package=line.package_id.display_name)
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su and any(line.closing_id.state != "draft" for line in lines):
            raise UserError(self.env._("A closing that is done is changed only by reopening it."))
        return lines

    def write(self, vals):
        if not self.env.su and any(line.closing_id.state != "draft" for line in self):
            raise UserError(self.env._("A closing that is done is changed only by reopening it."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(line.closing_id.state != "draft" for line in self):
            raise UserError(self.env._("A closing that is done is changed only by reopening it."))

    # ---------------------------------------------------------------- guards
    def _check_decision(self):
        """The decision a Manager left on a proposal is one the law allows."""
        for line in self:
            name = line.package_id.display_name or line.budget_line_id.display_name
            if (line.source == "advance") != (line.decision == "settle"):
                raise UserError(
                    self.env._("%(line)s: open advances are settled or refunded; money is cancelled or carried "
                               "forward.", line=name)
                )
            if line.decision != "carry_forward":
                continue
            category = line.category_id
            if not category:
                raise UserError(self.env._("%(line)s: choose the carry-forward category.", line=name))
            if not category._applies_to(line.fiscal_year):
                raise UserError(self.env._("%(category)s is not in force for %(year)s.",
                                           category=category.display_name, year=line.fiscal_year))
            if category.kind == "contract" and line.source != "contract":
                raise UserError(
                    self.env._("%(line)s: only the remainder of a contract signed (or a selection finished) by "
                               "the year end is carried forward as %(category)s.",
                               line=name, category=category.display_name)
                )
            if category.kind == "late_allocation" and line.source != "late_allocation":
                raise UserError(
                    self.env._("%(line)s: only money added after 30/09 is carried forward as %(category)s.",
                               line=name, category=category.display_name)
                )
            second = line.source == "carried_in" or (line.source == "contract"
                                                      and line.commitment_id.carried_from_id)
            if (category.requires_decision or second) and not (
                    (line.reason or "").strip() and (line.decision_number or "").strip()):
                raise UserError(
                    self.env._("%(line)s: this carry-forward needs the decision number and its reason%(again)s.",
                               line=name,
                               again=self.env._(" (the money was carried forward once already)") if second else "")
                )
