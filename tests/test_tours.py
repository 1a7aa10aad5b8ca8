import base64
import io
import shutil

from docx import Document
from openpyxl import load_workbook

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from ..tools import report_docx

BN = 1_000_000_000


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase):
    """Each role's daily path in the browser, in Vietnamese (static/tests/tours/)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo skips browser tests silently without a browser: here that is a failure.
        if not (shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")):
            raise AssertionError("Debian's chromium is required for the tours: apt-get install chromium")
        cls.env["res.lang"]._activate_lang("vi_VN")
        Partner = cls.env["res.partner"]
        cls.ubnd = Partner.create({"name": "UBND tỉnh Tour", "is_company": True})
        cls.agency = Partner.create({"name": "Sở Tour", "is_company": True})
        cls.unit = Partner.create({"name": "Cơ sở Tour", "is_company": True})
        cls.vendor = Partner.create({"name": "Nhà thầu Tour", "is_company": True})

        def user(login, group):
            return new_test_user(cls.env, login=login, groups=f"base.group_user,social_scheme.{group}",
                                 lang="vi_VN", tz="Asia/Ho_Chi_Minh",
                                 scheme_unit_ids=[Command.set(cls.unit.ids)])

        cls.planner = user("tour_planner", "group_planner")
        cls.manager = user("tour_manager", "group_manager")
        cls.officer = user("tour_officer", "group_officer")
        cls.unit_head = user("tour_unit_head", "group_unit_head")
        cls.reviewer = user("tour_reviewer", "group_reviewer")

    def _running_scheme(self, code):
        scheme = self.env["social.scheme"].create({
            "name": f"Đề án {code}", "code": code, "implementing_unit_id": self.unit.id,
            "date_start": "2022-01-01", "date_end": "2022-12-31", "amount_total": 11.5 * BN,
            "decision_number": "1/QĐ", "decision_date": "2022-10-24",
            "budget_line_ids": [
                Command.create({"name": "Sửa chữa", "category": "repair", "amount_planned": 8.15 * BN}),
                Command.create({"name": "Thiết bị", "category": "equipment", "amount_planned": 3.35 * BN}),
            ],
        })
        scheme.action_submit()
        scheme.action_approve()
        scheme.action_start()
        for line in scheme.budget_line_ids:
            self.env["social.scheme.allocation"].create(
                {"budget_line_id": line.id, "fiscal_year": 2022, "amount": line.amount_planned, "date": "2022-03-01"})
        return scheme

    def test_1_planner_enters_and_manager_approves_a_scheme(self):
        self.start_tour("/odoo/action-social_scheme.social_scheme_action/new", "social_scheme_planner_scheme",
                        login="tour_planner")
        scheme = self.env["social.scheme"].search([("code", "=", "TOUR-LD-2022")])
        self.assertEqual(scheme.state, "submitted")
        self.assertEqual(sorted(scheme.budget_line_ids.mapped("amount_planned")), [3.35 * BN, 8.15 * BN])
        self.assertEqual(scheme.decision_date.isoformat(), "2022-10-24", "dd/mm/yyyy was understood")
        self.start_tour(f"/odoo/action-social_scheme.social_scheme_action/{scheme.id}",
                        "social_scheme_manager_approval", login="tour_manager")
        self.assertEqual(scheme.state, "approved")
        self.assertTrue(scheme.project_id)

    def test_2_officer_reports_planner_validates_and_returns(self):
        scheme = self._running_scheme("TOUR-KPI")
        Kpi = self.env["social.scheme.kpi"]
        counselled = Kpi.create({"scheme_id": scheme.id, "code": "T1", "name": "Người được tư vấn",
                                 "kind": "ratio", "target_value": 85})
        admissions = Kpi.create({"scheme_id": scheme.id, "code": "T2", "name": "Số lượt tiếp nhận",
                                 "kind": "count", "target_value": 250})
        self.start_tour("/odoo/action-social_scheme.social_scheme_kpi_measurement_action",
                        "social_scheme_officer_figures", login="tour_officer")
        figures = counselled.measurement_ids | admissions.measurement_ids
        self.assertEqual(figures.mapped("state"), ["submitted", "submitted"])
        self.assertEqual(figures.unit_id, self.unit, "the officer's unit by default")
        self.start_tour("/odoo/action-social_scheme.social_scheme_kpi_measurement_action_to_validate",
                        "social_scheme_planner_validates", login="tour_planner")
        self.assertEqual(counselled.measurement_ids.state, "validated")
        self.assertEqual(admissions.measurement_ids.state, "rejected")
        self.assertEqual(admissions.measurement_ids.reject_reason, "Thiếu danh sách học viên quý 1")
        self.start_tour(f"/odoo/action-social_scheme.social_scheme_kpi_action/{counselled.id}",
                        "social_scheme_planner_kpi_result", login="tour_planner")
        self.assertEqual(counselled.status, "achieved")
        self.start_tour(f"/odoo/action-social_scheme.social_scheme_action/{scheme.id}",
                        "social_scheme_planner_kpi_dashboard", login="tour_planner")
        self.start_tour("/odoo/action-social_scheme.social_scheme_kpi_measurement_action_dashboard",
                        "social_scheme_planner_kpi_analysis", login="tour_planner")

    def test_3_officer_package_unit_head_approves_officer_contracts(self):
        scheme = self._running_scheme("TOUR-PKG")
        equipment = scheme.budget_line_ids.filtered(lambda line: line.category == "equipment")
        self.start_tour("/odoo/action-social_scheme.social_scheme_procurement_package_action/new",
                        "social_scheme_officer_package", login="tour_officer")
        package = scheme.package_ids
        self.assertEqual((package.state, package.method), ("submitted", "competitive_quotation"))
        available = equipment.amount_available
        self.start_tour(f"/odoo/action-social_scheme.social_scheme_procurement_package_action/{package.id}",
                        "social_scheme_unit_head_approves", login="tour_unit_head")
        self.assertEqual(package.state, "approved")
        self.assertEqual(equipment.amount_available, available - 1 * BN, "the estimate is reserved")
        self.start_tour(f"/odoo/action-social_scheme.social_scheme_procurement_package_action/{package.id}",
                        "social_scheme_officer_contract", login="tour_officer")
        self.assertEqual((package.state, package.amount_contract), ("contracted", 980_000_000))
        self.assertEqual(equipment.amount_committed, 980_000_000)

    def test_4_reviewer_exports_and_cannot_edit(self):
        scheme = self._running_scheme("TOUR-REV")
        self.start_tour("/odoo/action-social_scheme.social_scheme_report_wizard_action",
                        "social_scheme_reviewer_export", login="tour_reviewer")
        wizard = self.env["social.scheme.report.wizard"].search([("create_uid", "=", self.reviewer.id)])
        self.assertEqual(len(wizard), 1)
        action = wizard.with_user(self.reviewer).action_export()
        self.authenticate("tour_reviewer", "tour_reviewer")
        # the export route is read-only: in test mode its cursor is a read-only transaction
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200, "the download request succeeds")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        workbook = load_workbook(io.BytesIO(response.content))
        self.assertIn("TOUR-REV", [row[0].value for row in workbook.worksheets[0].iter_rows()])
        self.start_tour(f"/odoo/action-social_scheme.social_scheme_action/{scheme.id}",
                        "social_scheme_reviewer_readonly", login="tour_reviewer")
        self.assertEqual(scheme.name, "Đề án TOUR-REV")

    def test_5_officer_imports_a_period_planner_sees_who_has_not_reported(self):
        self.env["social.scheme.due.rule"].search([]).write({"lock_days": 0})
        other = self.env["res.partner"].create({"name": "Trung tâm Tour B", "is_company": True})
        scheme = self.env["social.scheme"].create({
            "name": "Đề án TOUR-CYCLE", "code": "TOUR-CYCLE", "implementing_unit_id": self.unit.id,
            "unit_ids": [Command.set([self.unit.id, other.id])], "report_frequency": "quarter",
            "date_start": "2022-01-01", "date_end": "2022-03-31", "amount_total": 1 * BN,
            "decision_number": "1/QĐ", "decision_date": "2021-12-24",
            "budget_line_ids": [Command.create({"name": "Tư vấn", "category": "other", "amount_planned": 1 * BN})],
        })
        scheme.action_submit()
        scheme.action_approve()
        scheme.action_start()
        counselled = self.env["social.scheme.kpi"].create({
            "scheme_id": scheme.id, "code": "TC1", "name": "Người được tư vấn", "kind": "ratio", "target_value": 85})
        admissions = self.env["social.scheme.kpi"].create({
            "scheme_id": scheme.id, "code": "TC2", "name": "Số lượt tiếp nhận", "kind": "count", "target_value": 60})
        period = scheme.period_ids
        line = period.unit_line_ids.filtered(lambda u: u.unit_id == self.unit)
        # the file the officer fills: the template of the period, as the wizard makes it
        wizard = self.env["social.scheme.kpi.import"].with_user(self.officer).create({"period_id": period.id})
        wizard.action_download_template()
        workbook = load_workbook(io.BytesIO(base64.b64decode(wizard.template_data)))
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(min_row=6):
            if row[7].value == "TC1":
                row[3].value, row[4].value = 95, 110
            elif row[7].value == "TC2":
                row[5].value = 60
        output = io.BytesIO()
        workbook.save(output)
        attachment = self.env["ir.attachment"].create({
            "name": "so_lieu_quy_1.xlsx", "datas": base64.b64encode(output.getvalue()), "public": True,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
        self.env["ir.model.data"].create({"module": "social_scheme", "name": "tour_import_file",
                                          "model": "ir.attachment", "res_id": attachment.id})
        self.start_tour(f"/odoo/action-social_scheme.social_scheme_period_unit_action/{line.id}",
                        "social_scheme_officer_imports", login="tour_officer")
        imports = self.env["social.scheme.kpi.import"].search([("create_uid", "=", self.officer.id)])
        self.assertTrue(imports.filtered("template_data"), "the officer downloaded the template")
        figures = counselled.measurement_ids | admissions.measurement_ids
        self.assertEqual(figures.mapped("state"), ["submitted", "submitted"])
        self.assertEqual((figures.unit_id, figures.period_id), (self.unit, period))
        self.start_tour("/odoo/action-social_scheme.social_scheme_expected_report_action_not_reported",
                        "social_scheme_planner_not_reported", login="tour_planner")

    def test_6_planner_drafts_the_half_year_report_manager_sends_it(self):
        scheme = self._running_scheme("TOUR-RPT")
        admissions = self.env["social.scheme.kpi"].create({"scheme_id": scheme.id, "code": "R1", "kind": "count",
                                                           "name": "Số lượt tiếp nhận", "target_value": 250})
        figure = self.env["social.scheme.kpi.measurement"].create({
            "kpi_id": admissions.id, "unit_id": self.unit.id, "date_from": "2022-01-01", "date_to": "2022-06-30",
            "value": 120})
        figure.action_submit()
        figure.action_validate()
        self.start_tour("/odoo/action-social_scheme.social_scheme_progress_report_action/new",
                        "social_scheme_planner_progress_report", login="tour_planner")
        report = scheme.progress_report_ids
        self.assertEqual((str(report.date_from), str(report.date_to), report.state),
                         ("2022-01-01", "2022-06-30", "draft"))
        self.assertEqual(report.narrative_difficulties, "Nhà thầu chậm bàn giao mặt bằng khu nhà ở.")
        self.assertEqual(report.create_uid, self.planner)
        self.start_tour(f"/odoo/action-social_scheme.social_scheme_progress_report_action/{report.id}",
                        "social_scheme_manager_sends_report", login="tour_manager")
        self.assertEqual((report.state, report.sent_by_id), ("sent", self.manager))
        # the Word file downloads, for the reviewer too, with the frozen figures
        self.authenticate("tour_reviewer", "tour_reviewer")
        action = report.with_user(self.reviewer).action_export_docx()
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        tables = report_docx.table_texts(response.content)
        kpis = next(table for table in tables if table[0][:2] == ["Mã", "Chỉ tiêu"])
        self.assertEqual(kpis[1][:5], ["R1", "Số lượt tiếp nhận", "250", "120", "48,0%"])
        paragraphs = [paragraph.text for paragraph in Document(io.BytesIO(response.content)).paragraphs]
        self.assertIn("Nhà thầu chậm bàn giao mặt bằng khu nhà ở.", paragraphs)
