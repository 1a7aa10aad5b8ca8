from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BN, SocialSchemeCase


@tagged("post_install", "-at_install")
class TestSchemeWorkflow(SocialSchemeCase):
    def test_planner_enters_scheme_in_form(self):
        with self.scheme_form() as form:
            form.name = "Mô hình cung cấp dịch vụ công tác xã hội"
            form.code = "LD-2022"
            form.implementing_unit_id = self.unit
            form.lead_agency_id = self.agency
            form.date_start = "2022-01-01"
            form.date_end = "2022-12-31"
            form.amount_total = 11.5 * BN
            with form.budget_line_ids.new() as line:
                line.name = "Sửa chữa"
                line.category = "repair"
                line.amount_planned = 8.15 * BN
            with form.budget_line_ids.new() as line:
                line.name = "Thiết bị"
                line.category = "equipment"
                line.amount_planned = 3.35 * BN
            self.assertEqual(form.amount_planned, 11.5 * BN, "the form sums the lines before saving")
        scheme = form.save()
        self.assertEqual(scheme.state, "draft")
        self.assertEqual(scheme.currency_id, self.vnd)
        self.assertIn(self.unit, scheme.unit_ids, "the implementing unit always takes part")
        self.assertEqual(scheme.amount_planned, 11.5 * BN)
        self.assertEqual(scheme.amount_available, 0.0, "nothing allocated yet")

    def test_full_lifecycle(self):
        scheme = self._create_scheme()
        self.flush_tracking()  # each step below is its own request
        scheme.with_user(self.planner).action_submit()
        self.assertEqual(scheme.state, "submitted")
        self.flush_tracking()
        with self.scheme_form(self.manager, scheme) as form:
            form.decision_number = "2204/QĐ-UBND"
            form.decision_date = "2022-10-24"
        self.assertTrue(scheme.with_user(self.manager).action_approve())
        self.assertEqual(scheme.state, "approved")
        self.assertTrue(scheme.project_id, "approval creates the project")
        self.assertEqual(scheme.project_id.name, scheme.name)
        self.assertTrue(scheme.date_approved)
        self.flush_tracking()
        scheme.with_user(self.planner).action_start()
        self.assertEqual(scheme.state, "in_progress")
        self.flush_tracking()
        scheme.with_user(self.manager).action_close()
        self.assertEqual(scheme.state, "closed")
        self.flush_tracking()
        tracked = scheme.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(
            sorted(tracked.mapped("new_value_char")),
            ["Approved", "Closed", "In progress", "Submitted"],
            "every transition is tracked in the chatter",
        )
        approval = tracked.filtered(lambda t: t.new_value_char == "Approved").mail_message_id
        self.assertEqual(approval.author_id, self.manager.partner_id, "the chatter names who approved")

    def test_approval_requires_decision(self):
        scheme = self._create_scheme()
        scheme.with_user(self.planner).action_submit()
        with self.assertRaisesRegex(UserError, "decision number and date"):
            scheme.with_user(self.manager).action_approve()
        self.assertEqual(scheme.state, "submitted")
        self.assertFalse(scheme.project_id)

    def test_submit_refused_when_lines_do_not_add_up(self):
        scheme = self._create_scheme(amount_total=12 * BN)
        with self.assertRaisesRegex(UserError, "must be equal"):
            scheme.with_user(self.planner).action_submit()
        self.assertEqual(scheme.state, "draft")

    def test_approve_refused_when_lines_do_not_add_up(self):
        scheme = self._create_scheme()
        scheme.with_user(self.planner).action_submit()
        scheme.with_user(self.manager).write(
            {"decision_number": "1/QĐ", "decision_date": "2022-10-24"}
        )
        # A line changed behind the form's back (e.g. by a script) is caught at approval.
        scheme.budget_line_ids[0].sudo().amount_planned = 1 * BN
        with self.assertRaisesRegex(UserError, "must be equal"):
            scheme.with_user(self.manager).action_approve()
        self.assertEqual(scheme.state, "submitted")

    def test_planner_cannot_approve(self):
        scheme = self._create_scheme(decision_number="1/QĐ", decision_date="2022-10-24")
        scheme.with_user(self.planner).action_submit()
        with self.assertRaisesRegex(UserError, "Manager"):
            scheme.with_user(self.planner).action_approve()
        self.assertEqual(scheme.state, "submitted")

    def test_reviewer_cannot_submit(self):
        scheme = self._create_scheme()
        with self.assertRaises(UserError):
            scheme.with_user(self.reviewer).action_submit()
        self.assertEqual(scheme.state, "draft")

    def test_cannot_skip_states(self):
        scheme = self._create_scheme(decision_number="1/QĐ", decision_date="2022-10-24")
        with self.assertRaisesRegex(UserError, "cannot be approved"):
            scheme.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            scheme.with_user(self.planner).action_start()
        with self.assertRaises(UserError):
            scheme.with_user(self.manager).action_close()
        self.assertEqual(scheme.state, "draft")

    def test_state_cannot_be_written_directly(self):
        scheme = self._create_scheme()
        with self.assertRaisesRegex(UserError, "workflow buttons"):
            scheme.with_user(self.manager).write({"state": "approved"})
        self.assertEqual(scheme.state, "draft")
        with self.assertRaises(UserError):
            self.env["social.scheme"].with_user(self.planner).with_context(default_state="approved").create(
                self._scheme_vals(code="TEST-CTX")
            )
        self.assertFalse(self.env["social.scheme"].search([("code", "=", "TEST-CTX")]))

    def test_draft_from_submitted_and_cancelled_never_approved(self):
        scheme = self._create_scheme()
        scheme.with_user(self.planner).action_submit()
        scheme.with_user(self.planner).action_draft()
        self.assertEqual(scheme.state, "draft")
        scheme.with_user(self.planner).action_cancel()
        self.assertEqual(scheme.state, "cancelled")
        scheme.with_user(self.planner).action_draft()
        self.assertEqual(scheme.state, "draft")

    def test_no_draft_after_approval(self):
        scheme = self._approve(self._create_scheme(), start=False)
        with self.assertRaises(UserError):
            scheme.with_user(self.planner).action_draft()
        scheme.with_user(self.manager).action_cancel()
        self.assertEqual(scheme.state, "cancelled")
        with self.assertRaisesRegex(UserError, "never approved"):
            scheme.with_user(self.planner).action_draft()
        self.assertEqual(scheme.state, "cancelled")

    def test_planner_cannot_cancel_approved_scheme(self):
        scheme = self._approve(self._create_scheme())
        with self.assertRaisesRegex(UserError, "Manager"):
            scheme.with_user(self.planner).action_cancel()
        self.assertEqual(scheme.state, "in_progress")

    def test_cancel_refused_with_posted_payments(self):
        scheme = self._running_scheme()
        repair, _equipment = self._lines(scheme)
        self._payment(repair, 100_000_000).action_post()
        with self.assertRaisesRegex(UserError, "posted payments"):
            scheme.with_user(self.manager).action_cancel()
        self.assertEqual(scheme.state, "in_progress")

    def test_close_refused_with_draft_payments(self):
        scheme = self._running_scheme()
        repair, _equipment = self._lines(scheme)
        self._payment(repair, 100_000_000)
        with self.assertRaisesRegex(UserError, "draft payments"):
            scheme.with_user(self.manager).action_close()
        self.assertEqual(scheme.state, "in_progress")

    def test_closed_scheme_cannot_be_cancelled(self):
        scheme = self._running_scheme(allocate=False)
        scheme.with_user(self.manager).action_close()
        with self.assertRaises(UserError):
            scheme.with_user(self.manager).action_cancel()
        self.assertEqual(scheme.state, "closed")

    def test_dates_must_be_in_order(self):
        with self.assertRaisesRegex(ValidationError, "starts after it ends"):
            self._create_scheme(date_start="2023-01-01", date_end="2022-12-31")
        self.assertFalse(self.env["social.scheme"].search([("code", "=", "TEST-01")]))

    def test_duplicate_code_refused(self):
        self._create_scheme()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._create_scheme()
        self.assertEqual(self.env["social.scheme"].search_count([("code", "=", "TEST-01")]), 1)
        other_company = self.env["res.company"].create({"name": "Tỉnh khác"})
        self.env["social.scheme"].create(self._scheme_vals(company_id=other_company.id))
        self.assertEqual(
            self.env["social.scheme"].sudo().search_count([("code", "=", "TEST-01")]), 2,
            "the same code is fine in another company",
        )

    def test_approved_total_frozen(self):
        scheme = self._approve(self._create_scheme())
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            scheme.with_user(self.manager).write({"amount_total": 12 * BN})
        with self.assertRaisesRegex(UserError, "only through a revision"):
            scheme.budget_line_ids[0].with_user(self.planner).write({"amount_planned": 9 * BN})
        scheme.invalidate_recordset()
        self.assertEqual(scheme.amount_total, 11.5 * BN)
        self.assertEqual(sorted(scheme.budget_line_ids.mapped("amount_planned")), [3.35 * BN, 8.15 * BN])

    def test_submitted_scheme_money_frozen_but_decision_editable(self):
        scheme = self._create_scheme()
        scheme.with_user(self.planner).action_submit()
        with self.assertRaises(UserError):
            scheme.with_user(self.manager).write({"amount_total": 1 * BN})
        scheme.with_user(self.manager).write({"decision_number": "5/QĐ"})
        self.assertEqual(scheme.decision_number, "5/QĐ")
        self.assertEqual(scheme.amount_total, 11.5 * BN)

    def test_approved_scheme_lines_cannot_be_deleted_or_funded_directly(self):
        scheme = self._approve(self._create_scheme())
        with self.assertRaises(UserError):
            scheme.budget_line_ids[0].with_user(self.planner).unlink()
        with self.assertRaisesRegex(UserError, "revision"):
            self.env["social.scheme.budget.line"].with_user(self.planner).create(
                {"scheme_id": scheme.id, "name": "Đào tạo", "category": "training", "amount_planned": 1 * BN}
            )
        line = self.env["social.scheme.budget.line"].with_user(self.planner).create(
            {"scheme_id": scheme.id, "name": "Đào tạo", "category": "training", "amount_planned": 0}
        )
        self.assertEqual(line.amount_planned, 0, "a zero line can be added, and funded by a revision")
        self.assertEqual(len(scheme.budget_line_ids), 3)

    def test_approved_scheme_cannot_be_deleted(self):
        scheme = self._approve(self._create_scheme(), start=False)
        with self.assertRaises(UserError):
            scheme.with_user(self.manager).unlink()
        self.assertTrue(scheme.exists())
        draft = self._create_scheme(code="TEST-DEL")
        draft.with_user(self.planner).unlink()
        self.assertFalse(draft.exists())

    def test_manager_needs_no_project_rights_to_approve(self):
        self.assertFalse(self.manager.has_group("project.group_project_manager"))
        scheme = self._approve(self._create_scheme(), start=False)
        self.assertTrue(scheme.project_id.exists())
        self.assertEqual(scheme.project_id.partner_id, self.unit)
