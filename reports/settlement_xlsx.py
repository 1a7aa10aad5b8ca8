from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError

from ..tools import fiscal_year as fy

YEAR_COLUMNS = ("amount_opening", "amount_allocated", "amount_spent", "amount_cancelled", "amount_carried_out",
                "amount_committed", "amount_available")


class SocialSchemeReportSettlement(models.AbstractModel):
    """Settlement of a fiscal year (quyết toán năm), after B01/BCQT and F01-02/BCQT.

    Sheet 1 (B01/BCQT): per scheme / line / budget code, opening + allocated = total
    usable, spent (proposed for settlement), cancelled, carried forward, still open
    (committed, available), and the check column. Then one sheet per scheme
    (F01-02/BCQT): this year and cumulative since the scheme began.

    Before printing, the year is checked against the ledger: the identity per line,
    each carry-forward equal to the next year's opening, and the lines' stored lifetime
    totals equal to the sum of their years. A year that does not balance is refused,
    naming the line.
    """

    _name = "social.scheme.report.settlement"
    _inherit = "social.scheme.xlsx.report"
    _description = "Settlement by fiscal year"
    _file_stem = "settlement"

    def _columns(self):
        _ = self.env._
        return [
            (_("Scheme"), 16), (_("Budget line"), 44), (_("Budget code"), 12), (_("Opening (carried in)"), 18),
            (_("Allocated this year"), 18), (_("Total usable"), 18), (_("Spent, proposed for settlement"), 18),
            (_("Cancelled"), 18), (_("Carried forward"), 18), (_("Committed, still open"), 18),
            (_("Still available"), 18), (_("Check"), 10),
        ]

    # ------------------------------------------------------------------ data
    def _year_rows(self, lines, year):
        """From one read of the yearly view: ``{line_id: figures}`` of ``year`` and of the next
        one, each line's lifetime available (Σ of its years) and its cumulative figures to ``year``."""
        Year = self.env["social.scheme.budget.year"]
        figures = Year._figures(lines)
        this = {line_id: amounts for (line_id, y), amounts in figures.items() if y == year}
        following = {line_id: amounts for (line_id, y), amounts in figures.items() if y == year + 1}
        lifetime = defaultdict(float)
        cumulative = defaultdict(lambda: defaultdict(float))
        for (line_id, y), amounts in figures.items():
            lifetime[line_id] += amounts["amount_available"]
            if y <= year:
                for column in ("amount_allocated", "amount_spent", "amount_cancelled"):
                    cumulative[line_id][column] += amounts[column]
        return this, following, lifetime, cumulative

    def _check_balance(self, lines, year, this, following, lifetime):
        """Refuse a year that does not balance, naming the line."""
        for line in lines:
            amounts = this.get(line.id)
            if not amounts:
                continue
            gap = fy.settlement_gap(*(amounts[c] for c in YEAR_COLUMNS))
            carried = amounts["amount_carried_out"]
            opening_next = (following.get(line.id) or {}).get("amount_opening", 0.0)
            problem = None
            if abs(gap) >= 0.5:
                problem = self.env._("opening + allocated differs from what was spent, cancelled, carried and "
                                     "left by %(gap)s", gap=line._format_amount(gap))
            elif abs(carried - opening_next) >= 0.5:
                problem = self.env._("%(carried)s carried forward but %(opening)s opened in %(next)s",
                                     carried=line._format_amount(carried),
                                     opening=line._format_amount(opening_next), next=year + 1)
            elif abs(lifetime[line.id] - line.amount_available) >= 0.5:
                problem = self.env._("its stored available amount %(stored)s is not the sum of its years "
                                     "(%(years)s)", stored=line._format_amount(line.amount_available),
                                     years=line._format_amount(lifetime[line.id]))
            if problem:
                raise UserError(self.env._("The settlement of %(year)s does not balance on %(line)s: %(problem)s.",
                                           year=year, line=line.display_name, problem=problem))

    def _checked_rows(self, options):
        """``(schemes, year, this year's figures, cumulative figures)``, once the year balances."""
        year = options.get("fiscal_year")
        if not year:
            raise UserError(self.env._("Choose the fiscal year to settle."))
        schemes = self._schemes(options)
        lines = schemes.budget_line_ids
        this, following, lifetime, cumulative = self._year_rows(lines, year)
        self._check_balance(lines, year, this, following, lifetime)
        return schemes, year, this, cumulative

    def _check_options(self, options):
        self._checked_rows(options)

    # ---------------------------------------------------------------- output
    def _generate(self, workbook, formats, options):
        schemes, year, this, cumulative = self._checked_rows(options)
        self._write_b01(workbook, formats, options, schemes, this)
        for scheme in schemes:
            if any(line.id in cumulative for line in scheme.budget_line_ids):
                self._write_f01(workbook, formats, options, scheme, this, cumulative)

    def _write_b01(self, workbook, formats, options, schemes, this):
        columns = self._columns()
        sheet = workbook.add_worksheet("B01-BCQT")
        row = self._title_block(sheet, formats, self.env._("Settlement of the schemes' funds (form B01/BCQT)"),
                                options, len(columns))
        row = self._header(sheet, formats, row, columns)
        grand = [0.0] * 8
        for scheme in schemes:
            if not any(line.id in this for line in scheme.budget_line_ids):
                continue  # nothing booked to the year
            subtotal = [0.0] * 8
            for line in scheme.budget_line_ids:
                amounts = this.get(line.id)
                if not amounts:
                    continue
                values = self._values(amounts)
                sheet.write(row, 0, scheme.code, formats["text"])
                sheet.write(row, 1, line.name, formats["text_wrap"])
                sheet.write(row, 2, line.budget_code_id.code or "", formats["text"])
                self._write_values(sheet, row, values, formats, total=False)
                subtotal = [a + b for a, b in zip(subtotal, values)]
                row += 1
            sheet.write(row, 0, scheme.code, formats["total_text"])
            sheet.write(row, 1, self.env._("Total: %(scheme)s", scheme=scheme.name), formats["total_text"])
            sheet.write(row, 2, "", formats["total_text"])
            self._write_values(sheet, row, subtotal, formats, total=True)
            grand = [a + b for a, b in zip(grand, subtotal)]
            row += 1
        sheet.write(row, 0, self.env._("Total"), formats["total_text"])
        sheet.write(row, 1, "", formats["total_text"])
        sheet.write(row, 2, "", formats["total_text"])
        self._write_values(sheet, row, grand, formats, total=True)

    @staticmethod
    def _values(amounts):
        """opening, allocated, usable, spent, cancelled, carried, committed, available."""
        return [amounts["amount_opening"], amounts["amount_allocated"],
                amounts["amount_opening"] + amounts["amount_allocated"], amounts["amount_spent"],
                amounts["amount_cancelled"], amounts["amount_carried_out"], amounts["amount_committed"],
                amounts["amount_available"]]

    def _write_values(self, sheet, row, values, formats, total):
        money = formats["total_money" if total else "money"]
        for col, value in enumerate(values, start=3):
            sheet.write_number(row, col, value, money)
        opening, allocated, _usable, spent, cancelled, carried, committed, available = values
        gap = fy.settlement_gap(opening, allocated, spent, cancelled, carried, committed, available)
        sheet.write(row, 11, "✓" if abs(gap) < 0.5 else gap, formats["total_text" if total else "text"])

    def _write_f01(self, workbook, formats, options, scheme, this, cumulative):
        _ = self.env._
        columns = [
            (_("Budget line"), 44), (_("Budget code"), 12), (_("Approved"), 18),
            (_("Allocated: this year"), 18), (_("Allocated: cumulative since the start"), 18),
            (_("Spent: this year"), 18), (_("Spent: cumulative since the start"), 18),
            (_("Cancelled: cumulative"), 18), (_("Remaining of the approved amount"), 18),
        ]
        sheet = workbook.add_worksheet(self.env["social.scheme.report.budget.execution"]._sheet_name(
            workbook, f"F01-{scheme.code}"))
        title = _("Scheme funds, this year and since the start (form F01-02/BCQT): %(scheme)s", scheme=scheme.name)
        row = self._title_block(sheet, formats, title, options, len(columns))
        row = self._header(sheet, formats, row, columns)
        totals = [0.0] * 7
        for line in scheme.budget_line_ids:
            year = this.get(line.id) or {}
            since = cumulative.get(line.id) or {}
            values = [line.amount_planned, year.get("amount_allocated", 0.0), since.get("amount_allocated", 0.0),
                      year.get("amount_spent", 0.0), since.get("amount_spent", 0.0),
                      since.get("amount_cancelled", 0.0),
                      line.amount_planned - since.get("amount_spent", 0.0)]
            sheet.write(row, 0, line.name, formats["text_wrap"])
            sheet.write(row, 1, line.budget_code_id.code or "", formats["text"])
            for col, value in enumerate(values, start=2):
                sheet.write_number(row, col, value, formats["money"])
            totals = [a + b for a, b in zip(totals, values)]
            row += 1
        sheet.write(row, 0, _("Scheme total"), formats["total_text"])
        sheet.write(row, 1, "", formats["total_text"])
        for col, value in enumerate(totals, start=2):
            sheet.write_number(row, col, value, formats["total_money"])
