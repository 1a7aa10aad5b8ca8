import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SocialSchemeCase


@tagged("post_install", "-at_install")
class TestReportingCycle(SocialSchemeCase):
    """Periods, expected reports, completeness, reminders and the period lock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._reporting_scheme()

    @staticmethod
    def _period(scheme, frequency, date_from):
        return scheme.period_ids.filtered(lambda p: p.frequency == frequency and str(p.date_from) == date_from)

    def _line(self, period, unit):
        return period.unit_line_ids.filtered(lambda line: line.unit_id == unit)

    def _figure(self, kpi, unit, period=None, user=None, **vals):
        user = user or (self.other_officer if unit == self.other_unit else self.officer)
        return self.env["social.scheme.kpi.measurement"].with_user(user).create(
            {"kpi_id": kpi.id, "unit_id": unit.id, "period_id": (period or self.q1).id, **vals})

    def _expected(self, period, **domain):
        Expected = self.env["social.scheme.expected.report"]
        return Expected.search([("period_id", "=", period.id)] + [(k, "=", v) for k, v in domain.items()])

    # ------------------------------------------------------------ periods
    def test_periods_for_each_frequency_and_due_rule(self):
        quarters = self.scheme.period_ids.filtered(lambda p: p.frequency == "quarter")
        self.assertEqual(quarters.mapped("date_due"),
                         [date(2022, 4, 15), date(2022, 7, 15), date(2022, 10, 15), date(2023, 1, 15)])
        self.assertEqual(len(self.q1.unit_line_ids), 2, "a line per unit of the scheme")
        self.intake.with_user(self.planner).report_frequency = "month"
        months = self.scheme.period_ids.filtered(lambda p: p.frequency == "month")
        self.assertEqual(len(months), 12)
        self.assertEqual((months[0].date_due, months[-1].date_due), (date(2022, 2, 3), date(2023, 1, 3)),
                         "the monthly statistics are due on the 3rd of the next month")
        self.counselled.with_user(self.planner).report_frequency = "half_year"
        halves = self.scheme.period_ids.filtered(lambda p: p.frequency == "half_year")
        self.assertEqual(halves.mapped("date_due"), [date(2022, 7, 15), date(2023, 1, 15)])
        self.assertFalse(self.scheme.period_ids.filtered(lambda p: p.frequency == "quarter"),
                         "no indicator is reported quarterly any more, and nothing was reported")
        self.counselled.with_user(self.planner).report_frequency = "year"
        year = self.scheme.period_ids.filtered(lambda p: p.frequency == "year")
        self.assertEqual((year.date_from, year.date_to, year.date_due),
                         (date(2022, 1, 1), date(2022, 12, 31), date(2023, 1, 15)))
        # the scheme's own decision: its rule wins over the general one
        self.env["social.scheme.due.rule"].with_user(self.manager).create({
            "frequency": "year", "scheme_id": self.scheme.id, "due_day": 20, "months_after": 0,
            "date_from": "2020-01-01", "legal_basis": "Quyết định của đề án"})
        count = len(self.scheme.period_ids)
        self.scheme._generate_periods()
        self.assertEqual(len(self.scheme.period_ids), count, "generating again creates nothing twice")
        self.assertEqual(year.date_due, date(2022, 12, 20))

    def test_one_off_indicator_keeps_free_dates(self):
        one_off = self.env["social.scheme.kpi"].with_user(self.planner).create({
            "scheme_id": self.scheme.id, "code": "X1", "name": "Survey", "kind": "count", "target_value": 1,
            "report_frequency": "one_off"})
        figure = self.env["social.scheme.kpi.measurement"].with_user(self.officer).create({
            "kpi_id": one_off.id, "date_from": "2022-02-10", "date_to": "2022-05-20", "value": 1})
        self.assertFalse(figure.period_id)
        self.assertFalse(self._expected(self.q1, kpi_id=one_off.id), "nothing is expected of a one-off indicator")

    def test_a_figure_fits_a_period_exactly(self):
        with self.assertRaisesRegex(ValidationError, "covers one reporting period"):
            self.env["social.scheme.kpi.measurement"].with_user(self.officer).create({
                "kpi_id": self.counselled.id, "date_from": "2022-01-01", "date_to": "2022-02-28",
                "numerator": 1, "denominator": 2})
        figure = self.env["social.scheme.kpi.measurement"].with_user(self.officer).create({
            "kpi_id": self.counselled.id, "date_from": "2022-04-01", "date_to": "2022-06-30",
            "numerator": 1, "denominator": 2})
        self.assertEqual(figure.period_id.date_from, date(2022, 4, 1), "the dates find their period")
        with Form(self.env["social.scheme.kpi.measurement"].with_user(self.officer)) as form:
            form.kpi_id = self.counselled
            form.period_id = self.q1
            self.assertEqual((form.date_from, form.date_to), (date(2022, 1, 1), date(2022, 3, 31)))
            form.numerator, form.denominator = 95, 110
        self.assertEqual(form.record.period_id, self.q1)

    # --------------------------------------------------- expected reports
    def test_expected_report_states_at_chosen_dates(self):
        """Q1 is due on 15/04/2022: on time, late, validated, returned and missing reports."""
        with freeze_time("2022-04-10"):
            on_time = self._figure(self.counselled, self.unit, numerator=95, denominator=110)
            on_time.action_submit()
            returned = self._figure(self.intake, self.unit, disaggregation_id=self.breakdown[0].id, value=20)
            returned.action_submit()
            returned.with_user(self.planner).action_reject(reason="Thiếu danh sách")
        with freeze_time("2022-04-20"):
            late = self._figure(self.counselled, self.other_unit, numerator=40, denominator=50)
            late.action_submit()
            validated = self._figure(self.intake, self.unit, disaggregation_id=self.breakdown[1].id, value=30)
            validated.action_submit()
            validated.with_user(self.planner).action_validate()
        states = {(r.kpi_id.code, r.unit_id, r.disaggregation_id): (r.state, r.on_time, r.late)
                  for r in self._expected(self.q1)}
        self.assertEqual(len(states), 6, "2 units × (1 counselling + 2 intake breakdowns)")
        self.assertEqual(states[("C1", self.unit, self.env["social.scheme.kpi.disaggregation"])],
                         ("submitted", True, False))
        self.assertEqual(states[("C1", self.other_unit, self.env["social.scheme.kpi.disaggregation"])],
                         ("submitted", False, True))
        self.assertEqual(states[("N2", self.unit, self.breakdown[0])], ("returned", False, False))
        self.assertEqual(states[("N2", self.unit, self.breakdown[1])], ("validated", False, True))
        self.assertEqual(states[("N2", self.other_unit, self.breakdown[0])], ("missing", False, False))
        # by hand: 3 received of 6 expected, 1 on time
        self.assertEqual((self.q1.expected_count, self.q1.received_count, self.q1.on_time_count), (6, 3, 1))
        self.assertAlmostEqual(self.q1.completeness_rate, 50.0)
        self.assertAlmostEqual(self.q1.timeliness_rate, 100 / 6, places=1)
        own = self._line(self.q1, self.unit)
        self.assertEqual((own.expected_count, own.received_count, own.missing_count), (3, 2, 1))
        groups = self.env["social.scheme.expected.report"]._read_group(
            [("period_id", "=", self.q1.id)], ["unit_id"], ["completeness:avg", "timeliness:avg"])
        self.assertEqual({unit: (round(c, 1), round(t, 1)) for unit, c, t in groups},
                         {self.unit: (66.7, 33.3), self.other_unit: (33.3, 0.0)}, "the pivot's figures")

    def test_lam_dong_demo_quarter_by_hand(self):
        scheme = self.env.ref("social_scheme.scheme_lam_dong_2022")
        q3 = self._period(scheme, "quarter", "2022-07-01")
        expected = len(scheme.kpi_ids.filtered(lambda k: k.frequency == "quarter")) * len(scheme.unit_ids)
        figures = self.env["social.scheme.kpi.measurement"].search([("period_id", "=", q3.id)])
        received = figures.filtered(lambda m: m.state in ("submitted", "validated"))
        on_time = received.filtered(lambda m: m.date_submitted <= q3.date_due)
        self.assertEqual((expected, len(received), len(on_time)), (3, 3, 2), "the job-linked figure came late")
        self.assertEqual((q3.expected_count, q3.received_count, q3.on_time_count), (3, 3, 2))
        self.assertAlmostEqual(q3.completeness_rate, 100.0)
        self.assertAlmostEqual(q3.timeliness_rate, 200 / 3, places=1)

    # ---------------------------------------------------------- reminders
    def test_reminders_are_idempotent(self):
        Activity = self.env["mail.activity"]
        due = self.env.ref("social_scheme.mail_activity_type_report_due")
        late = self.env.ref("social_scheme.mail_activity_type_report_late")
        with freeze_time("2022-04-01"):
            self._figure(self.counselled, self.other_unit, numerator=1, denominator=2).action_submit()
            for breakdown in self.breakdown:
                self._figure(self.intake, self.other_unit, disaggregation_id=breakdown.id, value=3).action_submit()
        lines = self.q1.unit_line_ids
        mine, theirs = self._line(self.q1, self.unit), self._line(self.q1, self.other_unit)

        def activities(activity_type):
            return Activity.search([("res_model", "=", lines._name), ("res_id", "in", lines.ids),
                                    ("activity_type_id", "=", activity_type.id)])

        with freeze_time("2022-04-05"):
            self.env["social.scheme.period.unit"]._cron_remind()
        self.assertFalse(activities(due), "more than 5 days before the due date: nothing yet")
        with freeze_time("2022-04-12"):
            self.env["social.scheme.period.unit"]._cron_remind()
            self.env["social.scheme.period.unit"]._cron_remind()
        reminders = activities(due)
        self.assertEqual(set(reminders.mapped("res_id")), {mine.id}, "only for the unit that owes figures")
        self.assertEqual(reminders.user_id, self.officer | self.unit_head, "the unit's officers")
        self.assertEqual(len(reminders), 2, "once each, whatever the runs")
        with freeze_time("2022-04-16"):
            self.env["social.scheme.period.unit"]._cron_remind()
            self.env["social.scheme.period.unit"]._cron_remind()
        overdue = activities(late)
        self.assertEqual(set(overdue.mapped("res_id")), {mine.id})
        self.assertIn(self.planner, overdue.user_id)
        self.assertEqual(len(overdue), len(overdue.user_id), "one to-do per planner, whatever the runs")
        self.assertNotIn(theirs.id, activities(due).mapped("res_id") + overdue.mapped("res_id"))
        with freeze_time("2022-04-17"):
            self._figure(self.counselled, self.unit, numerator=1, denominator=2).action_submit()
            for breakdown in self.breakdown:
                self._figure(self.intake, self.unit, disaggregation_id=breakdown.id, value=3).action_submit()
            self.env["social.scheme.period.unit"]._cron_remind()
        self.assertFalse(activities(due) | activities(late), "everything came in: the reminders are gone")

    # ---------------------------------------------------------------- lock
    def test_validated_period_freezes_and_reopens_with_a_reason(self):
        figure = self._figure(self.counselled, self.unit, numerator=95, denominator=110)
        figure.action_submit()
        line = self._line(self.q1, self.unit)
        with self.assertRaisesRegex(UserError, "planner"):
            line.with_user(self.officer).action_validate()
        line.with_user(self.planner).action_validate()
        self.assertEqual((line.state, figure.state, line.is_locked), ("validated", "validated", True))
        with self.assertRaisesRegex(UserError, "frozen"):
            self._figure(self.intake, self.unit, disaggregation_id=self.breakdown[0].id, value=5)
        with self.assertRaisesRegex(UserError, "frozen"):
            figure.with_user(self.planner).action_reset()
        action = line.with_user(self.planner).action_reopen()
        self.assertEqual(action["res_model"], "social.scheme.period.reopen")
        wizard = Form(self.env[action["res_model"]].with_user(self.planner).with_context(**action["context"]))
        wizard.reason = "Cơ sở bổ sung số liệu tiếp nhận"
        wizard.save().action_confirm()
        self.assertEqual((line.state, line.is_locked), ("reopened", False))
        self.flush_tracking()
        self.assertIn("Cơ sở bổ sung số liệu tiếp nhận", line.message_ids.tracking_value_ids.mapped("new_value_text"))
        figure.with_user(self.planner).action_reset()
        figure.with_user(self.officer).write({"numerator": 96})
        self.assertEqual(figure.numerator, 96)
        # the other unit's period never froze
        self.assertFalse(self._line(self.q1, self.other_unit).is_locked)

    def test_lock_days_after_the_due_date(self):
        self.env["social.scheme.due.rule"].search([("frequency", "=", "quarter")]).write({"lock_days": 10})
        self.scheme._generate_periods()
        self.assertEqual(self.q1.date_lock, date(2022, 4, 25))
        with freeze_time("2022-04-25"):
            figure = self._figure(self.counselled, self.unit, numerator=1, denominator=2)
        with freeze_time("2022-04-26"):
            self.env.invalidate_all()
            self.assertTrue(self._line(self.q1, self.unit).is_locked)
            with self.assertRaisesRegex(UserError, "frozen"):
                figure.write({"numerator": 2})
            with self.assertRaisesRegex(UserError, "frozen"):
                figure.action_submit()

    # ---------------------------------------------------------- bad input
    def test_bad_figures_are_refused(self):
        stranger_unit = self.env["res.partner"].create({"name": "Cơ sở không tham gia", "is_company": True})
        stranger = self.env["res.users"].create({
            "name": "Cán bộ ngoài", "login": "t_cycle_stranger", "scheme_unit_ids": [Command.set(stranger_unit.ids)],
            "groups_id": [Command.set(self.env.ref("social_scheme.group_officer").ids)]})
        with self.assertRaises(AccessError):
            self._figure(self.counselled, self.other_unit, user=self.officer, numerator=1, denominator=2)
        with self.assertRaises(UserError):  # the KPI is out of its reach, or the unit out of the scheme
            self._figure(self.counselled, stranger_unit, user=stranger, numerator=1, denominator=2)
        other_scheme = self._running_scheme(allocate=False, code="OTHER", report_frequency="quarter")
        self.env["social.scheme.kpi"].with_user(self.planner).create(
            {"scheme_id": other_scheme.id, "code": "C1", "name": "x", "kind": "ratio", "target_value": 1})
        foreign = self._period(other_scheme, "quarter", "2022-01-01")
        with self.assertRaisesRegex(ValidationError, "covers one reporting period"):
            self._figure(self.counselled, self.unit, period=foreign, numerator=1, denominator=2)
        self.assertFalse(self.counselled.measurement_ids)

    # --------------------------------------------------------------- roles
    def test_each_role_sees_its_reports(self):
        Expected = self.env["social.scheme.expected.report"]
        self.assertEqual(Expected.with_user(self.officer).search([("scheme_id", "=", self.scheme.id)]).unit_id,
                         self.unit, "an officer sees only its unit's reports")
        self.assertEqual(self.env["social.scheme.period.unit"].with_user(self.other_officer).search(
            [("scheme_id", "=", self.scheme.id)]).unit_id, self.other_unit)
        self.assertEqual(len(Expected.with_user(self.reviewer).search([("period_id", "=", self.q1.id)])), 6)
        with self.assertRaises(AccessError):
            self._line(self.q1, self.unit).with_user(self.reviewer).write({"state": "validated"})
        with self.assertRaisesRegex(UserError, "planner"):
            self._line(self.q1, self.unit).with_user(self.reviewer).action_validate()
        with self.assertRaises(AccessError):
            self.env["social.scheme.due.rule"].with_user(self.planner).create({
                "frequency": "year", "due_day": 1, "date_from": "2020-01-01", "legal_basis": "x"})

    def test_kpi_xlsx_shows_the_same_completeness(self):
        with freeze_time("2022-04-10"):
            self._figure(self.counselled, self.unit, numerator=95, denominator=110).action_submit()
        with freeze_time("2022-04-20"):
            self._figure(self.intake, self.unit, disaggregation_id=self.breakdown[0].id, value=20).action_submit()

        def rows(user):
            wizard = self.env["social.scheme.report.wizard"].with_user(user).create(
                {"report": "kpi", "scheme_ids": [Command.set(self.scheme.ids)]})
            data, _name = self._download(wizard, wizard.action_export())
            workbook = openpyxl.load_workbook(io.BytesIO(data))
            sheet = workbook.worksheets[1]
            return {(r[1], r[3]): r[4:] for r in sheet.iter_rows(min_row=7, values_only=True) if r[0]}

        reviewer = rows(self.reviewer)
        line = self._line(self.q1, self.unit)
        self.assertEqual(reviewer[("Q1/2022", self.unit.display_name)][:3], (3, 2, 1))
        self.assertAlmostEqual(reviewer[("Q1/2022", self.unit.display_name)][3], line.completeness_rate / 100,
                               places=3)
        self.assertEqual(reviewer[("Q1/2022", self.other_unit.display_name)][:3], (3, 0, 0))
        self.assertEqual(len(reviewer), 8, "4 quarters × 2 units")
        self.assertEqual({unit for _period, unit in rows(self.officer)}, {self.unit.display_name},
                         "an officer exports its own unit's rows")
