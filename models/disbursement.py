from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import budget_math, fiscal_year


class SocialSchemeDisbursement(models.Model):
    """A payment drawn from the estimate (Thanh toán / Rút dự toán) with a treasury document.

    Posted payments are never edited or deleted, only cancelled; cancelling gives
    back what the payment used.
    """

    _name = "social.scheme.disbursement"
    _description = "Disbursement"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.scheme.workflow.mixin"]
    _order = "date desc, id desc"
    _frozen_fields = (
        "budget_line_id", "package_id", "unit_id", "date", "fiscal_year", "amount", "document_number",
        "partner_id", "kind",
    )

    name = fields.Char(string="Description", required=True, tracking=True, size=512, compute="_compute_name",
                       store=True, readonly=False, precompute=True,
                       help="Defaults to the treasury document and the budget line.")
    package_id = fields.Many2one(
        "social.scheme.procurement.package", index=True, tracking=True, ondelete="restrict",
        domain="[('state', 'in', ('contracted', 'accepted'))]",
        help="A payment under a contract consumes the package's commitment.",
    )
    budget_line_id = fields.Many2one(
        "social.scheme.budget.line", string="Budget line", required=True, ondelete="restrict", index=True,
        tracking=True, compute="_compute_budget_line_id", store=True, readonly=False, precompute=True,
    )
    scheme_id = fields.Many2one(related="budget_line_id.scheme_id", store=True, index=True)
    unit_id = fields.Many2one(
        "res.partner", compute="_compute_unit_id", store=True, readonly=False, precompute=True,
        index=True, tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    fiscal_year = fields.Integer(
        compute="_compute_fiscal_year", store=True, readonly=False, precompute=True, tracking=True,
        help="The year whose money pays: the year of the date, or the previous year for a document of its "
             "adjustment period (chỉnh lý quyết toán, until 31/01).",
    )
    amount = fields.Monetary(required=True, tracking=True)
    document_number = fields.Char(string="Treasury document", tracking=True, size=64)
    partner_id = fields.Many2one("res.partner", string="Payee", tracking=True)
    kind = fields.Selection(
        [("advance", "Advance"), ("payment", "Payment"), ("advance_settlement", "Advance settlement")],
        required=True, default="payment", tracking=True,
    )
    note = fields.Text()
    currency_id = fields.Many2one(related="budget_line_id.currency_id", store=True)
    company_id = fields.Many2one(related="budget_line_id.company_id", store=True, index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        default="draft", required=True, tracking=True, copy=False, index=True,
    )

    # -------------------------------------------------------------- computes
    @api.depends("document_number", "budget_line_id")
    def _compute_name(self):
        for payment in self:
            if not payment.name:
                payment.name = " – ".join(filter(None, [payment.document_number, payment.budget_line_id.name]))

    @api.depends("package_id")
    def _compute_budget_line_id(self):
        for payment in self:
            if payment.package_id:
                payment.budget_line_id = payment.package_id.budget_line_id

    @api.depends("budget_line_id", "package_id")
    def _compute_unit_id(self):
        for payment in self:
            if payment.package_id:
                payment.unit_id = payment.package_id.unit_id
            elif not payment.unit_id or payment.unit_id not in payment.scheme_id.unit_ids:
                own = self.env.user.scheme_unit_ids & payment.scheme_id.unit_ids
                payment.unit_id = own[:1] or payment.scheme_id.implementing_unit_id

    @api.depends("date")
    def _compute_fiscal_year(self):
        for payment in self:
            payment.fiscal_year = payment.date.year if payment.date else 0

    # ----------------------------------------------------------- constraints
    @api.constrains("amount")
    def _check_amount(self):
        for payment in self:
            if payment.currency_id.compare_amounts(payment.amount, 0) <= 0:
                raise ValidationError(self.env._("A payment must be a positive amount."))

    @api.constrains("unit_id", "budget_line_id")
    def _check_unit(self):
        for payment in self:
            if payment.unit_id not in payment.scheme_id.unit_ids:
                raise ValidationError(
                    self.env._("%(unit)s does not take part in %(scheme)s.",
                               unit=payment.unit_id.display_name or "-", scheme=payment.scheme_id.display_name)
                )

    @api.constrains("package_id", "budget_line_id", "unit_id")
    def _check_package(self):
        for payment in self.filtered("package_id"):
            package = payment.package_id
            if package.budget_line_id != payment.budget_line_id or package.unit_id != payment.unit_id:
                raise ValidationError(
                    self.env._("A payment under %(package)s is made on its budget line and for its unit.",
                               package=package.display_name)
                )

    @api.constrains("fiscal_year", "date")
    def _check_fiscal_year(self):
        self._check_fiscal_years()
        calendar = self.env["social.scheme.year.calendar"]
        for payment in self:
            previous_end = calendar._event_date("adjustment_end", payment.date.year - 1)
            if payment.fiscal_year not in fiscal_year.booking_years(payment.date, previous_end):
                raise ValidationError(
                    self.env._(
                        "A payment dated %(date)s is booked to %(own)s%(or_previous)s, not to %(year)s.",
                        date=payment.date.strftime("%d/%m/%Y"), own=payment.date.year, year=payment.fiscal_year,
                        or_previous=self.env._(" or, until %(end)s, to %(previous)s",
                                               end=previous_end.strftime("%d/%m/%Y"),
                                               previous=payment.date.year - 1) if previous_end else "",
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for payment in self:
            if payment.state != "draft":
                raise UserError(
                    self.env._("%(payment)s is %(state)s: payments that were posted are never deleted.",
                               payment=payment.display_name, state=payment._state_label())
                )

    # ---------------------------------------------------------------- guards
    def _check_officer(self, message):
        self._check_group(("social_scheme.group_officer", "social_scheme.group_manager"), message)
        self._check_write_access()

    def _check_can_post(self):
        self._check_state(("draft",), self.env._("posted"))
        self._check_officer(
            self.env._("Only the unit's procurement officer or accountant, or a Manager, can post a payment.")
        )
        self._check_years_open()
        for payment in self:
            if payment.package_id and payment.package_id.state not in ("contracted", "accepted"):
                raise UserError(
                    self.env._("%(package)s is %(state)s: payments are made on a contracted or accepted package.",
                               package=payment.package_id.display_name,
                               state=payment.package_id._state_label())
                )
            if payment.scheme_id.state not in ("approved", "in_progress"):
                raise UserError(
                    self.env._("%(scheme)s is %(state)s: payments can only be posted on an approved scheme.",
                               scheme=payment.scheme_id.display_name, state=payment.scheme_id._state_label())
                )
            commitment = payment.package_id.commitment_id
            if payment.package_id and payment.kind in budget_math.SPENDING_KINDS and commitment \
                    and commitment.fiscal_year != payment.fiscal_year:
                raise UserError(
                    self.env._("The money of %(package)s is reserved in %(reserved)s: its payments are booked to "
                               "%(reserved)s, not %(year)s.", package=payment.package_id.display_name,
                               reserved=commitment.fiscal_year, year=payment.fiscal_year)
                )

    def _check_can_cancel(self):
        self._check_state(("draft", "posted"), self.env._("cancelled"))
        self._check_officer(
            self.env._("Only the unit's procurement officer or accountant, or a Manager, can cancel a payment.")
        )
        self.filtered(lambda p: p.state == "posted")._check_years_open()
        for payment in self.filtered(lambda p: p.state == "posted" and p.package_id):
            if payment.package_id.state not in ("contracted", "accepted"):
                raise UserError(
                    self.env._("%(package)s is %(state)s: its payments can no longer be cancelled.",
                               package=payment.package_id.display_name,
                               state=payment.package_id._state_label())
                )

    def _check_years_open(self):
        self.budget_line_id._check_open_years([(payment.scheme_id, payment.fiscal_year) for payment in self])

    # --------------------------------------------------------------- actions
    def action_post(self):
        """Post under a lock on the budget lines, refusing any overspending."""
        self._check_can_post()
        lines = self.budget_line_id
        lines._lock_ledger()
        self._check_funds(self.env["social.scheme.budget.year"]._figures(lines))
        under_contract = self.filtered("package_id")
        under_contract._check_contract_remainder()
        for payment in under_contract.filtered(lambda p: p.kind in budget_math.SPENDING_KINDS):
            payment.package_id.commitment_id._consume(payment.amount)
        self._write_state({"state": "posted"})
        lines._check_ledger()
        return True

    def action_cancel(self):
        lines = self.budget_line_id
        self._check_can_cancel()
        lines._lock_ledger()
        for payment in self.filtered(
            lambda p: p.state == "posted" and p.package_id and p.kind in budget_math.SPENDING_KINDS
        ):
            payment.package_id.commitment_id._restore(payment.amount)
        self._write_state({"state": "cancelled"})
        lines._check_ledger()
        return True

    # ------------------------------------------------------ business methods
    def _check_contract_remainder(self):
        """A payment under a contract may not exceed what the contract still leaves to pay."""
        needed = defaultdict(float)
        for payment in self.filtered(lambda p: p.kind in budget_math.SPENDING_KINDS):
            needed[payment.package_id] += payment.amount
        for package, amount in needed.items():
            remainder = package.amount_contract - package.amount_paid
            if package.currency_id.compare_amounts(amount, remainder) > 0:
                raise UserError(
                    self.env._(
                        "Paying %(amount)s under %(package)s exceeds the contract remainder (%(remainder)s).",
                        amount=package._format_amount(amount),
                        package=package.display_name,
                        remainder=package._format_amount(remainder),
                    )
                )

    def _check_funds(self, figures):
        """Refuse with a message naming the line and year when these payments do not fit.

        ``figures`` are the years' figures (``social.scheme.budget.year._figures``): a
        payment of year Y draws only on Y's available money. Spending under a contract
        was reserved already: it is checked against the contract remainder instead
        (``_check_contract_remainder``).
        """
        needed = defaultdict(lambda: defaultdict(float))
        for payment in self:
            if payment.package_id and payment.kind in budget_math.SPENDING_KINDS:
                continue
            needed[(payment.budget_line_id, payment.fiscal_year)][payment.kind] += payment.amount
        for (line, year), by_kind in needed.items():
            total = figures.get((line.id, year)) or {}
            available = total.get("amount_available", 0.0)
            spending = budget_math.spent_from_kinds(by_kind)
            if line.currency_id.compare_amounts(spending, available) > 0:
                raise UserError(
                    self.env._(
                        "Posting %(amount)s would overspend %(line)s in %(year)s: only %(available)s of %(year)s "
                        "is available (opening + allocated − committed − spent − cancelled − carried forward).",
                        amount=line._format_amount(spending),
                        line=line.display_name,
                        year=year,
                        available=line._format_amount(available),
                    )
                )
            settling = by_kind.get("advance_settlement", 0.0)
            advance_open = total.get("amount_advance_open", 0.0)
            if line.currency_id.compare_amounts(settling, advance_open) > 0:
                raise UserError(
                    self.env._(
                        "Settling %(amount)s of advances on %(line)s, but only %(open)s of advances is open.",
                        amount=line._format_amount(settling),
                        line=line.display_name,
                        open=line._format_amount(advance_open),
                    )
                )
