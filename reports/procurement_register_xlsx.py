from odoo import models


class SocialSchemeReportProcurementRegister(models.AbstractModel):
    """Procurement register: every package with its method, the rule applied and its money."""

    _name = "social.scheme.report.procurement.register"
    _inherit = "social.scheme.xlsx.report"
    _description = "Procurement register"
    _file_stem = "procurement_register"

    def _columns(self):
        _ = self.env._
        return [
            (_("Scheme"), 16), (_("Package"), 44), (_("Unit"), 28), (_("Procurement type"), 16),
            (_("Selection method"), 22), (_("Rule applied"), 34), (_("Estimate"), 18),
            (_("Contract amount"), 18), (_("Paid"), 18), (_("Status"), 16), (_("Planned date"), 12),
            (_("Contract date"), 12), (_("Acceptance date"), 12), (_("Vendor"), 28),
        ]

    def _domain(self, options):
        domain = [("scheme_id", "in", self._schemes(options).ids)]
        if options.get("unit_id"):
            domain.append(("unit_id", "=", options["unit_id"]))
        if options.get("fiscal_year"):
            year = int(options["fiscal_year"])
            domain += [("date_planned", ">=", f"{year}-01-01"), ("date_planned", "<=", f"{year}-12-31")]
        if options.get("date_from"):
            domain.append(("date_planned", ">=", options["date_from"]))
        if options.get("date_to"):
            domain.append(("date_planned", "<=", options["date_to"]))
        return domain

    def _generate(self, workbook, formats, options):
        Package = self.env["social.scheme.procurement.package"]
        packages = Package.search(self._domain(options), order="scheme_id, date_planned, id")
        types = self._selection_labels(Package._name, "procurement_type")
        methods = self._selection_labels(Package._name, "method")
        states = self._selection_labels(Package._name, "state")
        columns = self._columns()
        sheet = workbook.add_worksheet(self.env._("Packages")[:31])
        row = self._title_block(sheet, formats, self.env._("Procurement register"), options, len(columns))
        row = self._header(sheet, formats, row, columns)
        header_row = row - 1
        totals = [0.0, 0.0, 0.0]
        for package in packages:
            rule = package.rule_id
            values = [
                package.scheme_id.code, package.name, package.unit_id.display_name,
                types.get(package.procurement_type, ""), methods.get(package.method, ""),
                f"{rule.legal_basis} ({rule.display_name})" if rule else "",
            ]
            for col, value in enumerate(values):
                sheet.write(row, col, value, formats["text_wrap" if col in (1, 5) else "text"])
            amounts = [package.amount_estimate, package.amount_contract, package.amount_paid]
            for col, value in enumerate(amounts, start=6):
                sheet.write_number(row, col, value, formats["money"])
            totals = [a + b for a, b in zip(totals, amounts)]
            sheet.write(row, 9, states.get(package.state, ""), formats["text"])
            for col, day in ((10, package.date_planned), (11, package.contract_date), (12, package.acceptance_date)):
                if day:
                    sheet.write_datetime(row, col, day, formats["date"])
                else:
                    sheet.write_blank(row, col, None, formats["date"])
            sheet.write(row, 13, package.vendor_id.display_name or "", formats["text"])
            row += 1
        sheet.autofilter(header_row, 0, max(row - 1, header_row + 1), len(columns) - 1)
        sheet.write(row, 0, self.env._("Total"), formats["total_text"])
        for col in range(1, 6):
            sheet.write(row, col, "", formats["total_text"])
        for col, value in enumerate(totals, start=6):
            sheet.write_number(row, col, value, formats["total_money"])
