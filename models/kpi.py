from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import documents, kpi_math
from .due_rule import FREQUENCIES

# calendar periods the ORM (``date_to:quarter``) and date_trunc group by alike
GROUPABLE_INTERVALS = ("month", "quarter", "year")
# a stock count's latest figure is found as the greatest (end date << 47 | value): its value
# is a whole number (guard mixin) from 0 to kpi_math.MAX_FIGURE (_check_values), below 2^47
VALUE_BITS = (1 << 47) - 1

STATUS_SELECTION = [
    ("no_data", "No data"),
    ("tracking", "Tracking only"),
    ("achieved", "Achieved"),
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("off_track", "Off track"),
]


class SocialSchemeKpi(models.Model):
    """An indicator (Chỉ tiêu) of a scheme, judged on validated measurements only."""

    _name = "social.scheme.kpi"
    _description = "Scheme indicator"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "scheme_id, sequence, code, id"
    _parent_store = True

    # identity
    scheme_id = fields.Many2one("social.scheme", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, tracking=True, size=32)
    name = fields.Char(string="Indicator", required=True, tracking=True, size=512)
    kind = fields.Selection(
        [("ratio", "Ratio (%)"), ("count", "Count"), ("survey", "Satisfaction survey (%)")], required=True,
        default="ratio", tracking=True,
        help="A ratio is a numerator over a denominator, in %; a count is a number; a survey is the share of "
        "respondents satisfied, computed from the answers to a question of a survey.",
    )
    is_rate = fields.Boolean(compute="_compute_is_rate", help="A ratio or a survey: Σ numerators / Σ denominators.")
    survey_id = fields.Many2one("survey.survey", tracking=True, ondelete="restrict",
                                help="The facility's satisfaction survey (clients, relatives).")
    question_id = fields.Many2one("survey.question", tracking=True, ondelete="restrict",
                                  domain="[('survey_id', '=', survey_id), ('question_type', '=', 'scale')]",
                                  help="A scale question (e.g. 1 to 5).")
    survey_satisfied_min = fields.Integer(
        string="Satisfied from", default=4, tracking=True,
        help="Answers at or above this value count as satisfied (QĐ 1001/QĐ-BNV 2023: the two top answers of "
        "a 5-point scale).",
    )
    direction = fields.Selection(
        [("at_least", "At least"), ("at_most", "At most")], required=True, default="at_least", tracking=True
    )
    target_value = fields.Float(string="Target", required=True, tracking=True, digits=(16, 1),
                                help="In % for a ratio, a whole number for a count.")
    target_display = fields.Char(string="Target as shown", compute="_compute_display_figures")
    aggregation = fields.Selection(
        [("sum", "Sum of periods (flows)"), ("last", "Latest period (stocks)")],
        default="sum", required=True, tracking=True,
        help="Counts only: add the periods (admissions), or take the latest figure of each unit "
        "(staff trained to date).",
    )
    report_frequency = fields.Selection(
        [*FREQUENCIES, ("one_off", "One-off (free dates)")], string="Reporting frequency", tracking=True,
        help="Empty: the scheme's. One-off: figures over free date ranges, no reporting period.",
    )
    frequency = fields.Selection(FREQUENCIES, string="Reported", compute="_compute_frequency", store=True,
                                 index=True, help="The reporting periods its figures fit: its own frequency, "
                                 "else the scheme's.")
    numerator_label = fields.Char(size=256, help="What is counted, e.g. entrants counselled.")
    denominator_label = fields.Char(size=256, help="Out of what, e.g. entrants.")
    parent_id = fields.Many2one(
        "social.scheme.kpi", string="Of which (parent)", index=True, ondelete="restrict",
        domain="[('scheme_id', '=', scheme_id), ('kind', '=', kind), ('id', '!=', id)]",
        help="For an 'of which' indicator: the indicator it is part of.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("social.scheme.kpi", "parent_id", string="Of which")
    disaggregation_ids = fields.Many2many(
        "social.scheme.kpi.disaggregation", string="Breakdown",
        help="When set, every figure is reported per breakdown category.",
    )
    at_risk_margin = fields.Float(
        string="At-risk margin (% of target)", default=10.0,
        help="A projection that misses the target by at most this share of it is 'at risk', "
        "beyond it 'off track'.",
    )
    measurement_ids = fields.One2many("social.scheme.kpi.measurement", "kpi_id", string="Measurements")
    # the inverse of the activities' scheme_kpi_ids: a new figure finds the activities whose
    # progress follows this KPI from the cache, instead of one search per figure
    task_ids = fields.Many2many("project.task", "project_task_scheme_kpi_rel", "kpi_id", "task_id",
                                string="Activities", readonly=True)
    date_start = fields.Date(related="scheme_id.date_start")
    date_end = fields.Date(related="scheme_id.date_end")
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)

    # validated results: every role sees the same figures
    actual_numerator = fields.Float(compute="_compute_actuals", store=True, compute_sudo=True, digits=(16, 0))
    actual_denominator = fields.Float(compute="_compute_actuals", store=True, compute_sudo=True, digits=(16, 0))
    actual_value = fields.Float(string="Actual", compute="_compute_actuals", store=True, compute_sudo=True)
    actual_display = fields.Char(string="Actual as shown", compute="_compute_display_figures",
                                 help="A rate with one decimal, a count as a whole number.")
    has_data = fields.Boolean(compute="_compute_actuals", store=True, compute_sudo=True)
    covered_to = fields.Date(string="Validated up to", compute="_compute_actuals", store=True, compute_sudo=True)
    achievement_rate = fields.Float(string="% of target", compute="_compute_actuals", store=True,
                                    compute_sudo=True, aggregator=None)
    status = fields.Selection(STATUS_SELECTION, compute="_compute_actuals", store=True, compute_sudo=True,
                              index=True)
    projected_value = fields.Float(string="Projection at end", compute="_compute_outlook")
    rate_needed = fields.Float(string="Still needed", compute="_compute_outlook",
                               help="For a ratio, the rate needed on the cases still to come; for a count, "
                               "what remains to reach the target.")
    provisional_value = fields.Float(string="Provisional", compute="_compute_provisional",
                                     compute_sudo=True,
                                     help="Including figures submitted but not validated yet.")
    provisional_display = fields.Char(string="Provisional as shown", compute="_compute_provisional",
                                      compute_sudo=True)

    _sql_constraints = [
        ("code_scheme_unique", "unique(scheme_id, code)", "An indicator code is unique within its scheme."),
    ]

    # -------------------------------------------------------------- computes
    @api.depends("kind")
    def _compute_is_rate(self):
        for kpi in self:
            kpi.is_rate = kpi_math.is_rate(kpi.kind)

    @api.depends("report_frequency", "scheme_id.report_frequency")
    def _compute_frequency(self):
        for kpi in self:
            own = kpi.report_frequency
            kpi.frequency = False if own == "one_off" else (own or kpi.scheme_id.report_frequency or False)

    @api.depends(
        "kind", "aggregation", "target_value", "direction", "at_risk_margin",
        "scheme_id.date_start", "scheme_id.date_end",
        "measurement_ids.state", "measurement_ids.numerator", "measurement_ids.denominator",
        "measurement_ids.value", "measurement_ids.date_to",
    )
    def _compute_actuals(self):
        figures = self._validated_figures()
        today = fields.Date.context_today(self)
        for kpi in self:
            figure = figures.get(kpi._origin.id)
            kpi.has_data = bool(figure)
            kpi.covered_to = figure["covered_to"] if figure else False
            kpi.actual_numerator = figure["numerator"] if figure else 0.0
            kpi.actual_denominator = figure["denominator"] if figure else 0.0
            actual = figure["actual"] if figure else None
            kpi.actual_value = actual or 0.0
            tracked = kpi_math.has_target(kpi.target_value, kpi.direction)
            kpi.achievement_rate = (tracked and kpi_math.percent_of_target(actual, kpi.target_value)) or 0.0
            ended = bool(kpi.date_end and today > kpi.date_end)
            projection = kpi_math.linear_projection(actual, kpi.kind, kpi.date_start, kpi.date_end,
                                                    kpi.covered_to or None)
            kpi.status = kpi_math.status(actual, kpi.target_value, kpi.direction, kpi.kind, projection, ended,
                                         kpi.at_risk_margin)

    def _validated_figures(self, states=("validated",), by_unit=False, period=(None, None), by_breakdown=False,
                           interval=None):
        """{kpi id: {numerator, denominator, actual, covered_to}} from measurements in ``states``.

        ``period`` keeps the figures whose period ends between its two dates (None: open).
        The keys are KPI ids, or tuples ``(kpi id, [unit id], [breakdown id], [period start])``
        with ``by_unit``, ``by_breakdown`` and ``interval`` (``month``, ``quarter``, ``year``:
        a figure counts in the calendar period its own period ends in). One grouped query
        for the sums of every KPI but the stock counts, one for the stock counts (sums and
        latest figures): the query count does not grow with the number of KPIs or periods,
        and each figure is read once.
        """
        kpis = self._origin.filtered("id")
        if not kpis:
            return {}
        if interval and interval not in GROUPABLE_INTERVALS:
            raise ValueError(interval)
        stocks = kpis.filtered(lambda k: k.kind == "count" and k.aggregation == "last")
        flows = kpis - stocks
        rates = {kpi.id for kpi in flows if kpi_math.is_rate(kpi.kind)}
        groupby = ["kpi_id"] + ["unit_id"] * by_unit + ["disaggregation_id"] * by_breakdown
        groupby += [f"date_to:{interval}"] if interval else []
        keyed = len(groupby) > 1
        figures = {}
        domain = [("kpi_id", "in", flows.ids), ("state", "in", states)]
        if period[0]:
            domain.append(("date_to", ">=", period[0]))
        if period[1]:
            domain.append(("date_to", "<=", period[1]))
        rows = self.env["social.scheme.kpi.measurement"].sudo()._read_group(
            domain, groupby, ["numerator:sum", "denominator:sum", "value:sum", "date_to:max"],
        ) if flows else []
        for row in rows:
            numerator, denominator, value, covered_to = row[-4:]
            parts = [part.id if isinstance(part, models.BaseModel) else part for part in row[:len(groupby)]]
            key = tuple(parts) if keyed else parts[0]
            actual = kpi_math.ratio(numerator, denominator) if parts[0] in rates else value
            figures[key] = {"numerator": numerator, "denominator": denominator, "actual": actual,
                            "covered_to": covered_to}
        if stocks:
            for *parts, numerator, denominator, covered_to, latest in self._stock_figures(
                stocks, states, by_unit, period, by_breakdown, interval,
            ):
                key = tuple(part or False for part in parts) if keyed else parts[0]
                figures[key] = {"numerator": numerator, "denominator": denominator, "actual": latest,
                                "covered_to": covered_to}
        # a ratio without any denominator has no data, whatever was entered
        return {key: figure for key, figure in figures.items() if figure["actual"] is not None}

    def _stock_figures(self, kpis, states, by_unit=False, period=(None, None), by_breakdown=False, interval=None):
        """Rows (keys of ``_validated_figures``..., Σ numerator, Σ denominator, last end date,
        Σ over (unit, breakdown) of the latest period's value) for stock counts.

        The latest figure of a (KPI, unit, breakdown[, calendar period]) is its greatest
        ``end date << 47 | value`` integer: a hashed GROUP BY, where DISTINCT ON would sort every
        figure, and an integer where an array per figure cost half as much again. Validated
        figures of one (KPI, unit, breakdown) never overlap, so their end dates differ; among
        submitted ones a tie goes to the greater value.
        """
        self.env["social.scheme.kpi.measurement"].flush_model(
            ["kpi_id", "state", "unit_id", "disaggregation_id", "date_to", "numerator", "denominator", "value"]
        )
        keys = [SQL("kpi_id")] + [SQL("unit_id")] * by_unit + [SQL("disaggregation_id")] * by_breakdown
        bucket = SQL("NULL::date")
        if interval:
            # the interval is one of GROUPABLE_INTERVALS (checked by the caller)
            bucket = SQL("date_trunc(%s, date_to)::date", interval)
            keys.append(SQL("bucket"))
        keys = SQL(", ").join(keys)
        return self.env.execute_query(SQL(
            """
            SELECT %(keys)s, SUM(numerator), SUM(denominator), MAX(date_to), SUM(latest & %(value_bits)s) FROM (
                SELECT kpi_id, unit_id, disaggregation_id, %(bucket)s AS bucket,
                       SUM(numerator) AS numerator, SUM(denominator) AS denominator, MAX(date_to) AS date_to,
                       MAX((date_to - DATE '2000-01-01')::bigint << 47 | value::bigint) AS latest
                  FROM social_scheme_kpi_measurement
                 WHERE kpi_id IN %(kpis)s AND state IN %(states)s
                   AND (%(start)s::date IS NULL OR date_to >= %(start)s::date)
                   AND (%(end)s::date IS NULL OR date_to <= %(end)s::date)
              GROUP BY kpi_id, unit_id, disaggregation_id, bucket
            ) parts
            GROUP BY %(keys)s
            """,
            keys=keys, bucket=bucket, kpis=tuple(kpis.ids), states=tuple(states), start=period[0], end=period[1],
            value_bits=VALUE_BITS,
        ))

    @api.depends("kind", "direction", "target_value", "actual_value", "has_data")
    @api.depends_context("lang")
    def _compute_display_figures(self):
        for kpi in self:
            kpi.target_display = kpi._target_text()
            kpi.actual_display = kpi._format_figure(kpi.actual_value if kpi.has_data else None)

    def _separators(self):
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        if not lang.decimal_point:  # an inactive language
            return ".", ","
        return lang.decimal_point, lang.thousands_sep or ""

    def _number(self, value, digits=0):
        decimal, thousands = self._separators()
        return documents.number(value, digits, decimal=decimal, thousands=thousands)

    def _format_figure(self, value):
        """A rate with one decimal and %, a count as a whole number, in the user's separators; '–' without data."""
        if value is None:
            return "–"
        return self._number(value, 1) + "%" if self.is_rate else self._number(value)

    def _target_text(self):
        """'≥ 85,0%', '≥ 250', or 'no target' for an indicator that is only tracked."""
        if not kpi_math.has_target(self.target_value, self.direction):
            return self.env._("no target")
        sign = "≥" if self.direction == "at_least" else "≤"
        return f"{sign} {self._format_figure(self.target_value)}"

    @api.depends("actual_value", "actual_numerator", "actual_denominator", "covered_to", "has_data")
    def _compute_outlook(self):
        for kpi in self:
            covered_to = kpi.covered_to or None
            actual = kpi.actual_value if kpi.has_data else None
            if not kpi_math.has_target(kpi.target_value, kpi.direction):
                kpi.projected_value = kpi.rate_needed = 0.0  # tracked, not judged: nothing to project
                continue
            kpi.projected_value = kpi_math.linear_projection(actual, kpi.kind, kpi.date_start, kpi.date_end,
                                                             covered_to) or 0.0
            kpi.rate_needed = kpi_math.rate_needed(
                kpi.kind, kpi.target_value, kpi.actual_numerator, kpi.actual_denominator, kpi.actual_value,
                kpi.date_start, kpi.date_end, covered_to,
            ) or 0.0

    @api.depends("measurement_ids.state", "measurement_ids.numerator", "measurement_ids.denominator",
                 "measurement_ids.value")
    def _compute_provisional(self):
        figures = self._validated_figures(states=("validated", "submitted"))
        for kpi in self:
            figure = figures.get(kpi._origin.id)
            kpi.provisional_value = figure["actual"] if figure else 0.0
            kpi.provisional_display = kpi._format_figure(figure["actual"] if figure else None)

    # ----------------------------------------------------------- constraints
    @api.constrains("parent_id", "scheme_id", "kind")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("An indicator cannot be part of itself."))
        for kpi in self.filtered("parent_id"):
            if kpi.parent_id.scheme_id != kpi.scheme_id:
                raise ValidationError(
                    self.env._("%(kpi)s: an 'of which' indicator belongs to the scheme of its parent.",
                               kpi=kpi.display_name)
                )
            if kpi.parent_id.kind != kpi.kind:
                raise ValidationError(
                    self.env._(
                        "%(kpi)s: an 'of which' ratio needs a ratio parent (its denominator is the parent's "
                        "numerator), and an 'of which' count a count parent.",
                        kpi=kpi.display_name,
                    )
                )

    @api.constrains("target_value", "kind", "at_risk_margin")
    def _check_target(self):
        for kpi in self:
            if kpi.target_value < 0:
                raise ValidationError(self.env._("%(kpi)s: the target cannot be negative.", kpi=kpi.display_name))
            if kpi.is_rate and kpi.target_value > 100:
                raise ValidationError(
                    self.env._("%(kpi)s: a ratio target is a percentage, at most 100.", kpi=kpi.display_name)
                )
            if kpi.kind == "count" and kpi.target_value != round(kpi.target_value):
                raise ValidationError(
                    self.env._("%(kpi)s: a count target is a whole number.", kpi=kpi.display_name)
                )
            if kpi.at_risk_margin < 0:
                raise ValidationError(self.env._("The at-risk margin cannot be negative."))

    @api.constrains("kind", "survey_id", "question_id", "survey_satisfied_min", "report_frequency",
                    "scheme_id")
    def _check_survey(self):
        for kpi in self.sudo().filtered(lambda k: k.kind == "survey"):  # planners need not read every survey
            if not (kpi.survey_id and kpi.question_id):
                raise ValidationError(self.env._("%(kpi)s: choose the survey and its question.", kpi=kpi.display_name))
            question = kpi.question_id
            if question.survey_id != kpi.survey_id:
                raise ValidationError(self.env._("%(kpi)s: the question is not one of %(survey)s.",
                                                 kpi=kpi.display_name, survey=kpi.survey_id.display_name))
            if question.question_type != "scale":
                raise ValidationError(
                    self.env._("%(kpi)s: “%(question)s” is not a scale question (e.g. 1 to 5): satisfaction is "
                               "read on a scale.", kpi=kpi.display_name, question=question.title))
            if not question.scale_min < kpi.survey_satisfied_min <= question.scale_max:
                raise ValidationError(
                    self.env._("%(kpi)s: “satisfied from” must lie on the question's scale (%(low)s to %(high)s).",
                               kpi=kpi.display_name, low=question.scale_min, high=question.scale_max))
            if not kpi.survey_id.scheme_unit_id or kpi.survey_id.scheme_unit_id not in kpi.scheme_id.unit_ids:
                raise ValidationError(
                    self.env._("%(kpi)s: the survey must belong to a facility of the scheme (its Facility field).",
                               kpi=kpi.display_name))
            if kpi.scheme_id.state in ("approved", "in_progress") and not kpi.frequency:
                raise ValidationError(
                    self.env._("%(kpi)s: a survey indicator is computed per reporting period: give it a reporting "
                               "frequency (6-monthly for clients, yearly for relatives).", kpi=kpi.display_name))

    # --------------------------------------------------------------- surveys
    def _survey_figures(self, date_from, date_to):
        """(satisfied, respondents) of this survey KPI's question, over answers completed between the dates."""
        self.ensure_one()
        start = fields.Datetime.to_datetime(date_from)
        end = fields.Datetime.to_datetime(date_to) + timedelta(days=1)
        groups = self.env["survey.user_input.line"].sudo()._read_group(
            [("question_id", "=", self.question_id.id), ("answer_type", "=", "scale"), ("skipped", "=", False),
             ("user_input_id.state", "=", "done"), ("user_input_id.test_entry", "=", False),
             ("user_input_id.end_datetime", ">=", start), ("user_input_id.end_datetime", "<", end)],
            ["value_scale"], ["user_input_id:count_distinct"],
        )
        respondents = sum(count for _value, count in groups)
        satisfied = sum(count for value, count in groups if value >= self.survey_satisfied_min)
        return satisfied, respondents

    def action_compute_survey_figures(self):
        """Each ended (or current) period's figure from the survey's answers, submitted for validation.

        A figure the Department validated is never changed; one already submitted with the
        same numbers is left alone: running it again changes nothing.
        """
        if not self.env.su and not self.env.user.has_group("social_scheme.group_planner"):
            raise UserError(self.env._("Only a planner of the Department computes the survey figures."))
        Measurement = self.env["social.scheme.kpi.measurement"].sudo()
        today = fields.Date.context_today(self)
        for kpi in self.sudo().filtered(lambda k: k.kind == "survey" and k.frequency):
            unit = kpi.survey_id.scheme_unit_id
            periods = kpi.scheme_id.period_ids.filtered(
                lambda p, kpi=kpi: p.frequency == kpi.frequency and p.date_from <= today)
            existing = {m.period_id: m for m in Measurement.search(
                [("kpi_id", "=", kpi.id), ("unit_id", "=", unit.id), ("period_id", "in", periods.ids)],
                order="id")}
            for period in periods:
                satisfied, respondents = kpi._survey_figures(period.date_from, period.date_to)
                figure = existing.get(period)
                if not respondents and not figure:
                    continue
                vals = {"numerator": satisfied, "denominator": respondents}
                if figure and (figure.state == "validated"
                               or (figure.numerator, figure.denominator) == (satisfied, respondents)
                               and figure.state == "submitted"):
                    continue
                if figure and figure.state == "submitted":
                    figure.action_reset()
                if figure:
                    figure.write(vals)
                else:
                    figure = Measurement.create({"kpi_id": kpi.id, "unit_id": unit.id, "period_id": period.id,
                                                 "note": self.env._("Computed from the answers to %(survey)s.",
                                                                    survey=kpi.survey_id.title), **vals})
                figure.action_submit()
        return True

    @api.model
    def _cron_compute_survey_figures(self):
        self.search([("kind", "=", "survey"), ("scheme_id.state", "in", ("approved", "in_progress"))]) \
            .action_compute_survey_figures()
        return True

    @api.model_create_multi
    def create(self, vals_list):
        kpis = super().create(vals_list)
        kpis.scheme_id.filtered(lambda s: s.state in ("approved", "in_progress"))._generate_periods()
        return kpis

    def write(self, vals):
        res = super().write(vals)
        if "report_frequency" in vals:
            self.scheme_id.filtered(lambda s: s.state in ("approved", "in_progress"))._generate_periods()
        return res

    @api.depends("code", "name")
    def _compute_display_name(self):
        for kpi in self:
            kpi.display_name = f"[{kpi.code}] {kpi.name}" if kpi.code else kpi.name

    # ------------------------------------------------------ business methods
    @api.model
    def _cron_update_status(self):
        """Statuses depend on today (before / after the end, projection): refresh them daily."""
        kpis = self.search([("scheme_id.state", "in", ("approved", "in_progress", "closed"))])
        self.env.add_to_compute(self._fields["status"], kpis)
        kpis._recompute_recordset(["status"])
        return True
