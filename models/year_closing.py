from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import fiscal_year as fy


class SocialSchemeYearClosing(models.Model):
    """A year-end closing (Khóa sổ cuối năm) of a fiscal year for a set of schemes.

    Draft: the Manager proposes from the ledger, reviews and edits the decisions.
    Confirm: under the lines' locks the proposals are checked against fresh figures,
    the reservations move (carried to the next year, or released) and the closing
    lines become the year's cancellations and carry-forwards; the year is closed for
    those schemes. Reopen: a Manager with a reason, while nothing of the next year
    has used the carried money.
    """

    _name = "social.scheme.year.closing"
    _description = "Year-end closing"
    _inherit = ["mail.thread", "social.scheme.workflow.mixin"]
    _order = "fiscal_year desc, id desc"
    _frozen_fields = ("fiscal_year", "scheme_ids", "line_ids")

    name = fields.Char(compute="_compute_name")  # in the reader's language
    fiscal_year = fields.Integer(
        required=True, tracking=True,
        default=lambda self: fields.Date.context_today(self).year - (fields.Date.context_today(self).month <= 2),
    )
    scheme_ids = fields.Many2many(
        "social.scheme", "social_scheme_year_closing_scheme_rel", "closing_id", "scheme_id", string="Schemes",
        required=True, domain="[('state', 'in', ('approved', 'in_progress', 'closed'))]",
    )
    line_ids = fields.One2many("social.scheme.year.closing.line", "closing_id", string="Proposals")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Closed"), ("reopened", "Reopened")],
        default="draft", required=True, tracking=True, copy=False, index=True,
    )
    date_done = fields.Datetime(string="Closed on", readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", string="Closed by", readonly=True, copy=False)
    reopen_reason = fields.Text(copy=False, tracking=True, help="Why a closed year is reopened (required to reopen).")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.VND"), required=True)
    amount_cancelled = fields.Monetary(string="Cancelled", compute="_compute_amounts")
    amount_carried = fields.Monetary(string="Carried forward", compute="_compute_amounts")
    amount_advance_open = fields.Monetary(string="Open advances", compute="_compute_amounts")
    date_advance_refund = fields.Date(string="Advances due by", compute="_compute_dates")
    date_adjustment_end = fields.Date(string="End of the adjustment period", compute="_compute_dates")

    @api.depends("fiscal_year")
    def _compute_name(self):
        for closing in self:
            closing.name = self.env._("Year-end closing %(year)s", year=closing.fiscal_year)

    @api.depends("line_ids.amount", "line_ids.decision")
    def _compute_amounts(self):
        for closing in self:
            by_decision = defaultdict(float)
            for line in closing.line_ids:
                by_decision[line.decision] += line.amount
            closing.amount_cancelled = by_decision["cancel"]
            closing.amount_carried = by_decision["carry_forward"]
            closing.amount_advance_open = by_decision["settle"]

    @api.depends("fiscal_year")
    def _compute_dates(self):
        calendar = self.env["social.scheme.year.calendar"]
        for closing in self:
            closing.date_advance_refund = calendar._event_date("advance_refund", closing.fiscal_year)
            closing.date_adjustment_end = calendar._event_date("adjustment_end", closing.fiscal_year)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(closing.state != "draft" for closing in self):
            raise UserError(self.env._("A year-end closing that was confirmed is kept; reopen it instead."))

    @api.constrains("fiscal_year")
    def _check_fiscal_year(self):
        self._check_fiscal_years()

    # ---------------------------------------------------------------- guards
    def _check_manager(self):
        self._check_group(("social_scheme.group_manager",),
                          self.env._("Only a Manager closes or reopens a fiscal year."))
        self._check_write_access()

    def _check_can_propose(self):
        self._check_state(("draft",), self.env._("proposed again"))
        self._check_manager()
        for closing in self:
            if not closing.scheme_ids:
                raise UserError(self.env._("Choose the schemes to close."))
            closing._check_not_closed_yet()

    def _check_not_closed_yet(self):
        self.ensure_one()
        others = self.search([("id", "!=", self.id), ("state", "=", "done"), ("fiscal_year", "=", self.fiscal_year),
                              ("scheme_ids", "in", self.scheme_ids.ids)])
        if others:
            schemes = others.scheme_ids & self.scheme_ids
            raise UserError(
                self.env._("%(year)s is already closed for %(schemes)s (%(closing)s).", year=self.fiscal_year,
                           schemes=", ".join(schemes.mapped("display_name")), closing=others[:1].display_name)
            )

    def _check_can_confirm(self):
        self._check_state(("draft",), self.env._("confirmed"))
        self._check_manager()
        today = fields.Date.context_today(self)
        calendar = self.env["social.scheme.year.calendar"]
        for closing in self:
            last_day = calendar._event_date("spending_last", closing.fiscal_year)
            if last_day and today <= last_day:
                raise UserError(
                    self.env._("%(year)s is still running: it can be closed after %(last)s (%(basis)s).",
                               year=closing.fiscal_year, last=last_day.strftime("%d/%m/%Y"),
                               basis=calendar._basis("spending_last", closing.fiscal_year))
                )
            closing._check_not_closed_yet()
            for line in closing.line_ids:
                line._check_decision()

    def _check_can_reopen(self, reason):
        self._check_state(("done",), self.env._("reopened"))
        self._check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening the year."))
        for closing in self:
            later = self.search([("state", "=", "done"), ("fiscal_year", "=", closing.fiscal_year + 1),
                                 ("scheme_ids", "in", closing.scheme_ids.ids)], limit=1)
            if later:
                raise UserError(
                    self.env._("%(next)s is closed already: reopen it before %(year)s.",
                               next=closing.fiscal_year + 1, year=closing.fiscal_year)
                )

    # --------------------------------------------------------------- actions
    def action_propose(self):
        """Fill the proposals from the ledger (replacing earlier ones)."""
        self._check_can_propose()
        for closing in self:
            lines = closing.scheme_ids.budget_line_ids
            proposals = closing._proposals(lines)
            categories = closing._default_categories()
            commands = [Command.clear()]
            for (line_id, _source), items in sorted(proposals.items()):
                for item in items:
                    commands.append(Command.create({
                        "budget_line_id": line_id,
                        "source": item["source"],
                        "decision": item["decision"],
                        "amount": item["amount"],
                        "package_id": item["package_id"],
                        "commitment_id": item["commitment_id"],
                        "category_id": categories.get(item["category"], False),
                    }))
            closing.sudo().write({"line_ids": commands})
        return True

    def action_confirm(self):
        """Close the year: check the proposals against fresh figures under lock, then book them."""
        self._check_can_confirm()
        for closing in self:
            lines = closing.scheme_ids.budget_line_ids
            lines._lock_ledger()
            closing._check_still_current(lines)
            closing._apply()
            closing._write_state({"state": "done", "date_done": fields.Datetime.now(),
                                  "done_by_id": self.env.user.id})
            lines._check_ledger()
            closing._post_scheme_messages("closed")
        return True

    def action_reopen(self):
        """Undo a closing, for the reason written on it (or given in context ``social_scheme_reason``)."""
        for closing in self:
            reason = self.env.context.get("social_scheme_reason") or closing.reopen_reason
            closing._check_can_reopen(reason)
            lines = closing.scheme_ids.budget_line_ids
            lines._lock_ledger()
            closing._check_carried_unused(lines)
            closing._unapply()
            closing._write_state({"state": "reopened", "reopen_reason": reason})
            lines._check_ledger()
            closing._post_scheme_messages("reopened", reason)
        return True

    # ------------------------------------------------------ business methods
    def _default_categories(self):
        """The carry-forward category of each kind in force for the year (first by sequence)."""
        categories = {}
        for category in self.env["social.scheme.carry.category"].search([], order="sequence, id"):
            if category._applies_to(self.fiscal_year):
                categories.setdefault(category.kind, category.id)
        return categories

    def _proposals(self, lines):
        """``{(line_id, source): [proposal]}`` from the ledger of the year (tools.fiscal_year.propose)."""
        self.ensure_one()
        year = self.fiscal_year
        figures = self.env["social.scheme.budget.year"]._figures(lines)
        late_after = self.env["social.scheme.year.calendar"]._event_date("late_allocation_after", year)
        spending_last = self.env["social.scheme.year.calendar"]._event_date("spending_last", year)
        late = defaultdict(float)
        if late_after:
            for line_id, amount in self.env["social.scheme.allocation"]._read_group(
                [("budget_line_id", "in", lines.ids), ("fiscal_year", "=", year), ("date", ">", late_after)],
                ["budget_line_id"], ["amount:sum"],
            ):
                late[line_id.id] = amount
        opening_free = defaultdict(float)
        for line_id, amount in self.env["social.scheme.year.closing.line"]._read_group(
            [("budget_line_id", "in", lines.ids), ("fiscal_year", "=", year - 1), ("state", "=", "done"),
             ("decision", "=", "carry_forward"), ("package_id", "=", False)],
            ["budget_line_id"], ["amount:sum"],
        ):
            opening_free[line_id.id] = amount
        commitments = defaultdict(list)
        for commitment in self.env["social.scheme.commitment"].sudo().search(
            [("budget_line_id", "in", lines.ids), ("fiscal_year", "=", year), ("state", "=", "open")]
        ):
            package = commitment.package_id
            contracted = package.state in ("contracted", "accepted") and bool(
                package.contract_date and (not spending_last or package.contract_date <= spending_last))
            commitments[commitment.budget_line_id.id].append({
                "id": commitment.id, "package_id": package.id, "amount": commitment.amount,
                "contracted": contracted, "carried_in": bool(commitment.carried_from_id),
            })
        proposals = defaultdict(list)
        for line in lines:
            year_figures = figures.get((line.id, year)) or {}
            for item in fy.propose(
                {"available": year_figures.get("amount_available", 0.0), "opening_free": opening_free[line.id],
                 "allocated": year_figures.get("amount_allocated", 0.0), "late_allocated": late[line.id],
                 "advance_open": year_figures.get("amount_advance_open", 0.0)},
                commitments[line.id],
            ):
                proposals[(line.id, item["source"])].append(item)
        return proposals

    def _check_still_current(self, lines):
        """Refuse when the ledger moved since the proposal (a payment, an approval…)."""
        self.ensure_one()
        fresh = self._proposals(lines)
        expected = defaultdict(float)
        for (line_id, source), items in fresh.items():
            for item in items:
                expected[(line_id, source, item["commitment_id"] or 0)] += item["amount"]
        proposed = defaultdict(float)
        for line in self.line_ids:
            proposed[(line.budget_line_id.id, line.source, line.commitment_id.id or 0)] += line.amount
        for key in set(expected) | set(proposed):
            if abs(expected[key] - proposed[key]) >= 0.5:
                budget_line = self.env["social.scheme.budget.line"].browse(key[0])
                raise UserError(
                    self.env._(
                        "The figures of %(line)s for %(year)s changed since the proposal, or the proposals do not "
                        "add up to them (%(proposed)s proposed, %(actual)s in the ledger): propose again.",
                        line=budget_line.display_name, year=self.fiscal_year,
                        proposed=budget_line._format_amount(proposed[key]),
                        actual=budget_line._format_amount(expected[key]),
                    )
                )

    def _apply(self):
        """Move the reservations: carried to the next year with their package, or released."""
        self.ensure_one()
        Commitment = self.env["social.scheme.commitment"].sudo()
        for line in self.line_ids.filtered("commitment_id"):
            commitment = line.commitment_id.sudo()
            if line.decision == "carry_forward":
                new = Commitment.with_context(mail_create_nolog=True).create({
                    "name": commitment.name, "budget_line_id": commitment.budget_line_id.id,
                    "package_id": commitment.package_id.id, "amount": line.amount,
                    "fiscal_year": self.fiscal_year + 1, "carried_from_id": commitment.id,
                })
                commitment.write({"state": "carried"})
                line.sudo().new_commitment_id = new
                line.package_id.sudo().write({"commitment_id": new.id, "fiscal_year": self.fiscal_year + 1})
            else:
                commitment._release()

    def _check_carried_unused(self, lines):
        """Refuse to reopen once the next year used money this closing carried into it."""
        self.ensure_one()
        figures = self.env["social.scheme.budget.year"]._figures(lines)
        free = defaultdict(float)
        for line in self.line_ids.filtered(lambda p: p.decision == "carry_forward"):
            new = line.new_commitment_id
            if new and (new.state != "open" or new.currency_id.compare_amounts(new.amount, line.amount) != 0):
                raise UserError(
                    self.env._("%(next)s has paid under %(package)s from the money carried into it: the year "
                               "can no longer be reopened.", next=self.fiscal_year + 1,
                               package=line.package_id.display_name)
                )
            if not new:
                free[line.budget_line_id] += line.amount
        for budget_line, amount in free.items():
            available = (figures.get((budget_line.id, self.fiscal_year + 1)) or {}).get("amount_available", 0.0)
            if budget_line.currency_id.compare_amounts(available, amount) < 0:
                raise UserError(
                    self.env._(
                        "%(line)s has used %(used)s of the money carried into %(next)s: the year can no longer "
                        "be reopened.", line=budget_line.display_name, next=self.fiscal_year + 1,
                        used=budget_line._format_amount(amount - available),
                    )
                )

    def _unapply(self):
        self.ensure_one()
        for line in self.line_ids.filtered("commitment_id"):
            commitment = line.commitment_id.sudo()
            if line.new_commitment_id:
                line.new_commitment_id._release()
                line.package_id.sudo().write({"commitment_id": commitment.id, "fiscal_year": self.fiscal_year})
            if line.package_id.state not in ("cancelled", "closed"):
                commitment.write({"state": "open"})

    def _post_scheme_messages(self, what, reason=None):
        """One message per scheme, in the scheme's chatter, and one on the closing, as the user."""
        self.ensure_one()
        totals = defaultdict(lambda: defaultdict(float))
        for line in self.line_ids:
            totals[line.scheme_id][line.decision] += line.amount
        for scheme in self.scheme_ids:
            amounts = totals[scheme]
            if what == "closed":
                body = self.env._(
                    "%(user)s closed %(year)s: %(cancelled)s cancelled, %(carried)s carried forward to %(next)s.",
                    user=self.env.user.name, year=self.fiscal_year, next=self.fiscal_year + 1,
                    cancelled=scheme._format_amount(amounts["cancel"]),
                    carried=scheme._format_amount(amounts["carry_forward"]),
                )
            else:
                body = self.env._("%(user)s reopened %(year)s: %(reason)s", user=self.env.user.name,
                                  year=self.fiscal_year, reason=reason)
            scheme._post_as_user(body=body, message_type="comment", subtype_xmlid="mail.mt_note")
        self._post_as_user(
            body=self.env._("Closed by %(user)s.", user=self.env.user.name) if what == "closed" else
            self.env._("Reopened by %(user)s: %(reason)s", user=self.env.user.name, reason=reason),
            message_type="comment", subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _closed_years(self, schemes):
        """``{(scheme_id, fiscal_year)}`` closed for ``schemes``."""
        if not schemes:
            return set()
        self.flush_model(["state", "fiscal_year", "scheme_ids"])
        rows = self.env.execute_query(SQL(
            """SELECT r.scheme_id, c.fiscal_year FROM social_scheme_year_closing c
                 JOIN social_scheme_year_closing_scheme_rel r ON r.closing_id = c.id
                WHERE c.state = 'done' AND r.scheme_id IN %s""",
            tuple(schemes.ids),
        ))
        return {tuple(row) for row in rows}
