import datetime
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import budget_math
from ..tools import fiscal_year as fy


class SocialSchemeDisclosure(models.Model):
    """A public budget disclosure (công khai ngân sách) of a unit for a fiscal year.

    Draft: the figures are taken from the ledger ("Update figures"). Published: the
    figures are frozen, the date and the publisher recorded, and the PDF in the
    official header is what was made public.
    """

    _name = "social.scheme.disclosure"
    _description = "Budget disclosure"
    _inherit = ["mail.thread", "social.scheme.workflow.mixin"]
    _order = "fiscal_year desc, id desc"
    _frozen_fields = ("form_id", "fiscal_year", "unit_id", "scheme_ids")
    _system_fields = ("line_ids",)

    name = fields.Char(compute="_compute_name")  # in the reader's language
    form_id = fields.Many2one("social.scheme.disclosure.form", required=True, tracking=True,
                              ondelete="restrict")
    kind = fields.Selection(related="form_id.kind", store=True)
    fiscal_year = fields.Integer(required=True, tracking=True,
                                 default=lambda self: fields.Date.context_today(self).year)
    unit_id = fields.Many2one("res.partner", string="Budget-using unit", required=True, tracking=True, index=True)
    scheme_ids = fields.Many2many("social.scheme", string="Schemes", required=True,
                                  domain="[('unit_ids', 'in', unit_id)]")
    line_ids = fields.One2many("social.scheme.disclosure.line", "disclosure_id", string="Figures")
    date_period_end = fields.Date(string="Period end", compute="_compute_dates", store=True)
    date_due = fields.Date(string="Publish by", compute="_compute_dates", store=True)
    date_published = fields.Date(readonly=True, copy=False, tracking=True)
    published_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    state = fields.Selection([("draft", "Draft"), ("published", "Published")], default="draft", required=True,
                             tracking=True, copy=False, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.VND"), required=True)
    amount_estimate = fields.Monetary(string="Estimate allocated", compute="_compute_totals")
    amount_executed = fields.Monetary(string="Executed", compute="_compute_totals")

    @api.depends("form_id", "fiscal_year", "unit_id")
    def _compute_name(self):
        for disclosure in self:
            disclosure.name = f"{disclosure.form_id.name or ''} {disclosure.fiscal_year} – {disclosure.unit_id.name or ''}"

    @api.depends("form_id.kind", "form_id.days_after", "fiscal_year", "scheme_ids")
    def _compute_dates(self):
        for disclosure in self:
            end = disclosure._period_end()
            disclosure.date_period_end = end
            disclosure.date_due = end and end + datetime.timedelta(days=disclosure.form_id.days_after)

    @api.depends("line_ids.amount_estimate", "line_ids.amount_executed")
    def _compute_totals(self):
        for disclosure in self:
            disclosure.amount_estimate = sum(disclosure.line_ids.mapped("amount_estimate"))
            disclosure.amount_executed = sum(disclosure.line_ids.mapped("amount_executed"))

    @api.constrains("fiscal_year")
    def _check_fiscal_year(self):
        self._check_fiscal_years()

    @api.constrains("unit_id", "scheme_ids")
    def _check_unit(self):
        for disclosure in self:
            if any(disclosure.unit_id not in scheme.unit_ids for scheme in disclosure.scheme_ids):
                raise ValidationError(self.env._("%(unit)s discloses only the schemes it takes part in.",
                                                 unit=disclosure.unit_id.display_name))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(disclosure.state != "draft" for disclosure in self):
            raise UserError(self.env._("A published disclosure is kept as it was published."))

    # ---------------------------------------------------------------- guards
    def _check_can_update(self):
        self._check_state(("draft",), self.env._("updated"))
        self._check_group(("social_scheme.group_planner",),
                          self.env._("Only the Department's planners prepare budget disclosures."))
        self._check_write_access()

    def _check_can_publish(self):
        self._check_state(("draft",), self.env._("published"))
        self._check_group(("social_scheme.group_manager",),
                          self.env._("Only a Manager publishes a budget disclosure."))
        self._check_write_access()
        for disclosure in self:
            if not disclosure.line_ids:
                raise UserError(self.env._("Update the figures of %(name)s before publishing it.",
                                           name=disclosure.display_name))

    # --------------------------------------------------------------- actions
    def action_update(self):
        """Take the figures from the ledger (replacing the earlier ones)."""
        self._check_can_update()
        for disclosure in self:
            disclosure.sudo().write({"line_ids": [Command.clear()] + [
                Command.create(values) for values in disclosure._line_values()]})
        return True

    def action_publish(self):
        self._check_can_publish()
        self._write_state({"state": "published", "date_published": fields.Date.context_today(self),
                           "published_by_id": self.env.user.id})
        return True

    def action_print(self):
        return self.env.ref("social_scheme.action_report_disclosure").report_action(self)

    # ------------------------------------------------------ business methods
    def _period_end(self):
        self.ensure_one()
        year, kind = self.fiscal_year, self.form_id.kind
        if not year or not kind:
            return False
        end = fy.period_end(kind, year)
        if end:
            return end
        if kind == "estimate":
            dates = self.env["social.scheme.allocation"].sudo().search(
                [("scheme_id", "in", self.scheme_ids.ids), ("fiscal_year", "=", year)]).mapped("date")
            return max(filter(None, dates), default=datetime.date(year, 1, 1))
        closings = self.env["social.scheme.year.closing"].sudo().search(
            [("state", "=", "done"), ("fiscal_year", "=", year), ("scheme_ids", "in", self.scheme_ids.ids)])
        done = [dt.date() for dt in closings.mapped("date_done") if dt]
        return max(done, default=False) or self.env["social.scheme.year.calendar"]._event_date("adjustment_end", year)

    def _line_values(self):
        """One row per budget line of the schemes, from the yearly ledger and the payments to the period end."""
        self.ensure_one()
        lines = self.scheme_ids.budget_line_ids
        year = self.fiscal_year
        figures = self.env["social.scheme.budget.year"].sudo()._figures(lines)
        executed = defaultdict(float)
        if self.form_id.kind in ("q1", "h1", "q3"):
            domain = [("budget_line_id", "in", lines.ids), ("fiscal_year", "=", year), ("state", "=", "posted"),
                      ("kind", "in", budget_math.SPENDING_KINDS), ("date", "<=", self.date_period_end)]
            for line, amount in self.env["social.scheme.disbursement"].sudo()._read_group(
                    domain, ["budget_line_id"], ["amount:sum"]):
                executed[line.id] = amount
        values = []
        for index, line in enumerate(lines):
            amounts = figures.get((line.id, year)) or {}
            estimate = amounts.get("amount_opening", 0.0) + amounts.get("amount_allocated", 0.0)
            spent = executed[line.id] if self.form_id.kind in ("q1", "h1", "q3") else amounts.get("amount_spent", 0.0)
            if self.form_id.kind == "estimate":
                spent = 0.0
            values.append({
                "sequence": index, "budget_line_id": line.id, "name": line.name,
                "budget_code": line.budget_code_id.code or "", "amount_estimate": estimate, "amount_executed": spent,
                "amount_cancelled": amounts.get("amount_cancelled", 0.0),
                "amount_carried_out": amounts.get("amount_carried_out", 0.0),
                "execution_rate": budget_math.percent(spent, estimate),
            })
        return values
