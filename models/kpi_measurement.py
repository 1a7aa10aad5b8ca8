from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.sql import create_index

from ..tools import kpi_math
from .workflow_mixin import APPROVAL_ACTIVITY


class SocialSchemeKpiMeasurement(models.Model):
    """A figure reported for one KPI, unit and period (Số liệu báo cáo kỳ).

    Officers enter and submit their unit's figures; planners validate or reject them.
    Only validated figures count; validated ones are locked until a planner reopens them.
    """

    _name = "social.scheme.kpi.measurement"
    _description = "KPI measurement"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.scheme.workflow.mixin"]
    _order = "date_to desc, kpi_id, unit_id, id desc"
    _frozen_fields = ("kpi_id", "unit_id", "disaggregation_id", "period_id", "date_from", "date_to", "numerator",
                      "denominator", "value", "attachment_ids")
    _editable_states = ("draft", "rejected")

    kpi_id = fields.Many2one("social.scheme.kpi", string="Indicator", required=True, ondelete="cascade",
                             index=True, tracking=True)
    scheme_id = fields.Many2one(related="kpi_id.scheme_id", store=True, index=True)
    kpi_kind = fields.Selection(related="kpi_id.kind")
    is_of_which = fields.Boolean(compute="_compute_is_of_which")
    unit_id = fields.Many2one("res.partner", required=True, index=True, tracking=True,
                              compute="_compute_unit_id", store=True, readonly=False, precompute=True)
    disaggregation_id = fields.Many2one("social.scheme.kpi.disaggregation", string="Breakdown", index=True,
                                        tracking=True)
    period_id = fields.Many2one(
        "social.scheme.period", string="Reporting period", index=True, tracking=True, ondelete="restrict",
        compute="_compute_period_id", store=True, readonly=False, precompute=True,
        help="For an indicator reported monthly, quarterly, 6-monthly or yearly: the period the figure covers "
        "exactly.",
    )
    kpi_frequency = fields.Selection(related="kpi_id.frequency")
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    date_submitted = fields.Date(string="Submitted on", readonly=True, copy=False, tracking=True)
    # people are counted: every figure is a whole number
    numerator = fields.Float(digits=(16, 0), tracking=True)
    denominator = fields.Float(digits=(16, 0), tracking=True,
                               help="For an 'of which' ratio it is the parent's validated numerator, set "
                               "at validation.")
    value = fields.Float(digits=(16, 0), tracking=True, help="For counts.")
    rate = fields.Float(string="Rate (%)", compute="_compute_rate")
    parent_numerator = fields.Float(string="Parent's figure", compute="_compute_parent_figure", digits=(16, 0),
                                    help="The parent indicator's figure for the same unit, breakdown and "
                                    "period, when validated.")
    note = fields.Text()
    attachment_ids = fields.Many2many("ir.attachment", string="Evidence")
    company_id = fields.Many2one(related="kpi_id.company_id", store=True, index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("validated", "Validated"), ("rejected", "Rejected")],
        default="draft", required=True, tracking=True, copy=False, index=True,
    )
    reject_reason = fields.Text(string="Reason for rejection", tracking=True, copy=False, readonly=True)

    def init(self):
        # The roll-ups read validated figures per KPI and unit, latest period first.
        create_index(self.env.cr, "social_scheme_kpi_measurement_rollup_idx", self._table,
                     ["kpi_id", "state", "unit_id", "date_to"])

    # -------------------------------------------------------------- computes
    @api.depends("kpi_id")
    def _compute_unit_id(self):
        for measurement in self:
            if not measurement.unit_id:
                own = self.env.user.scheme_unit_ids & measurement.kpi_id.scheme_id.unit_ids
                measurement.unit_id = own[:1] or measurement.kpi_id.scheme_id.implementing_unit_id

    @api.depends("kpi_id.frequency", "date_from", "date_to")
    def _compute_period_id(self):
        """The reporting period the dates cover exactly (none for one-off indicators); one search for all."""
        periodic = self.filtered(lambda m: m.kpi_id.frequency and m.date_from and m.date_to)
        periods = {}
        if periodic:
            for period in self.env["social.scheme.period"].sudo().search([
                ("scheme_id", "in", periodic.kpi_id.scheme_id.ids),
                ("date_from", "in", list(set(periodic.mapped("date_from")))),
            ]):
                periods[(period.scheme_id.id, period.frequency, period.date_from, period.date_to)] = period
        for measurement in self:
            kpi = measurement.kpi_id
            key = (kpi.scheme_id.id, kpi.frequency, measurement.date_from, measurement.date_to)
            measurement.period_id = periods.get(key, False) if measurement in periodic else False

    @api.onchange("period_id")
    def _onchange_period_id(self):
        if self.period_id:
            self.date_from, self.date_to = self.period_id.date_from, self.period_id.date_to

    @api.depends("kpi_id.parent_id")
    def _compute_is_of_which(self):
        for measurement in self:
            measurement.is_of_which = bool(measurement.kpi_id.parent_id)

    @api.depends("numerator", "denominator", "parent_numerator", "kpi_id.kind", "state")
    def _compute_rate(self):
        for measurement in self:
            denominator = measurement._effective_denominator()
            measurement.rate = kpi_math.ratio(measurement.numerator, denominator) or 0.0

    @api.depends("kpi_id", "unit_id", "disaggregation_id", "date_from", "date_to")
    def _compute_parent_figure(self):
        for measurement in self:
            parent = measurement._parent_measurement()
            field = "numerator" if measurement.kpi_id.is_rate else "value"
            measurement.parent_numerator = parent[field] if parent else 0.0

    def _effective_denominator(self):
        if self.kpi_id.parent_id and self.kpi_id.is_rate and self.state != "validated":
            return self.parent_numerator
        return self.denominator

    def _parent_measurement(self, states=("validated",)):
        """The parent KPI's figure (validated by default) for the same unit, breakdown and dates."""
        self.ensure_one()
        parent = self.kpi_id.parent_id
        if not parent or not (self.unit_id and self.date_from and self.date_to):
            return self.browse()
        return self.sudo().search([
            ("kpi_id", "=", parent.id),
            ("unit_id", "=", self.unit_id.id),
            ("disaggregation_id", "=", self.disaggregation_id.id),
            ("date_from", "=", self.date_from),
            ("date_to", "=", self.date_to),
            ("state", "in", states),
        ], order="state desc", limit=1)

    # ----------------------------------------------------------- constraints
    @api.constrains("numerator", "denominator", "value", "kpi_id")
    def _check_values(self):
        for measurement in self:
            figures = (measurement.numerator, measurement.denominator, measurement.value)
            if min(figures) < 0:
                raise ValidationError(self.env._("Reported figures cannot be negative."))
            if max(figures) > kpi_math.MAX_FIGURE:
                raise ValidationError(self.env._("Reported figures cannot be above %(max)s.",
                                                 max=measurement.kpi_id._number(kpi_math.MAX_FIGURE)))
            if measurement.kpi_id.is_rate and measurement.numerator > measurement.denominator \
                    and not measurement.kpi_id.parent_id:
                raise ValidationError(
                    self.env._(
                        "%(kpi)s: the numerator (%(numerator)s) cannot exceed the denominator (%(denominator)s).",
                        kpi=measurement.kpi_id.display_name,
                        numerator=measurement.numerator,
                        denominator=measurement.denominator,
                    )
                )

    @api.constrains("date_from", "date_to", "kpi_id")
    def _check_period(self):
        for measurement in self:
            scheme = measurement.kpi_id.scheme_id
            if measurement.date_from > measurement.date_to:
                raise ValidationError(self.env._("The period starts after it ends: check its dates."))
            if measurement.date_from < scheme.date_start or measurement.date_to > scheme.date_end:
                raise ValidationError(
                    self.env._(
                        "The period %(start)s – %(end)s lies outside the scheme's dates (%(scheme_start)s – "
                        "%(scheme_end)s).",
                        start=measurement._format_date(measurement.date_from),
                        end=measurement._format_date(measurement.date_to),
                        scheme_start=measurement._format_date(scheme.date_start),
                        scheme_end=measurement._format_date(scheme.date_end),
                    )
                )

    @api.constrains("period_id", "date_from", "date_to", "kpi_id")
    def _check_reporting_period(self):
        for measurement in self:
            kpi, period = measurement.kpi_id, measurement.period_id
            if not kpi.frequency:
                continue
            if not period or (period.date_from, period.date_to) != (measurement.date_from, measurement.date_to) \
                    or period.scheme_id != kpi.scheme_id or period.frequency != kpi.frequency:
                frequencies = dict(kpi._fields["frequency"]._description_selection(self.env))
                raise ValidationError(
                    self.env._(
                        "%(kpi)s is reported %(frequency)s: a figure covers one reporting period of the scheme "
                        "exactly (%(start)s – %(end)s is none). Choose the period.",
                        kpi=kpi.display_name, frequency=frequencies.get(kpi.frequency, "").lower(),
                        start=measurement._format_date(measurement.date_from),
                        end=measurement._format_date(measurement.date_to),
                    )
                )

    def _check_period_open(self):
        """Refuse a user's change to figures of a frozen unit period (validated, or past its lock
        date); the workflow steps and data loading write under sudo after their own guards."""
        if self.env.su or not self.period_id:
            return
        lines = self.env["social.scheme.period.unit"].sudo().search([
            ("period_id", "in", self.period_id.ids), ("unit_id", "in", self.unit_id.ids),
        ])
        today = lines._today()
        locked = {(line.period_id.id, line.unit_id.id): line for line in lines if line._frozen_on(today)}
        for measurement in self:
            line = locked.get((measurement.period_id.id, measurement.unit_id.id))
            if line:
                raise UserError(
                    self.env._(
                        "%(period)s is frozen for %(unit)s: its figures can no longer change. A planner "
                        "reopens the period with a reason.",
                        period=line.period_id._label(), unit=measurement.unit_id.display_name,
                    )
                )

    @api.constrains("unit_id", "kpi_id")
    def _check_unit(self):
        for measurement in self:
            if measurement.unit_id not in measurement.kpi_id.scheme_id.unit_ids:
                raise ValidationError(
                    self.env._("%(unit)s does not take part in %(scheme)s.",
                               unit=measurement.unit_id.display_name,
                               scheme=measurement.kpi_id.scheme_id.display_name)
                )

    @api.constrains("disaggregation_id", "kpi_id")
    def _check_disaggregation(self):
        for measurement in self:
            allowed = measurement.kpi_id.disaggregation_ids
            if allowed and measurement.disaggregation_id not in allowed:
                raise ValidationError(
                    self.env._("%(kpi)s is reported per breakdown: choose one of %(allowed)s.",
                               kpi=measurement.kpi_id.display_name,
                               allowed=", ".join(allowed.mapped("name")))
                )
            if not allowed and measurement.disaggregation_id:
                raise ValidationError(
                    self.env._("%(kpi)s has no breakdown: leave the breakdown empty.",
                               kpi=measurement.kpi_id.display_name)
                )

    @api.constrains("state", "kpi_id", "unit_id", "disaggregation_id", "date_from", "date_to")
    def _check_single_validated(self):
        for measurement in self.filtered(lambda m: m.state == "validated"):
            clash = self.sudo().search([
                ("id", "!=", measurement.id),
                ("kpi_id", "=", measurement.kpi_id.id),
                ("unit_id", "=", measurement.unit_id.id),
                ("disaggregation_id", "=", measurement.disaggregation_id.id),
                ("state", "=", "validated"),
                ("date_from", "<=", measurement.date_to),
                ("date_to", ">=", measurement.date_from),
            ], limit=1)
            if clash:
                raise ValidationError(
                    self.env._(
                        "%(kpi)s already has a validated figure for %(unit)s over an overlapping period "
                        "(%(start)s – %(end)s): reopen it rather than counting twice.",
                        kpi=measurement.kpi_id.display_name,
                        unit=measurement.unit_id.display_name,
                        start=self._format_date(clash.date_from),
                        end=self._format_date(clash.date_to),
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # a period chosen (or passed by RPC) sets the dates it covers; read once for the batch
        wanted = {vals["period_id"] for vals in vals_list
                  if isinstance(vals.get("period_id"), int) and not (vals.get("date_from") and vals.get("date_to"))}
        periods = {period.id: period for period in self.env["social.scheme.period"].sudo().browse(wanted).exists()}
        for vals in vals_list:
            period = periods.get(vals.get("period_id")) if not (vals.get("date_from") and vals.get("date_to")) \
                else None
            if period:
                vals.update(date_from=period.date_from, date_to=period.date_to)
        measurements = super().create(vals_list)
        measurements._check_period_open()
        return measurements

    def write(self, vals):
        if set(vals) & set(self._frozen_fields):
            self._check_period_open()
        if vals.get("period_id") and not {"date_from", "date_to"} & set(vals):
            period = self.env["social.scheme.period"].sudo().browse(vals["period_id"]).exists()
            if period:
                vals = {**vals, "date_from": period.date_from, "date_to": period.date_to}
        res = super().write(vals)
        if set(vals) & set(self._frozen_fields):
            self._check_period_open()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_if_period_open(self):
        self._check_period_open()

    # ---------------------------------------------------------------- guards
    def _check_can_submit(self):
        self._check_state(("draft", "rejected"), self.env._("submitted"))
        self._check_period_open()
        self._check_group(
            ("social_scheme.group_officer", "social_scheme.group_manager"),
            self.env._("Only the unit's officer, or a Manager, can submit its figures."),
        )
        self._check_write_access()

    def _check_can_validate(self):
        self._check_state(("submitted",), self.env._("validated"))
        self._check_group(
            ("social_scheme.group_planner",), self.env._("Only a planner of the Department can validate figures.")
        )
        self._check_write_access()
        for measurement in self.filtered(lambda m: m.kpi_id.parent_id):
            parent = measurement._parent_measurement()
            if not parent:
                raise UserError(
                    self.env._(
                        "Validate the figure of %(parent)s for %(unit)s over the same period first: "
                        "%(kpi)s is part of it.",
                        parent=measurement.kpi_id.parent_id.display_name,
                        unit=measurement.unit_id.display_name,
                        kpi=measurement.kpi_id.display_name,
                    )
                )
            field = "numerator" if measurement.kpi_id.is_rate else "value"
            own = measurement.numerator if measurement.kpi_id.is_rate else measurement.value
            if own > parent[field]:
                raise UserError(
                    self.env._(
                        "%(kpi)s (%(own)s) cannot exceed its parent %(parent)s (%(parent_value)s) for the same "
                        "unit, breakdown and period.",
                        kpi=measurement.kpi_id.display_name,
                        own=own,
                        parent=measurement.kpi_id.parent_id.display_name,
                        parent_value=parent[field],
                    )
                )

    def _check_can_reject(self):
        self._check_state(("submitted",), self.env._("rejected"))
        self._check_period_open()
        self._check_group(
            ("social_scheme.group_planner",), self.env._("Only a planner of the Department can reject figures.")
        )
        self._check_write_access()

    def _check_can_reset(self):
        self._check_state(("submitted", "validated", "rejected"), self.env._("reopened"))
        self._check_period_open()
        self._check_group(
            ("social_scheme.group_planner",), self.env._("Only a planner of the Department can reopen figures.")
        )
        self._check_write_access()
        for measurement in self.filtered(lambda m: m.state == "validated"):
            children = self.sudo().search([
                ("kpi_id.parent_id", "=", measurement.kpi_id.id),
                ("unit_id", "=", measurement.unit_id.id),
                ("disaggregation_id", "=", measurement.disaggregation_id.id),
                ("date_from", "=", measurement.date_from),
                ("date_to", "=", measurement.date_to),
                ("state", "=", "validated"),
            ])
            if children - self:
                raise UserError(
                    self.env._("Reopen the 'of which' figures built on %(kpi)s first.",
                               kpi=measurement.kpi_id.display_name)
                )

    # --------------------------------------------------------------- actions
    def action_submit(self):
        self._check_can_submit()
        self.env["social.scheme.kpi.rule"]._check_submission(self)
        for measurement in self:
            vals = {"state": "submitted", "date_submitted": fields.Date.context_today(self)}
            if measurement.kpi_id.parent_id and measurement.kpi_id.is_rate:
                # provisional denominator, replaced by the validated one at validation
                parent = measurement._parent_measurement(states=("validated", "submitted"))
                vals["denominator"] = parent.numerator
            measurement._write_state(vals)
        self._request_approval()
        return True

    def action_validate(self):
        self._check_can_validate()
        for measurement in self:
            vals = {"state": "validated", "reject_reason": False}
            if measurement.kpi_id.parent_id and measurement.kpi_id.is_rate:
                # the denominator of an "of which" ratio is the parent's validated numerator
                vals["denominator"] = measurement._parent_measurement().numerator
            measurement._write_state(vals)
        self._close_approval("approved")
        return True

    def action_reject(self, reason=None):
        """Return figures to their unit with a reason (the dialog passes it)."""
        self._check_can_reject()
        if not reason:
            return {
                "type": "ir.actions.act_window",
                "res_model": "social.scheme.kpi.measurement.reject",
                "view_mode": "form",
                "target": "new",
                "name": self.env._("Reject figures"),
                "context": {"active_model": self._name, "active_ids": self.ids},
            }
        self._write_state({"state": "rejected", "reject_reason": reason})
        self._close_approval("returned", reason)
        return True

    def action_reset(self):
        self._check_can_reset()
        self._write_state({"state": "draft"})
        self._close_approval()
        return True

    def _request_approval(self):
        """Figures submitted together (an import, a survey) give each planner one to-do per unit's
        period rather than one per figure; a figure submitted alone keeps its own."""
        if len(self) <= 1 or not self.period_id:
            return super()._request_approval()
        lone = self.filtered(lambda m: not m.period_id)
        super(SocialSchemeKpiMeasurement, lone)._request_approval()
        grouped = self - lone
        grouped.sudo().write({"submitted_by_id": self.env.user.id})
        lines = self.env["social.scheme.period.unit"].sudo().search([
            ("period_id", "in", grouped.period_id.ids), ("unit_id", "in", grouped.unit_id.ids)])
        counts = Counter((m.period_id.id, m.unit_id.id) for m in grouped)
        approvers = grouped[:1]._approvers()
        for line in lines.filtered(lambda line: (line.period_id.id, line.unit_id.id) in counts):
            for user in approvers:
                summary = line.with_context(lang=user.lang).env._(
                    "To validate: %(count)s figure(s) of %(period)s",
                    count=counts[(line.period_id.id, line.unit_id.id)], period=line.display_name)
                line.activity_schedule(APPROVAL_ACTIVITY, user_id=user.id, summary=summary)

    def _close_approval(self, decision=None, reason=None):
        res = super()._close_approval(decision=decision, reason=reason)
        # a unit's period whose figures were submitted together: its to-do goes with the last one
        if self.period_id:
            pending = {(m.period_id.id, m.unit_id.id) for m in self.sudo().search([
                ("period_id", "in", self.period_id.ids), ("unit_id", "in", self.unit_id.ids),
                ("state", "=", "submitted")])}
            lines = self.env["social.scheme.period.unit"].sudo().search([
                ("period_id", "in", self.period_id.ids), ("unit_id", "in", self.unit_id.ids)])
            lines.filtered(lambda line: (line.period_id.id, line.unit_id.id) not in pending) \
                .activity_unlink([APPROVAL_ACTIVITY])
        return res

    def _rule_period_key(self):
        """The period within which validation rules compare figures (social.scheme.kpi.rule)."""
        return (self.date_from, self.date_to)

    def _approvers(self):
        """The Department's planners (Managers when there are none)."""
        planners = self._group_users(self.env.ref("social_scheme.group_planner"))
        managers = self._group_users(self.env.ref("social_scheme.group_manager"))
        return (planners - managers) or managers

    def _format_date(self, day):
        return fields.Date.to_date(day).strftime("%d/%m/%Y") if day else ""

    @api.depends("kpi_id", "unit_id", "date_to")
    def _compute_display_name(self):
        for measurement in self:
            measurement.display_name = " / ".join(filter(None, [
                measurement.kpi_id.code, measurement.unit_id.name, measurement._format_date(measurement.date_to),
            ]))
