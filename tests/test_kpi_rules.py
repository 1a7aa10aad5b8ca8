from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import SocialSchemeCase

YEAR = ("2022-01-01", "2022-12-31")


@tagged("post_install", "-at_install")
class TestKpiRules(SocialSchemeCase):
    """Validation rules between figures of the same unit and period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme(allocate=False,
                                         unit_ids=[Command.set([cls.unit.id, cls.other_unit.id])])
        cls.breakdown = (
            cls.env.ref("social_scheme.disaggregation_voluntary_in_province")
            | cls.env.ref("social_scheme.disaggregation_voluntary_out_of_province")
            | cls.env.ref("social_scheme.disaggregation_compulsory")
        )
        cls.compulsory = cls.env.ref("social_scheme.disaggregation_compulsory")
        Kpi = cls.env["social.scheme.kpi"].with_user(cls.planner)
        cls.managed = Kpi.create({"scheme_id": cls.scheme.id, "code": "T-01", "name": "Managed", "kind": "count",
                                  "target_value": 250})
        cls.intake = Kpi.create({"scheme_id": cls.scheme.id, "code": "T-02", "name": "New intake", "kind": "count",
                                 "target_value": 150, "disaggregation_ids": [Command.set(cls.breakdown.ids)]})
        cls.female = Kpi.create({"scheme_id": cls.scheme.id, "code": "T-02a", "name": "of which female",
                                 "kind": "count", "target_value": 0, "parent_id": cls.intake.id,
                                 "disaggregation_ids": [Command.set(cls.breakdown.ids)]})
        cls.counselled = Kpi.create({"scheme_id": cls.scheme.id, "code": "T-04", "name": "Counselled",
                                     "kind": "ratio", "target_value": 85})
        cls.Rule = cls.env["social.scheme.kpi.rule"]
        cls.Violation = cls.env["social.scheme.kpi.rule.violation"]

    # --------------------------------------------------------------- helpers
    def _rule(self, left, operator, right, importance="blocking", user=None, **vals):
        return self.Rule.with_user(user or self.planner).create({
            "scheme_id": self.scheme.id, "name": f"{left} {operator} {right}", "left": left, "operator": operator,
            "right": right, "importance": importance, **vals,
        })

    def _figure(self, kpi, breakdown=None, period=YEAR, unit=None, **vals):
        return self.env["social.scheme.kpi.measurement"].with_user(self.manager).create({
            "kpi_id": kpi.id, "unit_id": (unit or self.unit).id, "disaggregation_id": breakdown and breakdown.id,
            "date_from": period[0], "date_to": period[1], **vals,
        })

    def _submitted(self, kpi, breakdown=None, **vals):
        figure = self._figure(kpi, breakdown, **vals)
        figure.action_submit()
        return figure

    def _report(self, user=None, schemes=None):
        return self.Violation.with_user(user or self.planner)._compute_rows(schemes or self.scheme)

    # ----------------------------------------------------------------- rules
    def test_each_operator(self):
        """managed = 99, 100, 101 against 100: which submissions each operator lets through."""
        expected = {"<=": (True, True, False), "=": (False, True, False), ">=": (False, True, True),
                    "<": (True, False, False)}
        month = 0
        for operator, passes in expected.items():
            rule = self._rule("#{T-01}", operator, "100")
            for value, passed in zip((99, 100, 101), passes):
                month += 1
                figure = self._figure(self.managed, period=(f"2022-{month:02d}-01", f"2022-{month:02d}-28"),
                                      value=value)
                with self.subTest(operator=operator, value=value):
                    if passed:
                        figure.action_submit()
                        self.assertEqual(figure.state, "submitted")
                    else:
                        with self.assertRaisesRegex(UserError, rf"= {value} should be {rule.formula.split()[1]} "
                                                               r"100 = 100"):
                            figure.action_submit()
                        self.assertEqual(figure.state, "draft", "nothing written")
            rule.action_archive()

    def test_blocking_rule_names_the_rule_and_both_values(self):
        self._rule("#{T-02a.compulsory}", "<=", "#{T-02.compulsory}", name="Female ≤ compulsory intake",
                   message="Check the register.")
        self._submitted(self.intake, self.compulsory, value=80)
        female = self._figure(self.female, self.compulsory, value=81)
        with self.assertRaisesRegex(UserError, "Female ≤ compulsory intake") as caught:
            female.action_submit()
        message = str(caught.exception)
        for part in ("81", "80", "≤", "#{T-02a.compulsory}", "#{T-02.compulsory}", self.unit.name, "01/01/2022",
                     "31/12/2022", "Check the register."):
            self.assertIn(part, message)
        self.assertEqual(female.state, "draft")
        self.assertFalse(female.submitted_by_id)
        female.value = 80
        female.action_submit()
        self.assertEqual(female.state, "submitted")

    def test_sums_and_totals_over_breakdowns(self):
        """#{CODE} is the indicator's figure summed over its breakdowns; a ratio counts by its numerator."""
        rule = self._rule("#{T-02.voluntary_in} + #{T-02.voluntary_out} + #{T-02.compulsory}", "=", "#{T-02}")
        self._rule("#{T-02} − 5", "<=", "#{T-01}")
        self._rule("#{T-04}", "<=", "#{T-02}")
        for breakdown, value in zip(self.breakdown, (53, 52, 80)):
            self._submitted(self.intake, breakdown, value=value)
        self._submitted(self.managed, value=180)  # 185 − 5 ≤ 180
        with self.assertRaisesRegex(UserError, r"#\{T-04\} = 190 should be ≤ #\{T-02\} = 185"):
            self._figure(self.counselled, numerator=190, denominator=200).action_submit()
        self._submitted(self.counselled, numerator=185, denominator=200)
        [(_rule, _group, result)] = rule._evaluate(self.Rule._rule_figures(self.scheme))
        self.assertEqual(result, (185.0, 185.0, True), "53 + 52 + 80 = 185")

    def test_missing_figure_skips_the_rule_until_it_comes(self):
        self._rule("#{T-02a.compulsory}", "<=", "#{T-02.compulsory}")
        female = self._submitted(self.female, self.compulsory, value=5)
        self.assertEqual(female.state, "submitted", "no intake figure yet: the rule is skipped")
        with self.assertRaisesRegex(UserError, r"= 5 should be ≤ #\{T-02.compulsory\} = 3"):
            self._figure(self.intake, self.compulsory, value=3).action_submit()

    def test_only_the_same_unit_and_period_compare(self):
        self._rule("#{T-02a.compulsory}", "<=", "#{T-02.compulsory}")
        self._submitted(self.intake, self.compulsory, value=3)
        # another unit, another period: not compared with those 3
        self._submitted(self.female, self.compulsory, value=5, unit=self.other_unit)
        self._submitted(self.female, self.compulsory, value=5, period=("2022-01-01", "2022-06-30"))
        with self.assertRaises(UserError):
            self._figure(self.female, self.compulsory, value=5).action_submit()

    def test_drafts_do_not_count_and_a_resubmission_replaces_its_figure(self):
        self._rule("#{T-02a.compulsory}", "<=", "#{T-02.compulsory}")
        self._figure(self.intake, self.compulsory, value=1)  # a draft: not compared
        self._submitted(self.female, self.compulsory, value=5)
        intake = self._submitted(self.intake, self.compulsory, value=5)
        intake.with_user(self.planner).action_validate()
        # the figure being submitted stands for its indicator and breakdown, not the validated one
        correction = self._figure(self.intake, self.compulsory, value=4)
        with self.assertRaisesRegex(UserError, "= 4"):
            correction.action_submit()

    def test_warning_rules_do_not_block_and_are_reported(self):
        warning = self._rule("#{T-02a.compulsory}", "<=", "#{T-02.compulsory}", importance="warning",
                             message="Check the register.")
        self._submitted(self.intake, self.compulsory, value=80)
        female = self._submitted(self.female, self.compulsory, value=81)
        self.assertEqual(female.state, "submitted")
        other = self._submitted(self.intake, self.compulsory, value=2, unit=self.other_unit)
        self._submitted(self.female, self.compulsory, value=3, unit=self.other_unit)
        # a blocking rule added afterwards reports the figures already in
        blocking = self._rule("#{T-02} + 100", "<=", "#{T-02a}")
        rows = self._report()
        self.assertEqual(
            {(row.rule_id, row.unit_id, row.left_value, row.right_value, row.importance) for row in rows},
            {(warning, self.unit, 81, 80, "warning"), (warning, self.other_unit, 3, 2, "warning"),
             (blocking, self.unit, 180, 81, "blocking"), (blocking, self.other_unit, 102, 3, "blocking")},
        )
        self.assertEqual(len(rows), 4)
        row = rows.filtered(lambda r: r.rule_id == warning and r.unit_id == self.unit)
        self.assertEqual((row.period, row.message, row.scheme_id), ("01/01/2022 – 31/12/2022",
                                                                     "Check the register.", self.scheme))
        self.assertEqual((row.date_from, row.date_to), (other.date_from, other.date_to))
        # the officer sees their own unit's only, and each user their own rows
        officer_rows = self._report(self.officer)
        self.assertEqual(officer_rows.unit_id, self.unit)
        self.assertEqual(len(officer_rows), 2)
        self.assertFalse(self.Violation.with_user(self.officer).search([("id", "in", rows.ids)]))
        self.assertEqual(self.Violation.with_user(self.planner).search([]), rows)
        # the scheme's button (the menu: every scheme) runs the server action, which opens the rows
        action = self.env.ref("social_scheme.social_scheme_kpi_rule_violation_action_report").with_user(
            self.reviewer).with_context(active_model="social.scheme", active_ids=self.scheme.ids).run()
        self.assertEqual(action["res_model"], "social.scheme.kpi.rule.violation")
        self.assertEqual(len(self.Violation.with_user(self.reviewer).search(action["domain"])), 4)
        self.assertFalse(self.Violation.with_user(self.reviewer).action_open_report(
            self._create_scheme(code="T-NONE").ids)["domain"][0][2])

    def test_report_queries_do_not_grow_with_the_figures(self):
        self._rule("#{T-02a.compulsory}", "<=", "#{T-02.compulsory}", importance="warning")
        self._rule("#{T-02}", "<=", "#{T-01}", importance="warning")

        def fill(months):
            for month in months:
                period = (f"2022-{month:02d}-01", f"2022-{month:02d}-28")
                for unit in (self.unit, self.other_unit):
                    self._submitted(self.intake, self.compulsory, value=2, period=period, unit=unit)
                    self._submitted(self.female, self.compulsory, value=3, period=period, unit=unit)
                    self._submitted(self.managed, value=1, period=period, unit=unit)

        def queries():
            self._report()  # the same work each time: replace the rows of the previous run
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rows = self._report()
            return self.env.cr.sql_log_count - before, len(rows)

        fill([1])
        small, small_rows = queries()
        fill(range(2, 11))
        large, large_rows = queries()
        self.assertEqual((small_rows, large_rows), (4, 40))
        self.assertEqual(small, large, "one batch for every figure")
        self.assertLessEqual(large, 15)

    # ------------------------------------------------------------- bad input
    def test_bad_expressions_are_refused_with_a_clear_message(self):
        cases = [
            ("#{NOPE}", "NOPE, which is not an indicator code of"),
            ("#{T-02.bogus}", "the breakdown bogus, which is not one of T-02's breakdowns"),
            ("#{T-01.compulsory}", "T-01 has no breakdown"),
            ("#{T-02} / 2", "only add and subtract"),
            ("#{T-02} * 2", "only add and subtract"),
            ("T-02 + 1", "'T' .* is neither a number nor an indicator"),
            ("#{T-02", "not closed"),
            ("#{T-02}}", "'}' .* is neither"),
            ("(#{T-02}", "parenthesis opened at character 1 is not closed"),
            ("#{}", "names no indicator"),
            ("#{T-02} +", "missing after '\\+'"),
            ("#{T-02} #{T-01}", "without \\+ or −"),
        ]
        count = self.Rule.search_count([])
        for left, message in cases:
            with self.subTest(left=left), self.assertRaisesRegex(ValidationError, message):
                self._rule(left, "<=", "#{T-01}")
        with self.assertRaisesRegex(ValidationError, "compares no indicator"):
            self._rule("5", "<=", "6")
        with self.assertRaisesRegex(ValidationError, "right side .* is empty"):
            self._rule("#{T-01}", "<=", " ")
        self.assertEqual(self.Rule.search_count([]), count)
        rule = self._rule("#{T-02}", "<=", "#{T-01}")
        with self.assertRaisesRegex(ValidationError, "only add and subtract"):
            rule.write({"right": "#{T-01} / 2"})
        self.assertEqual(rule.right, "#{T-01}")
        # another scheme's codes are unknown here
        other = self._create_scheme(code="T-OTHER")
        with self.assertRaisesRegex(ValidationError, "not an indicator code"):
            rule.write({"scheme_id": other.id})
        self.assertEqual(rule.scheme_id, self.scheme)

    # ----------------------------------------------------------------- roles
    def test_planner_writes_rules_in_the_form_and_changes_are_tracked(self):
        with Form(self.Rule.with_user(self.planner)) as form:
            form.scheme_id = self.scheme
            form.name = "Female ≤ intake"
            form.left = "#{T-02a}"
            form.operator = "<="
            form.right = "#{T-02}"
        rule = form.save()
        self.assertEqual(rule.importance, "blocking")
        self.assertEqual(rule.kpi_ids, self.female | self.intake)
        self.assertEqual(rule.formula, "#{T-02a} ≤ #{T-02}")
        self.flush_tracking()  # the change below is its own request
        with Form(rule.with_user(self.manager)) as form:
            form.importance = "warning"
            form.right = "#{T-02} + 1"
        self.flush_tracking()
        tracked = rule.sudo().message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertIn("importance", tracked)
        self.assertIn("right", tracked)

    def test_reviewers_and_officers_read_but_do_not_write(self):
        rule = self._rule("#{T-02a}", "<=", "#{T-02}")
        for user in (self.reviewer, self.officer, self.unit_head):
            with self.subTest(user=user.login):
                self.assertEqual(self.Rule.with_user(user).search([("id", "=", rule.id)]), rule)
                with self.assertRaises(AccessError):
                    self._rule("#{T-01}", "<=", "100", user=user)
                with self.assertRaises(AccessError):
                    rule.with_user(user).write({"right": "#{T-01}"})
                with self.assertRaises(AccessError):
                    rule.with_user(user).unlink()
        self.assertEqual(rule.right, "#{T-02}")

    def test_officers_see_only_their_units_schemes_rules(self):
        rule = self._rule("#{T-02a}", "<=", "#{T-02}")
        other_scheme = self._running_scheme(allocate=False, code="T-ELSE", implementing_unit_id=self.other_unit.id)
        kpi = self.env["social.scheme.kpi"].with_user(self.planner).create(
            {"scheme_id": other_scheme.id, "code": "E-1", "name": "x", "kind": "count", "target_value": 1})
        elsewhere = self.Rule.with_user(self.planner).create(
            {"scheme_id": other_scheme.id, "name": "x", "left": "#{E-1}", "right": "10"})
        self.assertEqual(elsewhere.kpi_ids, kpi)
        stranger = new_test_user(self.env, login="t_rules_stranger", groups="social_scheme.group_officer",
                                 scheme_unit_ids=[Command.set(self.ubnd.ids)])
        officer_rules = self.Rule.with_user(self.officer).search([("id", "in", (rule | elsewhere).ids)])
        self.assertEqual(officer_rules, rule)
        self.assertFalse(self.Rule.with_user(stranger).search([("id", "in", (rule | elsewhere).ids)]))
        self.assertEqual(self.Rule.with_user(self.other_officer).search([("id", "in", (rule | elsewhere).ids)]),
                         rule | elsewhere)


@tagged("post_install", "-at_install")
class TestKpiRulesNinhThuan(SocialSchemeCase):
    """The Ninh Thuận 2023 rules of the demo data on its published figures (seed 004)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls.env.ref("social_scheme.scheme_ninh_thuan_2023")
        cls.facility = cls.env.ref("social_scheme.partner_ninh_thuan_facility")
        cls.nt_officer = new_test_user(cls.env, login="t_nt_officer", groups="social_scheme.group_officer",
                                       scheme_unit_ids=[Command.set(cls.facility.ids)])
        cls.rules = cls.env["social.scheme.kpi.rule"].search([("scheme_id", "=", cls.scheme.id)])

    def test_the_published_figures_pass_every_rule(self):
        figures = self.rules._rule_figures(self.scheme)
        results = {rule.left: (result.left, rule.operator, result.right, result.passed)
                   for rule, _group, result in self.rules._evaluate(figures)}
        self.assertEqual(results, {
            "#{NT-02a.voluntary_in}": (4, "<=", 53, True),
            "#{NT-02a.voluntary_out}": (0, "<=", 52, True),
            "#{NT-02a.compulsory}": (0, "<=", 80, True),
            "#{NT-02.voluntary_in} + #{NT-02.voluntary_out} + #{NT-02.compulsory}": (185, "=", 185, True),
            "#{NT-02}": (185, "<=", 281, True),
            "#{NT-03}": (123, "<=", 281, True),
        })
        self.assertFalse(self.env["social.scheme.kpi.rule.violation"].with_user(self.planner)._compute_rows(
            self.scheme))
        self.assertEqual(self.env.ref("social_scheme.kpi_nt_completed_2023").state, "validated")

    def test_a_changed_figure_is_refused_at_submission(self):
        female = self.env.ref("social_scheme.kpi_nt_intake_female_compulsory")
        female.with_user(self.planner).action_reset()
        female.with_user(self.nt_officer).value = 81
        with self.assertRaisesRegex(UserError, r"Nữ ≤ tiếp nhận mới \(bắt buộc\).*= 81 should be ≤ .*= 80"):
            female.with_user(self.nt_officer).action_submit()
        self.assertEqual(female.state, "draft")
        managed = self.env.ref("social_scheme.kpi_nt_managed_2023")
        managed.with_user(self.planner).action_reset()
        managed.with_user(self.nt_officer).value = 184
        with self.assertRaisesRegex(UserError, r"#\{NT-02\} = 185 should be ≤ #\{NT-01\} = 184"):
            managed.with_user(self.nt_officer).action_submit()
        managed.with_user(self.nt_officer).value = 281
        managed.with_user(self.nt_officer).action_submit()
        self.assertEqual(managed.state, "submitted")


@tagged("post_install", "-at_install")
class TestKpiRulesTour(HttpCase):
    """A planner finds a warning in the violation report of the Ninh Thuận scheme, in Vietnamese."""

    def test_planner_opens_the_rule_violations_of_a_scheme(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        new_test_user(self.env, login="tour_rules_planner", groups="base.group_user,social_scheme.group_planner",
                      lang="vi_VN", tz="Asia/Ho_Chi_Minh")
        scheme = self.env.ref("social_scheme.scheme_ninh_thuan_2023")
        # a made-up warning that the published figures break: 123 completed < 185 admitted
        self.env["social.scheme.kpi.rule"].create({
            "scheme_id": scheme.id, "name": "Hoàn thành ≥ tiếp nhận", "left": "#{NT-03}", "operator": ">=",
            "right": "#{NT-02}", "importance": "warning",
        })
        self.start_tour(f"/odoo/action-social_scheme.social_scheme_action/{scheme.id}",
                        "social_scheme_planner_rule_violations", login="tour_rules_planner")
