from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SocialSchemeAllocation(models.Model):
    """The estimate assigned to a budget line for one fiscal year (Dự toán được giao)."""

    _name = "social.scheme.allocation"
    _description = "Yearly allocation"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "fiscal_year desc, date desc, id desc"

    budget_line_id = fields.Many2one(
        "social.scheme.budget.line", string="Budget line", required=True, ondelete="restrict", index=True,
        tracking=True,
    )
    scheme_id = fields.Many2one(related="budget_line_id.scheme_id", store=True, index=True)
    fiscal_year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True
    )
    amount = fields.Monetary(required=True, tracking=True)
    decision_number = fields.Char(tracking=True, size=64, help="Number of the decision assigning the estimate.")
    date = fields.Date(string="Decision date", default=fields.Date.context_today, tracking=True)
    note = fields.Text()
    currency_id = fields.Many2one(related="budget_line_id.currency_id", store=True)
    company_id = fields.Many2one(related="budget_line_id.company_id", store=True, index=True)

    @api.depends("fiscal_year", "budget_line_id")
    def _compute_display_name(self):
        for allocation in self:
            allocation.display_name = f"{allocation.budget_line_id.display_name} / {allocation.fiscal_year}"

    # ----------------------------------------------------------- constraints
    @api.constrains("amount")
    def _check_amount(self):
        for allocation in self:
            if allocation.currency_id.compare_amounts(allocation.amount, 0) <= 0:
                raise ValidationError(self.env._("An allocation must be a positive amount."))

    @api.constrains("fiscal_year")
    def _check_fiscal_year(self):
        self._check_fiscal_years()

    @api.constrains("fiscal_year", "date", "budget_line_id")
    def _check_year(self):
        calendar = self.env["social.scheme.year.calendar"]
        for allocation in self:
            allocation.scheme_id._check_year_within(allocation.fiscal_year)
            last = calendar._event_date("allocation_last", allocation.fiscal_year)
            if allocation.date and last and allocation.date > last:
                raise ValidationError(
                    self.env._("The allocations of %(year)s change until %(last)s (%(basis)s); a decision dated "
                               "%(date)s belongs to a later year.", year=allocation.fiscal_year,
                               last=last.strftime("%d/%m/%Y"), date=allocation.date.strftime("%d/%m/%Y"),
                               basis=calendar._basis("allocation_last", allocation.fiscal_year))
                )

    @api.constrains("amount", "budget_line_id")
    def _check_within_plan(self):
        for line in self.budget_line_id:
            line._check_within_plan(sum(line.allocation_ids.mapped("amount")) - line.amount_cancelled, ValidationError)

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        lines = self.env["social.scheme.budget.line"].browse(
            [vals["budget_line_id"] for vals in vals_list if vals.get("budget_line_id")]
        )
        lines._check_allocatable()
        lines._lock_ledger()
        allocations = super().create(vals_list)
        allocations._check_years_open()  # with their years as saved (the default one included)
        allocations.budget_line_id._check_ledger()
        return allocations

    def write(self, vals):
        lines = self.budget_line_id
        if vals.get("budget_line_id"):
            lines |= lines.browse(vals["budget_line_id"])
        money = {"amount", "budget_line_id", "fiscal_year", "date"} & set(vals)
        if money:
            lines._check_allocatable()
            lines._lock_ledger()
            self._check_years_open()
        res = super().write(vals)
        if money:
            self._check_years_open()
            lines._check_ledger()
        return res

    def unlink(self):
        lines = self.budget_line_id
        lines._check_allocatable()
        lines._lock_ledger()
        self._check_years_open()
        res = super().unlink()
        lines._check_ledger()
        return res

    def _check_years_open(self):
        self.budget_line_id._check_open_years([(a.scheme_id, a.fiscal_year) for a in self])
