from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SocialSchemeCase

QUARTERS = [("2022-01-01", "2022-03-31"), ("2022-04-01", "2022-06-30"),
            ("2022-07-01", "2022-09-30"), ("2022-10-01", "2022-12-31")]


@tagged("post_install", "-at_install")
class TestKpi(SocialSchemeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme(allocate=False,
                                         unit_ids=[Command.set([cls.unit.id, cls.other_unit.id])])
        Kpi = cls.env["social.scheme.kpi"].with_user(cls.planner)
        cls.counselled = Kpi.create({"scheme_id": cls.scheme.id, "code": "K2", "name": "Entrants counselled",
                                     "kind": "ratio", "target_value": 85})
        cls.managed = Kpi.create({"scheme_id": cls.scheme.id, "code": "K3", "name": "Returnees managed",
                                  "kind": "ratio", "target_value": 80})
        cls.job_linked = Kpi.create({"scheme_id": cls.scheme.id, "code": "K4", "name": "of which job-linked",
                                     "kind": "ratio", "target_value": 70, "parent_id": cls.managed.id})
        cls.admissions = Kpi.create({"scheme_id": cls.scheme.id, "code": "A1", "name": "Admissions",
                                     "kind": "count", "aggregation": "sum", "target_value": 250})
        cls.trained = Kpi.create({"scheme_id": cls.scheme.id, "code": "S1", "name": "Staff trained to date",
                                  "kind": "count", "aggregation": "last", "target_value": 40})
        cls.breakdown = (
            cls.env.ref("social_scheme.disaggregation_voluntary_in_province")
            | cls.env.ref("social_scheme.disaggregation_voluntary_out_of_province")
            | cls.env.ref("social_scheme.disaggregation_compulsory")
        )
        cls.intake = Kpi.create({"scheme_id": cls.scheme.id, "code": "N2", "name": "New intake", "kind": "count",
                                 "target_value": 150, "disaggregation_ids": [Command.set(cls.breakdown.ids)]})
        cls.intake_female = Kpi.create({"scheme_id": cls.scheme.id, "code": "N2a", "name": "of which female",
                                        "kind": "count", "target_value": 0, "parent_id": cls.intake.id,
                                        "disaggregation_ids": [Command.set(cls.breakdown.ids)]})

    # --------------------------------------------------------------- helpers
    def _measure(self, kpi, period=("2022-01-01", "2022-12-31"), user=None, unit=None, **vals):
        user = user or (self.other_officer if unit == self.other_unit else self.officer)
        return self.env["social.scheme.kpi.measurement"].with_user(user).create({
            "kpi_id": kpi.id, "unit_id": (unit or self.unit).id, "date_from": period[0], "date_to": period[1],
            **vals,
        })

    def _validated(self, kpi, **kwargs):
        measurement = self._measure(kpi, **kwargs)
        measurement.with_user(measurement.create_uid).action_submit()
        measurement.with_user(self.planner).action_validate()
        return measurement

    # ----------------------------------------------------------------- flows
    def test_officer_reports_planner_validates(self):
        with Form(self.env["social.scheme.kpi.measurement"].with_user(self.officer)) as form:
            form.kpi_id = self.counselled
            form.date_from = "2022-01-01"
            form.date_to = "2022-03-31"
            form.numerator = 95
            form.denominator = 110
            self.assertAlmostEqual(form.rate, 86.36, places=2)
        measurement = form.save()
        self.assertEqual(measurement.unit_id, self.unit, "defaults to the officer's unit")
        measurement.action_submit()
        self.assertEqual(measurement.state, "submitted")
        self.assertFalse(self.counselled.has_data, "submitted figures do not count yet")
        self.assertAlmostEqual(self.counselled.provisional_value, 86.36, places=2)
        with self.assertRaisesRegex(UserError, "planner"):
            measurement.action_validate()
        measurement.with_user(self.planner).action_validate()
        self.assertEqual(measurement.state, "validated")
        self.assertEqual((self.counselled.actual_numerator, self.counselled.actual_denominator), (95, 110))
        self.assertAlmostEqual(self.counselled.actual_value, 86.36, places=2)
        self.assertEqual(self.counselled.status, "achieved")

    def test_reject_with_reason_and_resubmit(self):
        measurement = self._measure(self.counselled, numerator=95, denominator=110)
        measurement.action_submit()
        action = measurement.with_user(self.planner).action_reject()
        self.assertEqual(action["res_model"], "social.scheme.kpi.measurement.reject")
        wizard = Form(self.env[action["res_model"]].with_user(self.planner).with_context(**action["context"]))
        wizard.reason = "Thiếu biên bản tư vấn quý 1"
        wizard.save().action_confirm()
        self.assertEqual(measurement.state, "rejected")
        self.assertEqual(measurement.reject_reason, "Thiếu biên bản tư vấn quý 1")
        measurement.write({"numerator": 96})
        measurement.action_submit()
        measurement.with_user(self.planner).action_validate()
        self.assertEqual(self.counselled.actual_numerator, 96)
        self.assertFalse(measurement.reject_reason)

    def test_validated_figures_are_locked_until_reopened(self):
        measurement = self._validated(self.counselled, numerator=95, denominator=110)
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            measurement.write({"numerator": 100})
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            measurement.with_user(self.planner).write({"numerator": 100})
        with self.assertRaisesRegex(UserError, "planner"):
            measurement.action_reset()
        self.assertEqual(measurement.numerator, 95)
        measurement.with_user(self.planner).action_reset()
        self.assertEqual(measurement.state, "draft")
        self.assertFalse(self.counselled.has_data)
        self.assertEqual(self.counselled.status, "no_data")

    # ------------------------------------------------------------------ maths
    def test_ratio_over_units_and_periods_is_sum_over_sum(self):
        self._validated(self.counselled, period=QUARTERS[0], numerator=90, denominator=100)
        self._validated(self.counselled, period=QUARTERS[0], unit=self.other_unit, numerator=1, denominator=10)
        self.assertEqual((self.counselled.actual_numerator, self.counselled.actual_denominator), (91, 110))
        self.assertAlmostEqual(self.counselled.actual_value, 82.727, places=3)  # not (90% + 10%) / 2

    def test_count_sum_percent_of_plan(self):
        for (start, end), value in zip(QUARTERS, (60, 70, 75, 76)):
            self._validated(self.admissions, period=(start, end), value=value)
        self.assertEqual(self.admissions.actual_value, 281)
        self.assertAlmostEqual(self.admissions.achievement_rate, 112.4)
        self.assertEqual(self.admissions.status, "achieved")

    def test_count_last_takes_latest_per_unit(self):
        self._validated(self.trained, period=QUARTERS[0], value=10)
        self._validated(self.trained, period=QUARTERS[1], value=25)
        self._validated(self.trained, period=QUARTERS[0], unit=self.other_unit, value=7)
        self.assertEqual(self.trained.actual_value, 25 + 7)

    def test_count_last_is_the_latest_period_not_the_largest_figure(self):
        self._validated(self.trained, period=QUARTERS[0], value=30)
        self._validated(self.trained, period=QUARTERS[1], value=5)
        self._validated(self.trained, period=QUARTERS[1], unit=self.other_unit, value=99_999_999_999_999)
        self.assertEqual(self.trained.actual_value, 5 + 99_999_999_999_999, "the largest figure, exactly")

    def test_of_which_ratio_takes_parent_numerator(self):
        parent = self._validated(self.managed, numerator=560, denominator=640)
        child = self._measure(self.job_linked, numerator=369)
        self.assertEqual(child.parent_numerator, 560, "the form shows the parent's figure")
        child.action_submit()
        child.with_user(self.planner).action_validate()
        self.assertEqual(child.denominator, 560, "stored at validation")
        self.assertAlmostEqual(self.managed.actual_value, 87.5)
        self.assertEqual(self.managed.status, "achieved")
        self.assertAlmostEqual(self.job_linked.actual_value, 65.89, places=2)
        self.assertEqual(self.job_linked.status, "off_track", "the scheme ended in 2022 below 70%")
        with self.assertRaisesRegex(UserError, "'of which'"):
            parent.with_user(self.planner).action_reset()
        self.assertEqual(parent.state, "validated")

    def test_of_which_needs_parent_validated_first(self):
        self._measure(self.managed, numerator=560, denominator=640).action_submit()
        child = self._measure(self.job_linked, numerator=369)
        child.action_submit()
        with self.assertRaisesRegex(UserError, "first"):
            child.with_user(self.planner).action_validate()
        self.assertEqual(child.state, "submitted")

    def test_of_which_ratio_cannot_exceed_parent(self):
        self._validated(self.managed, numerator=560, denominator=640)
        child = self._measure(self.job_linked, numerator=600)
        child.action_submit()
        with self.assertRaisesRegex(UserError, "cannot exceed"):
            child.with_user(self.planner).action_validate()
        self.assertEqual(child.state, "submitted")

    def test_of_which_count_breakdown_ninh_thuan(self):
        for disaggregation, value, female in zip(self.breakdown, (53, 52, 80), (4, 0, 0)):
            self._validated(self.intake, disaggregation_id=disaggregation.id, value=value)
            self._validated(self.intake_female, disaggregation_id=disaggregation.id, value=female)
        self.assertEqual(self.intake.actual_value, 185)
        self.assertEqual(round(self.intake.achievement_rate, 1), 123.3)
        self.assertEqual(self.intake_female.actual_value, 4)

    def test_indicator_without_target_is_tracked_not_judged(self):
        """NT-02a "of which: female" has no target: tracked, no % of target, not in the counters."""
        self.assertFalse(self.intake_female.target_value)
        self.assertEqual(self.intake_female.status, "tracking", "tracked even before any figure")
        for disaggregation, value, female in zip(self.breakdown, (53, 52, 80), (4, 0, 0)):
            self._validated(self.intake, disaggregation_id=disaggregation.id, value=value)
            self._validated(self.intake_female, disaggregation_id=disaggregation.id, value=female)
        self.assertEqual((self.intake_female.status, self.intake_female.achievement_rate,
                          self.intake_female.projected_value), ("tracking", 0, 0))
        self.assertEqual(self.intake_female.actual_value, 4, "the figure itself is still shown")
        self.assertEqual(self.intake.status, "achieved")
        achieved = self.env["social.scheme.kpi"].search_count(
            [("scheme_id", "=", self.scheme.id), ("status", "=", "achieved")])
        self.assertEqual(self.scheme.kpi_achieved_count, achieved)
        self.assertNotIn(self.intake_female, self.env["social.scheme.kpi"].search(
            [("scheme_id", "=", self.scheme.id), ("status", "in", ("achieved", "at_risk", "off_track"))]))
        # "at most 0" is a target: judged
        escapes = self.env["social.scheme.kpi"].with_user(self.planner).create({
            "scheme_id": self.scheme.id, "code": "E1", "name": "Escapes", "kind": "count", "aggregation": "sum",
            "direction": "at_most", "target_value": 0})
        self.assertEqual(escapes.status, "no_data")

    def test_of_which_count_above_parent_refused(self):
        compulsory = self.breakdown[2]
        self._validated(self.intake, disaggregation_id=compulsory.id, value=80)
        child = self._measure(self.intake_female, disaggregation_id=compulsory.id, value=81)
        child.action_submit()
        with self.assertRaisesRegex(UserError, "cannot exceed"):
            child.with_user(self.planner).action_validate()
        self.assertEqual(child.state, "submitted")
        self.assertFalse(self.intake_female.has_data)

    def test_breakdown_required_when_defined(self):
        with self.assertRaisesRegex(ValidationError, "per breakdown"):
            self._measure(self.intake, value=10)
        with self.assertRaisesRegex(ValidationError, "no breakdown"):
            self._measure(self.admissions, value=10, disaggregation_id=self.breakdown[0].id)

    def test_zero_denominator_is_no_data(self):
        self._validated(self.counselled, numerator=0, denominator=0)
        self.assertFalse(self.counselled.has_data)
        self.assertEqual(self.counselled.status, "no_data")

    @freeze_time("2022-07-01")
    def test_status_before_end_uses_projection(self):
        # Half a year validated, 120 admissions → projected ~241 of 250: within 10% → at risk
        self._validated(self.admissions, period=("2022-01-01", "2022-06-30"), value=120)
        self.assertEqual(self.admissions.status, "at_risk")
        self.assertAlmostEqual(self.admissions.projected_value, 120 * 365 / 181, places=3)
        self.assertEqual(self.admissions.rate_needed, 130)
        self.admissions.with_user(self.planner).write({"at_risk_margin": 1})
        self.assertEqual(self.admissions.status, "off_track", "the margin is configurable")
        self._validated(self.admissions, period=("2022-06-01", "2022-06-30"), value=10, unit=self.other_unit)
        self.assertEqual(self.admissions.status, "on_track")

    @freeze_time("2022-07-01")
    def test_daily_cron_refreshes_status(self):
        self._validated(self.admissions, period=("2022-01-01", "2022-06-30"), value=130)
        self.assertEqual(self.admissions.status, "on_track")
        with freeze_time("2023-01-05"):
            self.env["social.scheme.kpi"]._cron_update_status()
            self.assertEqual(self.admissions.status, "off_track", "after the end, 130 of 250 is missed")

    # -------------------------------------------------------------- bad input
    def test_numerator_above_denominator_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot exceed the denominator"):
            self._measure(self.counselled, numerator=120, denominator=110)
        self.assertFalse(self.counselled.measurement_ids)

    def test_negative_values_refused(self):
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._measure(self.admissions, value=-1)
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._measure(self.counselled, numerator=-1, denominator=10)
        self.assertFalse((self.admissions | self.counselled).measurement_ids)

    def test_figure_above_the_largest_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be above 99,999,999,999,999"):
            self._measure(self.admissions, value=100_000_000_000_000)
        self.assertFalse(self.admissions.measurement_ids)

    def test_period_outside_scheme_or_inverted_refused(self):
        with self.assertRaisesRegex(ValidationError, "outside the scheme's dates"):
            self._measure(self.admissions, period=("2021-10-01", "2021-12-31"), value=1)
        with self.assertRaisesRegex(ValidationError, "starts after it ends"):
            self._measure(self.admissions, period=("2022-06-30", "2022-04-01"), value=1)
        self.assertFalse(self.admissions.measurement_ids)

    def test_second_validated_overlapping_period_refused(self):
        self._validated(self.admissions, period=QUARTERS[0], value=60)
        overlapping = self._measure(self.admissions, period=("2022-03-01", "2022-05-31"), value=50)
        overlapping.action_submit()
        with self.assertRaisesRegex(ValidationError, "overlapping period"):
            overlapping.with_user(self.planner).action_validate()
        self.assertEqual(overlapping.state, "submitted")
        self.assertEqual(self.admissions.actual_value, 60)
        # another unit, or the next quarter, is fine
        self._validated(self.admissions, period=QUARTERS[0], value=5, unit=self.other_unit)
        self._validated(self.admissions, period=QUARTERS[1], value=40)
        self.assertEqual(self.admissions.actual_value, 105)

    def test_of_which_parent_must_match_kind_and_scheme(self):
        Kpi = self.env["social.scheme.kpi"].with_user(self.planner)
        with self.assertRaisesRegex(ValidationError, "ratio parent"):
            Kpi.create({"scheme_id": self.scheme.id, "code": "X", "name": "x", "kind": "ratio",
                        "target_value": 50, "parent_id": self.admissions.id})
        other = self._create_scheme(code="OTHER-KPI")
        with self.assertRaisesRegex(ValidationError, "scheme of its parent"):
            Kpi.create({"scheme_id": other.id, "code": "Y", "name": "y", "kind": "ratio",
                        "target_value": 50, "parent_id": self.managed.id})
        self.assertFalse(Kpi.search([("code", "in", ("X", "Y"))]))

    def test_parent_cycle_refused(self):
        with self.assertRaises(UserError):
            self.managed.with_user(self.planner).write({"parent_id": self.job_linked.id})
        self.assertFalse(self.managed.parent_id)

    def test_ratio_target_is_a_percentage(self):
        with self.assertRaisesRegex(ValidationError, "at most 100"):
            self.counselled.with_user(self.planner).write({"target_value": 150})
        self.assertEqual(self.counselled.target_value, 85)

    # ------------------------------------------------------------------ roles
    def test_officer_cannot_report_for_another_unit(self):
        with self.assertRaises(AccessError):
            self._measure(self.admissions, user=self.officer, unit=self.other_unit, value=1)
        theirs = self._measure(self.admissions, unit=self.other_unit, value=3)
        with self.assertRaises(AccessError):
            theirs.with_user(self.officer).read(["value"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.officer).action_submit()
        self.assertEqual(theirs.state, "draft")

    def test_officer_reads_kpis_but_does_not_define_them(self):
        self.admissions.with_user(self.officer).read(["actual_value", "status"])
        with self.assertRaises(AccessError):
            self.env["social.scheme.kpi"].with_user(self.officer).create(
                {"scheme_id": self.scheme.id, "code": "Z", "name": "z", "kind": "count", "target_value": 1})

    def test_reviewer_reads_only(self):
        measurement = self._validated(self.admissions, value=10)
        self.assertEqual(self.admissions.with_user(self.reviewer).actual_value, 10)
        measurement.with_user(self.reviewer).read(["value"])
        for model in ("social.scheme.kpi", "social.scheme.kpi.measurement"):
            for operation in ("write", "create", "unlink"):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(self.reviewer).check_access(operation)

    def test_every_role_sees_the_same_validated_totals(self):
        self._validated(self.admissions, value=10)
        self._validated(self.admissions, value=20, unit=self.other_unit)
        for user in (self.reviewer, self.planner, self.officer, self.other_officer):
            kpi = self.admissions.with_user(user)
            kpi.invalidate_recordset()
            self.assertEqual(kpi.actual_value, 30, user.login)

    # ------------------------------------------------------------ query count
    def test_rollup_queries_do_not_grow_with_kpis(self):
        Kpi = self.env["social.scheme.kpi"]
        vals = []
        for index in range(30):
            kind = ("ratio", "count")[index % 2]
            vals.append({"scheme_id": self.scheme.id, "code": f"Q{index}", "name": f"KPI {index}", "kind": kind,
                         "aggregation": ("sum", "last")[index % 4 // 2], "target_value": 50})
        kpis = Kpi.create(vals)
        Measurement = self.env["social.scheme.kpi.measurement"]
        Measurement.create([{"kpi_id": kpi.id, "unit_id": self.unit.id, "date_from": start, "date_to": end,
                             "numerator": 5, "denominator": 10, "value": 7}
                            for kpi in kpis for start, end in QUARTERS[:2]])
        Measurement.search([("kpi_id", "in", kpis.ids)]).action_submit()
        Measurement.search([("kpi_id", "in", kpis.ids)]).action_validate()

        def recompute(records):
            self.env.invalidate_all()
            records = records.browse(records.ids)
            self.env.add_to_compute(records._fields["actual_value"], records)
            records.flush_recordset()

        recompute(kpis[:3])  # warm up
        with self.assertQueryCount(6):
            recompute(kpis[:3])
        with self.assertQueryCount(6):
            recompute(kpis)
        self.assertEqual(kpis[0].actual_value, 50.0)
        self.assertEqual(kpis[1].actual_value, 14.0)
        self.assertEqual(kpis[2].actual_value, 50.0)
        self.assertEqual(kpis[3].actual_value, 7.0, "stock: latest quarter only")
