from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import budget_math

CATEGORIES = [
    ("repair", "Repair and upgrade"),
    ("equipment", "Equipment"),
    ("training", "Training"),
    ("communication", "Communication"),
    ("service", "Services"),
    ("other", "Other"),
]


class SocialSchemeBudgetLine(models.Model):
    """A spend line (Nội dung chi) of a scheme, and the ledger of its money.

    The money is yearly (``social.scheme.budget.year``): each year's available =
    opening + allocated − committed − spent − cancelled − carried out, never
    negative. The stored totals here are lifetime figures with cancelled money gone:
    allocated = Σ allocations − Σ cancelled, available = allocated − committed − spent
    (= Σ of the years' available, carried money counted once). Every operation that
    can lower a year's money goes through ``_lock_ledger`` then ``_check_ledger`` in
    the same transaction.
    """

    _name = "social.scheme.budget.line"
    _description = "Scheme budget line"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "scheme_id, sequence, id"

    # identity
    scheme_id = fields.Many2one("social.scheme", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Description", required=True, tracking=True, size=512)
    category = fields.Selection(CATEGORIES, required=True, default="other", tracking=True)
    budget_code_id = fields.Many2one(
        "social.scheme.budget.code", string="Budget code", domain="[('dimension', '=', 'item')]", tracking=True
    )
    fund_source = fields.Selection(
        [("central", "Central budget"), ("provincial", "Provincial budget"), ("other", "Other sources")],
        string="Funding source",
        required=True,
        default="provincial",
        tracking=True,
    )
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="scheme_id.currency_id", store=True)
    scheme_state = fields.Selection(related="scheme_id.state", string="Scheme status")

    # money
    amount_planned = fields.Monetary(string="Planned", tracking=True)
    amount_allocated = fields.Monetary(string="Allocated", compute="_compute_ledger", store=True,
                                       help="Allocations of every year less what was cancelled at year ends.")
    amount_cancelled = fields.Monetary(string="Cancelled", compute="_compute_ledger", store=True,
                                       help="Unspent money cancelled at year ends.")
    amount_committed = fields.Monetary(string="Committed", compute="_compute_ledger", store=True)
    amount_spent = fields.Monetary(string="Spent", compute="_compute_ledger", store=True)
    amount_available = fields.Monetary(string="Available", compute="_compute_ledger", store=True)
    amount_advance_open = fields.Monetary(string="Open advances", compute="_compute_ledger", store=True)
    disbursement_rate = fields.Float(string="Disbursement rate (%)", compute="_compute_ledger", store=True,
                                     aggregator="avg")

    # links
    allocation_ids = fields.One2many("social.scheme.allocation", "budget_line_id", string="Allocations")
    commitment_ids = fields.One2many("social.scheme.commitment", "budget_line_id", string="Commitments")
    disbursement_ids = fields.One2many("social.scheme.disbursement", "budget_line_id", string="Disbursements")
    package_ids = fields.One2many("social.scheme.procurement.package", "budget_line_id", string="Packages")
    closing_line_ids = fields.One2many("social.scheme.year.closing.line", "budget_line_id",
                                       string="Year-end decisions")
    year_ids = fields.One2many("social.scheme.budget.year", "budget_line_id", string="Fiscal years")

    # -------------------------------------------------------------- computes
    @api.depends(
        "amount_planned",
        "allocation_ids.amount",
        "commitment_ids.amount",
        "commitment_ids.state",
        "disbursement_ids.amount",
        "disbursement_ids.state",
        "disbursement_ids.kind",
        "closing_line_ids.amount",
        "closing_line_ids.decision",
        "closing_line_ids.state",
    )
    def _compute_ledger(self):
        totals = self._origin._ledger_totals()
        for line in self:
            total = totals.get(line._origin.id) or {}
            allocated = total.get("allocated", 0.0)
            if not line._origin:
                allocated = sum(line.allocation_ids.mapped("amount"))
            line.amount_cancelled = total.get("cancelled", 0.0)
            line.amount_allocated = allocated - line.amount_cancelled
            line.amount_committed = total.get("committed", 0.0)
            line.amount_spent = total.get("spent", 0.0)
            line.amount_advance_open = total.get("advance_open", 0.0)
            line.amount_available = budget_math.available(
                line.amount_allocated, line.amount_committed, line.amount_spent
            )
            line.disbursement_rate = budget_math.percent(line.amount_spent, line.amount_planned)

    def _ledger_totals(self):
        """Sums per line id from the database, in one query over the three ledgers."""
        totals = defaultdict(lambda: defaultdict(float))
        if not self.ids:
            return totals
        self.env["social.scheme.allocation"].flush_model(["budget_line_id", "amount"])
        self.env["social.scheme.commitment"].flush_model(["budget_line_id", "amount", "state"])
        self.env["social.scheme.disbursement"].flush_model(["budget_line_id", "amount", "state", "kind"])
        self.env["social.scheme.year.closing.line"].flush_model(["budget_line_id", "amount", "state", "decision"])
        rows = self.env.execute_query(SQL(
            """
            SELECT budget_line_id, 'allocated', SUM(amount) FROM social_scheme_allocation
             WHERE budget_line_id IN %(ids)s GROUP BY budget_line_id
            UNION ALL
            SELECT budget_line_id, 'committed', SUM(amount) FROM social_scheme_commitment
             WHERE budget_line_id IN %(ids)s AND state = 'open' GROUP BY budget_line_id
            UNION ALL
            SELECT budget_line_id, kind, SUM(amount) FROM social_scheme_disbursement
             WHERE budget_line_id IN %(ids)s AND state = 'posted' GROUP BY budget_line_id, kind
            UNION ALL
            SELECT budget_line_id, 'cancelled', SUM(amount) FROM social_scheme_year_closing_line
             WHERE budget_line_id IN %(ids)s AND state = 'done' AND decision = 'cancel' GROUP BY budget_line_id
            """,
            ids=tuple(self.ids),
        ))
        by_kind = defaultdict(dict)
        for line_id, source, amount in rows:
            if source in ("allocated", "committed", "cancelled"):
                totals[line_id][source] = amount or 0.0
            else:
                by_kind[line_id][source] = amount or 0.0
        for line_id, amounts in by_kind.items():
            totals[line_id]["spent"] = budget_math.spent_from_kinds(amounts)
            totals[line_id]["advance_open"] = budget_math.open_advances(amounts)
        return totals

    # ----------------------------------------------------------- constraints
    @api.constrains("amount_planned")
    def _check_planned_covers_allocations(self):
        for line in self:
            if line.currency_id.compare_amounts(line.amount_planned, 0) < 0:
                raise ValidationError(self.env._("A planned amount cannot be negative."))
            if line.currency_id.compare_amounts(line.amount_allocated, line.amount_planned) > 0:
                raise ValidationError(
                    self.env._(
                        "%(line)s: the planned amount %(planned)s is below what has already been allocated "
                        "(%(allocated)s).",
                        line=line.display_name,
                        planned=line._format_amount(line.amount_planned),
                        allocated=line._format_amount(line.amount_allocated),
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            for line in lines:
                if line.scheme_id.state != "draft" and not line.currency_id.is_zero(line.amount_planned):
                    raise UserError(
                        self.env._(
                            "%(scheme)s is no longer a draft: add the line with a zero amount and give it money "
                            "through a revision.",
                            scheme=line.scheme_id.display_name,
                        )
                    )
        return lines

    def write(self, vals):
        if not self.env.su:
            if "scheme_id" in vals and any(line.scheme_id.id != vals["scheme_id"] for line in self):
                raise UserError(self.env._("A budget line cannot be moved to another scheme."))
            if "amount_planned" in vals:
                for line in self:
                    if line.scheme_id.state != "draft" and line._differs_amount(vals["amount_planned"]):
                        raise UserError(
                            self.env._(
                                "%(scheme)s is %(state)s: its planned amounts change only through a revision.",
                                scheme=line.scheme_id.display_name,
                                state=line.scheme_id._state_label(),
                            )
                        )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        for line in self:
            if line.scheme_id.state != "draft":
                raise UserError(
                    self.env._(
                        "%(scheme)s is no longer a draft: its budget lines cannot be deleted.",
                        scheme=line.scheme_id.display_name,
                    )
                )

    # ------------------------------------------------------- ledger methods
    def _lock_ledger(self, open_year=None):
        """Lock the lines' rows until the end of the transaction.

        Under REPEATABLE READ a concurrent transaction that already changed one of
        them makes this fail with a serialization error; Odoo retries the request,
        and the retry sees the new totals. With ``open_year``, the same query tells
        whether that year is closed for a line's scheme, and refuses it then (as
        ``_check_year_open``, without a query of its own).
        """
        if not self.ids:
            return
        if open_year is None:
            self.env.cr.execute(
                SQL("SELECT id FROM %s WHERE id IN %s ORDER BY id FOR UPDATE", SQL.identifier(self._table),
                    tuple(self.ids))
            )
            return
        self.env["social.scheme.year.closing"].flush_model(["state", "fiscal_year", "scheme_ids"])
        rows = self.env.execute_query(SQL(
            """SELECT l.id, EXISTS(SELECT 1 FROM social_scheme_year_closing c
                                     JOIN social_scheme_year_closing_scheme_rel r ON r.closing_id = c.id
                                    WHERE c.state = 'done' AND c.fiscal_year = %s AND r.scheme_id = l.scheme_id)
                 FROM social_scheme_budget_line l WHERE l.id IN %s ORDER BY l.id FOR UPDATE OF l""",
            open_year, tuple(self.ids),
        ))
        for line_id, closed in rows:
            if closed:
                raise self._closed_year_error(open_year, self.browse(line_id).scheme_id)

    @api.model
    def _closed_year_error(self, fiscal_year, scheme):
        return UserError(self.env._("%(year)s is closed for %(scheme)s: nothing more is booked to it.",
                                    year=fiscal_year, scheme=scheme.display_name))

    def _check_ledger(self):
        """Refuse when a year of a line would be overspent, or the line's allocations exceed its plan.

        Called after the change is made, with the rows locked (``_lock_ledger``). The
        flush recomputes the lines' stored totals and writes them, so concurrent writers
        conflict on the line row; the years' figures are then read fresh in one query.
        """
        self.env.flush_all()
        figures = self.env["social.scheme.budget.year"]._figures(self)
        for (line_id, year), amounts in sorted(figures.items()):
            line = self.browse(line_id)
            if line.currency_id.compare_amounts(amounts["amount_available"], 0) < 0:
                raise UserError(
                    self.env._(
                        "Not enough budget on %(line)s for %(year)s: opening and allocated %(usable)s, already "
                        "committed, spent, cancelled or carried forward %(used)s, that is %(over)s over.",
                        line=line.display_name,
                        year=year,
                        usable=line._format_amount(amounts["amount_opening"] + amounts["amount_allocated"]),
                        used=line._format_amount(
                            amounts["amount_opening"] + amounts["amount_allocated"] - amounts["amount_available"]),
                        over=line._format_amount(-amounts["amount_available"]),
                    )
                )
            if line.currency_id.compare_amounts(amounts["amount_advance_open"], 0) < 0:
                raise UserError(
                    self.env._(
                        "%(line)s: advance settlements would exceed the advances paid.",
                        line=line.display_name,
                    )
                )
        for line in self:
            line._check_within_plan(line.amount_allocated, UserError)

    def _check_year_open(self, fiscal_year):
        """Refuse any change to the money of ``fiscal_year`` once it is closed for the lines' scheme."""
        self._check_open_years([(line.scheme_id, fiscal_year) for line in self])

    @api.model
    def _check_open_years(self, scheme_years):
        """Refuse when one of the ``(scheme, fiscal year)`` pairs is closed: one query for all of them."""
        schemes = self.env["social.scheme"].union(*(scheme for scheme, _year in scheme_years))
        closed = self.env["social.scheme.year.closing"]._closed_years(schemes)
        for scheme, year in scheme_years:
            if (scheme.id, year) in closed:
                raise self._closed_year_error(year, scheme)

    def _year_available(self, fiscal_year):
        """``{line_id: available of fiscal_year}`` fresh from the database (lock first)."""
        figures = self.env["social.scheme.budget.year"]._figures(self)
        return {line.id: (figures.get((line.id, fiscal_year)) or {}).get("amount_available", 0.0) for line in self}

    def _check_within_plan(self, allocated, error):
        """Refuse (with ``error``) allocations that would exceed the line's plan."""
        self.ensure_one()
        if self.currency_id.compare_amounts(allocated, self.amount_planned) > 0:
            raise error(
                self.env._(
                    "Allocations of %(line)s would reach %(allocated)s, above its planned amount %(planned)s.",
                    line=self.display_name,
                    allocated=self._format_amount(allocated),
                    planned=self._format_amount(self.amount_planned),
                )
            )

    def _check_allocatable(self):
        """Allocations are decisions on an approved scheme, recorded while it runs."""
        for line in self:
            if line.scheme_id.state not in ("approved", "in_progress"):
                raise UserError(
                    self.env._(
                        "%(scheme)s is %(state)s: allocations can only be recorded on an approved scheme "
                        "that is not closed.",
                        scheme=line.scheme_id.display_name,
                        state=line.scheme_id._state_label(),
                    )
                )

    def _reserve(self, amount, origin, fiscal_year, package=None):
        """Reserve ``amount`` of ``fiscal_year`` on this line in the commitment ledger (procurement calls this)."""
        self.ensure_one()
        self._lock_ledger(open_year=fiscal_year)
        # the reservation is logged on its source (the package), not on the ledger line
        commitment = self.env["social.scheme.commitment"].sudo().with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            {"budget_line_id": self.id, "amount": amount, "name": origin, "fiscal_year": fiscal_year,
             "package_id": package.id if package else False}
        )
        self._check_ledger()
        return commitment

    # ------------------------------------------------------------------ misc
    def _differs_amount(self, value):
        return self.currency_id.compare_amounts(value or 0.0, self.amount_planned) != 0

    def _format_amount(self, amount):
        return self.scheme_id._format_amount(amount)

    @api.depends("name", "scheme_id.code")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"[{line.scheme_id.code}] {line.name}" if line.scheme_id.code else line.name
