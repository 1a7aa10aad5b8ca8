from odoo import api, models

from ..tools import amount_words, documents


class ReportSchemeSummary(models.AbstractModel):
    """Values of the scheme summary PDF in the official layout."""

    _name = "report.social_scheme.scheme_summary"
    _description = "Scheme summary (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        schemes = self.env["social.scheme"].browse(docids)
        # official documents are in Vietnamese, whoever prints them
        env = self.with_context(lang="vi_VN").env if self.env["res.lang"]._lang_get("vi_VN") else self.env
        statuses = dict(env["social.scheme.kpi"]._fields["status"]._description_selection(env))
        categories = dict(env["social.scheme.budget.line"]._fields["category"]._description_selection(env))
        return {
            "doc_ids": docids,
            "doc_model": "social.scheme",
            "docs": schemes,
            "national_name": documents.NATIONAL_NAME,
            "motto": documents.MOTTO,
            "place_date": lambda scheme: documents.place_date_line(scheme._document_place(), scheme.decision_date),
            "in_words": amount_words.amount_in_words,
            "vnd": documents.vnd,
            "percent": documents.percent,
            "statuses": statuses,
            "categories": categories,
        }
