from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SocialSchemeCase


@tagged("post_install", "-at_install")
class TestKpiSurvey(SocialSchemeCase):
    """Satisfaction surveys feed survey KPIs: satisfied = answers 4–5, denominator = respondents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme(allocate=False, report_frequency="half_year")
        cls.survey = cls.env["survey.survey"].create({"title": "Khảo sát học viên", "scheme_unit_id": cls.unit.id})
        cls.question = cls.env["survey.question"].create({
            "survey_id": cls.survey.id, "title": "Mức độ hài lòng", "question_type": "scale",
            "scale_min": 1, "scale_max": 5})
        cls.kpi = cls.env["social.scheme.kpi"].with_user(cls.planner).create({
            "scheme_id": cls.scheme.id, "code": "S1", "name": "Học viên hài lòng", "kind": "survey",
            "target_value": 80, "survey_id": cls.survey.id, "question_id": cls.question.id})

    def _answer(self, value, day, question=None):
        answer = self.env["survey.user_input"].create({
            "survey_id": self.survey.id, "state": "done", "end_datetime": f"{day} 10:00:00"})
        self.env["survey.user_input.line"].create({
            "user_input_id": answer.id, "question_id": (question or self.question).id, "answer_type": "scale",
            "value_scale": value})
        return answer

    def _figures(self):
        return self.kpi.measurement_ids.sorted("date_from")

    def test_lam_dong_demo_actual_comes_from_the_answers(self):
        kpi = self.env.ref("social_scheme.kpi_ld_clients_satisfied")
        lines = self.env["survey.user_input.line"].search([("question_id", "=", kpi.question_id.id),
                                                           ("user_input_id.state", "=", "done")])
        by_hand = (len(lines.filtered(lambda line: line.value_scale >= 4)), len(lines.user_input_id))
        self.assertEqual(by_hand, (9, 11))
        self.assertEqual((kpi.actual_numerator, kpi.actual_denominator), by_hand)
        self.assertAlmostEqual(kpi.actual_value, 9 * 100 / 11)
        self.assertEqual(kpi.status, "achieved", "≥ 80% of clients satisfied")
        self.assertEqual(kpi.measurement_ids.mapped("state"), ["validated", "validated"], "validated per half year")

    def test_each_period_is_computed_and_submitted_then_nothing_twice(self):
        for value, day in ((5, "2022-02-10"), (4, "2022-03-01"), (3, "2022-05-20"), (2, "2022-06-30"),
                           (5, "2022-08-15")):
            self._answer(value, day)
        self.kpi.with_user(self.planner).action_compute_survey_figures()
        h1, h2 = self._figures()
        self.assertEqual((h1.numerator, h1.denominator, h1.state), (2, 4, "submitted"), "4 and 5 are satisfied")
        self.assertEqual((h2.numerator, h2.denominator, h2.unit_id), (1, 1, self.unit))
        self.assertEqual((h1.date_from, h1.date_to), (h1.period_id.date_from, h1.period_id.date_to))
        self.flush_tracking()
        messages = len(h1.message_ids)
        self.kpi.with_user(self.planner).action_compute_survey_figures()
        self.flush_tracking()
        self.assertEqual(self._figures(), h1 | h2, "nothing twice")
        self.assertEqual(len(h1.message_ids), messages, "an unchanged figure is left alone")
        self.assertFalse(self.kpi.has_data, "a computed figure counts once validated, as any figure")
        h1.with_user(self.planner).action_validate()
        self._answer(5, "2022-04-04")
        self._answer(5, "2022-09-04")
        self.kpi.with_user(self.planner).action_compute_survey_figures()
        self.assertEqual((h1.numerator, h1.denominator), (2, 4), "a validated figure never changes")
        self.assertEqual((h2.numerator, h2.denominator, h2.state), (2, 2, "submitted"), "resubmitted")
        self.assertEqual((self.kpi.actual_numerator, self.kpi.actual_denominator), (2, 4))

    def test_answers_of_other_questions_and_unfinished_answers_do_not_count(self):
        other = self.env["survey.question"].create({"survey_id": self.survey.id, "title": "Khác",
                                                    "question_type": "scale", "scale_min": 1, "scale_max": 5})
        self._answer(5, "2022-02-10", question=other)
        unfinished = self._answer(5, "2022-02-11")
        unfinished.state = "in_progress"
        self._answer(4, "2022-02-12")
        self.kpi.with_user(self.planner).action_compute_survey_figures()
        self.assertEqual((self._figures().numerator, self._figures().denominator), (1, 1))

    def test_bad_survey_indicators_are_refused(self):
        Kpi = self.env["social.scheme.kpi"].with_user(self.planner)
        text = self.env["survey.question"].create({"survey_id": self.survey.id, "title": "Ý kiến",
                                                   "question_type": "text_box"})
        base = {"scheme_id": self.scheme.id, "name": "x", "kind": "survey", "target_value": 80,
                "survey_id": self.survey.id}
        with self.assertRaisesRegex(ValidationError, "not a scale question"):
            Kpi.create({**base, "code": "S2", "question_id": text.id})
        with self.assertRaisesRegex(ValidationError, "on the question's scale"):
            Kpi.create({**base, "code": "S3", "question_id": self.question.id, "survey_satisfied_min": 6})
        with self.assertRaisesRegex(ValidationError, "choose the survey"):
            Kpi.create({**base, "code": "S4", "survey_id": False})
        elsewhere = self.env["survey.survey"].create({"title": "Khảo sát nơi khác",
                                                      "scheme_unit_id": self.other_unit.id})
        question = self.env["survey.question"].create({"survey_id": elsewhere.id, "title": "x",
                                                       "question_type": "scale", "scale_min": 1, "scale_max": 5})
        with self.assertRaisesRegex(ValidationError, "facility of the scheme"):
            Kpi.create({**base, "code": "S5", "survey_id": elsewhere.id, "question_id": question.id})
        with self.assertRaisesRegex(ValidationError, "reporting frequency"):
            Kpi.create({**base, "code": "S6", "question_id": self.question.id, "report_frequency": "one_off"})

    def test_only_a_planner_computes(self):
        self._answer(5, "2022-02-10")
        with self.assertRaisesRegex(UserError, "planner"):
            self.kpi.with_user(self.officer).action_compute_survey_figures()
        self.assertFalse(self.kpi.measurement_ids)
        self.env["social.scheme.kpi"]._cron_compute_survey_figures()
        self.assertEqual(len(self.kpi.measurement_ids), 1, "the daily job computes them too")
        self.assertEqual(self.kpi.measurement_ids.with_user(self.officer).kpi_id, self.kpi,
                         "the facility's officer sees its computed figure")
