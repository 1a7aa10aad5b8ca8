from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import reporting
from .workflow_mixin import APPROVAL_ACTIVITY

REMINDER_ACTIVITY = "social_scheme.mail_activity_type_report_due"
LATE_ACTIVITY = "social_scheme.mail_activity_type_report_late"


class SocialSchemePeriodUnit(models.Model):
    """One unit's reports for one period: what came in, and whether its figures are frozen.

    A planner validates the period for the unit (its submitted figures are validated and
    every figure of the period freezes) or reopens it with a reason; the due rule may
    also freeze the figures some days after the due date.
    """

    _name = "social.scheme.period.unit"
    _description = "Reporting period of a unit"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.scheme.workflow.mixin"]
    _order = "date_to desc, scheme_id, unit_id, id"
    _editable_states = ("open", "reopened")

    period_id = fields.Many2one("social.scheme.period", required=True, ondelete="cascade", index=True,
                                readonly=True)
    scheme_id = fields.Many2one(related="period_id.scheme_id", store=True, index=True)
    unit_id = fields.Many2one("res.partner", required=True, index=True, readonly=True)
    frequency = fields.Selection(related="period_id.frequency", store=True)
    date_from = fields.Date(related="period_id.date_from", store=True)
    date_to = fields.Date(related="period_id.date_to", store=True)
    date_due = fields.Date(related="period_id.date_due", store=True)
    date_lock = fields.Date(related="period_id.date_lock")
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("validated", "Validated"), ("reopened", "Reopened")],
        default="open", required=True, tracking=True, index=True,
    )
    reopen_reason = fields.Text(string="Reason for reopening", readonly=True, tracking=True)
    is_locked = fields.Boolean(string="Frozen", compute="_compute_is_locked",
                               help="Validated, or past the lock date and not reopened.")
    expected_count = fields.Integer(string="Expected", compute="_compute_rates")
    received_count = fields.Integer(string="Received", compute="_compute_rates")
    on_time_count = fields.Integer(string="On time", compute="_compute_rates")
    missing_count = fields.Integer(string="Not reported", compute="_compute_rates")
    completeness_rate = fields.Float(string="Completeness (%)", compute="_compute_rates", digits=(16, 1))
    timeliness_rate = fields.Float(string="Timeliness (%)", compute="_compute_rates", digits=(16, 1))

    _sql_constraints = [
        ("period_unit_unique", "unique(period_id, unit_id)", "A unit has one line per reporting period."),
    ]

    @api.depends("period_id", "unit_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.period_id._label()} – {line.unit_id.display_name}"

    @api.depends("state", "period_id.date_lock")
    @api.depends_context("social_scheme_today")
    def _compute_is_locked(self):
        today = self._today()
        for line in self:
            line.is_locked = line._frozen_on(today)

    def _frozen_on(self, day):
        """Validated, or past the lock date while never reopened."""
        lock = self.period_id.date_lock
        return self.state == "validated" or (self.state == "open" and bool(lock) and day > lock)

    def _today(self):
        return fields.Date.to_date(self.env.context.get("social_scheme_today")) or fields.Date.context_today(self)

    def _compute_rates(self):
        counts = self.env["social.scheme.expected.report"]._counts([("period_unit_id", "in", self.ids)],
                                                                   "period_unit_id")
        for line in self:
            expected, received, on_time = counts.get(line.id, (0, 0, 0))
            line.expected_count, line.received_count, line.on_time_count = expected, received, on_time
            line.missing_count = expected - received
            completeness, timeliness = reporting.rates(expected, received, on_time)
            line.completeness_rate, line.timeliness_rate = completeness or 0.0, timeliness or 0.0

    # --------------------------------------------------------------- guards
    def _check_can_validate(self):
        self._check_state(("open", "reopened"), self.env._("validated"))
        self._check_group(("social_scheme.group_planner",),
                          self.env._("Only a planner of the Department can validate a unit's period."))
        self._check_write_access()

    def _check_can_reopen(self):
        today = self._today()
        for line in self:
            if not line._frozen_on(today):
                raise UserError(self.env._("%(period)s is not frozen: nothing to reopen.",
                                           period=line.display_name))
        self._check_group(("social_scheme.group_planner",),
                          self.env._("Only a planner of the Department can reopen a unit's period."))
        self._check_write_access()

    # -------------------------------------------------------------- actions
    def action_validate(self):
        """Validate the unit's submitted figures of the period; the period then freezes."""
        self._check_can_validate()
        figures = self._figures().filtered(lambda m: m.state == "submitted")
        # parents before their 'of which' figures (a child is validated against its parent)
        for figure in figures.sorted(lambda m: len(m.kpi_id.parent_path or "")):
            figure.action_validate()
        self._write_state({"state": "validated"})
        self.sudo().activity_unlink([APPROVAL_ACTIVITY])  # the to-dos of figures submitted together
        return True

    def action_reopen(self, reason=None):
        """Unfreeze the unit's figures of the period, with a reason (the dialog asks for it)."""
        self._check_can_reopen()
        if not (reason or "").strip():
            return {
                "type": "ir.actions.act_window",
                "res_model": "social.scheme.period.reopen",
                "view_mode": "form",
                "target": "new",
                "name": self.env._("Reopen the period"),
                "context": {"default_period_unit_ids": [fields.Command.set(self.ids)]},
            }
        self._write_state({"state": "reopened", "reopen_reason": reason.strip()})
        return True

    def _figures(self):
        return self.env["social.scheme.kpi.measurement"].sudo().search([
            ("period_id", "in", self.period_id.ids), ("unit_id", "in", self.unit_id.ids),
        ]).filtered(lambda m: (m.period_id, m.unit_id) in {(line.period_id, line.unit_id) for line in self})

    def action_import_figures(self):
        """The spreadsheet import of this period, for this unit."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.scheme.kpi.import",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import figures"),
            "context": {"default_period_id": self.period_id.id, "default_unit_id": self.unit_id.id},
        }

    def action_view_expected(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.scheme.expected.report",
            "name": self.display_name,
            "view_mode": "list,pivot",
            "domain": [("period_unit_id", "=", self.id)],
        }

    # ------------------------------------------------------------ reminders
    @api.model
    def _cron_remind(self):
        """To-dos for what is still owed: the unit's officers before the due date, the planners
        once late. Running it again creates nothing twice; what came in gets no reminder, and
        a reminder whose reports all came in is removed."""
        today = self._today()
        lines = self.search([
            ("state", "!=", "validated"), ("date_due", "!=", False),
            ("scheme_id.state", "in", ("approved", "in_progress")),
        ])
        lines = lines.filtered(lambda line: line.expected_count)
        officers = self.env.ref("social_scheme.group_officer").users.filtered(lambda u: u.active and not u.share)
        planners = self.env.ref("social_scheme.group_planner").users.filtered(lambda u: u.active and not u.share)
        due_type = self.env.ref(REMINDER_ACTIVITY)
        late_type = self.env.ref(LATE_ACTIVITY)
        existing = {
            (activity.res_id, activity.activity_type_id.id, activity.user_id.id)
            for activity in self.env["mail.activity"].sudo().search([
                ("res_model", "=", self._name), ("res_id", "in", lines.ids),
                ("activity_type_id", "in", (due_type | late_type).ids),
            ])
        }
        for line in lines:
            if not line.missing_count:
                line.sudo().activity_unlink([REMINDER_ACTIVITY, LATE_ACTIVITY])
                continue
            rule = line.period_id.due_rule_id
            if today > line.date_due:
                activity_type, xmlid, users = late_type, LATE_ACTIVITY, planners
            elif today >= line.date_due - timedelta(days=rule.reminder_days or 0):
                activity_type, xmlid = due_type, REMINDER_ACTIVITY
                users = officers.filtered(lambda u, line=line: line.unit_id in u.scheme_unit_ids)
            else:
                continue
            for user in users:
                if (line.id, activity_type.id, user.id) in existing:
                    continue
                env = line.with_context(lang=user.lang).env
                if activity_type == late_type:
                    summary = env._("Not reported: %(unit)s, %(period)s (due %(due)s)", unit=line.unit_id.name,
                                    period=line.period_id.with_env(env)._label(),
                                    due=line.date_due.strftime("%d/%m/%Y"))
                else:
                    summary = env._("Figures due on %(due)s: %(period)s", due=line.date_due.strftime("%d/%m/%Y"),
                                    period=line.period_id.with_env(env)._label())
                line.sudo().activity_schedule(xmlid, user_id=user.id, summary=summary, date_deadline=line.date_due)
                existing.add((line.id, activity_type.id, user.id))
        return True
