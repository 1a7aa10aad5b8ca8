from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import kpi_rules

OPERATOR_SELECTION = [("<=", "≤"), ("=", "="), (">=", "≥"), ("<", "<")]
IMPORTANCE_SELECTION = [("blocking", "Blocking"), ("warning", "Warning")]
# the figures a rule reads: submitted or validated (drafts are the officer's business)
RULE_STATES = ("submitted", "validated")


class SocialSchemeKpiRule(models.Model):
    """A validation rule between a scheme's figures (DHIS2-style): left ⟨operator⟩ right.

    Both sides are expressions over KPI figures of the same unit and period (see
    ``tools/kpi_rules.py``). A blocking rule refuses the submission of figures that break
    it; a warning rule only shows in the violation report. A rule that needs a figure not
    reported yet is skipped.
    """

    _name = "social.scheme.kpi.rule"
    _description = "KPI validation rule"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "scheme_id, sequence, id"

    scheme_id = fields.Many2one("social.scheme", required=True, ondelete="cascade", index=True, tracking=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Rule", required=True, tracking=True, size=256)
    left = fields.Char(string="Left side", required=True, tracking=True, size=1024,
                       help="Indicators as #{CODE} (the indicator's figure, summed over its breakdowns) or "
                       "#{CODE.BREAKDOWN} (one breakdown category), numbers, + and −. E.g. "
                       "#{NT-02.voluntary_in} + #{NT-02.voluntary_out}.")
    operator = fields.Selection(OPERATOR_SELECTION, required=True, default="<=", tracking=True)
    right = fields.Char(string="Right side", required=True, tracking=True, size=1024,
                        help="Same syntax as the left side, e.g. #{NT-02}.")
    importance = fields.Selection(
        IMPORTANCE_SELECTION, required=True, default="blocking", tracking=True,
        help="Blocking: figures that break the rule cannot be submitted. Warning: they are accepted and "
        "listed in the violation report for the planner.",
    )
    message = fields.Char(tracking=True, size=512,
                          help="Shown with a violation, e.g. what the unit should check.")
    description = fields.Text()
    active = fields.Boolean(default=True, tracking=True)
    formula = fields.Char(compute="_compute_formula")
    kpi_ids = fields.Many2many("social.scheme.kpi", string="Indicators used", compute="_compute_kpi_ids",
                               store=True, compute_sudo=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)

    # -------------------------------------------------------------- computes
    @api.depends("left", "operator", "right")
    def _compute_formula(self):
        labels = dict(OPERATOR_SELECTION)
        for rule in self:
            rule.formula = f"{rule.left or ''} {labels.get(rule.operator, '')} {rule.right or ''}"

    @api.depends("left", "right", "scheme_id.kpi_ids.code")
    def _compute_kpi_ids(self):
        for rule in self:
            kpis = {kpi.code: kpi for kpi in rule.scheme_id.kpi_ids}
            used = self.env["social.scheme.kpi"]
            for side in (rule.left, rule.right):
                try:
                    references = kpi_rules.parse(side, kpis).references
                except kpi_rules.ExpressionError:
                    continue
                for reference in references:
                    used |= kpis.get(reference.code, used.browse())
            rule.kpi_ids = used

    # ----------------------------------------------------------- constraints
    @api.constrains("left", "right", "scheme_id")
    def _check_expressions(self):
        for rule in self:
            kpis = {kpi.code: kpi for kpi in rule.scheme_id.kpi_ids}
            references = []
            for side, label in ((rule.left, self.env._("left side")), (rule.right, self.env._("right side"))):
                try:
                    parsed = kpi_rules.parse(side, kpis)
                except kpi_rules.ExpressionError as error:
                    raise ValidationError(rule._expression_error_message(label, error)) from None
                references += [(reference, label) for reference in parsed.references]
            if not references:
                raise ValidationError(
                    self.env._("Rule %(rule)s compares no indicator: refer to at least one, e.g. #{%(code)s}.",
                               rule=rule.name, code=next(iter(kpis), "NT-02"))
                )
            for reference, label in references:
                rule._check_reference(reference, label, kpis)

    def _check_reference(self, reference, label, kpis):
        kpi = kpis.get(reference.code)
        if not kpi:
            raise ValidationError(
                self.env._(
                    "The %(side)s of rule %(rule)s refers to %(code)s, which is not an indicator code of "
                    "%(scheme)s (its codes: %(codes)s).",
                    side=label, rule=self.name, code=reference.code, scheme=self.scheme_id.display_name,
                    codes=", ".join(kpis) or self.env._("none yet"),
                )
            )
        if reference.breakdown and reference.breakdown not in kpi.disaggregation_ids.mapped("code"):
            if not kpi.disaggregation_ids:
                raise ValidationError(
                    self.env._(
                        "The %(side)s of rule %(rule)s refers to %(code)s.%(breakdown)s, but %(code)s has no "
                        "breakdown: write #{%(code)s}.",
                        side=label, rule=self.name, code=kpi.code, breakdown=reference.breakdown,
                    )
                )
            raise ValidationError(
                self.env._(
                    "The %(side)s of rule %(rule)s refers to the breakdown %(breakdown)s, which is not one of "
                    "%(code)s's breakdowns (%(breakdowns)s).",
                    side=label, rule=self.name, code=kpi.code, breakdown=reference.breakdown,
                    breakdowns=", ".join(kpi.disaggregation_ids.mapped("code")),
                )
            )

    def _expression_error_message(self, side, error):
        """What a planner reads for an expression ``kpi_rules.parse`` refuses."""
        _ = self.env._
        params = {"side": side, "rule": self.name, "text": error.text, "position": error.position + 1}
        messages = {
            "empty": _("The %(side)s of rule %(rule)s is empty: write e.g. #{NT-02a} or #{NT-02.compulsory} + 5."),
            "multiply_divide": _(
                "The %(side)s of rule %(rule)s uses '%(text)s': rules only add and subtract figures (+ and −), "
                "they do not multiply or divide. Compare the figures themselves, e.g. #{NT-02a} <= #{NT-02}."
            ),
            "unexpected": _(
                "The %(side)s of rule %(rule)s: '%(text)s' (character %(position)s) is neither a number nor an "
                "indicator; write indicators as #{CODE} or #{CODE.BREAKDOWN}."
            ),
            "unclosed_reference": _(
                "The %(side)s of rule %(rule)s: the indicator reference at character %(position)s is not "
                "closed; write #{CODE}."
            ),
            "empty_reference": _(
                "The %(side)s of rule %(rule)s: %(text)s names no indicator; write #{CODE} or #{CODE.BREAKDOWN}."
            ),
            "unclosed_parenthesis": _(
                "The %(side)s of rule %(rule)s: the parenthesis opened at character %(position)s is not closed."
            ),
            "unopened_parenthesis": _(
                "The %(side)s of rule %(rule)s: the parenthesis closed at character %(position)s was not opened."
            ),
            "missing_term": _(
                "The %(side)s of rule %(rule)s: a number or an indicator is missing after '%(text)s' "
                "(character %(position)s)."
            ),
            "missing_operator": _(
                "The %(side)s of rule %(rule)s: '%(text)s' (character %(position)s) follows another term "
                "without + or −."
            ),
        }
        return messages[error.kind] % params

    # ------------------------------------------------------------ evaluation
    def _violations(self, figures, pending=None, keys=None):
        """``_evaluate``'s results of the rules broken."""
        return [row for row in self._evaluate(figures, pending, keys) if row[2].passed is False]

    def _evaluate(self, figures, pending=None, keys=None):
        """The rules of ``self`` evaluated on ``figures`` (measurements).

        Figures are compared within their scheme, unit and period (``_rule_period_key``).
        ``pending``: figures being submitted, which take the place of any other figure of
        the same indicator and breakdown; ``keys``: the groups to check (default: all).
        Returns ``[(rule, figures of the group, kpi_rules.Result)]`` per rule and group
        (``Result.passed`` None: skipped, a figure is missing). No query per figure: the
        caller reads ``figures`` in one batch.
        """
        pending_ids = set((pending or figures.browse()).ids)
        rank = {"submitted": 0, "validated": 1}
        groups = defaultdict(dict)
        for figure in figures:
            key = (figure.scheme_id.id, figure.unit_id.id, figure._rule_period_key())
            slot = (figure.kpi_id.id, figure.disaggregation_id.id)
            order = (figure.id in pending_ids, rank.get(figure.state, -1), figure.id)
            current = groups[key].get(slot)
            if current is None or order > current[0]:
                groups[key][slot] = (order, figure)
        rules_by_scheme = defaultdict(list)
        for rule in self:
            codes = {kpi.code for kpi in rule.scheme_id.kpi_ids}
            try:
                parsed = (kpi_rules.parse(rule.left, codes), kpi_rules.parse(rule.right, codes))
            except kpi_rules.ExpressionError:
                continue  # refused at save; left alone rather than failing every submission
            rules_by_scheme[rule.scheme_id.id].append((rule, parsed))
        results = []
        for key, slots in groups.items():
            if keys is not None and key not in keys:
                continue
            group = figures.browse([figure.id for _order, figure in slots.values()])
            values = kpi_rules.figure_values(
                (figure.kpi_id.code, figure.disaggregation_id.code or None,
                 figure.numerator if figure.kpi_id.kind == "ratio" else figure.value)
                for figure in group
            )
            for rule, (left, right) in rules_by_scheme.get(key[0], ()):
                results.append((rule, group, kpi_rules.check(left, rule.operator, right, values)))
        return results

    @api.model
    def _rule_figures(self, schemes, units=None, date_from=None, date_to=None, kpis=None):
        """The submitted and validated figures the rules of ``schemes`` read, in one query."""
        domain = [("scheme_id", "in", schemes.ids), ("state", "in", RULE_STATES)]
        if units is not None:
            domain.append(("unit_id", "in", units.ids))
        if kpis is not None:
            domain.append(("kpi_id", "in", kpis.ids))
        if date_from:
            domain.append(("date_from", ">=", date_from))
        if date_to:
            domain.append(("date_to", "<=", date_to))
        return self.env["social.scheme.kpi.measurement"].search_fetch(
            domain, ["scheme_id", "kpi_id", "unit_id", "disaggregation_id", "date_from", "date_to", "numerator",
                     "value", "state"],
        )

    @api.model
    def _check_submission(self, measurements):
        """Refuse the submission of ``measurements`` when it breaks a blocking rule.

        The figures are checked with the submitted and validated ones of the same unit
        and period; the UserError names each broken rule with both sides' values.
        """
        measurements = measurements.sudo()
        rules = self.sudo().search([
            ("scheme_id", "in", measurements.scheme_id.ids),
            ("importance", "=", "blocking"),
            ("kpi_ids", "in", measurements.kpi_id.ids),
        ])
        if not rules:
            return
        others = rules._rule_figures(
            measurements.scheme_id, units=measurements.unit_id, kpis=rules.kpi_ids,
            date_from=min(measurements.mapped("date_from")), date_to=max(measurements.mapped("date_to")),
        )
        keys = {(figure.scheme_id.id, figure.unit_id.id, figure._rule_period_key()) for figure in measurements}
        broken = [
            (rule, group, result)
            for rule, group, result in rules._violations(others | measurements, pending=measurements, keys=keys)
            # only the rules about what is being submitted
            if rule.kpi_ids & (group & measurements).kpi_id
        ]
        if broken:
            raise UserError("\n".join(
                [self.env._("These figures break a blocking validation rule and cannot be submitted:")]
                + [rule._violation_text(group, result) for rule, group, result in broken]
            ))

    def _violation_text(self, figures, result):
        """One line of the refusal: the rule, where, and both sides with their values."""
        kpi_model = self.env["social.scheme.kpi"]
        figure = figures[:1]
        text = self.env._(
            "• %(rule)s (%(unit)s, %(period)s): %(left)s = %(left_value)s should be %(operator)s %(right)s = "
            "%(right_value)s.",
            rule=self.name, unit=figure.unit_id.display_name, period=self._period_label(figure),
            left=self.left, left_value=kpi_model._number(result.left, self._digits(result.left)),
            operator=dict(OPERATOR_SELECTION)[self.operator], right=self.right,
            right_value=kpi_model._number(result.right, self._digits(result.right)),
        )
        return f"{text} {self.message}" if self.message else text

    def _period_label(self, figure):
        return f"{figure._format_date(figure.date_from)} – {figure._format_date(figure.date_to)}"

    @staticmethod
    def _digits(value):
        return 0 if float(value).is_integer() else 2
