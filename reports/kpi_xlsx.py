from datetime import date

from odoo import fields, models

from ..tools import kpi_math


class SocialSchemeReportKpi(models.AbstractModel):
    """KPI report: target and validated actuals per indicator, total then per unit.

    'Of which' indicators are indented under their parent; figures submitted but not
    validated yet appear only in the provisional column.
    """

    _name = "social.scheme.report.kpi"
    _inherit = "social.scheme.xlsx.report"
    _description = "KPI report"
    _file_stem = "kpi_report"

    def _columns(self):
        _ = self.env._
        return [
            (_("Code"), 10), (_("Indicator"), 52), (_("Unit"), 30), (_("Target"), 11), (_("Numerator"), 13),
            (_("Denominator"), 13), (_("Actual"), 11), (_("% of target"), 11), (_("Status"), 18),
            (_("Provisional"), 12),
        ]

    @staticmethod
    def _period(options):
        start, end = options.get("date_from"), options.get("date_to")
        if options.get("fiscal_year"):
            year = int(options["fiscal_year"])
            start, end = start or date(year, 1, 1), end or date(year, 12, 31)
        return (start or None, end or None)

    def _visible_units(self, options):
        """None for every unit; an officer only sees their own units' rows."""
        user = self.env.user
        units = None
        if not user.has_group("social_scheme.group_reviewer"):
            units = set(user.scheme_unit_ids.ids)
        if options.get("unit_id"):
            units = {options["unit_id"]} if units is None else units & {options["unit_id"]}
        return units

    def _generate(self, workbook, formats, options):
        schemes = self._schemes(options)
        kpis = schemes.kpi_ids
        period = self._period(options)
        totals = kpis._validated_figures(period=period)
        provisional = kpis._validated_figures(states=("validated", "submitted"), period=period)
        per_unit = kpis._validated_figures(by_unit=True, period=period)
        units = self._visible_units(options)
        statuses = self._selection_labels("social.scheme.kpi", "status")
        partners = {partner.id: partner.display_name for partner in kpis.scheme_id.unit_ids}
        columns = self._columns()
        sheet = workbook.add_worksheet(self.env._("Indicators")[:31])
        row = self._title_block(sheet, formats, self.env._("Indicators against their targets"), options,
                                len(columns))
        row = self._header(sheet, formats, row, columns)
        header_row = row - 1
        today = fields.Date.context_today(self)
        for scheme in schemes:
            sheet.merge_range(row, 0, row, len(columns) - 1, f"{scheme.code} — {scheme.name}",
                              formats["total_text"])
            row += 1
            for kpi in self._ordered(scheme.kpi_ids):
                figure = totals.get(kpi.id)
                status = self._status(kpi, figure, period, today)
                row = self._write_row(sheet, formats, row, kpi, self.env._("All units"), figure, status,
                                      statuses, provisional.get(kpi.id), total=True)
                for unit_id in sorted(uid for (kid, uid) in per_unit if kid == kpi.id):
                    if units is not None and unit_id not in units:
                        continue
                    row = self._write_row(sheet, formats, row, kpi, partners.get(unit_id, ""),
                                          per_unit[(kpi.id, unit_id)], None, statuses, None, total=False)
        sheet.autofilter(header_row, 0, max(row - 1, header_row + 1), len(columns) - 1)
        self._completeness_sheet(workbook, formats, options, schemes, period)

    def _completeness_sheet(self, workbook, formats, options, schemes, period):
        """Reports received and on time over expected, per scheme, period and unit (DHIS2's reporting rate)."""
        _ = self.env._
        columns = [(_("Scheme"), 16), (_("Period"), 12), (_("Due"), 12), (_("Unit"), 34), (_("Expected"), 11),
                   (_("Received"), 11), (_("On time"), 11), (_("Completeness"), 13), (_("Timeliness"), 13)]
        sheet = workbook.add_worksheet(_("Completeness")[:31])
        row = self._title_block(sheet, formats, _("Completeness and timeliness of the reports"), options,
                                len(columns))
        row = self._header(sheet, formats, row, columns)
        domain = [("scheme_id", "in", schemes.ids)]
        if period[0]:
            domain.append(("date_to", ">=", period[0]))
        if period[1]:
            domain.append(("date_to", "<=", period[1]))
        units = self._visible_units(options)
        if units is not None:
            domain.append(("unit_id", "in", list(units)))
        groups = self.env["social.scheme.expected.report"]._read_group(
            domain, ["scheme_id", "period_id", "unit_id"], ["__count", "completeness:sum", "timeliness:sum"],
            order="scheme_id, period_id, unit_id")
        for scheme, period_record, unit, expected, completeness, timeliness in groups:
            received, on_time = round(completeness / 100), round(timeliness / 100)
            sheet.write(row, 0, scheme.code, formats["text"])
            sheet.write(row, 1, period_record.display_name, formats["text"])
            sheet.write(row, 2, self._fmt_date(period_record.date_due), formats["text"])
            sheet.write(row, 3, unit.display_name, formats["text"])
            for col, number in ((4, expected), (5, received), (6, on_time)):
                sheet.write_number(row, col, number, formats["count"])
            sheet.write_number(row, 7, received / expected, formats["percent"])
            sheet.write_number(row, 8, on_time / expected, formats["percent"])
            row += 1

    @staticmethod
    def _ordered(kpis):
        """Parents first, each followed by its 'of which' children."""
        ordered = []

        def walk(kpi):
            ordered.append(kpi)
            for child in kpi.child_ids.sorted(lambda k: (k.sequence, k.code)):
                walk(child)

        for root in kpis.filtered(lambda k: not k.parent_id).sorted(lambda k: (k.sequence, k.code)):
            walk(root)
        return ordered

    @staticmethod
    def _status(kpi, figure, period, today):
        if not any(period):
            return kpi.status
        actual = figure["actual"] if figure else None
        end = period[1] or kpi.date_end
        projection = kpi_math.linear_projection(actual, kpi.kind, period[0] or kpi.date_start, end,
                                                figure["covered_to"] if figure else None)
        return kpi_math.status(actual, kpi.target_value, kpi.direction, kpi.kind, projection,
                               bool(end and today > end), kpi.at_risk_margin)

    def _write_row(self, sheet, formats, row, kpi, unit_label, figure, status, statuses, provisional, total):
        text = formats["text" if total else "indent_text"]
        name = ("    " * len(kpi.parent_path.split("/")[:-2])) + kpi.name
        ratio = kpi.is_rate
        figure_format = formats["rate" if ratio else "count"]
        sheet.write(row, 0, kpi.code, text)
        sheet.write(row, 1, name if total else "", formats["text_wrap"])
        sheet.write(row, 2, unit_label, text)
        sheet.write_number(row, 3, kpi.target_value, figure_format)
        if figure:
            sheet.write_number(row, 4, figure["numerator"], formats["count"]) if ratio else \
                sheet.write_blank(row, 4, None, formats["count"])
            sheet.write_number(row, 5, figure["denominator"], formats["count"]) if ratio else \
                sheet.write_blank(row, 5, None, formats["count"])
            actual = figure["actual"]
            sheet.write_number(row, 6, round(actual, 1 if ratio else 0), figure_format)
            achievement = kpi_math.percent_of_target(actual, kpi.target_value)
            if achievement is None or status == "tracking":
                sheet.write_blank(row, 7, None, formats["percent"])
            else:
                sheet.write_number(row, 7, achievement / 100, formats["percent"])
        else:
            for col in (4, 5, 6, 7):
                sheet.write_blank(row, col, None, formats["count"])
        sheet.write(row, 8, statuses.get(status, "") if status else "", text)
        if provisional:
            sheet.write_number(row, 9, round(provisional["actual"], 1 if ratio else 0), figure_format)
        else:
            sheet.write_blank(row, 9, None, figure_format)
        return row + 1
