from odoo import api, fields, models
from odoo.tools import SQL

from .due_rule import FREQUENCIES

STATES = [
    ("missing", "Not reported"),
    ("submitted", "Submitted"),
    ("validated", "Validated"),
    ("returned", "Returned"),
]


class SocialSchemeExpectedReport(models.Model):
    """A figure a unit owes: period × unit × indicator (× breakdown), and how it stands.

    An SQL view over the periods, their unit lines, the indicators reported at the
    period's frequency and their figures: the state is derived, never stored, so it
    cannot drift from the figures. ``tools/reporting.report_state`` is the same rule in
    Python (tested without a database): no figure or a draft is *not reported*, a
    returned figure is owed again, on time means submitted by the due date.
    """

    _name = "social.scheme.expected.report"
    _description = "Expected report"
    _inherit = ["social.scheme.guard.mixin"]
    _auto = False
    # what the view reads: flushed before every query on it
    _depends = {
        "social.scheme.period": ["scheme_id", "frequency", "date_from", "date_to", "date_due", "company_id"],
        "social.scheme.period.unit": ["period_id", "unit_id"],
        "social.scheme.kpi": ["scheme_id", "frequency", "disaggregation_ids"],
        "social.scheme.kpi.measurement": ["period_id", "kpi_id", "unit_id", "disaggregation_id", "state",
                                          "date_submitted"],
    }
    _order = "date_due desc, scheme_id, unit_id, kpi_id, disaggregation_id"

    period_id = fields.Many2one("social.scheme.period", readonly=True)
    period_unit_id = fields.Many2one("social.scheme.period.unit", string="Unit's period", readonly=True)
    scheme_id = fields.Many2one("social.scheme", readonly=True)
    unit_id = fields.Many2one("res.partner", readonly=True)
    kpi_id = fields.Many2one("social.scheme.kpi", string="Indicator", readonly=True)
    disaggregation_id = fields.Many2one("social.scheme.kpi.disaggregation", string="Breakdown", readonly=True)
    frequency = fields.Selection(FREQUENCIES, readonly=True)
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    date_due = fields.Date(string="Due", readonly=True)
    measurement_id = fields.Many2one("social.scheme.kpi.measurement", string="Figure", readonly=True)
    date_submitted = fields.Date(readonly=True)
    state = fields.Selection(STATES, readonly=True)
    on_time = fields.Boolean(readonly=True)
    late = fields.Boolean(string="Submitted late", readonly=True)
    # 100 or 0 per expected report: their average over any group is the group's rate
    completeness = fields.Float(string="Completeness (%)", aggregator="avg", readonly=True, digits=(16, 1))
    timeliness = fields.Float(string="Timeliness (%)", aggregator="avg", readonly=True, digits=(16, 1))
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        disaggregations = self.env["social.scheme.kpi"]._fields["disaggregation_ids"]
        return SQL(
            """
            SELECT pu.id::bigint * 1000000000000 + k.id::bigint * 10000 + COALESCE(r.breakdown, 0) AS id,
                   p.id AS period_id, pu.id AS period_unit_id, p.scheme_id, pu.unit_id, k.id AS kpi_id,
                   r.breakdown AS disaggregation_id, p.frequency, p.date_from, p.date_to, p.date_due,
                   p.company_id, MOD(m.best, 1000000000000)::integer AS measurement_id,
                   CASE WHEN m.best >= 2000000000000 THEN m.date_submitted END AS date_submitted,
                   CASE WHEN m.best >= 3000000000000 THEN 'validated' WHEN m.best >= 2000000000000 THEN 'submitted'
                        WHEN m.best >= 1000000000000 THEN 'returned' ELSE 'missing' END AS state,
                   COALESCE(m.best >= 2000000000000 AND m.date_submitted <= p.date_due, FALSE) AS on_time,
                   COALESCE(m.best >= 2000000000000 AND m.date_submitted > p.date_due, FALSE) AS late,
                   CASE WHEN m.best >= 2000000000000 THEN 100.0 ELSE 0.0 END AS completeness,
                   CASE WHEN m.best >= 2000000000000 AND m.date_submitted <= p.date_due
                        THEN 100.0 ELSE 0.0 END AS timeliness
              FROM social_scheme_period p
              JOIN social_scheme_period_unit pu ON pu.period_id = p.id
              JOIN social_scheme_kpi k ON k.scheme_id = p.scheme_id AND k.frequency = p.frequency
         LEFT JOIN (SELECT %(kpi)s AS kpi_id, %(breakdown)s AS breakdown FROM %(relation)s) r ON r.kpi_id = k.id
         LEFT JOIN (
                    -- the best figure of each expected report, as rank × 10^12 + id: validated (3), else
                    -- submitted (2), else returned (1), else a draft (0); hash-grouped once, and a scheme
                    -- filter reaches it through scheme_id
                    SELECT scheme_id, period_id, kpi_id, unit_id, COALESCE(disaggregation_id, 0) AS breakdown,
                           MAX((CASE state WHEN 'validated' THEN 3 WHEN 'submitted' THEN 2 WHEN 'rejected' THEN 1
                                ELSE 0 END)::bigint * 1000000000000 + id) AS best,
                           MIN(date_submitted) FILTER (WHERE state IN ('submitted', 'validated')) AS date_submitted
                      FROM social_scheme_kpi_measurement
                     WHERE period_id IS NOT NULL
                  GROUP BY scheme_id, period_id, kpi_id, unit_id, COALESCE(disaggregation_id, 0)
                   ) m ON m.scheme_id = p.scheme_id AND m.period_id = p.id AND m.kpi_id = k.id
                      AND m.unit_id = pu.unit_id AND m.breakdown = COALESCE(r.breakdown, 0)
            """,
            relation=SQL.identifier(disaggregations.relation),
            kpi=SQL.identifier(disaggregations.column1),
            breakdown=SQL.identifier(disaggregations.column2),
        )

    @api.model
    def _counts(self, domain, key):
        """{key id: (expected, received, on time)} in one grouped query."""
        counts = {}
        for group, expected, completeness, timeliness in self.sudo()._read_group(
            domain, [key], ["__count", "completeness:sum", "timeliness:sum"],
        ):
            counts[group.id] = (expected, round(completeness / 100), round(timeliness / 100))
        return counts

    def action_open_figure(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "res_model": "social.scheme.kpi.measurement",
            "view_mode": "form",
            "target": "current",
        }
        if self.measurement_id:
            return {**action, "res_id": self.measurement_id.id}
        return {**action, "context": {
            "default_kpi_id": self.kpi_id.id, "default_unit_id": self.unit_id.id,
            "default_disaggregation_id": self.disaggregation_id.id, "default_period_id": self.period_id.id,
        }}
