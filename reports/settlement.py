from odoo import api, models
from odoo.exceptions import UserError

from ..tools import documents


class ReportSettlement(models.AbstractModel):
    """Values of the settlement PDF (B01/BCQT) a reviewer signs, from the same figures and
    checks as the settlement workbook."""

    _name = "report.social_scheme.settlement"
    _description = "Settlement of a fiscal year (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        year = (data or {}).get("fiscal_year") or self.env.context.get("social_scheme_fiscal_year")
        if not year:
            raise UserError(self.env._("Choose the fiscal year to settle."))
        schemes = self.env["social.scheme"].browse(docids)
        xlsx = self.env["social.scheme.report.settlement"]
        lines = schemes.budget_line_ids
        this, following, lifetime, _cumulative = xlsx._year_rows(lines, year)
        xlsx._check_balance(lines, year, this, following, lifetime)
        rows = {scheme: [(line, xlsx._values(this[line.id])) for line in scheme.budget_line_ids if line.id in this]
                for scheme in schemes}
        totals = {scheme: [sum(values[i] for _line, values in scheme_rows) for i in range(8)]
                  for scheme, scheme_rows in rows.items()}
        return {
            "doc_ids": docids,
            "doc_model": "social.scheme",
            "docs": schemes,
            "fiscal_year": year,
            "rows": rows,
            "totals": totals,
            "national_name": documents.NATIONAL_NAME,
            "motto": documents.MOTTO,
            "vnd": documents.vnd,
        }
