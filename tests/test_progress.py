import base64
import datetime
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from ..tools import report_docx
from .common import BN, SocialSchemeCase


class ProgressCase(SocialSchemeCase):
    """A running Lâm Đồng-like scheme with its two lines, a package and two KPIs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        cls.scheme = cls._running_scheme(unit_ids=[Command.link(cls.other_unit.id)])
        cls.repair, cls.equipment = cls._lines(cls.scheme)
        cls.package = cls.env["social.scheme.procurement.package"].with_user(cls.officer).create({
            "name": "Sửa chữa nhà ở", "scheme_id": cls.scheme.id, "budget_line_id": cls.repair.id,
            "procurement_type": "works", "amount_estimate": 2 * BN, "date_planned": "2022-06-01"})
        Kpi = cls.env["social.scheme.kpi"].with_user(cls.planner)
        cls.admissions = Kpi.create({"scheme_id": cls.scheme.id, "code": "K1", "name": "Lượt tiếp nhận",
                                     "kind": "count", "target_value": 250})
        cls.counselled = Kpi.create({"scheme_id": cls.scheme.id, "code": "K2", "name": "Được tư vấn",
                                     "kind": "ratio", "target_value": 85})

    def _activity(self, user=None, **vals):
        values = {"name": "Sửa chữa khu nhà ở", "project_id": self.scheme.project_id.id,
                  "scheme_date_planned_start": "2022-01-01", "scheme_date_planned_end": "2022-06-30"}
        values.update(vals)
        return self.env["project.task"].with_user(user or self.planner).create(values)

    def _figure(self, kpi, date_to="2022-06-30", disaggregation=None, date_from=None, **values):
        measurement = self.env["social.scheme.kpi.measurement"].with_user(self.officer).create({
            "kpi_id": kpi.id, "unit_id": self.unit.id, "date_from": date_from or f"{date_to[:4]}-01-01",
            "date_to": date_to,
            "disaggregation_id": disaggregation and disaggregation.id, **values})
        measurement.action_submit()
        measurement.with_user(self.planner).action_validate()
        return measurement

    def _report(self, user=None, **vals):
        values = {"scheme_id": self.scheme.id, "period_kind": "half_year", "year": 2022}
        values.update(vals)
        return self.env["social.scheme.progress.report"].with_user(user or self.planner).create(values)

    def _approve_package(self, package):
        package.with_user(self.officer).action_submit()
        package.with_user(self.unit_head).action_approve()


@tagged("post_install", "-at_install")
class TestActivities(ProgressCase):
    def test_status_at_chosen_dates(self):
        activity = self._activity(progress=20)
        self.assertEqual(activity.scheme_id, self.scheme)
        self.assertEqual(activity.scheme_unit_id, self.unit, "the implementing unit by default")

        def status_on(day):
            return activity._scheme_status_on(datetime.date.fromisoformat(day))

        # 180 days planned: on 01/03, 32.8% of the time is gone
        self.assertEqual(status_on("2021-12-15"), "on_schedule", "some progress before the start")
        self.assertEqual(status_on("2022-02-01"), "on_schedule", "17% elapsed, 20% done")
        self.assertEqual(status_on("2022-03-01"), "late", "32.8% elapsed, 20% done: 12.8 points behind")
        self.scheme.with_user(self.planner).activity_tolerance = 15
        self.assertEqual(status_on("2022-03-01"), "on_schedule", "within a tolerance of 15 points")
        self.assertEqual(status_on("2022-07-01"), "late", "past the planned end, not done")
        activity.write({"scheme_date_actual_start": "2022-01-10", "scheme_date_actual_end": "2022-07-05"})
        self.assertEqual(activity.progress, 100, "a manual progress follows the recorded end")
        self.assertEqual(status_on("2022-07-01"), "late", "done only from its actual end")
        self.assertEqual(status_on("2022-07-05"), "done")
        fresh = self._activity(name="Tập huấn", scheme_date_planned_start="2022-09-01",
                               scheme_date_planned_end="2022-10-31")
        self.assertEqual(fresh._scheme_status_on(datetime.date(2022, 8, 1)), "not_started")
        self.assertEqual(fresh.with_context(social_scheme_day="2022-09-10").scheme_expected_progress,
                         9 * 100 / 60)

    def test_stored_status_follows_today_and_the_cron(self):
        activity = self._activity()
        self.assertEqual(activity.scheme_status, "late", "2022 is long past")
        activity.write({"scheme_date_planned_end": f"{datetime.date.today().year + 1}-12-31",
                        "scheme_date_planned_start": f"{datetime.date.today().year + 1}-01-01"})
        self.assertEqual(activity.scheme_status, "not_started")
        self.assertEqual(self.scheme.activity_late_count, 0)
        self.env.cr.execute("UPDATE project_task SET scheme_status = 'done' WHERE id = %s", [activity.id])
        activity.invalidate_recordset()
        self.env["project.task"]._cron_update_scheme_status()
        self.assertEqual(activity.scheme_status, "done", "the cron leaves done activities alone")

    def test_planned_amounts_stay_within_the_line_plan(self):
        first = self._activity(scheme_budget_ids=[
            Command.create({"budget_line_id": self.repair.id, "amount_planned": 5 * BN})])
        self.assertEqual(first.scheme_budget_line_ids, self.repair)
        self.assertEqual(first.scheme_amount_planned, 5 * BN)
        with self.assertRaisesRegex(ValidationError, "more than its plan"):
            self._activity(name="Sửa nhà bếp", scheme_budget_ids=[
                Command.create({"budget_line_id": self.repair.id, "amount_planned": 3.2 * BN})])
        self.assertEqual(self.env["project.task"].search_count([("name", "=", "Sửa nhà bếp")]), 0)
        second = self._activity(name="Sửa nhà bếp", scheme_budget_ids=[
            Command.create({"budget_line_id": self.repair.id, "amount_planned": 3.15 * BN})])
        with self.assertRaisesRegex(ValidationError, "more than its plan"):
            second.scheme_budget_ids.amount_planned = 3.2 * BN
        self.assertEqual(second.scheme_budget_ids.amount_planned, 3.15 * BN)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            second.scheme_budget_ids.amount_planned = -1
        # lines set directly (an RPC client) get a share to plan
        second.scheme_budget_line_ids = [Command.link(self.equipment.id)]
        self.assertEqual(second.scheme_budget_ids.filtered(lambda s: s.budget_line_id == self.equipment).amount_planned,
                         0)

    def test_planned_and_actual_amounts_of_its_packages(self):
        self._approve_package(self.package)
        activity = self._activity(scheme_package_ids=[Command.set(self.package.ids)])
        self.package.with_user(self.officer).action_start_selection()
        self.package.with_user(self.officer).write({"vendor_id": self.vendor.id, "amount_contract": 1.9 * BN,
                                                    "contract_number": "1/HĐ", "contract_date": "2022-06-10"})
        self.package.with_user(self.officer).action_contract()
        self._payment(self.repair, 0.5 * BN, package_id=self.package.id).action_post()
        self.assertEqual((activity.scheme_amount_contract, activity.scheme_amount_paid), (1.9 * BN, 0.5 * BN))

    def test_done_only_when_its_packages_are_accepted_or_cancelled(self):
        activity = self._activity(scheme_package_ids=[Command.set(self.package.ids)],
                                  scheme_date_actual_start="2022-01-05")
        with self.assertRaisesRegex(ValidationError, "cannot be done while its packages"):
            activity.scheme_date_actual_end = "2022-06-20"
        self.assertFalse(activity.scheme_date_actual_end)
        self.package.with_user(self.officer).action_cancel()
        activity.scheme_date_actual_end = "2022-06-20"
        self.assertEqual(activity.scheme_status, "done")

    def test_a_package_serves_one_activity(self):
        first = self._activity(scheme_package_ids=[Command.link(self.package.id)])
        self.assertEqual(self.package.task_id, first)
        with self.assertRaisesRegex(ValidationError, "already serves the activity"):
            self._activity(name="Khác", scheme_package_ids=[Command.link(self.package.id)])
        other_scheme = self._running_scheme(code="OTHER-RUN", allocate=False)
        foreign = self.env["social.scheme.procurement.package"].with_user(self.officer).create({
            "name": "Gói đề án khác", "scheme_id": other_scheme.id, "budget_line_id": other_scheme.budget_line_ids[0].id,
            "procurement_type": "goods", "amount_estimate": 0.1 * BN, "date_planned": "2022-06-01"})
        with self.assertRaisesRegex(ValidationError, "of its own scheme"):
            first.with_user(self.planner).write({"scheme_package_ids": [Command.link(foreign.id)]})
        with self.assertRaisesRegex(UserError, "link the existing ones"):
            first.with_user(self.planner).write({"scheme_package_ids": [Command.create({"name": "x"})]})
        first.with_user(self.planner).write({"scheme_package_ids": [Command.unlink(self.package.id)]})
        self.assertFalse(self.package.task_id)
        self.assertFalse(foreign.task_id)

    def test_progress_derived_from_milestones(self):
        Milestone = self.env["project.milestone"].with_user(self.planner)
        done, pending = Milestone.create([{"name": "Khảo sát", "project_id": self.scheme.project_id.id},
                                          {"name": "Nghiệm thu", "project_id": self.scheme.project_id.id}])
        activity = self._activity(milestone_id=done.id, scheme_progress_mode="milestones")
        self._activity(name="Bước 2", parent_id=activity.id, milestone_id=pending.id)
        done.with_user(self.planner).is_reached = True
        self.assertEqual(activity.progress, 50)
        self.assertEqual(activity.with_user(self.officer).milestone_id.name, "Khảo sát", "officers read it")

    def test_progress_derived_from_packages_and_kpis(self):
        other = self.package.copy({"name": "Thiết bị", "budget_line_id": self.equipment.id})
        activity = self._activity(scheme_package_ids=[Command.set((self.package | other).ids)],
                                  scheme_kpi_ids=[Command.set((self.admissions | self.counselled).ids)],
                                  scheme_progress_mode="packages")
        self.assertEqual(activity.progress, 0)
        other.with_user(self.officer).action_cancel()
        self.assertEqual(activity.progress, 0, "a cancelled package is left out, the other is open")
        with self.assertRaisesRegex(UserError, "is derived"):
            activity.progress = 50
        activity.scheme_progress_mode = "kpis"
        self._figure(self.admissions, value=125)
        self._figure(self.counselled, numerator=90, denominator=100)
        # 125/250 = 50% of target; 90% / 85% capped at 100 → mean 75
        self.assertAlmostEqual(activity.progress, 75.0)
        activity.write({"scheme_progress_mode": "manual", "progress": 40})
        self.assertEqual(activity.progress, 40)

    def test_new_figures_find_their_activities_without_a_search_each(self):
        """An activity's progress follows its KPIs: a new figure reaches it through the KPI's
        inverse link, read once, not by a search of the activities per figure (an import of
        5,000 figures made 5,000 of them)."""
        activity = self._activity(scheme_kpi_ids=[Command.set(self.admissions.ids)], scheme_progress_mode="kpis")
        self.assertEqual(self.admissions.task_ids, activity)
        Task = type(self.env["project.task"])
        searches = []
        search = Task.search

        def counted(records, domain, *args, **kwargs):
            searches.append(domain)
            return search(records, domain, *args, **kwargs)

        Measurement = self.env["social.scheme.kpi.measurement"].with_user(self.officer)
        with patch.object(Task, "search", counted):
            for month in range(1, 7):
                Measurement.create({"kpi_id": self.admissions.id, "unit_id": self.unit.id, "value": 5,
                                    "date_from": f"2022-{month:02d}-01", "date_to": f"2022-{month:02d}-28"})
                self.env.flush_all()
        self.assertFalse([d for d in searches if "scheme_kpi_ids" in str(d)], "no search of activities per figure")
        self._figure(self.admissions, value=125)
        self.assertAlmostEqual(activity.progress, 50.0, msg="and the progress still follows the KPI")

    def test_bad_input_is_refused_and_nothing_written(self):
        activity = self._activity(scheme_date_actual_start="2022-02-01")
        with self.assertRaisesRegex(ValidationError, "actual end is before the actual start"):
            activity.scheme_date_actual_end = "2022-01-15"
        for value in (-5, 120):
            with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
                activity.progress = value
        self.assertEqual((activity.progress, activity.scheme_date_actual_end), (0, False))
        other = self._create_scheme(code="OTHER")
        other_line = other.budget_line_ids[:1]
        with self.assertRaisesRegex(ValidationError, "another scheme"):
            activity.scheme_budget_ids = [Command.create({"budget_line_id": other_line.id, "amount_planned": 1})]
        other_kpi = self.env["social.scheme.kpi"].with_user(self.planner).create(
            {"scheme_id": other.id, "code": "O1", "name": "x", "target_value": 10})
        with self.assertRaisesRegex(ValidationError, "of its own scheme"):
            activity.scheme_kpi_ids = [Command.link(other_kpi.id)]
        self.assertFalse(activity.scheme_budget_ids)
        self.assertFalse(activity.scheme_kpi_ids)
        stranger = self.env["res.partner"].create({"name": "Đơn vị ngoài đề án"})
        with self.assertRaisesRegex(ValidationError, "does not take part"):
            activity.scheme_unit_id = stranger
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.scheme.with_user(self.planner).activity_tolerance = 150

    def test_nobody_writes_what_the_code_computes(self):
        activity = self._activity()
        for name, value in (("scheme_status", "done"), ("scheme_amount_paid", 5), ("scheme_id", False)):
            with self.subTest(field=name), self.assertRaises(AccessError):
                activity.with_user(self.planner).write({name: value})
        self.assertEqual((activity.scheme_status, activity.scheme_id), ("late", self.scheme))
        with self.assertRaises(AccessError):
            self.env["project.task"].with_user(self.planner).create(
                {"name": "x", "project_id": self.scheme.project_id.id, "scheme_status": "done"})

    def test_officers_see_and_report_on_their_units_activities_only(self):
        ours = self._activity(scheme_budget_ids=[Command.create({"budget_line_id": self.repair.id,
                                                                 "amount_planned": 1 * BN})])
        theirs = self._activity(name="Hoạt động của cơ sở B", scheme_unit_id=self.other_unit.id)
        Task = self.env["project.task"]
        self.assertEqual(Task.with_user(self.officer).search([("scheme_id", "=", self.scheme.id)]), ours)
        self.assertEqual(Task.with_user(self.other_officer).search([("scheme_id", "=", self.scheme.id)]), theirs)
        self.assertEqual(Task.with_user(self.planner).search([("scheme_id", "=", self.scheme.id)]), ours | theirs)
        self.assertEqual(Task.with_user(self.reviewer).search([("scheme_id", "=", self.scheme.id)]), ours | theirs)
        self.assertFalse(self.env["social.scheme.activity.budget"].with_user(self.other_officer).search(
            [("task_id", "=", ours.id)]))
        with self.assertRaises(AccessError):
            theirs.with_user(self.officer).read(["name"])
        # the officer records progress and dates of their own activities, nothing else
        ours.with_user(self.officer).write({"progress": 40, "scheme_date_actual_start": "2022-01-03"})
        self.assertEqual(ours.progress, 40)
        with self.assertRaises(AccessError):
            ours.with_user(self.officer).write({"name": "Đổi tên"})
        with self.assertRaises(AccessError):
            theirs.with_user(self.officer).write({"progress": 10})
        with self.assertRaises(AccessError):
            ours.with_user(self.reviewer).write({"progress": 50})
        self.assertEqual((ours.name, theirs.progress, ours.progress), ("Sửa chữa khu nhà ở", 0, 40))

    def test_late_activities_on_the_home_page(self):
        late = self._activity()
        self._activity(name="Sau này", scheme_date_planned_start=f"{datetime.date.today().year + 1}-01-01",
                       scheme_date_planned_end=f"{datetime.date.today().year + 1}-06-30",
                       scheme_unit_id=self.other_unit.id)
        action = self.env["ir.actions.act_window"]._for_xml_id("social_scheme.project_task_action_scheme_late")
        domain = safe_eval(action["domain"]) + [("scheme_id", "=", self.scheme.id)]  # not the demo's
        Task = self.env["project.task"]
        self.assertEqual(Task.with_user(self.planner).search(domain), late)
        self.assertEqual(Task.with_user(self.officer).search(domain), late)
        self.assertFalse(Task.with_user(self.other_officer).search(domain))
        self.assertEqual(self.scheme.activity_late_count, 1)
        listed = self.scheme.with_user(self.planner).action_view_project()
        self.assertEqual(listed["context"]["group_by"], "scheme_status")
        self.assertIn("calendar", listed["view_mode"])

    def test_package_task_becomes_an_activity(self):
        self._approve_package(self.package)
        self.package.with_user(self.officer).action_create_task()
        task = self.package.task_id
        self.assertEqual((task.scheme_id, task.scheme_package_ids, task.scheme_unit_id),
                         (self.scheme, self.package, self.unit))


@tagged("post_install", "-at_install")
class TestProgressReport(ProgressCase):
    def test_planner_drafts_manager_sends_and_it_stays_as_sent(self):
        self._figure(self.admissions, value=120)
        self._payment(self.repair, 1 * BN, date="2022-05-10").action_post()
        form = Form(self.env["social.scheme.progress.report"].with_user(self.planner))
        form.scheme_id = self.scheme
        form.period_kind = "half_year"
        form.year = 2022
        self.assertEqual((str(form.date_from), str(form.date_to)), ("2022-01-01", "2022-06-30"))
        report = form.save()
        self.assertTrue(report.name.startswith("BC-"), "numbered")
        kpi = report.kpi_line_ids.filtered(lambda line: line.code == "K1")
        self.assertEqual((kpi.target, kpi.actual, round(kpi.rate, 1)), (250, 120, 48.0))
        self.assertEqual(report.amount_spent_period, 1 * BN)
        self.assertIn("Lượt tiếp nhận: 120/250, đạt 48,0% kế hoạch.", report.narrative_situation)
        with Form(report.with_user(self.planner)) as edit:
            edit.narrative_proposals = "Đề nghị bổ sung kinh phí."
        with self.assertRaisesRegex(UserError, "Manager"):
            report.with_user(self.planner).action_send()
        report.with_user(self.manager).action_send()
        self.assertEqual((report.state, report.sent_by_id), ("sent", self.manager))
        for user in (self.planner, self.manager):
            with self.assertRaisesRegex(UserError, "kept as it was sent"):
                report.with_user(user).write({"narrative_proposals": "Sửa lại"})
        with self.assertRaisesRegex(UserError, "cannot be refreshed|is Sent"):
            report.with_user(self.planner).action_refresh()
        with self.assertRaisesRegex(UserError, "kept as it was sent"):
            report.with_user(self.manager).unlink()
        self.assertEqual(report.narrative_proposals, "Đề nghị bổ sung kinh phí.")

    def test_frozen_figures_do_not_follow_a_later_correction(self):
        figure = self._figure(self.admissions, value=120)
        self._payment(self.repair, 1 * BN, date="2022-05-10").action_post()
        report = self._report()
        report.with_user(self.manager).action_send()
        before = report.line_ids.read(["name", "actual", "rate", "amount_spent", "amount_allocated"])
        # later: the figure is corrected, a payment of the period is entered late, an allocation added
        figure.with_user(self.planner).action_reset()
        figure.with_user(self.officer).write({"value": 200})
        figure.action_submit()
        figure.with_user(self.planner).action_validate()
        self._payment(self.repair, 0.5 * BN, date="2022-06-15").action_post()
        self.assertEqual(self.admissions.actual_value, 200, "the KPI itself moved")
        report.invalidate_recordset()
        self.assertEqual(report.line_ids.read(["name", "actual", "rate", "amount_spent", "amount_allocated"]), before)
        self.assertEqual(report.amount_spent_period, 1 * BN)
        # a new report of another period sees the correction
        year = self._report(period_kind="year")
        self.assertEqual(year.kpi_line_ids.filtered(lambda line: line.code == "K1").actual, 200)
        self.assertEqual(year.amount_spent, 1.5 * BN)

    def test_a_draft_is_refreshed_and_keeps_its_narrative(self):
        report = self._report()
        report.narrative_proposals = "Giữ nguyên"
        self._figure(self.admissions, value=60)
        self.assertEqual(report.kpi_line_ids.filtered(lambda line: line.code == "K1").has_data, False)
        report.action_refresh()
        self.assertEqual(report.kpi_line_ids.filtered(lambda line: line.code == "K1").actual, 60)
        self.assertEqual(report.narrative_proposals, "Giữ nguyên")

    def test_budget_execution_of_the_period_and_cumulative(self):
        scheme, line = self._repair_scheme("MULTI", "2024-12-31")
        self._allocate(line, 1 * BN, year=2023)
        self._allocate(line, 1.5 * BN, year=2024)
        self._payment(line, 0.6 * BN, date="2023-08-01").action_post()
        self._payment(line, 0.3 * BN, date="2024-03-01").action_post()
        self._payment(line, 0.2 * BN, date="2024-09-01").action_post()
        report = self._report(scheme_id=scheme.id, year=2024)
        row = report.budget_line_ids
        self.assertEqual((row.amount_allocated, row.amount_spent_period, row.amount_spent),
                         (2.5 * BN, 0.3 * BN, 0.9 * BN), "the half-year: allocated to date, spent in it and to date")
        self.assertAlmostEqual(report.disbursement_rate, 36.0)
        year = self._report(scheme_id=scheme.id, year=2024, period_kind="year")
        self.assertEqual((year.amount_spent_period, year.amount_spent), (0.5 * BN, 1.1 * BN))

    def test_activities_done_and_late_on_the_period_end(self):
        self._activity(name="Xong", scheme_date_actual_start="2022-01-05", scheme_date_actual_end="2022-05-30")
        self._activity(name="Chậm", progress=30)
        self._activity(name="Chưa đến", scheme_date_planned_start="2022-09-01", scheme_date_planned_end="2022-11-30")
        report = self._report()
        self.assertEqual((report.activity_count, report.activity_done_count, report.activity_late_count), (2, 1, 1),
                         "an activity planned after the period is not in it")
        self.assertEqual(report.activity_line_ids.mapped("activity_status"), ["done", "late"])
        self.assertIn("Hoạt động chậm tiến độ: Chậm.", report.narrative_difficulties)

    def test_bad_input(self):
        report = self._report()
        with self.assertRaisesRegex(ValidationError, "already has a report"):
            self._report()
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self._report(period_kind="other", date_from="2022-08-01", date_to="2022-07-01")
        with self.assertRaisesRegex(ValidationError, "outside"):
            self._report(year=2030)
        self.assertEqual(self.env["social.scheme.progress.report"].search_count([("scheme_id", "=", self.scheme.id)]),
                         1)
        with self.assertRaisesRegex(UserError, "planners"):
            self._report(user=self.reviewer, period_kind="year")
        with self.assertRaises(AccessError):
            report.with_user(self.planner).write({"amount_spent": 1})
        with self.assertRaises(AccessError):
            report.line_ids[:1].with_user(self.planner).write({"actual": 999})

    def test_docx_reproduces_the_ninh_thuan_table(self):
        scheme = self._running_scheme(allocate=False, code="NT-2023", date_start="2023-01-01",
                                      date_end="2023-12-31")
        Kpi = self.env["social.scheme.kpi"].with_user(self.planner)
        split = self.env["social.scheme.kpi.disaggregation"].search([], limit=3)
        managed = Kpi.create({"scheme_id": scheme.id, "code": "NT-01", "name": "Học viên được quản lý",
                              "kind": "count", "target_value": 250})
        intake = Kpi.create({"scheme_id": scheme.id, "code": "NT-02", "name": "Tiếp nhận mới", "kind": "count",
                             "target_value": 150, "disaggregation_ids": [Command.set(split.ids)]})
        female = Kpi.create({"scheme_id": scheme.id, "code": "NT-02a", "name": "Trong đó: nữ", "kind": "count",
                             "target_value": 0, "parent_id": intake.id,
                             "disaggregation_ids": [Command.set(split.ids)]})
        self._figure(managed, date_to="2023-11-10", value=281)
        for category, value, women in zip(split, (53, 52, 80), (4, 0, 0), strict=True):
            self._figure(intake, date_to="2023-11-10", disaggregation=category, value=value)
            self._figure(female, date_to="2023-11-10", disaggregation=category, value=women)
        report = self._report(scheme_id=scheme.id, period_kind="year", year=2023)
        self.assertIn("Học viên được quản lý: 281/250, đạt 112,4% kế hoạch.", report.narrative_situation)
        self.assertIn("Tiếp nhận mới: 185/150, đạt 123,3% kế hoạch.", report.narrative_situation)
        self.assertIn("Trong đó: nữ: 4.", report.narrative_situation, "tracked: no % of a target")
        action = report.with_user(self.reviewer).action_export_docx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        data = base64.b64decode(attachment.with_user(self.reviewer).datas)
        tables = report_docx.table_texts(data)
        kpis = next(table for table in tables if table[0][:2] == ["Mã", "Chỉ tiêu"])
        rows = {row[0]: row for row in kpis if row[0]}
        self.assertEqual(rows["NT-01"][2:5], ["250", "281", "112,4%"])
        self.assertEqual(rows["NT-02"][2:5], ["150", "185", "123,3%"])
        self.assertEqual(rows["NT-02a"][2:5], ["–", "4", "–"], "a tracking indicator shows no %")
        breakdown = [row[3] for row in kpis if not row[0]]
        self.assertEqual(breakdown, ["53", "52", "80", "4", "0", "0"], "the admissions split, then the women's")
        header = tables[0]
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", header[0][1])
        self.assertIn("Độc lập - Tự do - Hạnh phúc", header[0][1])
        self.assertIn(f"Số: {report.name}", header[0][0])

    def test_pdf_in_the_official_layout(self):
        self._figure(self.admissions, value=281)
        report = self._report(period_kind="year")
        pdf, _ = self.env["ir.actions.report"].with_user(self.reviewer).with_context(
            force_report_rendering=True)._render_qweb_pdf("social_scheme.action_report_progress_report", report.ids)
        text = self.pdf_text(pdf)
        for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "112,4%", "11.500.000.000",
                         "Sở Nội vụ tỉnh Thử nghiệm".upper()):
            self.assertIn(expected.replace(" ", ""), text.replace(" ", ""))

    def test_reviewer_reads_and_downloads_but_writes_nothing(self):
        report = self._report()
        Report = self.env["social.scheme.progress.report"]
        self.assertEqual(Report.with_user(self.reviewer).search([("id", "=", report.id)]), report)
        with self.assertRaises(AccessError):
            report.with_user(self.reviewer).write({"narrative_proposals": "x"})
        with self.assertRaises(UserError):
            report.with_user(self.reviewer).action_send()
        action = report.with_user(self.reviewer).action_export_docx()
        self.assertEqual(action["target"], "download")
        self.assertFalse(Report.with_user(self.officer).has_access("read"), "a Department document")

    def test_names_as_they_were_on_the_report_date(self):
        successor = self.env["res.partner"].create({"name": "Sở Nội vụ tỉnh Thử nghiệm mới", "is_company": True})
        police_unit = self.env["res.partner"].create({"name": "Cơ sở cai nghiện A (Công an tỉnh)"})
        old_report = self._report(date_report="2022-07-10")
        Handover = self.env["social.scheme.handover"].with_user(self.planner)
        handover = Handover.create({"scheme_id": self.scheme.id, "role": "lead_agency", "date": "2025-03-01",
                                    "to_partner_id": successor.id, "decision_number": "1/QĐ"})
        Handover.create({"scheme_id": self.scheme.id, "role": "implementing_unit", "date": "2025-03-01",
                         "to_partner_id": police_unit.id})
        self.assertEqual((self.scheme.lead_agency_id, self.scheme.implementing_unit_id), (successor, police_unit))
        self.assertIn(police_unit, self.scheme.unit_ids)
        self.assertEqual((handover.from_partner_id, handover.from_name), (self.agency, "Sở Nội vụ tỉnh Thử nghiệm"))
        # the predecessor is renamed afterwards: the history keeps the name of the time
        self.agency.name = "Tên mới của sở cũ"
        self.assertEqual(old_report.lead_agency_name, "Sở Nội vụ tỉnh Thử nghiệm", "frozen when drafted")
        redrafted = self._report(period_kind="other", date_from="2022-01-01", date_to="2022-09-30",
                                 date_report="2022-10-05")
        self.assertEqual(redrafted.lead_agency_name, "Sở Nội vụ tỉnh Thử nghiệm", "drafted today, dated 2022")
        self.assertEqual(redrafted.implementing_unit_name, "Cơ sở cai nghiện A")
        self.assertIn("SỞ NỘI VỤ TỈNH THỬ NGHIỆM", report_docx.table_texts(
            report_docx.build(redrafted._document()))[0][0][0])
        final = self._report(period_kind="final", date_report="2025-06-01")
        self.assertEqual((final.lead_agency_name, final.implementing_unit_name),
                         ("Sở Nội vụ tỉnh Thử nghiệm mới", "Cơ sở cai nghiện A (Công an tỉnh)"))
        self.assertEqual(len(self.scheme.handover_ids), 2)

    def test_handover_bad_input(self):
        Handover = self.env["social.scheme.handover"].with_user(self.planner)
        with self.assertRaisesRegex(ValidationError, "already has"):
            Handover.create({"scheme_id": self.scheme.id, "role": "lead_agency", "to_partner_id": self.agency.id})
        self.assertFalse(self.scheme.handover_ids)
        handover = Handover.create({"scheme_id": self.scheme.id, "role": "lead_agency", "date": "2025-03-01",
                                    "to_partner_id": self.ubnd.id})
        with self.assertRaisesRegex(ValidationError, "date order"):
            Handover.create({"scheme_id": self.scheme.id, "role": "lead_agency", "date": "2024-01-01",
                             "to_partner_id": self.agency.id})
        with self.assertRaisesRegex(UserError, "kept as recorded"):
            handover.with_user(self.manager).write({"reason": "x"})
        with self.assertRaises(UserError):
            handover.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            handover.sudo().unlink()
        with self.assertRaises(AccessError):
            self.env["social.scheme.handover"].with_user(self.officer).create(
                {"scheme_id": self.scheme.id, "role": "lead_agency", "to_partner_id": self.vendor.id})
        self.assertEqual(self.scheme.lead_agency_id, self.ubnd)
