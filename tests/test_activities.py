from odoo import Command
from odoo.tests import tagged

from .common import BN, SocialSchemeCase

APPROVAL = "social_scheme.mail_activity_type_approval"


@tagged("post_install", "-at_install")
class TestApprovalActivities(SocialSchemeCase):
    """Submitting gives each approver a to-do; deciding closes it and tells the submitter."""

    def _todos(self, record):
        return record.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(APPROVAL))

    def _last_message_to(self, record, user):
        return record.message_ids.filtered(lambda m: user.partner_id in m.partner_ids)[:1]

    def test_scheme_submission_reaches_managers_and_approval_closes_it(self):
        scheme = self._create_scheme()
        scheme.with_user(self.planner).action_submit()
        todos = self._todos(scheme)
        self.assertIn(self.manager, todos.user_id)
        self.assertNotIn(self.planner, todos.user_id, "planners do not approve schemes")
        self.assertEqual(scheme.submitted_by_id, self.planner)
        scheme.with_user(self.manager).write({"decision_number": "1/QĐ", "decision_date": "2022-10-24"})
        scheme.with_user(self.manager).action_approve()
        self.assertFalse(self._todos(scheme), "approval marks the to-dos done")
        message = self._last_message_to(scheme, self.planner)
        self.assertIn("approved", message.body)
        self.assertEqual(message.author_id, self.manager.partner_id)

    def test_scheme_returned_to_draft_tells_why(self):
        scheme = self._create_scheme()
        scheme.with_user(self.planner).action_submit()
        scheme.with_user(self.manager).with_context(social_scheme_reason="Thiếu ý kiến Sở Tài chính").action_draft()
        self.assertFalse(self._todos(scheme))
        self.assertIn("Thiếu ý kiến Sở Tài chính", self._last_message_to(scheme, self.planner).body)

    def test_package_goes_to_the_unit_head_of_its_unit(self):
        scheme = self._running_scheme(unit_ids=[Command.set([self.unit.id, self.other_unit.id])])
        _repair, equipment = self._lines(scheme)
        package = self.env["social.scheme.procurement.package"].with_user(self.officer).create({
            "name": "Máy tính", "scheme_id": scheme.id, "budget_line_id": equipment.id,
            "procurement_type": "goods", "amount_estimate": 0.5 * BN, "date_planned": "2022-11-10"})
        package.action_submit()
        self.assertEqual(self._todos(package).user_id, self.unit_head)
        package.with_user(self.unit_head).action_approve()
        self.assertFalse(self._todos(package))
        self.assertTrue(self._last_message_to(package, self.officer))
        # a unit without a head of its own: the Managers approve
        theirs = self.env["social.scheme.procurement.package"].with_user(self.other_officer).create({
            "name": "Bàn ghế", "scheme_id": scheme.id, "budget_line_id": equipment.id, "unit_id": self.other_unit.id,
            "procurement_type": "goods", "amount_estimate": 0.05 * BN, "date_planned": "2022-11-10"})
        theirs.action_submit()
        self.assertIn(self.manager, self._todos(theirs).user_id)
        self.assertNotIn(self.unit_head, self._todos(theirs).user_id)

    def test_measurement_rejection_notifies_the_officer_with_the_reason(self):
        scheme = self._running_scheme(allocate=False)
        kpi = self.env["social.scheme.kpi"].with_user(self.planner).create(
            {"scheme_id": scheme.id, "code": "K", "name": "Admissions", "kind": "count", "target_value": 10})
        measurement = self.env["social.scheme.kpi.measurement"].with_user(self.officer).create(
            {"kpi_id": kpi.id, "unit_id": self.unit.id, "date_from": "2022-01-01", "date_to": "2022-03-31",
             "value": 5})
        measurement.action_submit()
        todos = self._todos(measurement)
        self.assertIn(self.planner, todos.user_id)
        self.assertNotIn(self.manager, todos.user_id, "planners validate figures")
        measurement.with_user(self.planner).action_reject(reason="Sai kỳ báo cáo")
        self.assertFalse(self._todos(measurement))
        self.assertIn("Sai kỳ báo cáo", self._last_message_to(measurement, self.officer).body)
        measurement.action_submit()
        measurement.with_user(self.planner).action_validate()
        self.assertFalse(self._todos(measurement))

    def test_revision_submission(self):
        scheme = self._running_scheme(allocate=False)
        repair, equipment = self._lines(scheme)
        revision = self.env["social.scheme.revision"].with_user(self.planner).create({
            "scheme_id": scheme.id, "reason": "x", "decision_number": "9/QĐ", "date": "2022-12-01",
            "line_ids": [Command.create({"budget_line_id": repair.id, "amount_new": 8 * BN}),
                         Command.create({"budget_line_id": equipment.id, "amount_new": 3.5 * BN})]})
        revision.action_submit()
        self.assertEqual(revision.state, "submitted")
        self.assertIn(self.manager, self._todos(revision).user_id)
        revision.with_user(self.manager).action_approve()
        self.assertEqual(revision.state, "approved")
        self.assertFalse(self._todos(revision))
        self.assertEqual(repair.amount_planned, 8 * BN)

    def test_messages_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.manager.lang = "vi_VN"
        scheme = self._create_scheme()
        scheme.with_user(self.planner).action_submit()
        summary = self._todos(scheme).filtered(lambda a: a.user_id == self.manager).summary
        self.assertEqual(summary, f"Chờ phê duyệt: {scheme.display_name}")
        scheme.with_user(self.manager).write({"decision_number": "1/QĐ", "decision_date": "2022-10-24"})
        self.planner.lang = "vi_VN"
        scheme.with_user(self.manager).action_approve()
        message = self._last_message_to(scheme, self.planner)
        self.assertIn("đã phê duyệt", message.body, "the submitter reads it in Vietnamese")
