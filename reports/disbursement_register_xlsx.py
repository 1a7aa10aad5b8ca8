from odoo import models

CHUNK = 2000


class SocialSchemeReportDisbursementRegister(models.AbstractModel):
    """Disbursement register: every posted payment, streamed row by row.

    A province's register runs to tens of thousands of rows: xlsxwriter writes it in
    ``constant_memory`` mode and the payments are read in chunks, the cache emptied
    after each, so memory does not grow with the row count.
    """

    _name = "social.scheme.report.disbursement.register"
    _inherit = "social.scheme.xlsx.report"
    _description = "Disbursement register"
    _file_stem = "disbursement_register"
    _constant_memory = True

    def _columns(self):
        _ = self.env._
        return [
            (_("Date"), 12), (_("Treasury document"), 20), (_("Unit"), 28), (_("Scheme"), 16),
            (_("Budget line"), 40), (_("Budget code"), 12), (_("Package"), 36), (_("Payee"), 28),
            (_("Kind"), 18), (_("Amount"), 18),
        ]

    def _domain(self, options):
        domain = [("state", "=", "posted")]
        if options.get("scheme_ids") or options.get("unit_id"):
            domain.append(("scheme_id", "in", self._schemes(options).ids))
        if options.get("unit_id"):
            domain.append(("unit_id", "=", options["unit_id"]))
        if options.get("fiscal_year"):
            domain.append(("fiscal_year", "=", int(options["fiscal_year"])))
        if options.get("date_from"):
            domain.append(("date", ">=", options["date_from"]))
        if options.get("date_to"):
            domain.append(("date", "<=", options["date_to"]))
        return domain

    def _generate(self, workbook, formats, options):
        Payment = self.env["social.scheme.disbursement"]
        kinds = self._selection_labels(Payment._name, "kind")
        columns = self._columns()
        sheet = workbook.add_worksheet(self.env._("Payments")[:31])
        row = self._title_block(sheet, formats, self.env._("Disbursement register"), options, len(columns))
        row = self._header(sheet, formats, row, columns)
        header_row = row - 1
        ids = Payment.search(self._domain(options), order="date, id").ids
        total = 0.0
        for start in range(0, len(ids), CHUNK):
            for payment in Payment.browse(ids[start:start + CHUNK]):
                sheet.write_datetime(row, 0, payment.date, formats["date"])
                sheet.write_string(row, 1, payment.document_number or "", formats["text"])
                sheet.write_string(row, 2, payment.unit_id.display_name or "", formats["text"])
                sheet.write_string(row, 3, payment.scheme_id.code or "", formats["text"])
                sheet.write_string(row, 4, payment.budget_line_id.name or "", formats["text"])
                sheet.write_string(row, 5, payment.budget_line_id.budget_code_id.code or "", formats["text"])
                sheet.write_string(row, 6, payment.package_id.name or "", formats["text"])
                sheet.write_string(row, 7, payment.partner_id.display_name or "", formats["text"])
                sheet.write_string(row, 8, kinds.get(payment.kind, ""), formats["text"])
                sheet.write_number(row, 9, payment.amount, formats["money"])
                total += payment.amount
                row += 1
            self.env.invalidate_all()
        sheet.autofilter(header_row, 0, max(row - 1, header_row + 1), len(columns) - 1)
        sheet.write_string(row, 0, self.env._("Total"), formats["total_text"])
        for col in range(1, 9):
            sheet.write_blank(row, col, None, formats["total_text"])
        sheet.write_number(row, 9, total, formats["total_money"])
