from odoo import models
from odoo.tools import SQL

CHUNK = 2000


class SocialSchemeReportDisbursementRegister(models.AbstractModel):
    """Disbursement register: every posted payment, streamed row by row.

    A province's register runs to tens of thousands of rows: xlsxwriter writes it in
    ``constant_memory`` mode and the rows come in batches from one server-side cursor,
    so memory does not grow with the row count.
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

    def _rows(self, options):
        """The posted payments in date order, as tuples, fetched in batches.

        ``_search`` applies the user's record rules (officers: their units); the names
        come from joins in the same query rather than from browsing 50,000 records.
        """
        Payment = self.env["social.scheme.disbursement"]
        Payment.flush_model()
        query = Payment._search(self._domain(options), order="date, id")
        table = query.table
        unit = query.left_join(table, "unit_id", "res_partner", "id", "unit")
        partner = query.left_join(table, "partner_id", "res_partner", "id", "partner")
        scheme = query.left_join(table, "scheme_id", "social_scheme", "id", "scheme")
        line = query.left_join(table, "budget_line_id", "social_scheme_budget_line", "id", "line")
        code = query.left_join(line, "budget_code_id", "social_scheme_budget_code", "id", "code")
        package = query.left_join(table, "package_id", "social_scheme_procurement_package", "id", "package")
        select = query.select(
            SQL.identifier(table, "date"), SQL.identifier(table, "document_number"),
            SQL.identifier(unit, "complete_name"), SQL.identifier(scheme, "code"), SQL.identifier(line, "name"),
            SQL.identifier(code, "code"), SQL.identifier(package, "name"), SQL.identifier(partner, "complete_name"),
            SQL.identifier(table, "kind"), SQL.identifier(table, "amount"),
        )
        # A server-side cursor: the client holds one batch at a time, where a plain
        # query would make libpq receive all the rows at once. (On an error the
        # transaction's end closes it.)
        cr = self.env.cr
        cr.execute(SQL("DECLARE social_scheme_register NO SCROLL CURSOR FOR %s", select))
        while True:
            cr.execute(SQL("FETCH FORWARD %s FROM social_scheme_register", CHUNK))
            batch = cr.fetchall()
            if not batch:
                break
            yield from batch
        cr.execute(SQL("CLOSE social_scheme_register"))

    def _generate(self, workbook, formats, options):
        kinds = self._selection_labels("social.scheme.disbursement", "kind")
        columns = self._columns()
        sheet = workbook.add_worksheet(self.env._("Payments")[:31])
        row = self._title_block(sheet, formats, self.env._("Disbursement register"), options, len(columns))
        row = self._header(sheet, formats, row, columns)
        header_row = row - 1
        total = 0.0
        text, money = formats["text"], formats["money"]
        for day, document, unit, scheme, line, code, package, partner, kind, amount in self._rows(options):
            sheet.write_datetime(row, 0, day, formats["date"])
            sheet.write_string(row, 1, document or "", text)
            sheet.write_string(row, 2, unit or "", text)
            sheet.write_string(row, 3, scheme or "", text)
            sheet.write_string(row, 4, line or "", text)
            sheet.write_string(row, 5, code or "", text)
            sheet.write_string(row, 6, package or "", text)
            sheet.write_string(row, 7, partner or "", text)
            sheet.write_string(row, 8, kinds.get(kind, ""), text)
            sheet.write_number(row, 9, amount, money)
            total += amount
            row += 1
        sheet.autofilter(header_row, 0, max(row - 1, header_row + 1), len(columns) - 1)
        sheet.write_string(row, 0, self.env._("Total"), formats["total_text"])
        for col in range(1, 9):
            sheet.write_blank(row, col, None, formats["total_text"])
        sheet.write_number(row, 9, total, formats["total_money"])
