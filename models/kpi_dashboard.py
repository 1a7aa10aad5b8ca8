from odoo import api, fields, models

from ..tools import kpi_math, reporting

STATUS_CLASSES = {
    "achieved": "text-bg-success",
    "on_track": "text-bg-info",
    "at_risk": "text-bg-warning",
    "off_track": "text-bg-danger",
}


class SocialSchemeKpiDashboard(models.TransientModel):
    """A scheme's indicators per calendar period: each KPI read as it is defined.

    Rates are Σ numerators / Σ denominators of the period, flow counts the sum, stock counts
    the latest figure of each unit (kpi_math through ``social.scheme.kpi._validated_figures``,
    the same maths as the KPI's own actual); figures of different KPIs are never added.
    """

    _name = "social.scheme.kpi.dashboard"
    _description = "KPI dashboard"
    _inherit = ["social.scheme.guard.mixin"]

    scheme_id = fields.Many2one("social.scheme", required=True, ondelete="cascade",
                                default=lambda self: self._default_scheme())
    interval = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")], string="Periods",
        required=True, default="quarter",
    )
    fiscal_year = fields.Integer(string="Year", help="For months and quarters: the year shown. Empty: the "
                                 "latest year with validated figures.")
    show_breakdowns = fields.Boolean(string="Show breakdowns")
    table_html = fields.Html(string="Indicators per period", compute="_compute_table_html", sanitize=False)

    @api.readonly
    def onchange(self, values, field_names, fields_spec):
        """The page is computed as it is shown, never saved for it: a read-only call, which Odoo
        sends to the PostgreSQL replica when one is configured (a write would be replayed on
        the primary)."""
        return super().onchange(values, field_names, fields_spec)

    @api.depends("scheme_id")
    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = self.env._("KPI dashboard – %(scheme)s", scheme=dashboard.scheme_id.code or "")

    @api.model
    def _default_scheme(self):
        context = self.env.context
        if context.get("active_model") == "social.scheme" and context.get("active_id"):
            return context["active_id"]
        return self.env["social.scheme"].search(
            [("state", "in", ("approved", "in_progress")), ("kpi_ids", "!=", False)], limit=1
        ).id

    @api.constrains("fiscal_year")
    def _check_fiscal_year(self):
        self._check_fiscal_years(optional=True)

    # -------------------------------------------------------------- figures
    def _year_shown(self):
        """The chosen year, else the latest with validated figures, else this year, within the scheme."""
        scheme = self.scheme_id
        if self.fiscal_year:
            return self.fiscal_year
        covered = [date for date in scheme.kpi_ids.mapped("covered_to") if date]
        year = max(covered).year if covered else fields.Date.context_today(self).year
        return min(max(year, scheme.date_start.year), scheme.date_end.year)

    def _buckets(self):
        scheme = self.scheme_id
        if not (scheme.date_start and scheme.date_end):
            return []
        # whole calendar periods: their starts are the keys the grouped figures come back with
        if self.interval == "year":
            return reporting.periods(scheme.date_start, scheme.date_end, "year", clip=False)
        year = self._year_shown()
        return reporting.periods(fields.Date.to_date(f"{year}-01-01"), fields.Date.to_date(f"{year}-12-31"),
                                 self.interval, clip=False)

    def _dashboard(self):
        """{'periods': [(start, end, label)], 'rows': [row]}; a row is one KPI (or one of its
        breakdowns) with a cell per period and a cell for the scheme to date. A cell holds
        the raw figures (numerator, denominator, actual, percent of target, status) and
        their text; the view and the tests read the same dict."""
        self.ensure_one()
        buckets = self._buckets()
        kpis = self.scheme_id.kpi_ids
        if not (buckets and kpis):
            return {"periods": [], "rows": []}
        period = (buckets[0][0], buckets[-1][1])
        interval = self.interval
        per_period = kpis._validated_figures(period=period, interval=interval)
        to_date = kpis._validated_figures()
        breakdowns = {}
        if self.show_breakdowns and kpis.disaggregation_ids:
            breakdowns = {
                "period": kpis._validated_figures(period=period, interval=interval, by_breakdown=True),
                "to_date": kpis._validated_figures(by_breakdown=True),
            }
        rows = []
        for kpi, depth in self._ordered(kpis):
            cells = [self._cell(kpi, per_period.get((kpi.id, start)), judged=True) for start, _end in buckets]
            total = self._cell(kpi, to_date.get(kpi.id), judged=False)
            total["status"] = kpi.status if total["actual"] is not None or kpi.status == "tracking" else "no_data"
            rows.append({"kpi": kpi, "depth": depth, "label": kpi.display_name, "breakdown": False,
                         "cells": cells, "total": total})
            if breakdowns:
                for category in kpi.disaggregation_ids.sorted(lambda c: (c.sequence, c.id)):
                    cells = [self._cell(kpi, breakdowns["period"].get((kpi.id, category.id, start)), judged=False,
                                        shares=False)
                             for start, _end in buckets]
                    total = self._cell(kpi, breakdowns["to_date"].get((kpi.id, category.id)), judged=False,
                                       shares=False)
                    rows.append({"kpi": kpi, "depth": depth + 1, "label": category.name, "breakdown": True,
                                 "cells": cells, "total": total})
        Period = self.env["social.scheme.period"]
        return {"periods": [(start, end, Period._label_for(interval, start)) for start, end in buckets],
                "rows": rows}

    @staticmethod
    def _ordered(kpis):
        """(KPI, depth): parents first, each followed by its 'of which' indicators."""
        ordered = []

        def walk(kpi, depth):
            ordered.append((kpi, depth))
            for child in (kpi.child_ids & kpis).sorted(lambda k: (k.sequence, k.code, k.id)):
                walk(child, depth + 1)

        for root in kpis.filtered(lambda k: k.parent_id not in kpis).sorted(lambda k: (k.sequence, k.code, k.id)):
            walk(root, 0)
        return ordered

    def _cell(self, kpi, figure, judged, shares=True):
        """One figure of ``kpi`` with its % of target and status (``judged``: per period)."""
        actual = figure["actual"] if figure else None
        tracked = kpi_math.has_target(kpi.target_value, kpi.direction)
        percent = kpi_math.percent_of_target(actual, kpi.target_value) if tracked and shares else None
        status = None
        if judged:
            status = kpi_math.period_status(actual, kpi.target_value, kpi.direction, kpi.kind, kpi.at_risk_margin)
        return {
            "numerator": figure["numerator"] if figure else None,
            "denominator": figure["denominator"] if figure else None,
            "actual": actual,
            "percent": percent,
            "status": status,
            "text": kpi._format_figure(actual),
            "detail": self._detail(kpi, figure),
            "percent_text": "" if percent is None else kpi._number(percent, 1) + "%",
        }

    def _detail(self, kpi, figure):
        if not figure or not kpi.is_rate:
            return ""
        return f"{kpi._number(figure['numerator'])}/{kpi._number(figure['denominator'])}"

    @api.depends("scheme_id", "interval", "fiscal_year", "show_breakdowns")
    def _compute_table_html(self):
        statuses = dict(self.env["social.scheme.kpi"]._fields["status"]._description_selection(self.env))
        for dashboard in self:
            if not dashboard.scheme_id:
                dashboard.table_html = False
                continue
            dashboard.table_html = self.env["ir.qweb"]._render("social_scheme.kpi_dashboard_table", {
                "dashboard": dashboard,
                "data": dashboard._dashboard(),
                "statuses": statuses,
                "classes": STATUS_CLASSES,
            })
