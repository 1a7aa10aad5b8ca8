import io

from openpyxl import load_workbook

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import BN, SocialSchemeCase

HEADER_ROW = 6  # title block on rows 1-4, header on row 6 (openpyxl counts from 1)


@tagged("post_install", "-at_install")
class TestReports(SocialSchemeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme(code="LD-TEST", decision_number="2204/QĐ-UBND",
                                         unit_ids=[Command.set([cls.unit.id, cls.other_unit.id])])
        cls.repair, cls.equipment = cls._lines(cls.scheme)
        cls._payment(cls.repair, 1.5 * BN, kind="advance", document_number="KB-1").action_post()
        cls._payment(cls.repair, 2.35 * BN, document_number="KB-2").action_post()
        cls._payment(cls.equipment, 0.98 * BN, document_number="KB-3").action_post()
        cls._payment(cls.equipment, 0.02 * BN, user=cls.other_officer, unit_id=cls.other_unit.id,
                     document_number="KB-4").action_post()
        cls._payment(cls.equipment, 0.01 * BN, document_number="KB-DRAFT")  # draft: not in registers
        package = cls.env["social.scheme.procurement.package"].with_user(cls.officer).create({
            "name": "Thiết bị phòng tư vấn", "scheme_id": cls.scheme.id, "budget_line_id": cls.equipment.id,
            "procurement_type": "goods", "amount_estimate": 1 * BN, "date_planned": "2022-11-10"})
        package.action_submit()
        package.with_user(cls.manager).action_approve()
        cls.package = package
        Kpi = cls.env["social.scheme.kpi"]
        cls.managed = Kpi.create({"scheme_id": cls.scheme.id, "code": "K3", "name": "Returnees managed",
                                  "kind": "ratio", "target_value": 80})
        cls.job_linked = Kpi.create({"scheme_id": cls.scheme.id, "code": "K4", "name": "of which job-linked",
                                     "kind": "ratio", "target_value": 70, "parent_id": cls.managed.id})
        Measurement = cls.env["social.scheme.kpi.measurement"]
        parent = Measurement.create({"kpi_id": cls.managed.id, "unit_id": cls.unit.id, "date_from": "2022-01-01",
                                     "date_to": "2022-12-31", "numerator": 480, "denominator": 560})
        other = Measurement.create({"kpi_id": cls.managed.id, "unit_id": cls.other_unit.id,
                                    "date_from": "2022-01-01", "date_to": "2022-12-31",
                                    "numerator": 80, "denominator": 80})
        (parent | other).action_submit()
        (parent | other).action_validate()
        child = Measurement.create({"kpi_id": cls.job_linked.id, "unit_id": cls.unit.id,
                                    "date_from": "2022-01-01", "date_to": "2022-12-31", "numerator": 369})
        child.action_submit()  # provisional only
        cls.other_scheme = cls._running_scheme(code="OTHER-R", implementing_unit_id=cls.other_unit.id)

    def _export(self, report, user=None, **filters):
        wizard = self.env["social.scheme.report.wizard"].with_user(user or self.reviewer).create(
            {"report": report, **filters})
        action = wizard.action_export()
        data, name = self._download(wizard, action)
        self.assertTrue(name.endswith(".xlsx"))
        return load_workbook(io.BytesIO(data))

    @staticmethod
    def _rows(sheet):
        return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]

    # ------------------------------------------------------------- XLSX
    def test_budget_execution_totals_equal_the_ledger(self):
        workbook = self._export("budget_execution", scheme_ids=[Command.set(self.scheme.ids)])
        summary = workbook.worksheets[0]
        self.assertEqual([c.value for c in summary[HEADER_ROW]][:4], ["Code", "Scheme", "Approved total", "Allocated"])
        self.assertEqual(summary.freeze_panes, f"A{HEADER_ROW + 1}")
        row = self._rows(summary)[0]
        self.assertEqual(row[0], "LD-TEST")
        self.assertEqual(row[2:7], [self.scheme.amount_total, self.scheme.amount_allocated,
                                    self.scheme.amount_committed, self.scheme.amount_spent,
                                    self.scheme.amount_available])
        self.assertAlmostEqual(row[7], self.scheme.disbursement_rate / 100)
        self.assertEqual(summary.cell(HEADER_ROW + 1, 3).number_format, "#,##0")
        self.assertEqual(summary.cell(HEADER_ROW + 1, 8).number_format, "0.0%")
        detail = workbook.worksheets[1]
        self.assertEqual(detail.title, "LD-TEST")
        rows = self._rows(detail)
        repair_row = next(r for r in rows if r[1] == self.repair.name)
        self.assertEqual(repair_row[4:9], [8.15 * BN, 8.15 * BN, 0, 3.85 * BN, 4.3 * BN])
        total = rows[-1]
        self.assertEqual(total[0], "Scheme total")
        self.assertEqual(total[4:9], [11.5 * BN, 11.5 * BN, 1 * BN, 4.85 * BN, 5.65 * BN])
        self.assertTrue(any(r[0] and str(r[0]).startswith("Subtotal") for r in rows))

    def test_budget_execution_for_a_year_and_unit(self):
        workbook = self._export("budget_execution", scheme_ids=[Command.set(self.scheme.ids)],
                                fiscal_year=2022, unit_id=self.other_unit.id)
        row = self._rows(workbook.worksheets[0])[0]
        self.assertEqual(row[5], 0.02 * BN, "only the other unit's payments")
        workbook = self._export("budget_execution", scheme_ids=[Command.set(self.scheme.ids)], fiscal_year=2023)
        row = self._rows(workbook.worksheets[0])[0]
        self.assertEqual((row[3], row[5]), (0, 0), "nothing allocated or spent in 2023")

    def test_kpi_report(self):
        workbook = self._export("kpi", scheme_ids=[Command.set(self.scheme.ids)])
        sheet = workbook.worksheets[0]
        header = [c.value for c in sheet[HEADER_ROW]]
        self.assertEqual(header[:4], ["Code", "Indicator", "Unit", "Target"])
        rows = self._rows(sheet)
        total = next(r for r in rows if r[0] == "K3" and r[2] == "All units")
        self.assertEqual(total[4:7], [560, 640, 87.5], "Σ numerators / Σ denominators over units")
        self.assertAlmostEqual(total[7], 87.5 / 80)
        self.assertEqual(total[8], "Achieved")
        units = [r for r in rows if r[0] == "K3" and r[2] != "All units"]
        self.assertEqual(sorted(r[6] for r in units), [85.7, 100.0])
        child = next(r for r in rows if r[0] == "K4")
        self.assertTrue(child[1].startswith("    "), "'of which' rows are indented")
        self.assertIsNone(child[6], "submitted figures are not actuals")
        self.assertAlmostEqual(child[9], 76.9, msg="369 of 480 shows as provisional")

    def test_kpi_report_officer_sees_own_unit_rows(self):
        rows = self._rows(self._export("kpi", user=self.officer).worksheets[0])
        unit_rows = [r for r in rows if r[0] == "K3" and r[2] not in (None, "All units")]
        self.assertEqual([r[2] for r in unit_rows], [self.unit.display_name])

    def test_procurement_register(self):
        rows = self._rows(self._export("procurement_register").worksheets[0])
        row = next(r for r in rows if r[1] == self.package.name)
        self.assertEqual(row[4], "Competitive quotation")
        self.assertIn("NĐ 63/2014", row[5])
        self.assertEqual(row[6:9], [1 * BN, 0, 0])
        self.assertEqual(row[9], "Approved")
        self.assertEqual(rows[-1][0], "Total")

    def test_disbursement_register(self):
        rows = self._rows(self._export("disbursement_register",
                                       scheme_ids=[Command.set(self.scheme.ids)]).worksheets[0])
        payments = rows[:-1]
        self.assertEqual(sorted(r[1] for r in payments), ["KB-1", "KB-2", "KB-3", "KB-4"], "posted only")
        self.assertEqual(rows[-1][9], 4.85 * BN)
        self.assertEqual(sum(r[9] for r in payments), self.scheme.amount_spent)

    def test_officer_exports_only_own_units(self):
        rows = self._rows(self._export("disbursement_register", user=self.officer).worksheets[0])
        self.assertEqual(sorted(r[1] for r in rows[:-1]), ["KB-1", "KB-2", "KB-3"])
        workbook = self._export("budget_execution", user=self.other_officer)
        codes = [r[0] for r in self._rows(workbook.worksheets[0])][:-1]
        self.assertEqual(sorted(codes), ["LD-TEST", "OTHER-R"])
        workbook = self._export("budget_execution", user=self.officer)
        self.assertEqual([r[0] for r in self._rows(workbook.worksheets[0])][:-1], ["LD-TEST"])

    def test_export_refused_to_users_outside_the_app(self):
        stranger = new_test_user(self.env, login="t_stranger", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["social.scheme.report.wizard"].with_user(stranger).create({"report": "kpi"})
        wizard = self.env["social.scheme.report.wizard"].create({"report": "kpi"})
        with self.assertRaises(UserError):
            wizard.with_user(stranger).sudo(False)._check_can_export()

    def test_wizard_from_the_scheme_form(self):
        context = {"active_model": "social.scheme", "active_ids": self.scheme.ids}
        form = Form(self.env["social.scheme.report.wizard"].with_user(self.reviewer).with_context(**context))
        self.assertEqual(form.scheme_ids[:], self.scheme)
        form.fiscal_year = 2022
        wizard = form.save()
        self.assertEqual(wizard._options()["scheme_ids"], self.scheme.ids)

    # -------------------------------------------------------------- PDF
    def test_scheme_summary_pdf_renders(self):
        # wkhtmltopdf would fetch Odoo's report CSS over HTTP from this very process, whose
        # test cursor is busy waiting for wkhtmltopdf: point it at a closed port instead.
        # The template's own styles are inline, so the document renders the same.
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        report = self.env.ref("social_scheme.action_report_scheme_summary").with_user(self.reviewer)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(report, self.scheme.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = self.pdf_text(pdf)
        self.assertIn("Mười một tỷ năm trăm triệu đồng", text)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", text)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", text)
        self.assertIn("11.500.000.000", text)
