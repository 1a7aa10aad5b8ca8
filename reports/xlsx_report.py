import os
import tempfile

import xlsxwriter

from odoo import api, fields, models

MONEY = "#,##0"
PERCENT = "0.0%"
NUMBER = "#,##0.##"
COUNT = "#,##0"  # people and cases: whole numbers
RATE = '0.0"%"'  # a rate already in %: one decimal


class SocialSchemeXlsxReport(models.AbstractModel):
    """Base of the XLSX reports: formats declared once, title block, header, rendering.

    A report implements ``_generate(workbook, formats, options)``. ``options`` carries the
    wizard's filters: ``scheme_ids``, ``fiscal_year``, ``date_from``, ``date_to``, ``unit_id``.
    Data is read with the user's rights, so officers only get their units' rows.
    """

    _name = "social.scheme.xlsx.report"
    _description = "Social scheme XLSX report"

    _constant_memory = False
    _file_stem = "report"

    def _formats(self, workbook):
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}

        def fmt(**extra):
            return workbook.add_format({**base, **extra})

        return {
            "title": fmt(bold=True, font_size=14),
            "subtitle": fmt(italic=True),
            "header": fmt(bold=True, bg_color="#D9E1F2", border=1, text_wrap=True, align="center"),
            "text": fmt(border=1),
            "text_wrap": fmt(border=1, text_wrap=True),
            "date": fmt(border=1, num_format="dd/mm/yyyy"),
            "money": fmt(border=1, num_format=MONEY),
            "number": fmt(border=1, num_format=NUMBER),
            "percent": fmt(border=1, num_format=PERCENT),
            "count": fmt(border=1, num_format=COUNT),
            "rate": fmt(border=1, num_format=RATE),
            "total_text": fmt(border=1, bold=True, bg_color="#F2F2F2"),
            "total_money": fmt(border=1, bold=True, bg_color="#F2F2F2", num_format=MONEY),
            "total_percent": fmt(border=1, bold=True, bg_color="#F2F2F2", num_format=PERCENT),
            "indent_text": fmt(border=1, indent=2, text_wrap=True),
        }

    @api.readonly
    def render(self, options):
        """The report as XLSX bytes (only reads: runs on a read-only cursor, a replica's)."""
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            workbook = xlsxwriter.Workbook(path, {"constant_memory": self._constant_memory,
                                                  "strings_to_numbers": False, "remove_timezone": True})
            self._generate(workbook, self._formats(workbook), options)
            workbook.close()
            with open(path, "rb") as file:
                return file.read()
        finally:
            os.unlink(path)

    def _generate(self, workbook, formats, options):
        raise NotImplementedError

    def _check_options(self, options):
        """Refuse ``options`` the report would refuse, before the file is asked for (a dialog)."""

    @api.readonly
    def file_name(self, options):
        year = options.get("fiscal_year")
        return f"{self._file_stem}{'_' + str(year) if year else ''}.xlsx"

    # ---------------------------------------------------------------- blocks
    def _title_block(self, sheet, formats, title, options, width):
        """Agency, title, period and print date: the first four rows of every sheet."""
        company = self.env.company
        sheet.merge_range(0, 0, 0, width - 1, company.name, formats["subtitle"])
        sheet.merge_range(1, 0, 1, width - 1, title, formats["title"])
        sheet.merge_range(2, 0, 2, width - 1, self._period_label(options), formats["subtitle"])
        printed = fields.Datetime.context_timestamp(self, fields.Datetime.now()).strftime("%d/%m/%Y %H:%M")
        sheet.merge_range(3, 0, 3, width - 1, self.env._("Printed on %(date)s by %(user)s",
                                                         date=printed, user=self.env.user.name), formats["subtitle"])
        return 5

    def _period_label(self, options):
        parts = []
        if options.get("fiscal_year"):
            parts.append(self.env._("Fiscal year %(year)s", year=options["fiscal_year"]))
        if options.get("date_from") or options.get("date_to"):
            parts.append(self.env._("From %(start)s to %(end)s",
                                    start=self._fmt_date(options.get("date_from")) or "…",
                                    end=self._fmt_date(options.get("date_to")) or "…"))
        if options.get("unit_id"):
            parts.append(self.env["res.partner"].browse(options["unit_id"]).display_name)
        return " — ".join(parts) or self.env._("All periods")

    def _header(self, sheet, formats, row, columns):
        """Write the header row and column widths; freeze panes under it."""
        for col, (label, width) in enumerate(columns):
            sheet.write(row, col, label, formats["header"])
            sheet.set_column(col, col, width)
        sheet.freeze_panes(row + 1, 0)
        sheet.set_row(row, 32)
        return row + 1

    @staticmethod
    def _fmt_date(value):
        return fields.Date.to_date(value).strftime("%d/%m/%Y") if value else ""

    def _selection_labels(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def _schemes(self, options):
        domain = []
        if options.get("scheme_ids"):
            domain.append(("id", "in", options["scheme_ids"]))
        if options.get("unit_id"):
            domain.append(("unit_ids", "in", [options["unit_id"]]))
        return self.env["social.scheme"].search(domain, order="code, id")
