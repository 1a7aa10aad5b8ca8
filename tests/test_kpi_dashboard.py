import io

import openpyxl

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SocialSchemeCase


@tagged("post_install", "-at_install")
class TestKpiDashboard(SocialSchemeCase):
    """The KPI dashboard reads each indicator as it is defined, per calendar period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.lam_dong = cls.env.ref("social_scheme.scheme_lam_dong_2022")
        cls.ninh_thuan = cls.env.ref("social_scheme.scheme_ninh_thuan_2023")
        cls.Measurement = cls.env["social.scheme.kpi.measurement"]

    def _dashboard(self, scheme, user=None, lang="en_US", **vals):
        Dashboard = self.env["social.scheme.kpi.dashboard"].with_user(user or self.planner).with_context(lang=lang)
        return Dashboard.create({"scheme_id": scheme.id, **vals})

    def _validated(self, kpi, period, unit, **vals):
        measurement = self.Measurement.create({
            "kpi_id": kpi.id, "unit_id": unit.id, "date_from": period[0], "date_to": period[1], **vals,
        })
        measurement.action_submit()
        measurement.with_user(self.planner).action_validate()
        return measurement

    @staticmethod
    def _row(data, code, breakdown=False):
        return next(r for r in data["rows"] if r["kpi"].code == code and r["breakdown"] == breakdown)

    # ---------------------------------------------------------------- tests
    def test_lam_dong_quarters_are_validated_figures_recombined(self):
        data = self._dashboard(self.lam_dong, interval="quarter", fiscal_year=2022)._dashboard()
        self.assertEqual([p[2] for p in data["periods"]], ["Q1/2022", "Q2/2022", "Q3/2022", "Q4/2022"])
        self.assertEqual([r["kpi"].code for r in data["rows"]], ["LD-01", "LD-02", "LD-03", "LD-04", "LD-05", "LD-06"])
        self.assertEqual(self._row(data, "LD-04")["depth"], 1, "'of which' indented under its parent")
        checked = 0
        for row in data["rows"]:
            kpi = row["kpi"]
            for (start, end, _label), cell in zip(data["periods"], row["cells"]):
                figures = self.Measurement.search([("kpi_id", "=", kpi.id), ("state", "=", "validated"),
                                                   ("date_to", ">=", start), ("date_to", "<=", end)])
                numerator, denominator = sum(figures.mapped("numerator")), sum(figures.mapped("denominator"))
                if not denominator:
                    self.assertIsNone(cell["actual"], f"{kpi.code} {start}")
                    continue
                self.assertEqual((cell["numerator"], cell["denominator"]), (numerator, denominator))
                self.assertAlmostEqual(cell["actual"], numerator * 100 / denominator, msg=f"{kpi.code} {start}")
                self.assertAlmostEqual(cell["percent"], numerator * 100 / denominator * 100 / kpi.target_value)
                checked += 1
        self.assertEqual(checked, 16, "LD-02..04 every quarter, LD-01's and the relatives' yearly figure in Q4, "
                                      "the clients' half years in Q2 and Q4")
        counselled = self._row(data, "LD-02")
        q1 = counselled["cells"][0]
        self.assertEqual((q1["text"], q1["detail"], q1["percent_text"], q1["status"]),
                         ("86.4%", "95/110", "101.6%", "achieved"))
        job_linked_q1 = self._row(data, "LD-04")["cells"][0]
        self.assertEqual((job_linked_q1["text"], job_linked_q1["detail"]), ("65.4%", "85/130"),
                         "an 'of which' rate is over its parent's numerator")
        self.assertEqual(job_linked_q1["status"], "at_risk", "65.4% misses 70% by less than its 10% margin")
        self.assertEqual(self._row(data, "LD-04")["total"]["status"], "off_track", "the scheme has ended")
        # the scheme to date is Σ numerators / Σ denominators, not the mean of the quarters' rates
        total = counselled["total"]
        self.assertEqual((total["numerator"], total["denominator"]), (400, 460))
        self.assertAlmostEqual(total["actual"], 400 * 100 / 460)
        mean = sum(c["actual"] for c in counselled["cells"]) / 4
        self.assertNotAlmostEqual(total["actual"], mean, places=3)
        kpi = counselled["kpi"]
        self.assertEqual((total["actual"], total["status"]), (kpi.actual_value, kpi.status),
                         "the same maths as the indicator's own actual")

    def test_the_page_shows_the_figures_in_vietnamese(self):
        with Form(self.env["social.scheme.kpi.dashboard"].with_user(self.planner).with_context(
                lang="vi_VN", default_scheme_id=self.lam_dong.id)) as form:
            self.assertEqual(form.interval, "quarter")
            self.assertEqual(form.fiscal_year, 0, "the latest year with figures is shown")
            html = form.table_html
            self.assertIn("86,4%", html)
            self.assertIn("101,6%", html)
            self.assertIn("Quý 1/2022", html)
            form.interval = "year"
            self.assertIn("2022", form.table_html)
            self.assertIn("87,0%", form.table_html, "LD-02 over 2022: 400/460")

    def test_ninh_thuan_counts_are_whole_numbers(self):
        dashboard = self._dashboard(self.ninh_thuan, lang="vi_VN", interval="year", show_breakdowns=True)
        data = dashboard._dashboard()
        managed = self._row(data, "NT-01")
        self.assertEqual((managed["cells"][0]["text"], managed["cells"][0]["percent_text"]), ("281", "112,4%"))
        self.assertEqual(managed["kpi"].target_display, "≥ 250")
        intake = self._row(data, "NT-02")
        self.assertEqual((intake["total"]["text"], intake["total"]["percent_text"]), ("185", "123,3%"))
        breakdowns = [r for r in data["rows"] if r["kpi"].code == "NT-02" and r["breakdown"]]
        self.assertEqual([r["total"]["text"] for r in breakdowns], ["53", "52", "80"])
        self.assertEqual(sum(int(r["total"]["text"]) for r in breakdowns), 185)
        female = self._row(data, "NT-02a")
        self.assertEqual((female["total"]["text"], female["total"]["percent_text"], female["total"]["status"]),
                         ("4", "", "tracking"))
        self.assertEqual(female["kpi"].target_display, "không đặt mục tiêu")
        self.assertNotIn(",00", dashboard.table_html)
        # figures and targets of counts are whole numbers in the views and exports
        Kpi, Measurement = self.env["social.scheme.kpi"], self.env["social.scheme.kpi.measurement"]
        self.assertEqual(Measurement._fields["value"].get_digits(self.env), (16, 0))
        self.assertEqual(Kpi._fields["actual_numerator"].get_digits(self.env), (16, 0))
        self.assertEqual(managed["kpi"].with_context(lang="vi_VN").actual_display, "281")
        wizard = self.env["social.scheme.report.wizard"].with_user(self.reviewer).create(
            {"report": "kpi", "scheme_ids": [Command.set(self.ninh_thuan.ids)]})
        data, _name = self._download(wizard, wizard.action_export())
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        row = next(r for r in sheet.iter_rows() if r[0].value == "NT-01" and r[2].value == "All units")
        self.assertEqual((row[3].value, row[6].value), (250, 281))
        self.assertEqual((row[3].number_format, row[6].number_format), ("#,##0", "#,##0"))

    def test_half_people_and_fractional_count_targets_are_refused(self):
        managed = self.env.ref("social_scheme.kpi_nt_managed")
        with self.assertRaisesRegex(ValidationError, "Value is a whole number: 12.5 has decimals"):
            self.Measurement.create({"kpi_id": managed.id, "unit_id": self.ninh_thuan.implementing_unit_id.id,
                                     "date_from": "2023-11-11", "date_to": "2023-11-30", "value": 12.5})
        with self.assertRaisesRegex(ValidationError, "whole number"):
            managed.with_user(self.planner).write({"target_value": 250.5})
        self.assertEqual(managed.target_value, 250)

    def test_stock_count_takes_each_units_latest_figure(self):
        scheme = self._running_scheme(allocate=False, unit_ids=[Command.set([self.unit.id, self.other_unit.id])])
        trained = self.env["social.scheme.kpi"].with_user(self.planner).create({
            "scheme_id": scheme.id, "code": "S1", "name": "Staff trained to date", "kind": "count",
            "aggregation": "last", "target_value": 40})
        admissions = self.env["social.scheme.kpi"].with_user(self.planner).create({
            "scheme_id": scheme.id, "code": "A1", "name": "Admissions", "kind": "count", "aggregation": "sum",
            "target_value": 250})
        self._validated(trained, ("2022-01-01", "2022-03-31"), self.unit, value=10)
        self._validated(trained, ("2022-04-01", "2022-04-30"), self.unit, value=12)
        self._validated(trained, ("2022-05-01", "2022-05-31"), self.unit, value=14)
        self._validated(trained, ("2022-04-01", "2022-06-30"), self.other_unit, value=5)
        for month, value in ((4, 20), (5, 25)):
            self._validated(admissions, (f"2022-0{month}-01", f"2022-0{month}-28"), self.unit, value=value)
        data = self._dashboard(scheme, interval="quarter", fiscal_year=2022)._dashboard()
        stock = self._row(data, "S1")
        self.assertEqual([c["actual"] for c in stock["cells"]], [10, 19, None, None],
                         "Q2: the unit's latest 14 plus the other unit's 5, not 12 + 14 + 5")
        self.assertEqual(stock["total"]["actual"], 19)
        self.assertEqual(trained.actual_value, 19)
        self.assertAlmostEqual(stock["cells"][1]["percent"], 19 * 100 / 40)
        self.assertIsNone(stock["cells"][1]["status"], "a quarter is not judged against the scheme's target")
        flow = self._row(data, "A1")
        self.assertEqual(flow["cells"][1]["actual"], 45, "flows add up")
        by_month = self._dashboard(scheme, interval="month", fiscal_year=2022)._dashboard()
        self.assertEqual(len(by_month["periods"]), 12)
        self.assertEqual([c["actual"] for c in self._row(by_month, "S1")["cells"][2:6]], [10, 12, 14, 5],
                         "April 12, May 14; the other unit's April–June figure counts in June")

    def test_every_role_reads_the_same_figures(self):
        planner = self._dashboard(self.lam_dong, interval="quarter", fiscal_year=2022)._dashboard()
        facility = self.lam_dong.implementing_unit_id
        officer = self.env["res.users"].create({
            "name": "Cán bộ cơ sở", "login": "t_ld_officer", "scheme_unit_ids": [Command.set(facility.ids)],
            "groups_id": [Command.set(self.env.ref("social_scheme.group_officer").ids)]})
        for user in (self.reviewer, officer):
            data = self._dashboard(self.lam_dong, user=user, interval="quarter", fiscal_year=2022)._dashboard()
            self.assertEqual([[c["actual"] for c in r["cells"]] for r in data["rows"]],
                             [[c["actual"] for c in r["cells"]] for r in planner["rows"]], user.login)

    def test_query_count_does_not_grow_with_periods(self):
        dashboard = self._dashboard(self.lam_dong, interval="month", fiscal_year=2022)
        dashboard._dashboard()
        self.env.invalidate_all()
        with self.assertQueryCount(10):
            dashboard._dashboard()

    def test_bad_year_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid fiscal year"):
            self._dashboard(self.lam_dong, fiscal_year=202)
