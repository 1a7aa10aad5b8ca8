import base64
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import budget_math, documents, kpi_math, report_docx
from ..tools import progress as progress_math

PERIOD_KINDS = [
    ("half_year", "First half-year"),
    ("year", "Year"),
    ("final", "Whole scheme (final)"),
    ("other", "Other period"),
]
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# figures taken from the data when the report is drafted, frozen from then on
FROZEN_FIGURES = ("line_ids", "authority_name", "lead_agency_name", "implementing_unit_name", "date_generated",
                  "amount_planned", "amount_allocated", "amount_committed", "amount_spent", "amount_spent_period",
                  "disbursement_rate", "activity_count", "activity_done_count", "activity_late_count")


class SocialSchemeProgressReport(models.Model):
    """The report on implementing a scheme (báo cáo kết quả thực hiện đề án) the Sở sends to the UBND.

    Its figures are taken from the data when it is drafted (or refreshed, while in draft) and
    frozen in its lines: a later correction never silently changes it. The planner writes the
    narrative sections (starter texts come from the figures); a Manager sends it, after which
    it is kept read-only. Output: DOCX (officials edit it in Word) and PDF.
    """

    _name = "social.scheme.progress.report"
    _description = "Scheme implementation report"
    _inherit = ["mail.thread", "social.scheme.workflow.mixin"]
    _order = "date_to desc, id desc"
    _system_fields = FROZEN_FIGURES + ("date_sent", "sent_by_id")

    name = fields.Char(string="Number", required=True, copy=False, tracking=True, size=64,
                       default=lambda self: self.env["ir.sequence"].next_by_code("social.scheme.progress.report")
                       or "/")
    scheme_id = fields.Many2one("social.scheme", required=True, index=True, tracking=True, ondelete="restrict")
    period_kind = fields.Selection(PERIOD_KINDS, string="Period", required=True, default="half_year", tracking=True)
    year = fields.Integer(default=lambda self: fields.Date.context_today(self).year)
    date_from = fields.Date(string="From", required=True, compute="_compute_dates", store=True, readonly=False,
                            precompute=True, tracking=True)
    date_to = fields.Date(string="To", required=True, compute="_compute_dates", store=True, readonly=False,
                          precompute=True, tracking=True)
    date_report = fields.Date(string="Report date", required=True, default=fields.Date.context_today, tracking=True,
                              help="The date on the document; agencies are named as they were that day.")
    recipient = fields.Char(string="To (recipient)", size=512, compute="_compute_recipient", store=True,
                            readonly=False, precompute=True)
    signer_title = fields.Char(size=128, default="Giám đốc")
    signer_name = fields.Char(size=256)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="scheme_id.currency_id", store=True)

    # frozen figures
    line_ids = fields.One2many("social.scheme.progress.report.line", "report_id", string="Figures", readonly=True)
    kpi_line_ids = fields.One2many("social.scheme.progress.report.line", "report_id", string="Indicators",
                                   domain=[("section", "=", "kpi")])
    budget_line_ids = fields.One2many("social.scheme.progress.report.line", "report_id", string="Budget",
                                      domain=[("section", "=", "budget")])
    package_line_ids = fields.One2many("social.scheme.progress.report.line", "report_id", string="Packages",
                                       domain=[("section", "=", "package")])
    activity_line_ids = fields.One2many("social.scheme.progress.report.line", "report_id", string="Activities",
                                        domain=[("section", "=", "activity")])
    authority_name = fields.Char(string="Approving authority (then)", size=512, readonly=True)
    lead_agency_name = fields.Char(string="Lead agency (then)", size=512, readonly=True)
    implementing_unit_name = fields.Char(string="Implementing unit (then)", size=512, readonly=True)
    date_generated = fields.Datetime(string="Figures taken on", readonly=True)
    amount_planned = fields.Monetary(string="Planned", readonly=True)
    amount_allocated = fields.Monetary(string="Allocated to date", readonly=True)
    amount_committed = fields.Monetary(string="Committed", readonly=True)
    amount_spent = fields.Monetary(string="Spent to date", readonly=True)
    amount_spent_period = fields.Monetary(string="Spent in the period", readonly=True)
    disbursement_rate = fields.Float(string="Disbursement rate (%)", digits=(5, 1), readonly=True)
    activity_count = fields.Integer(string="Number of activities", readonly=True)
    activity_done_count = fields.Integer(string="Activities done", readonly=True)
    activity_late_count = fields.Integer(string="Activities late", readonly=True)

    # narrative
    narrative_situation = fields.Text(string="General situation")
    narrative_difficulties = fields.Text(string="Difficulties")
    narrative_proposals = fields.Text(string="Proposals")

    state = fields.Selection([("draft", "Draft"), ("sent", "Sent")], default="draft", required=True, tracking=True,
                             copy=False, index=True)
    date_sent = fields.Date(readonly=True, copy=False, tracking=True)
    sent_by_id = fields.Many2one("res.users", string="Sent by", readonly=True, copy=False)

    # -------------------------------------------------------------- computes
    @api.depends("period_kind", "year", "scheme_id")
    def _compute_dates(self):
        for report in self:
            dates = progress_math.period_dates(report.period_kind, report.year, report.scheme_id.date_start,
                                               report.scheme_id.date_end)
            if dates:
                report.date_from, report.date_to = dates

    @api.depends("scheme_id")
    def _compute_recipient(self):
        for report in self:
            authority = report.scheme_id.approving_authority_id
            report.recipient = f"Kính gửi: {authority.name}" if authority else report.recipient

    # ----------------------------------------------------------- constraints
    @api.constrains("date_from", "date_to", "scheme_id")
    def _check_period(self):
        for report in self:
            if report.date_from > report.date_to:
                raise ValidationError(self.env._("The report's period ends before it starts."))
            scheme = report.scheme_id
            if report.date_to < scheme.date_start or report.date_from > scheme.date_end:
                raise ValidationError(self.env._(
                    "The period %(start)s – %(end)s is outside %(scheme)s.", scheme=scheme.display_name,
                    start=report.date_from.strftime("%d/%m/%Y"), end=report.date_to.strftime("%d/%m/%Y")))
            twins = self.sudo().search_count([("id", "!=", report.id), ("scheme_id", "=", scheme.id),
                                              ("date_from", "=", report.date_from), ("date_to", "=", report.date_to)])
            if twins:
                raise ValidationError(self.env._(
                    "%(scheme)s already has a report for %(start)s – %(end)s.", scheme=scheme.display_name,
                    start=report.date_from.strftime("%d/%m/%Y"), end=report.date_to.strftime("%d/%m/%Y")))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        self._check_group_planner()
        reports = super().create(vals_list)
        reports._generate()
        return reports

    def write(self, vals):
        if not self.env.su and any(report.state == "sent" for report in self):
            raise UserError(self.env._("A sent report is kept as it was sent: it can no longer be changed."))
        res = super().write(vals)
        if {"scheme_id", "period_kind", "year", "date_from", "date_to", "date_report"} & set(vals):
            self._generate()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(report.state == "sent" for report in self):
            raise UserError(self.env._("A sent report is kept as it was sent: it cannot be deleted."))

    # ---------------------------------------------------------------- guards
    def _check_group_planner(self):
        self._check_group(("social_scheme.group_planner",),
                          self.env._("Only the Department's planners draft implementation reports."))

    def _check_can_refresh(self):
        self._check_state(("draft",), self.env._("refreshed"))
        self._check_group_planner()
        self._check_write_access()

    def _check_can_send(self):
        self._check_state(("draft",), self.env._("sent"))
        self._check_group(("social_scheme.group_manager",),
                          self.env._("Only the Department leader (Manager) signs off and sends a report."))
        self._check_write_access()

    # --------------------------------------------------------------- actions
    def action_refresh(self):
        """Take the figures from the data again (draft only); the narrative is kept."""
        self._check_can_refresh()
        self._generate()
        return True

    def action_send(self):
        self._check_can_send()
        self._write_state({"state": "sent", "date_sent": fields.Date.context_today(self),
                           "sent_by_id": self.env.user.id})
        return True

    def action_export_docx(self):
        """The report as a Word file, for every reader (reviewers included): a download."""
        self.ensure_one()
        self.check_access("read")
        data = report_docx.build(self._document())
        filename = f"{self._file_stem()}.docx"
        Attachment = self.env["ir.attachment"].sudo()
        Attachment.search([("res_model", "=", self._name), ("res_id", "=", self.id),
                           ("mimetype", "=", DOCX_MIMETYPE)]).unlink()
        attachment = Attachment.create({"name": filename, "datas": base64.b64encode(data), "res_model": self._name,
                                        "res_id": self.id, "mimetype": DOCX_MIMETYPE})
        return {"type": "ir.actions.act_url", "target": "download",
                "url": f"/web/content/{attachment.id}?download=true"}

    def action_print(self):
        return self.env.ref("social_scheme.action_report_progress_report").report_action(self)

    # ------------------------------------------------------ business methods
    def _file_stem(self):
        return "Bao_cao_" + "".join(c if c.isalnum() else "_" for c in f"{self.scheme_id.code}_{self.date_to}")

    def _generate(self):
        """Freeze the figures of the period into the report; write starter texts where none is written."""
        for report in self:
            scheme = report.scheme_id.sudo()
            kpi_rows = report._kpi_rows()
            budget_rows, totals = report._budget_rows()
            package_rows = report._package_rows()
            activity_rows = report._activity_rows()
            lines = kpi_rows + budget_rows + package_rows + activity_rows
            for index, row in enumerate(lines):
                row["sequence"] = index
            done = sum(1 for row in activity_rows if row["activity_status"] == "done")
            late = [row["name"] for row in activity_rows if row["activity_status"] == "late"]
            vals = {
                "line_ids": [Command.clear()] + [Command.create(row) for row in lines],
                "authority_name": scheme.approving_authority_id.name or "",
                "lead_agency_name": scheme._partner_on("lead_agency", report.date_report)[1]
                or scheme.company_id.name,
                "implementing_unit_name": scheme._partner_on("implementing_unit", report.date_report)[1],
                "date_generated": fields.Datetime.now(),
                "activity_count": len(activity_rows), "activity_done_count": done, "activity_late_count": len(late),
                **totals,
            }
            texts = {
                "narrative_situation": progress_math.situation_text(
                    kpi_rows, {"allocated": totals["amount_allocated"], "spent": totals["amount_spent"],
                               "rate": totals["disbursement_rate"]},
                    {"total": len(activity_rows), "done": done, "late": len(late)}),
                "narrative_difficulties": progress_math.difficulties_text(kpi_rows, late),
            }
            vals.update({name: text for name, text in texts.items() if not report[name]})
            report.sudo().write(vals)

    def _kpi_rows(self):
        """Target, actual, % of target and status of each indicator on the period's end, with its breakdown.

        The actuals are the KPI model's own (validated figures, its aggregation rules) up to the end
        date; the % and the status come from tools/kpi_math, as on the KPI itself.
        """
        self.ensure_one()
        kpis = self.scheme_id.sudo().kpi_ids.sorted(lambda k: (k.parent_path or "", k.sequence, k.id))
        if not kpis:
            return []
        kpis = self._tree_order(kpis)
        figures = kpis._validated_figures(period=(None, self.date_to))
        breakdown = self._kpi_breakdown(kpis)
        ended = self.date_to >= self.scheme_id.date_end
        rows = []
        for kpi in kpis:
            figure = figures.get(kpi.id)
            actual = figure["actual"] if figure else None
            covered_to = figure["covered_to"] if figure else None
            judged = kpi_math.has_target(kpi.target_value, kpi.direction)
            projection = kpi_math.linear_projection(actual, kpi.kind, kpi.date_start, kpi.date_end, covered_to)
            rate = kpi_math.percent_of_target(actual, kpi.target_value) if judged else None
            level = (kpi.parent_path or "").count("/") - 1
            rows.append({
                "section": "kpi", "kpi_id": kpi.id, "code": kpi.code, "name": kpi.name, "level": max(level, 0),
                "kind": kpi.kind, "is_rate": kpi_math.is_rate(kpi.kind), "direction": kpi.direction,
                "target": kpi.target_value, "has_target": judged,
                "has_data": bool(figure), "actual": actual or 0.0,
                "numerator": figure["numerator"] if figure else 0.0,
                "denominator": figure["denominator"] if figure else 0.0,
                "rate": rate or 0.0, "has_rate": rate is not None,
                "kpi_status": kpi_math.status(actual, kpi.target_value, kpi.direction, kpi.kind, projection, ended,
                                              kpi.at_risk_margin),
            })
            for category, numerator, denominator, part in breakdown.get(kpi.id, ()):
                rows.append({
                    "section": "kpi", "kpi_id": kpi.id, "disaggregation_id": category.id,
                    "name": category.with_env(self._document_env()).name, "level": max(level, 0) + 1,
                    "kind": kpi.kind, "is_rate": kpi_math.is_rate(kpi.kind), "is_breakdown": True, "has_data": part is not None, "actual": part or 0.0,
                    "numerator": numerator, "denominator": denominator, "has_rate": False,
                })
        return rows

    @staticmethod
    def _tree_order(kpis):
        """Parents first, each followed by its "of which" indicators."""
        ordered = kpis.browse()
        children = defaultdict(list)
        for kpi in kpis:
            children[kpi.parent_id.id if kpi.parent_id in kpis else False].append(kpi)

        def walk(parent_id):
            nonlocal ordered
            for kpi in sorted(children[parent_id], key=lambda k: (k.sequence, k.code or "", k.id)):
                ordered |= kpi
                walk(kpi.id)

        walk(False)
        return ordered

    def _kpi_breakdown(self, kpis):
        """{kpi id: [(category, numerator, denominator, actual)]}: the KPI model's validated figures to the
        end date per breakdown category (its own aggregation rules), in the order of the KPI's categories."""
        split = kpis.filtered("disaggregation_ids")
        if not split:
            return {}
        figures = split._validated_figures(period=(None, self.date_to), by_breakdown=True)
        result = {}
        for kpi in split:
            result[kpi.id] = [
                (category, figure["numerator"], figure["denominator"], figure["actual"])
                for category in kpi.disaggregation_ids
                if (figure := figures.get((kpi.id, category.id)))
            ]
        return result

    def _budget_rows(self):
        """Per budget line: plan, allocated to date, committed, spent in the period and to date.

        Years before the period's year come from the yearly ledger (social.scheme.budget.year); the
        period's own year adds its opening and allocations, and its payments up to the end date.
        """
        self.ensure_one()
        lines = self.scheme_id.sudo().budget_line_ids
        year = self.date_to.year
        figures = self.env["social.scheme.budget.year"].sudo()._figures(lines)
        Disbursement = self.env["social.scheme.disbursement"].sudo()
        domain = [("budget_line_id", "in", lines.ids), ("state", "=", "posted"),
                  ("kind", "in", budget_math.SPENDING_KINDS), ("fiscal_year", "=", year),
                  ("date", "<=", self.date_to)]
        year_to_date = dict(Disbursement._read_group(domain, ["budget_line_id"], ["amount:sum"]))
        period = dict(Disbursement._read_group(
            [*domain[:4], ("date", ">=", self.date_from), ("date", "<=", self.date_to)],
            ["budget_line_id"], ["amount:sum"]))
        rows, totals = [], defaultdict(float)
        for line in lines:
            years = {fy: amounts for (line_id, fy), amounts in figures.items() if line_id == line.id and fy <= year}
            allocated = sum(amounts["amount_allocated"] for amounts in years.values())
            committed = sum(amounts["amount_committed"] for amounts in years.values())
            spent = sum(amounts["amount_spent"] for fy, amounts in years.items() if fy < year) \
                + year_to_date.get(line, 0.0)
            row = {
                "section": "budget", "budget_line_id": line.id, "name": line.name, "code": line.budget_code_id.code,
                "amount_planned": line.amount_planned, "amount_allocated": allocated, "amount_committed": committed,
                "amount_spent": spent, "amount_spent_period": period.get(line, 0.0),
                "amount_rate": budget_math.percent(spent, allocated),
            }
            rows.append(row)
            for name in ("amount_planned", "amount_allocated", "amount_committed", "amount_spent",
                         "amount_spent_period"):
                totals[name] += row[name]
        totals["disbursement_rate"] = budget_math.percent(totals["amount_spent"], totals["amount_allocated"])
        for name in ("amount_planned", "amount_allocated", "amount_committed", "amount_spent", "amount_spent_period"):
            totals.setdefault(name, 0.0)
        return rows, dict(totals)

    def _package_rows(self):
        self.ensure_one()
        packages = self.scheme_id.sudo().package_ids.filtered(
            lambda p: p.date_planned <= self.date_to).sorted(lambda p: (p.date_planned, p.id))
        return [{
            "section": "package", "package_id": package.id, "name": package.name,
            "code": package.contract_number or "", "amount_planned": package.amount_estimate,
            "amount_committed": package.amount_contract, "amount_spent": package.amount_paid,
            "package_state": package.state,
        } for package in packages]

    def _activity_rows(self):
        """Each activity with its status on the period's end (done, late … as of that day)."""
        self.ensure_one()
        tasks = self.scheme_id.sudo().activity_task_ids.filtered(
            lambda t: not t.scheme_date_planned_start or t.scheme_date_planned_start <= self.date_to)
        rows = []
        for task in tasks.sorted(lambda t: (t.scheme_date_planned_start or self.date_to, t.id)):
            rows.append({
                "section": "activity", "task_id": task.id, "name": task.name,
                "unit_name": task.scheme_unit_id.name or "", "date_planned_end": task.scheme_date_planned_end,
                "progress": task.progress,
                "activity_status": task._scheme_status_on(self.date_to),
                "amount_planned": task.scheme_amount_planned, "amount_committed": task.scheme_amount_contract,
                "amount_spent": task.scheme_amount_paid,
            })
        return rows

    # ---------------------------------------------------------------- output
    def _document_env(self):
        """Official documents are in Vietnamese, whoever prints them."""
        return self.with_context(lang="vi_VN").env if self.env["res.lang"]._lang_get("vi_VN") else self.env

    def _document(self):
        """What the DOCX and the PDF print, in Vietnamese (see tools/report_docx.py)."""
        self.ensure_one()
        env = self._document_env()
        report = self.with_env(env).sudo()
        # the labels users know from the indicators, packages and activities themselves
        kpi_statuses = dict(env["social.scheme.kpi"]._fields["status"]._description_selection(env))
        package_states = dict(env["social.scheme.procurement.package"]._fields["state"]._description_selection(env))
        activity_statuses = dict(env["project.task"]._fields["scheme_status"]._description_selection(env))
        vnd, percent = documents.vnd, documents.percent
        scheme = report.scheme_id

        def kpi_cells(line):
            if line.is_breakdown:
                target = ""
            elif not line.has_target:
                target = "–"
            else:
                target = percent(line.target, 0) if line.is_rate else progress_math.number(line.target)
            if not line.has_data:
                actual = "–"
            elif line.is_rate:
                actual = f"{percent(line.actual)} ({progress_math.number(line.numerator)}/" \
                         f"{progress_math.number(line.denominator)})"
            else:
                actual = progress_math.number(line.actual)
            rate = percent(line.rate) if line.has_rate else ("" if line.is_breakdown else "–")
            status = "" if line.is_breakdown else kpi_statuses.get(line.kpi_status, "")
            name = line.name
            if line.is_breakdown:
                # a category's name as the document's language has it (a configuration, not a figure)
                name = f"Trong đó: {line.disaggregation_id.name or line.name}"
            return [line.code or "", name, target, actual, rate, status]

        kpi_table = {
            "header": ["Mã", "Chỉ tiêu", "Kế hoạch", "Kết quả thực hiện", "Tỷ lệ đạt so với kế hoạch", "Đánh giá"],
            "numeric": [2, 3, 4], "widths": [1.4, 6.0, 2.0, 2.6, 2.0, 2.0],
            "rows": [{"cells": kpi_cells(line), "level": line.level, "bold": not line.level}
                     for line in report.kpi_line_ids],
        }
        budget_table = {
            "header": ["TT", "Nội dung chi", "Kế hoạch", "Dự toán giao lũy kế", "Đã cam kết", "Giải ngân trong kỳ",
                       "Giải ngân lũy kế", "Tỷ lệ giải ngân"],
            "numeric": [2, 3, 4, 5, 6, 7],
            "rows": [{"cells": [str(index + 1), line.name, vnd(line.amount_planned), vnd(line.amount_allocated),
                                vnd(line.amount_committed), vnd(line.amount_spent_period), vnd(line.amount_spent),
                                percent(line.amount_rate)]}
                     for index, line in enumerate(report.budget_line_ids)] + [
                {"cells": ["", "Tổng cộng", vnd(report.amount_planned), vnd(report.amount_allocated),
                           vnd(report.amount_committed), vnd(report.amount_spent_period), vnd(report.amount_spent),
                           percent(report.disbursement_rate)], "bold": True}],
        }
        package_table = {
            "header": ["TT", "Gói thầu", "Giá gói thầu", "Giá hợp đồng", "Đã thanh toán", "Tình trạng"],
            "numeric": [2, 3, 4],
            "rows": [{"cells": [str(index + 1), line.name, vnd(line.amount_planned),
                                vnd(line.amount_committed) if line.amount_committed else "–", vnd(line.amount_spent),
                                package_states.get(line.package_state, "")]}
                     for index, line in enumerate(report.package_line_ids)],
        }
        activity_table = {
            "header": ["TT", "Hoạt động", "Đơn vị thực hiện", "Hoàn thành theo kế hoạch", "Tiến độ", "Tình trạng"],
            "numeric": [4],
            "rows": [{"cells": [str(index + 1), line.name, line.unit_name or "",
                                line.date_planned_end.strftime("%d/%m/%Y") if line.date_planned_end else "",
                                percent(line.progress, 0), activity_statuses.get(line.activity_status, "")]}
                     for index, line in enumerate(report.activity_line_ids)],
        }
        blocks = [("heading", "I. TÌNH HÌNH CHUNG"), ("paragraph", report.narrative_situation or "")]
        if kpi_table["rows"]:
            blocks += [("heading", "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"), ("table", kpi_table)]
        if report.budget_line_ids:
            blocks += [("heading", "III. TÌNH HÌNH THỰC HIỆN KINH PHÍ (đồng)"), ("table", budget_table)]
        if package_table["rows"]:
            blocks += [("heading", "IV. CÁC GÓI THẦU"), ("table", package_table)]
        if activity_table["rows"]:
            blocks += [("heading", "V. TIẾN ĐỘ CÁC HOẠT ĐỘNG"),
                       ("paragraph", f"Đã hoàn thành {report.activity_done_count}/{report.activity_count} hoạt động; "
                                     f"{report.activity_late_count} hoạt động chậm tiến độ."),
                       ("table", activity_table)]
        blocks += [("heading", "VI. KHÓ KHĂN, VƯỚNG MẮC"), ("paragraph", report.narrative_difficulties or ""),
                   ("heading", "VII. ĐỀ XUẤT, KIẾN NGHỊ"), ("paragraph", report.narrative_proposals or "")]
        return {
            "national_name": documents.NATIONAL_NAME, "motto": documents.MOTTO,
            "authority": report.authority_name, "agency": report.lead_agency_name,
            "number": f"Số: {report.name}", "place_date": documents.place_date_line(
                scheme._document_place(), report.date_report),
            "title": "BÁO CÁO",
            "subtitle": f"Kết quả thực hiện {scheme.name} "
                        f"{progress_math.period_label(report.period_kind, report.date_from, report.date_to)}",
            "recipient": report.recipient or "",
            "blocks": blocks,
            "signer_title": report.signer_title or "", "signer_name": report.signer_name or "",
            "recipients": [name for name in (report.authority_name, report.implementing_unit_name, "Lưu: VT")
                           if name],
        }
