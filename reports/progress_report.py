from odoo import api, models


class ReportProgressReport(models.AbstractModel):
    """Values of the implementation report PDF: the same document as the DOCX (see _document)."""

    _name = "report.social_scheme.progress_report"
    _description = "Scheme implementation report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        reports = self.env["social.scheme.progress.report"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "social.scheme.progress.report",
            "docs": reports,
            "documents": {report.id: report._document() for report in reports},
        }
