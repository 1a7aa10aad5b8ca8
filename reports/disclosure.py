from odoo import api, models

from ..tools import amount_words, documents

# official documents are in Vietnamese, whoever prints them
TITLES = {
    "estimate": "DỰ TOÁN NGÂN SÁCH ĐƯỢC GIAO",
    "q1": "TÌNH HÌNH THỰC HIỆN DỰ TOÁN QUÝ I",
    "h1": "TÌNH HÌNH THỰC HIỆN DỰ TOÁN 6 THÁNG",
    "q3": "TÌNH HÌNH THỰC HIỆN DỰ TOÁN 9 THÁNG",
    "year": "TÌNH HÌNH THỰC HIỆN DỰ TOÁN",
    "settlement": "QUYẾT TOÁN NGÂN SÁCH",
}


class ReportDisclosure(models.AbstractModel):
    """Values of the budget disclosure PDF in the official layout."""

    _name = "report.social_scheme.disclosure"
    _description = "Budget disclosure (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        disclosures = self.env["social.scheme.disclosure"].browse(docids)

        def place_date(disclosure):
            place = disclosure.scheme_ids[:1]._document_place() if disclosure.scheme_ids else ""
            return documents.place_date_line(place, disclosure.date_published or disclosure.date_period_end)

        return {
            "doc_ids": docids,
            "doc_model": "social.scheme.disclosure",
            "docs": disclosures,
            "national_name": documents.NATIONAL_NAME,
            "motto": documents.MOTTO,
            "place_date": place_date,
            "in_words": amount_words.amount_in_words,
            "vnd": documents.vnd,
            "percent": documents.percent,
            "titles": TITLES,
        }
