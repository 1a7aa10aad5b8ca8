from collections import defaultdict

from odoo import models

from ..tools import budget_math


class SocialSchemeReportBudgetExecution(models.AbstractModel):
    """Budget execution: planned, allocated, committed, spent, available and rate per line.

    A summary sheet, then a sheet per scheme with its lines by category and subtotals.
    With a fiscal year (or dates) allocations and payments are those of the period;
    commitments are what is open today (of that year, with a fiscal year). Each scheme
    sheet ends with a column block per fiscal year from the yearly ledger: opening,
    allocated, spent, cancelled, carried forward, available.
    """

    _name = "social.scheme.report.budget.execution"
    _inherit = "social.scheme.xlsx.report"
    _description = "Budget execution report"
    _file_stem = "budget_execution"

    def _columns(self):
        _ = self.env._
        return [
            (_("Category"), 18), (_("Budget line"), 44), (_("Budget code"), 12), (_("Funding source"), 16),
            (_("Planned"), 18), (_("Allocated"), 18), (_("Committed"), 18), (_("Spent"), 18),
            (_("Available"), 18), (_("Disbursement rate"), 12),
        ]

    def _line_figures(self, lines, options):
        """{line id: [allocated, committed, spent]} with one grouped query per source model."""
        figures = defaultdict(lambda: [0.0, 0.0, 0.0])
        if not lines:
            return figures
        base = [("budget_line_id", "in", lines.ids)]
        allocation_domain = list(base)
        payment_domain = base + [("state", "=", "posted")]
        if options.get("fiscal_year"):
            allocation_domain.append(("fiscal_year", "=", options["fiscal_year"]))
            payment_domain.append(("fiscal_year", "=", options["fiscal_year"]))
        if options.get("date_from"):
            payment_domain.append(("date", ">=", options["date_from"]))
        if options.get("date_to"):
            payment_domain.append(("date", "<=", options["date_to"]))
        if options.get("unit_id"):
            payment_domain.append(("unit_id", "=", options["unit_id"]))
        for line, amount in self.env["social.scheme.allocation"]._read_group(
            allocation_domain, ["budget_line_id"], ["amount:sum"]
        ):
            figures[line.id][0] = amount
        commitment_domain = base + [("state", "=", "open")]
        if options.get("fiscal_year"):
            commitment_domain.append(("fiscal_year", "=", options["fiscal_year"]))
        for line, amount in self.env["social.scheme.commitment"]._read_group(
            commitment_domain, ["budget_line_id"], ["amount:sum"]
        ):
            figures[line.id][1] = amount
        by_kind = defaultdict(dict)
        for line, kind, amount in self.env["social.scheme.disbursement"]._read_group(
            payment_domain, ["budget_line_id", "kind"], ["amount:sum"]
        ):
            by_kind[line.id][kind] = amount
        for line_id, amounts in by_kind.items():
            figures[line_id][2] = budget_math.spent_from_kinds(amounts)
        return figures

    def _generate(self, workbook, formats, options):
        schemes = self._schemes(options)
        lines = schemes.budget_line_ids
        figures = self._line_figures(lines, options)
        years = self.env["social.scheme.budget.year"]._figures(lines)
        if options.get("fiscal_year"):
            years = {key: amounts for key, amounts in years.items() if key[1] == options["fiscal_year"]}
        line_years = defaultdict(set)  # a sheet looks up its own lines, not every line's years
        for line_id, year in years:
            line_years[line_id].add(year)
        categories = self._selection_labels("social.scheme.budget.line", "category")
        sources = self._selection_labels("social.scheme.budget.line", "fund_source")
        columns = self._columns()

        summary = workbook.add_worksheet(self.env._("Summary")[:31])
        row = self._title_block(summary, formats, self.env._("Budget execution of the schemes"), options, 8)
        row = self._header(summary, formats, row, [
            (self.env._("Code"), 16), (self.env._("Scheme"), 50), (self.env._("Approved total"), 18),
            (self.env._("Allocated"), 18), (self.env._("Committed"), 18), (self.env._("Spent"), 18),
            (self.env._("Available"), 18), (self.env._("Disbursement rate"), 12),
        ])
        first_summary_row = row
        grand = [0.0] * 5
        for scheme in schemes:
            totals = self._write_scheme_sheet(workbook, formats, options, scheme, figures, categories, sources,
                                              columns, years, line_years)
            allocated, committed, spent = totals
            available = budget_math.available(allocated, committed, spent)
            values = [scheme.amount_total, allocated, committed, spent, available]
            summary.write(row, 0, scheme.code, formats["text"])
            summary.write(row, 1, scheme.name, formats["text_wrap"])
            for col, value in enumerate(values, start=2):
                summary.write_number(row, col, value, formats["money"])
            summary.write_number(row, 7, budget_math.percent(spent, scheme.amount_total) / 100, formats["percent"])
            grand = [a + b for a, b in zip(grand, values)]
            row += 1
        summary.autofilter(first_summary_row - 1, 0, max(row - 1, first_summary_row), 7)
        summary.write(row, 0, self.env._("Total"), formats["total_text"])
        summary.write(row, 1, "", formats["total_text"])
        for col, value in enumerate(grand, start=2):
            summary.write_number(row, col, value, formats["total_money"])
        summary.write_number(row, 7, budget_math.percent(grand[3], grand[0]) / 100, formats["total_percent"])

    def _year_columns(self, year):
        _ = self.env._
        return [(label, 16) for label in (
            _("%(year)s: opening", year=year), _("%(year)s: allocated", year=year), _("%(year)s: spent", year=year),
            _("%(year)s: cancelled", year=year), _("%(year)s: carried forward", year=year),
            _("%(year)s: available", year=year))]

    def _write_scheme_sheet(self, workbook, formats, options, scheme, figures, categories, sources, columns,
                            years, line_years):
        sheet = workbook.add_worksheet(self._sheet_name(workbook, scheme.code))
        title = self.env._("Budget execution: %(scheme)s", scheme=scheme.name)
        scheme_years = sorted({year for line_id in scheme.budget_line_ids.ids for year in line_years[line_id]})
        year_columns = [column for year in scheme_years for column in self._year_columns(year)]
        row = self._title_block(sheet, formats, title, options, len(columns))
        row = self._header(sheet, formats, row, columns + year_columns)
        header_row = row - 1
        scheme_totals = [0.0] * 4  # planned, allocated, committed, spent
        by_category = defaultdict(lambda: scheme.budget_line_ids.browse())
        for line in scheme.budget_line_ids:
            by_category[line.category] |= line
        for category, lines in by_category.items():
            subtotal = [0.0] * 4
            for line in lines:
                allocated, committed, spent = figures[line.id]
                values = [line.amount_planned, allocated, committed, spent]
                sheet.write(row, 0, categories.get(category, category), formats["text"])
                sheet.write(row, 1, line.name, formats["text_wrap"])
                sheet.write(row, 2, line.budget_code_id.code or "", formats["text"])
                sheet.write(row, 3, sources.get(line.fund_source, ""), formats["text"])
                self._write_amounts(sheet, row, values, formats, total=False)
                self._write_years(sheet, row, len(columns), scheme_years, years, line, formats)
                subtotal = [a + b for a, b in zip(subtotal, values)]
                row += 1
            sheet.write(row, 0, self.env._("Subtotal: %(category)s", category=categories.get(category, category)),
                        formats["total_text"])
            for col in (1, 2, 3):
                sheet.write(row, col, "", formats["total_text"])
            self._write_amounts(sheet, row, subtotal, formats, total=True)
            scheme_totals = [a + b for a, b in zip(scheme_totals, subtotal)]
            row += 1
        sheet.autofilter(header_row, 0, max(row - 1, header_row + 1), len(columns) - 1)
        sheet.write(row, 0, self.env._("Scheme total"), formats["total_text"])
        for col in (1, 2, 3):
            sheet.write(row, col, "", formats["total_text"])
        self._write_amounts(sheet, row, scheme_totals, formats, total=True)
        return scheme_totals[1:]

    @staticmethod
    def _write_years(sheet, row, first_col, scheme_years, years, line, formats):
        col = first_col
        for year in scheme_years:
            amounts = years.get((line.id, year)) or {}
            for key in ("amount_opening", "amount_allocated", "amount_spent", "amount_cancelled",
                        "amount_carried_out", "amount_available"):
                sheet.write_number(row, col, amounts.get(key, 0.0), formats["money"])
                col += 1

    def _write_amounts(self, sheet, row, values, formats, total):
        planned, allocated, committed, spent = values
        money = formats["total_money" if total else "money"]
        for col, value in enumerate(values + [budget_math.available(allocated, committed, spent)], start=4):
            sheet.write_number(row, col, value, money)
        sheet.write_number(row, 9, budget_math.percent(spent, planned) / 100,
                           formats["total_percent" if total else "percent"])

    @staticmethod
    def _sheet_name(workbook, code):
        """Excel sheet names: ≤ 31 characters, no []:*?/\\, unique."""
        name = "".join("-" if ch in "[]:*?/\\" else ch for ch in (code or "Scheme"))[:28]
        existing = {sheet.get_name() for sheet in workbook.worksheets()}
        candidate, index = name, 2
        while candidate in existing:
            candidate, index = f"{name[:26]}~{index}", index + 1
        return candidate
