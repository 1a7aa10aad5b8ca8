from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount
from odoo.tools.sql import create_index

from ..tools import budget_math, reporting
from .due_rule import FREQUENCIES

APPROVED_STATES = ("approved", "in_progress", "closed")
# the scheme totals summed from its lines (see _compute_amounts)
ROLLUP_FIELDS = ("amount_planned", "amount_allocated", "amount_committed", "amount_spent")


class SocialScheme(models.Model):
    """A scheme (Đề án) approved by a provincial People's Committee decision."""

    _name = "social.scheme"
    _description = "Social work scheme"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.scheme.workflow.mixin"]
    _order = "date_start desc, code, id desc"
    _frozen_fields = ("amount_total", "currency_id", "company_id", "decision_number", "decision_date")
    _editable_states = ("draft",)
    # The decision is issued after submission: the leader enters it before approving.
    _decision_fields = ("decision_number", "decision_date")

    # identity
    name = fields.Char(required=True, tracking=True, size=512)
    code = fields.Char(required=True, tracking=True, copy=False, size=64)
    decision_number = fields.Char(tracking=True, copy=False, size=64, help="Number of the approving decision, e.g. 2022/QĐ-UBND.")
    decision_date = fields.Date(tracking=True, copy=False)
    approving_authority_id = fields.Many2one(
        "res.partner", string="Approving authority", tracking=True, help="Usually the provincial People's Committee."
    )
    lead_agency_id = fields.Many2one("res.partner", string="Lead agency", tracking=True, index=True)
    implementing_unit_id = fields.Many2one(
        "res.partner", string="Implementing unit", required=True, tracking=True, index=True
    )
    # The list shows this stored name: a partner's display name is computed in Python
    # (about half of the list's time for 80 schemes, see `make bench`).
    implementing_unit_name = fields.Char(
        string="Implementing unit name", related="implementing_unit_id.complete_name", store=True
    )
    unit_ids = fields.Many2many(
        "res.partner",
        "social_scheme_unit_rel",
        "scheme_id",
        "partner_id",
        string="Participating units",
        help="Units that take part in the scheme; always includes the implementing unit.",
    )
    date_start = fields.Date(string="Start date", required=True, tracking=True)
    date_end = fields.Date(string="End date", required=True, tracking=True)
    description = fields.Html()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.ref("base.VND", raise_if_not_found=False)
    )

    # money
    # The totals are not stored: read from the lines by one grouped query, so that posting
    # on a line never writes the scheme's row (parallel postings on the lines of one scheme
    # would conflict on it, see `make bench`). Searching, sorting and grouping by them stay
    # one query: _field_to_sql gives their SQL, a sum over the scheme's lines.
    amount_total = fields.Monetary(string="Approved total", tracking=True)
    amount_planned = fields.Monetary(string="Planned", compute="_compute_amounts", search="_search_amount_planned")
    amount_allocated = fields.Monetary(string="Allocated", compute="_compute_amounts",
                                       search="_search_amount_allocated")
    amount_committed = fields.Monetary(string="Committed", compute="_compute_amounts",
                                       search="_search_amount_committed")
    amount_spent = fields.Monetary(string="Spent", compute="_compute_amounts", search="_search_amount_spent")
    amount_available = fields.Monetary(string="Available", compute="_compute_amounts",
                                       search="_search_amount_available")
    disbursement_rate = fields.Float(
        string="Disbursement rate (%)", compute="_compute_amounts", search="_search_disbursement_rate",
        aggregator="avg",
    )

    # links
    budget_line_ids = fields.One2many("social.scheme.budget.line", "scheme_id", string="Budget lines", copy=True)
    kpi_ids = fields.One2many("social.scheme.kpi", "scheme_id", string="Indicators")
    revision_ids = fields.One2many("social.scheme.revision", "scheme_id", string="Revisions")
    disbursement_ids = fields.One2many("social.scheme.disbursement", "scheme_id", string="Disbursements")
    package_ids = fields.One2many("social.scheme.procurement.package", "scheme_id", string="Procurement packages")
    package_count = fields.Integer(compute="_compute_counts")
    project_id = fields.Many2one("project.project", copy=False, readonly=True, index=True)
    kpi_achieved_count = fields.Integer(string="KPIs achieved", compute="_compute_kpi_counts")
    kpi_at_risk_count = fields.Integer(string="KPIs at risk", compute="_compute_kpi_counts")
    kpi_off_track_count = fields.Integer(string="KPIs off track", compute="_compute_kpi_counts")
    revision_count = fields.Integer(compute="_compute_counts")
    disbursement_count = fields.Integer(compute="_compute_counts")
    task_count = fields.Integer(compute="_compute_counts")
    # implementation progress
    activity_task_ids = fields.One2many("project.task", "scheme_id", string="Scheme activities")
    activity_tolerance = fields.Float(
        string="Late tolerance (points)", default=10.0, tracking=True,
        help="An activity whose progress trails the share of its planned time already elapsed by more than "
        "this many percentage points is late.")
    activity_late_count = fields.Integer(string="Late activities", compute="_compute_activity_counts")
    handover_ids = fields.One2many("social.scheme.handover", "scheme_id", string="Handovers")
    progress_report_ids = fields.One2many("social.scheme.progress.report", "scheme_id", string="Progress reports")
    progress_report_count = fields.Integer(compute="_compute_activity_counts")

    # state
    report_frequency = fields.Selection(
        FREQUENCIES, string="Reporting frequency", tracking=True,
        help="How often every unit reports each indicator (an indicator may override it). Empty: figures "
        "are free date ranges, no reporting periods.",
    )
    period_ids = fields.One2many("social.scheme.period", "scheme_id", string="Reporting periods")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("in_progress", "In progress"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    date_approved = fields.Date(copy=False, readonly=True, tracking=True,
                                help="Set when the approval is recorded; kept after cancelling.")
    fiscal_year = fields.Integer(string="Start year", compute="_compute_fiscal_year", store=True)

    _sql_constraints = [
        ("code_company_unique", "unique(code, company_id)", "The scheme code must be unique in the company."),
    ]

    def init(self):
        # the list's order: a page is read from the index instead of sorting every scheme
        create_index(self.env.cr, "social_scheme_list_order_idx", self._table, ["date_start DESC", "code", "id DESC"])

    # -------------------------------------------------------------- computes
    @api.depends(
        "amount_total",
        "budget_line_ids.amount_planned",
        "budget_line_ids.amount_allocated",
        "budget_line_ids.amount_committed",
        "budget_line_ids.amount_spent",
    )
    def _compute_amounts(self):
        if not all(self._ids):
            # a form being edited: the sums include its unsaved lines
            for scheme in self:
                scheme._set_amounts(*(sum(scheme.budget_line_ids.mapped(f)) for f in ROLLUP_FIELDS))
            return
        # saved schemes: one grouped query, whatever the number of schemes and lines
        sums = {
            scheme.id: amounts
            for scheme, *amounts in self.env["social.scheme.budget.line"].sudo()._read_group(
                [("scheme_id", "in", self.ids)], ["scheme_id"], [f"{fname}:sum" for fname in ROLLUP_FIELDS]
            )
        }
        columns = {fname: [] for fname in ROLLUP_FIELDS + ("amount_available", "disbursement_rate")}
        for scheme in self:
            planned, allocated, committed, spent = sums.get(scheme.id) or (0.0, 0.0, 0.0, 0.0)
            for fname, value in zip(columns, (planned, allocated, committed, spent,
                                              budget_math.available(allocated, committed, spent),
                                              budget_math.percent(spent, scheme.amount_total))):
                columns[fname].append(value)
        # Straight into the cache, field by field: the sums of stored (rounded) amounts need
        # no rounding again, and 480 assignments one by one cost a page of 80 schemes 6 ms.
        for fname, values in columns.items():
            self.env.cache.update(self, self._fields[fname], values)

    def _set_amounts(self, planned, allocated, committed, spent):
        self.amount_planned = planned
        self.amount_allocated = allocated
        self.amount_committed = committed
        self.amount_spent = spent
        self.amount_available = budget_math.available(allocated, committed, spent)
        self.disbursement_rate = budget_math.percent(spent, self.amount_total)

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The totals as SQL (a sum over the scheme's lines) for searching, sorting and grouping."""
        if fname in ROLLUP_FIELDS + ("amount_available", "disbursement_rate"):
            Line = self.env["social.scheme.budget.line"]

            def line_sum(column):
                return SQL(
                    "(SELECT COALESCE(SUM(%s), 0) FROM %s WHERE %s = %s)",
                    SQL.identifier("rollup_line", column), SQL("%s AS rollup_line", SQL.identifier(Line._table)),
                    SQL.identifier("rollup_line", "scheme_id"), SQL.identifier(alias, "id"),
                    to_flush=Line._fields[column],
                )

            if fname == "disbursement_rate":
                total = super()._field_to_sql(alias, "amount_total", query, flush)
                return SQL("(CASE WHEN COALESCE(%s, 0) = 0 THEN 0 ELSE %s * 100.0 / %s END)",
                           total, line_sum("amount_spent"), total)
            if fname == "amount_available":
                # allocated − committed − spent of the sums, as _compute_amounts
                return SQL("(%s - %s - %s)", line_sum("amount_allocated"), line_sum("amount_committed"),
                           line_sum("amount_spent"))
            return line_sum(fname)
        return super()._field_to_sql(alias, fname, query, flush)

    def _search_rollup(self, fname, operator, value):
        alias = "rollup_scheme"
        condition = self._condition_to_sql(alias, fname, operator, value, self._as_query(ordered=False))
        return [("id", "in", SQL("(SELECT %s FROM %s AS %s WHERE %s)", SQL.identifier(alias, "id"),
                                 SQL.identifier(self._table), SQL.identifier(alias), condition))]

    def _search_amount_planned(self, operator, value):
        return self._search_rollup("amount_planned", operator, value)

    def _search_amount_allocated(self, operator, value):
        return self._search_rollup("amount_allocated", operator, value)

    def _search_amount_committed(self, operator, value):
        return self._search_rollup("amount_committed", operator, value)

    def _search_amount_spent(self, operator, value):
        return self._search_rollup("amount_spent", operator, value)

    def _search_amount_available(self, operator, value):
        return self._search_rollup("amount_available", operator, value)

    def _search_disbursement_rate(self, operator, value):
        return self._search_rollup("disbursement_rate", operator, value)

    @api.depends("date_start")
    def _compute_fiscal_year(self):
        for scheme in self:
            scheme.fiscal_year = scheme.date_start.year if scheme.date_start else 0

    def _compute_kpi_counts(self):
        counts = {
            (scheme.id, status): count
            for scheme, status, count in self.env["social.scheme.kpi"].sudo()._read_group(
                [("scheme_id", "in", self.ids)], ["scheme_id", "status"], ["__count"]
            )
        }
        for scheme in self:
            scheme.kpi_achieved_count = counts.get((scheme.id, "achieved"), 0)
            scheme.kpi_at_risk_count = counts.get((scheme.id, "at_risk"), 0)
            scheme.kpi_off_track_count = counts.get((scheme.id, "off_track"), 0)

    def _compute_counts(self):
        revisions = dict(
            self.env["social.scheme.revision"]._read_group([("scheme_id", "in", self.ids)], ["scheme_id"], ["__count"])
        )
        payments = dict(
            self.env["social.scheme.disbursement"]._read_group(
                [("scheme_id", "in", self.ids)], ["scheme_id"], ["__count"]
            )
        )
        packages = dict(
            self.env["social.scheme.procurement.package"]._read_group(
                [("scheme_id", "in", self.ids)], ["scheme_id"], ["__count"]
            )
        )
        tasks = dict(
            self.env["project.task"]
            .sudo()
            ._read_group([("project_id", "in", self.project_id.ids)], ["project_id"], ["__count"])
        )
        for scheme in self:
            scheme.revision_count = revisions.get(scheme, 0)
            scheme.disbursement_count = payments.get(scheme, 0)
            scheme.task_count = tasks.get(scheme.project_id, 0)
            scheme.package_count = packages.get(scheme, 0)

    def _compute_activity_counts(self):
        late = dict(self.env["project.task"].sudo()._read_group(
            [("scheme_id", "in", self.ids), ("scheme_status", "=", "late")], ["scheme_id"], ["__count"]))
        reports = dict(self.env["social.scheme.progress.report"].sudo()._read_group(
            [("scheme_id", "in", self.ids)], ["scheme_id"], ["__count"]))
        for scheme in self:
            scheme.activity_late_count = late.get(scheme, 0)
            scheme.progress_report_count = reports.get(scheme, 0)

    # ----------------------------------------------------------- constraints
    @api.constrains("activity_tolerance")
    def _check_activity_tolerance(self):
        for scheme in self:
            if not 0 <= scheme.activity_tolerance <= 100:
                raise ValidationError(self.env._("The late tolerance is a number of percentage points between 0 "
                                                 "and 100."))

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for scheme in self:
            if scheme.date_start and scheme.date_end and scheme.date_start > scheme.date_end:
                raise ValidationError(
                    self.env._("The scheme %(scheme)s starts after it ends: check the start and end dates.",
                               scheme=scheme.display_name)
                )

    @api.constrains("amount_total")
    def _check_amount_total(self):
        for scheme in self:
            if scheme.currency_id.compare_amounts(scheme.amount_total, 0) < 0:
                raise ValidationError(self.env._("The approved total cannot be negative."))

    @api.constrains("implementing_unit_id", "unit_ids")
    def _check_units(self):
        for scheme in self:
            if scheme.implementing_unit_id not in scheme.unit_ids:
                raise ValidationError(
                    self.env._("The implementing unit must be one of the participating units.")
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("implementing_unit_id"):
                vals["unit_ids"] = list(vals.get("unit_ids") or []) + [Command.link(vals["implementing_unit_id"])]
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if "implementing_unit_id" in vals or "unit_ids" in vals:
            for scheme in self:
                if scheme.implementing_unit_id and scheme.implementing_unit_id not in scheme.unit_ids:
                    scheme.unit_ids = [Command.link(scheme.implementing_unit_id.id)]
        if {"report_frequency", "date_start", "date_end", "unit_ids", "implementing_unit_id"} & set(vals):
            self.filtered(lambda s: s.state in ("approved", "in_progress"))._generate_periods()
        return res

    # ------------------------------------------------------------ reporting
    def _generate_periods(self):
        """Create the reporting periods of every frequency in use and a line per unit.

        Idempotent: what exists is kept (with its figures and locks); a period that no
        longer fits the scheme's dates or frequencies is removed only when nothing was
        reported for it.
        """
        Period = self.env["social.scheme.period"].sudo()
        PeriodUnit = self.env["social.scheme.period.unit"].sudo()
        DueRule = self.env["social.scheme.due.rule"]
        for scheme in self.sudo():
            if not (scheme.date_start and scheme.date_end):
                continue
            frequencies = set(scheme.kpi_ids.mapped("frequency")) - {False}
            existing = {(p.frequency, p.date_from): p for p in scheme.period_ids}
            wanted = set()
            for frequency in frequencies:
                for date_from, date_to in reporting.periods(scheme.date_start, scheme.date_end, frequency):
                    wanted.add((frequency, date_from))
                    rule = DueRule._rule_for(scheme, frequency, date_to)
                    due = rule._due_date(date_to) if rule else date_to
                    lock = reporting.lock_date(due, rule.lock_days) if rule else None
                    vals = {"date_to": date_to, "date_due": due, "due_rule_id": rule.id, "date_lock": lock or False}
                    period = existing.get((frequency, date_from))
                    if not period:
                        existing[(frequency, date_from)] = Period.create(
                            {"scheme_id": scheme.id, "frequency": frequency, "date_from": date_from, **vals})
                    elif (period.date_to, period.date_due, period.due_rule_id.id, period.date_lock) != tuple(vals.values()):
                        period.write(vals)
            stale = Period.browse([p.id for key, p in existing.items() if key not in wanted])
            reported = self.env["social.scheme.kpi.measurement"].sudo().search([("period_id", "in", stale.ids)])
            (stale - reported.period_id).unlink()
            for period in scheme.period_ids.filtered(lambda p, wanted=wanted: (p.frequency, p.date_from) in wanted):
                missing = scheme.unit_ids - period.unit_line_ids.unit_id
                if missing:
                    PeriodUnit.create([{"period_id": period.id, "unit_id": unit.id} for unit in missing])
        return True

    def action_view_periods(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.scheme.period.unit",
            "name": self.env._("Reporting of %(scheme)s", scheme=self.code),
            "view_mode": "list,pivot,graph,form",
            "domain": [("scheme_id", "=", self.id)],
            "context": {"search_default_group_period": 1},
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unapproved(self):
        for scheme in self:
            if scheme.state not in ("draft", "cancelled") or scheme.date_approved:
                raise UserError(
                    self.env._("%(scheme)s has been submitted or approved: cancel it instead of deleting it.",
                               scheme=scheme.display_name)
                )

    def _get_frozen_fields(self):
        frozen = super()._get_frozen_fields()
        if self.state == "submitted":
            frozen = tuple(name for name in frozen if name not in self._decision_fields)
        return frozen

    # ---------------------------------------------------------------- guards
    def _check_can_submit(self):
        self._check_state(("draft",), self.env._("submitted"))
        self._check_group(
            ("social_scheme.group_planner",), self.env._("Only a planner of the Department can submit a scheme.")
        )
        self._check_write_access()
        for scheme in self:
            if not scheme.budget_line_ids:
                raise UserError(
                    self.env._("Add the budget lines of %(scheme)s before submitting it.", scheme=scheme.display_name)
                )
            scheme._check_plan_matches_total()

    def _check_can_approve(self):
        self._check_state(("submitted",), self.env._("approved"))
        self._check_group(
            ("social_scheme.group_manager",),
            self.env._("Only the Department leader (Manager) can record the approval decision."),
        )
        self._check_write_access()
        for scheme in self:
            if not scheme.decision_number or not scheme.decision_date:
                raise UserError(
                    self.env._(
                        "Enter the decision number and date of the approving decision of %(scheme)s before approving it.",
                        scheme=scheme.display_name,
                    )
                )
            if scheme.date_start > scheme.date_end:
                raise UserError(self.env._("The scheme starts after it ends: check the start and end dates."))
            scheme._check_plan_matches_total()

    def _check_plan_matches_total(self):
        self.ensure_one()
        if self.currency_id.compare_amounts(self.amount_planned, self.amount_total) != 0 or not self.amount_total:
            raise UserError(
                self.env._(
                    "The budget lines of %(scheme)s add up to %(planned)s, but the approved total is %(total)s. "
                    "They must be equal.",
                    scheme=self.display_name,
                    planned=self._format_amount(self.amount_planned),
                    total=self._format_amount(self.amount_total),
                )
            )

    def _check_can_start(self):
        self._check_state(("approved",), self.env._("started"))
        self._check_group(
            ("social_scheme.group_planner",), self.env._("Only a planner of the Department can start a scheme.")
        )
        self._check_write_access()

    def _check_can_close(self):
        self._check_state(("in_progress",), self.env._("closed"))
        self._check_group(
            ("social_scheme.group_manager",), self.env._("Only the Department leader (Manager) can close a scheme.")
        )
        self._check_write_access()
        for scheme in self:
            if scheme.currency_id.compare_amounts(scheme.amount_committed, 0) > 0:
                raise UserError(
                    self.env._(
                        "%(scheme)s still has %(amount)s committed: close or cancel its commitments first.",
                        scheme=scheme.display_name,
                        amount=scheme._format_amount(scheme.amount_committed),
                    )
                )
            drafts = scheme.disbursement_ids.filtered(lambda d: d.state == "draft")
            if drafts:
                raise UserError(
                    self.env._("%(scheme)s has draft payments: post or cancel them first.", scheme=scheme.display_name)
                )

    def _check_can_cancel(self):
        self._check_state(("draft", "submitted", "approved", "in_progress"), self.env._("cancelled"))
        if any(scheme.state in ("approved", "in_progress") for scheme in self):
            self._check_group(
                ("social_scheme.group_manager",),
                self.env._("Only the Department leader (Manager) can cancel an approved scheme."),
            )
        else:
            self._check_group(
                ("social_scheme.group_planner",), self.env._("Only a planner of the Department can cancel a scheme.")
            )
        self._check_write_access()
        for scheme in self:
            money = scheme.currency_id.compare_amounts(scheme.amount_committed + scheme.amount_spent, 0) > 0
            if money:
                raise UserError(
                    self.env._(
                        "%(scheme)s has commitments or posted payments: cancel them before cancelling the scheme.",
                        scheme=scheme.display_name,
                    )
                )

    def _check_can_draft(self):
        self._check_group(
            ("social_scheme.group_planner",),
            self.env._("Only a planner of the Department can return a scheme to draft."),
        )
        for scheme in self:
            if scheme.state == "submitted" or (scheme.state == "cancelled" and not scheme.date_approved):
                continue
            raise UserError(
                self.env._(
                    "%(scheme)s is %(state)s: only a submitted scheme, or a cancelled one that was never approved, "
                    "can return to draft.",
                    scheme=scheme.display_name,
                    state=scheme._state_label(),
                )
            )
        self._check_write_access()

    # --------------------------------------------------------------- actions
    def action_submit(self):
        self._check_can_submit()
        self._write_state({"state": "submitted"})
        self._request_approval()
        return True

    def action_approve(self):
        self._check_can_approve()
        self._write_state({"state": "approved", "date_approved": fields.Date.context_today(self)})
        self._create_projects()
        self._generate_periods()
        self._close_approval("approved")
        return True

    def action_start(self):
        self._check_can_start()
        self._write_state({"state": "in_progress"})
        return True

    def action_close(self):
        self._check_can_close()
        self._write_state({"state": "closed"})
        return True

    def action_cancel(self):
        self._check_can_cancel()
        self._write_state({"state": "cancelled"})
        self._close_approval()
        return True

    def action_draft(self):
        self._check_can_draft()
        returned = self.filtered(lambda scheme: scheme.state == "submitted")
        self._write_state({"state": "draft"})
        returned._close_approval("returned", self.env.context.get("social_scheme_reason"))
        return True

    def action_reset_approval(self, reason=None):
        """A Manager's reasoned reset of a cancelled approved scheme to draft (tracked).

        The one way to undo an approval fact besides a revision: the decision was
        withdrawn and the scheme is planned again.
        """
        reason = reason or self.env.context.get("social_scheme_reason")
        self._check_can_reset_approval(reason)
        for scheme in self:
            scheme._post_as_user(
                body=self.env._("%(user)s reset the approval of %(scheme)s: %(reason)s",
                                user=self.env.user.name, scheme=scheme.display_name, reason=reason),
                message_type="comment", subtype_xmlid="mail.mt_note",
            )
        self._write_state({"state": "draft", "date_approved": False})
        return True

    def _check_can_reset_approval(self, reason):
        self._check_state(("cancelled",), self.env._("reset to draft"))
        self._check_group(
            ("social_scheme.group_manager",),
            self.env._("Only the Department leader (Manager) can reset an approval."),
        )
        self._check_write_access()
        if not reason or not reason.strip():
            raise UserError(self.env._("Give the reason for resetting the approval."))

    @api.readonly
    def action_view_project(self):
        """The scheme's activities, grouped by status, with their money (list, calendar, graph)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_scheme.project_task_action_scheme_activities")
        action["domain"] = [("project_id", "=", self.project_id.id)]
        action["context"] = {"default_project_id": self.project_id.id, "group_by": "scheme_status"}
        return action

    def action_view_progress_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_scheme.social_scheme_progress_report_action")
        action["domain"] = [("scheme_id", "=", self.id)]
        action["context"] = {"default_scheme_id": self.id}
        return action

    @api.readonly
    def action_view_revisions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_scheme.social_scheme_revision_action")
        action["domain"] = [("scheme_id", "=", self.id)]
        action["context"] = {"default_scheme_id": self.id}
        return action

    @api.readonly
    def action_view_packages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_scheme.social_scheme_procurement_package_action"
        )
        action["domain"] = [("scheme_id", "=", self.id)]
        action["context"] = {"default_scheme_id": self.id, "search_default_group_state": 1}
        return action

    @api.readonly
    def action_view_disbursements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_scheme.social_scheme_disbursement_action")
        action["domain"] = [("scheme_id", "=", self.id)]
        action["context"] = {"default_scheme_id": self.id}
        return action

    # ------------------------------------------------------ business methods
    def _create_projects(self):
        """Each approved scheme gets a project whose tasks are its activities.

        Runs after the approval guard, under sudo: the manager need not be a project admin.
        """
        for scheme in self.filtered(lambda s: not s.project_id):
            project = (
                self.env["project.project"]
                .sudo()
                .create(
                    {
                        "name": scheme.name,
                        "partner_id": scheme.implementing_unit_id.id,
                        "company_id": scheme.company_id.id,
                        "date_start": scheme.date_start,
                        "date": scheme.date_end,
                        # its activities are read through the scheme's rules (officers: their units only)
                        "privacy_visibility": "followers",
                    }
                )
            )
            scheme.sudo().project_id = project

    def _approvers(self):
        return self._group_users(self.env.ref("social_scheme.group_manager"))

    def _check_year_within(self, fiscal_year, years_after=0):
        """Refuse a fiscal year outside the scheme's years (``years_after`` more allowed at the end)."""
        self.ensure_one()
        if not self.date_start.year <= fiscal_year <= self.date_end.year + years_after:
            raise ValidationError(
                self.env._("%(year)s is outside %(scheme)s (%(start)s – %(end)s).", year=fiscal_year,
                           scheme=self.display_name, start=self.date_start.year, end=self.date_end.year)
            )

    def _partner_on(self, role, day):
        """(partner, name) holding ``role`` (lead_agency / implementing_unit) on ``day``, from the handovers."""
        self.ensure_one()
        later = self.handover_ids.filtered(lambda h: h.role == role and h.date > day).sorted(lambda h: (h.date, h.id))
        if later:
            return later[0].from_partner_id, later[0].from_name or later[0].from_partner_id.name or ""
        partner = self.lead_agency_id if role == "lead_agency" else self.implementing_unit_id
        return partner, partner.name or ""

    def _document_place(self):
        """The place on official documents: the approving authority's province."""
        self.ensure_one()
        for partner in (self.approving_authority_id, self.lead_agency_id, self.implementing_unit_id):
            if partner.state_id or partner.city:
                return partner.state_id.name or partner.city
        return ""

    def _format_amount(self, amount):
        return format_amount(self.env, amount, self.currency_id or self.env.company.currency_id)
