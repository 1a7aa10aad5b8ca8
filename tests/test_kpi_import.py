import base64
import io

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SocialSchemeCase

FIRST_ROW = 6  # openpyxl rows are 1-based: title, period, note, blank, header, then figures
UNIT, CODE, BREAKDOWN = 7, 8, 9  # hidden columns (1-based)
NUMERATOR, DENOMINATOR, VALUE = 4, 5, 6


@tagged("post_install", "-at_install")
class TestKpiImport(SocialSchemeCase):
    """A period's figures from the XLSX template: all rows or none, and re-importing changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._reporting_scheme()

    def _wizard(self, user=None):
        return self.env["social.scheme.kpi.import"].with_user(user or self.officer).create({"period_id": self.q1.id})

    def _template(self, wizard):
        wizard.action_download_template()
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_data)))

    @staticmethod
    def _rows(sheet):
        return {(row[CODE - 1].value, row[BREAKDOWN - 1].value or None): row[0].row
                for row in sheet.iter_rows(min_row=FIRST_ROW) if row[CODE - 1].value}

    def _filled(self, wizard, changes=None):
        workbook = self._template(wizard)
        sheet = workbook.worksheets[0]
        rows = self._rows(sheet)
        values = {("C1", None): {NUMERATOR: 95, DENOMINATOR: 110}, ("N2", "voluntary_in"): {VALUE: 20},
                  ("N2", "compulsory"): {VALUE: 30}}
        for key, cells in (changes or {}).items():
            values[key] = {**values.get(key, {}), **cells}
        for key, cells in values.items():
            for col, value in cells.items():
                sheet.cell(rows[key], col, value)
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()

    def _upload(self, wizard, data, name="so_lieu.xlsx"):
        wizard.write({"file_data": base64.b64encode(data), "file_name": name})
        wizard.action_import()
        return wizard

    def _figures(self):
        return self.env["social.scheme.kpi.measurement"].search([("period_id", "=", self.q1.id)])

    # ---------------------------------------------------------------- tests
    def test_template_lists_the_units_indicators_and_breakdowns_due(self):
        sheet = self._template(self._wizard()).worksheets[0]
        self.assertEqual(set(self._rows(sheet)), {("C1", None), ("N2", "voluntary_in"), ("N2", "compulsory")},
                         "the officer's unit only, each breakdown on its own row")
        self.assertTrue(sheet.column_dimensions["G"].hidden, "the codes are in hidden columns")
        self.assertEqual({row[UNIT - 1].value for row in sheet.iter_rows(min_row=FIRST_ROW)}, {self.unit.id})

    def test_import_writes_and_submits_every_row_then_reimport_changes_nothing(self):
        data = self._filled(self._wizard())
        wizard = self._upload(self._wizard(), data)
        self.assertEqual(wizard.state, "done", wizard.result_html)
        figures = self._figures()
        self.assertEqual(len(figures), 3)
        self.assertEqual(set(figures.mapped("state")), {"submitted"})
        self.assertEqual(figures.unit_id, self.unit)
        counselled = figures.filtered(lambda m: m.kpi_id == self.counselled)
        self.assertEqual((counselled.numerator, counselled.denominator), (95, 110))
        self.assertEqual(sorted(figures.filtered(lambda m: m.kpi_id == self.intake).mapped("value")), [20, 30])
        self.env.flush_all()
        stamps = {m.id: (m.write_date, len(m.message_ids)) for m in figures}
        again = self._upload(self._wizard(), data)
        self.assertEqual(again.state, "done")
        self.assertIn("0 figure(s) imported and submitted, 3 unchanged", again.result_html)
        self.env.flush_all()
        self.assertEqual(self._figures(), figures)
        self.assertEqual({m.id: (m.write_date, len(m.message_ids)) for m in figures}, stamps)
        # a figure the Department returned is corrected by importing again
        counselled.with_user(self.planner).action_reject(reason="Sai mẫu số")
        fixed = self._upload(self._wizard(), self._filled(self._wizard(), {("C1", None): {DENOMINATOR: 112}}))
        self.assertEqual(fixed.state, "done", fixed.result_html)
        self.assertEqual((counselled.denominator, counselled.state), (112, "submitted"))

    def test_one_bad_row_writes_nothing(self):
        for change, message in (
            ({("N2", "compulsory"): {VALUE: "=F6+1"}}, "formula"),
            ({("C1", None): {NUMERATOR: 120}}, "exceeds the denominator"),
            ({("N2", "compulsory"): {VALUE: 12.5}}, "whole number"),
            ({("N2", "compulsory"): {VALUE: "nhiều"}}, "not a number"),
        ):
            with self.subTest(message=message):
                wizard = self._upload(self._wizard(), self._filled(self._wizard(), change))
                self.assertEqual(wizard.state, "failed")
                self.assertIn(message, wizard.result_html)
                self.assertIn("Nothing was imported", wizard.result_html)
                self.assertFalse(self._figures(), "not even the good rows")

    def test_unknown_codes_other_units_and_frozen_periods_are_refused(self):
        wizard = self._wizard()
        workbook = self._template(wizard)
        sheet = workbook.worksheets[0]
        rows = self._rows(sheet)
        sheet.cell(rows[("C1", None)], NUMERATOR, 1)
        sheet.cell(rows[("C1", None)], DENOMINATOR, 2)
        sheet.cell(rows[("N2", "voluntary_in")], CODE, "ZZ-9")
        sheet.cell(rows[("N2", "voluntary_in")], VALUE, 3)
        sheet.cell(rows[("N2", "compulsory")], UNIT, self.other_unit.id)
        sheet.cell(rows[("N2", "compulsory")], VALUE, 3)
        output = io.BytesIO()
        workbook.save(output)
        result = self._upload(self._wizard(), output.getvalue())
        self.assertEqual(result.state, "failed")
        self.assertIn("Unknown indicator code “ZZ-9”", result.result_html)
        self.assertIn(f"You do not report for {self.other_unit.name}", result.result_html)
        self.assertFalse(self._figures())
        line = self.q1.unit_line_ids.filtered(lambda u: u.unit_id == self.unit)
        line.with_user(self.planner).action_validate()
        frozen = self._upload(self._wizard(), self._filled(self._wizard()))
        self.assertIn("frozen", frozen.result_html)
        self.assertFalse(self._figures())

    def test_files_that_are_not_templates(self):
        with self.assertRaisesRegex(UserError, "not an Excel workbook"):
            self._upload(self._wizard(), b"unit;kpi;value\n1;C1;3\n", name="so_lieu.csv")
        self.env["ir.config_parameter"].sudo().set_param("social_scheme.import_max_size_mb", "1")
        with self.assertRaisesRegex(UserError, "larger than 1 MB"):
            self._upload(self._wizard(), b"PK" + b"0" * (1024 * 1024))
        empty = openpyxl.Workbook()
        output = io.BytesIO()
        empty.save(output)
        with self.assertRaisesRegex(UserError, "no row of figures"):
            self._upload(self._wizard(), output.getvalue())
        self.assertFalse(self._figures())

    def test_reviewer_cannot_import(self):
        with self.assertRaises(UserError):
            self.env["social.scheme.kpi.import"].with_user(self.reviewer).create({"period_id": self.q1.id})

    def test_figures_submitted_together_give_one_to_do_per_unit_period(self):
        self._upload(self._wizard(), self._filled(self._wizard()))
        Activity = self.env["mail.activity"]
        approval = self.env.ref("social_scheme.mail_activity_type_approval")
        line = self.q1.unit_line_ids.filtered(lambda u: u.unit_id == self.unit)
        todos = Activity.search([("res_model", "=", line._name), ("res_id", "=", line.id),
                                 ("activity_type_id", "=", approval.id), ("user_id", "=", self.planner.id)])
        self.assertEqual(len(todos), 1)
        self.assertIn("3 figure(s)", todos.summary)
        self.assertFalse(Activity.search([("res_model", "=", "social.scheme.kpi.measurement"),
                                          ("res_id", "in", self._figures().ids)]), "not one per figure")
        line.with_user(self.planner).action_validate()
        self.assertFalse(todos.exists(), "validating the unit's period closes it")
        self.assertEqual(set(self._figures().mapped("state")), {"validated"})
