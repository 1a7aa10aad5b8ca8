from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import progress as progress_math

ACTIVITY_STATUSES = [
    ("not_started", "Not started"),
    ("on_schedule", "On schedule"),
    ("late", "Late"),
    ("done", "Done"),
]
PROGRESS_MODES = [
    ("manual", "Entered by the responsible unit"),
    ("milestones", "Share of its milestones reached"),
    ("packages", "Share of its packages accepted"),
    ("kpis", "Average % of target of its indicators"),
]
# set by the code (the write guard of project.task, see _check_scheme_write)
SYSTEM_FIELDS = ("scheme_id", "scheme_unit_ids", "scheme_currency_id", "scheme_status", "scheme_amount_planned", "scheme_amount_contract",
                 "scheme_amount_paid", "scheme_expected_progress")
# what a facility officer may change on their unit's activities
OFFICER_FIELDS = ("progress", "scheme_date_actual_start", "scheme_date_actual_end")


class ProjectTask(models.Model):
    """A project task of a scheme is one of its activities: money, packages and targets it serves."""

    _inherit = "project.task"

    scheme_id = fields.Many2one("social.scheme", compute="_compute_scheme_id", store=True,
                                index=True, compute_sudo=True)
    scheme_unit_id = fields.Many2one(
        "res.partner", string="Responsible unit", index=True, tracking=True,
        compute="_compute_scheme_unit_id", store=True, readonly=False,
        help="The participating unit that carries the activity out and reports its progress.")
    scheme_unit_ids = fields.Many2many(related="scheme_id.unit_ids", string="Scheme units")
    scheme_budget_ids = fields.One2many("social.scheme.activity.budget", "task_id", string="Planned amounts")
    scheme_budget_line_ids = fields.Many2many(
        "social.scheme.budget.line", string="Budget lines", compute="_compute_scheme_budget_line_ids",
        inverse="_inverse_scheme_budget_line_ids", search="_search_scheme_budget_line_ids")
    # a package serves one activity: its task_id (the link is read from the package row itself,
    # so a package's approval or payment finds its activity without a query of its own)
    scheme_package_ids = fields.One2many("social.scheme.procurement.package", "task_id", string="Procurement packages",
                                         domain="[('scheme_id', '=', scheme_id)]")
    scheme_kpi_ids = fields.Many2many(
        "social.scheme.kpi", "project_task_scheme_kpi_rel", "task_id", "kpi_id", string="Indicators served",
        domain="[('scheme_id', '=', scheme_id)]")
    scheme_date_planned_start = fields.Date(string="Planned start", tracking=True)
    scheme_date_planned_end = fields.Date(string="Planned end", tracking=True)
    scheme_date_actual_start = fields.Date(string="Actual start", tracking=True)
    scheme_date_actual_end = fields.Date(string="Actual end", tracking=True,
                                         help="Recorded when the activity is done.")
    scheme_progress_mode = fields.Selection(PROGRESS_MODES, string="Progress from", default="manual",
                                            required=True, tracking=True)
    progress = fields.Float(string="Progress (%)", compute="_compute_progress", store=True, readonly=False,
                            aggregator="avg", tracking=True, digits=(5, 1),
                            help="Entered by the responsible unit, or derived from the activity's milestones, "
                            "packages or indicators (see 'Progress from').")
    scheme_expected_progress = fields.Float(string="Time elapsed (%)", compute="_compute_scheme_expected_progress",
                                            digits=(5, 1))
    scheme_status = fields.Selection(ACTIVITY_STATUSES, string="Activity status", compute="_compute_scheme_status",
                                     store=True, index=True, compute_sudo=True)
    scheme_currency_id = fields.Many2one(related="scheme_id.currency_id", string="Scheme currency")
    scheme_amount_planned = fields.Monetary(string="Planned amount", currency_field="scheme_currency_id",
                                            compute="_compute_scheme_amounts", store=True, compute_sudo=True)
    scheme_amount_contract = fields.Monetary(string="Contracted", currency_field="scheme_currency_id",
                                             compute="_compute_scheme_amounts", store=True, compute_sudo=True)
    scheme_amount_paid = fields.Monetary(string="Paid", currency_field="scheme_currency_id",
                                         compute="_compute_scheme_amounts", store=True, compute_sudo=True)

    # -------------------------------------------------------------- computes
    @api.depends("project_id")
    def _compute_scheme_id(self):
        schemes = {
            scheme.project_id.id: scheme
            for scheme in self.env["social.scheme"].sudo().search([("project_id", "in", self.project_id.ids)])
        }
        for task in self:
            task.scheme_id = schemes.get(task.project_id.id, False)

    @api.depends("scheme_id")
    def _compute_scheme_unit_id(self):
        for task in self:
            scheme = task.sudo().scheme_id
            if scheme and task.scheme_unit_id not in scheme.unit_ids:
                task.scheme_unit_id = scheme.implementing_unit_id
            else:
                task.scheme_unit_id = task.scheme_unit_id

    @api.depends("scheme_budget_ids.budget_line_id")
    def _compute_scheme_budget_line_ids(self):
        for task in self:
            task.scheme_budget_line_ids = task.scheme_budget_ids.budget_line_id

    def _inverse_scheme_budget_line_ids(self):
        # lines set directly (RPC clients) get a share of 0, to be planned; removed ones lose theirs
        for task in self:
            shares = task.scheme_budget_ids
            commands = [Command.unlink(share.id) for share in shares
                        if share.budget_line_id not in task.scheme_budget_line_ids]
            commands += [Command.create({"budget_line_id": line.id, "amount_planned": 0.0})
                         for line in task.scheme_budget_line_ids - shares.budget_line_id]
            if commands:
                task.scheme_budget_ids = commands

    def _search_scheme_budget_line_ids(self, operator, value):
        return [("scheme_budget_ids.budget_line_id", operator, value)]

    @api.depends("scheme_progress_mode", "milestone_id.is_reached", "child_ids.milestone_id.is_reached",
                 "scheme_package_ids.state", "scheme_kpi_ids.achievement_rate", "scheme_kpi_ids.status")
    def _compute_progress(self):
        for task in self:
            mode = task.scheme_progress_mode
            if mode == "manual" or not mode:
                task.progress = task.progress or 0.0
                continue
            kpis = task.sudo().scheme_kpi_ids.filtered(lambda kpi: kpi.has_data and kpi.status != "tracking")
            derived = progress_math.derived_progress(
                mode,
                milestones=(task.milestone_id | task.child_ids.milestone_id).mapped("is_reached"),
                package_states=task.sudo().scheme_package_ids.mapped("state"),
                kpi_rates=kpis.mapped("achievement_rate"),
            )
            task.progress = derived or 0.0

    @api.depends("scheme_date_planned_start", "scheme_date_planned_end")
    @api.depends_context("social_scheme_day")
    def _compute_scheme_expected_progress(self):
        day = self._scheme_day()
        for task in self:
            task.scheme_expected_progress = progress_math.expected_progress(
                day, task.scheme_date_planned_start, task.scheme_date_planned_end)

    @api.depends("scheme_id.activity_tolerance", "scheme_date_planned_start", "scheme_date_planned_end",
                 "scheme_date_actual_start", "scheme_date_actual_end", "progress")
    def _compute_scheme_status(self):
        day = self._scheme_day()
        for task in self:
            task.scheme_status = task._scheme_status_on(day) if task.scheme_id else False

    @api.depends("scheme_budget_ids.amount_planned", "scheme_package_ids.amount_contract",
                 "scheme_package_ids.amount_paid", "scheme_package_ids.state")
    def _compute_scheme_amounts(self):
        for task in self:
            packages = task.scheme_package_ids.filtered(lambda package: package.state != "cancelled")
            task.scheme_amount_planned = sum(task.scheme_budget_ids.mapped("amount_planned"))
            task.scheme_amount_contract = sum(packages.mapped("amount_contract"))
            task.scheme_amount_paid = sum(task.scheme_package_ids.mapped("amount_paid"))

    # ----------------------------------------------------------- constraints
    @api.constrains("progress")
    def _check_progress(self):
        for task in self:
            if not 0 <= task.progress <= 100:
                raise ValidationError(self.env._(
                    "The progress of %(activity)s must be between 0 and 100%%.", activity=task.display_name))

    @api.constrains("scheme_date_planned_start", "scheme_date_planned_end", "scheme_date_actual_start",
                    "scheme_date_actual_end")
    def _check_scheme_dates(self):
        for task in self:
            if task.scheme_date_planned_start and task.scheme_date_planned_end \
                    and task.scheme_date_planned_start > task.scheme_date_planned_end:
                raise ValidationError(self.env._(
                    "%(activity)s: the planned end is before the planned start.", activity=task.display_name))
            if task.scheme_date_actual_end and not task.scheme_date_actual_start:
                raise ValidationError(self.env._(
                    "%(activity)s: enter the actual start before the actual end.", activity=task.display_name))
            if task.scheme_date_actual_start and task.scheme_date_actual_end \
                    and task.scheme_date_actual_end < task.scheme_date_actual_start:
                raise ValidationError(self.env._(
                    "%(activity)s: the actual end is before the actual start.", activity=task.display_name))

    @api.constrains("scheme_package_ids", "scheme_kpi_ids", "project_id", "scheme_unit_id")
    def _check_scheme_links(self):
        for task in self.sudo():
            foreign = (task.scheme_package_ids.scheme_id | task.scheme_kpi_ids.scheme_id) - task.scheme_id
            if foreign or (task.scheme_budget_ids.budget_line_id.scheme_id - task.scheme_id):
                raise ValidationError(self.env._(
                    "%(activity)s can only use the budget lines, packages and indicators of its own scheme.",
                    activity=task.display_name))
            if task.scheme_id and task.scheme_unit_id and task.scheme_unit_id not in task.scheme_id.unit_ids:
                raise ValidationError(self.env._(
                    "%(unit)s does not take part in %(scheme)s.", unit=task.scheme_unit_id.display_name,
                    scheme=task.scheme_id.display_name))

    @api.constrains("scheme_date_actual_end", "scheme_package_ids")
    def _check_scheme_done(self):
        for task in self.sudo().filtered("scheme_date_actual_end"):
            open_packages = task.scheme_package_ids.filtered(
                lambda package: package.state not in progress_math.PACKAGE_FINISHED)
            if open_packages:
                raise ValidationError(self.env._(
                    "%(activity)s cannot be done while its packages %(packages)s are not accepted or cancelled.",
                    activity=task.display_name, packages=", ".join(open_packages.mapped("name"))))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        package_commands = []
        for vals in vals_list:
            if vals.get("scheme_progress_mode", "manual") != "manual":
                vals.pop("progress", None)  # derived: computed after the create
            if not self.env.su:
                self._check_scheme_write(vals)
            package_commands.append(vals.pop("scheme_package_ids", None) if not self.env.su else None)
        tasks = super().create(vals_list)
        for task, commands in zip(tasks, package_commands, strict=True):
            if commands:
                task._set_scheme_packages(commands)
        return tasks

    def write(self, vals):
        commands = None
        if not self.env.su:
            self._check_scheme_write(vals)
            if "scheme_package_ids" in vals:
                vals = dict(vals)
                commands = vals.pop("scheme_package_ids")
        if vals.get("scheme_date_actual_end") and "progress" not in vals:
            # done is done: a manual progress follows the recorded end
            manual = self.filtered(lambda task: task.scheme_progress_mode == "manual")
            if manual:
                super(ProjectTask, manual).write({"progress": 100.0})
        res = super().write(vals)
        if commands is not None:
            for task in self:
                task._set_scheme_packages(commands)
        return res

    def _set_scheme_packages(self, commands):
        """Link packages to the activity (the user may write the activity, not the packages)."""
        self.ensure_one()
        Package = self.env["social.scheme.procurement.package"]
        current = self.sudo().scheme_package_ids
        wanted = current
        for command in commands:
            code, record_id = command[0], command[1] if len(command) > 1 else False
            if code == Command.SET:
                wanted = Package.sudo().browse(command[2])
            elif code == Command.LINK:
                wanted |= Package.sudo().browse(record_id)
            elif code == Command.UNLINK:
                wanted -= Package.sudo().browse(record_id)
            elif code == Command.CLEAR:
                wanted = Package.sudo()
            else:
                raise UserError(self.env._("Packages are planned in Procurement: link the existing ones here."))
        added = wanted - current
        added.with_env(self.env).check_access("read")
        taken = added.filtered(lambda package: package.task_id and package.task_id != self)
        if taken:
            raise ValidationError(self.env._("%(package)s already serves the activity %(activity)s.",
                                             package=taken[0].name, activity=taken[0].task_id.name))
        if added.scheme_id - self.sudo().scheme_id:
            raise ValidationError(self.env._(
                "%(activity)s can only use the budget lines, packages and indicators of its own scheme.",
                activity=self.display_name))
        (current - wanted).write({"task_id": False})
        added.write({"task_id": self.id})
        self._check_scheme_done()

    def _check_scheme_write(self, vals):
        """Users never set what the code computes; officers change only their activities' progress."""
        forged = [name for name in SYSTEM_FIELDS if name in vals
                  and (not self or any(task._fields[name].convert_to_cache(vals[name], task) !=
                                       task._fields[name].convert_to_cache(task[name], task) for task in self))]
        if forged:
            labels = ", ".join(self._fields[name]._description_string(self.env) for name in forged)
            raise AccessError(self.env._("%(fields)s of activities are set by the application, not by users.",
                                         fields=labels))
        if "progress" in vals:
            mode = vals.get("scheme_progress_mode")
            derived = [task for task in self if (mode or task.scheme_progress_mode) != "manual"
                       and task._fields["progress"].convert_to_cache(vals["progress"], task) != task.progress]
            if derived:
                raise UserError(self.env._("The progress of %(activity)s is derived: choose 'Entered by the "
                                           "responsible unit' to enter it.", activity=derived[0].display_name))
        user = self.env.user
        if user.has_group("project.group_project_user"):
            return  # planners (and project users) plan the activities; the record rules apply
        if self:
            scheme_tasks = self.sudo().filtered("scheme_id")
        else:
            scheme_tasks = self.env["project.project"].sudo().browse(vals.get("project_id") or []).social_scheme_ids
        if not scheme_tasks:
            return  # not an activity of a scheme: Odoo's own rules
        if self and user.has_group("social_scheme.group_officer") and set(vals) <= set(OFFICER_FIELDS):
            return  # the officer's own units only: the record rule of the activities
        raise AccessError(self.env._("The Department's planners plan a scheme's activities; a facility officer records "
                                     "only the progress and the actual dates of their unit's activities."))

    # --------------------------------------------------------------- helpers
    def _scheme_day(self):
        day = self.env.context.get("social_scheme_day")
        return fields.Date.to_date(day) if day else fields.Date.context_today(self)

    def _scheme_status_on(self, day):
        """The status on ``day`` (a report's end date, or today)."""
        self.ensure_one()
        return progress_math.status(
            day, self.scheme_date_planned_start, self.scheme_date_planned_end, self.scheme_date_actual_start,
            self.scheme_date_actual_end, self.progress, self.scheme_id.activity_tolerance)

    @api.model
    def _cron_update_scheme_status(self):
        """The status depends on today (planned end passed, time elapsed): refresh it daily."""
        tasks = self.sudo().search([("scheme_id", "!=", False), ("scheme_status", "!=", "done")])
        self.env.add_to_compute(self._fields["scheme_status"], tasks)
        tasks._recompute_recordset(["scheme_status"])
        return True
