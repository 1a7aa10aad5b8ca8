import base64

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import BN, SocialSchemeCase

TR = 1_000_000


@tagged("post_install", "-at_install")
class TestProcurement(SocialSchemeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme(unit_ids=[Command.set([cls.unit.id, cls.other_unit.id])])
        cls.repair, cls.equipment = cls._lines(cls.scheme)
        cls.minutes = cls.env["ir.attachment"].create(
            {"name": "bien_ban.txt", "datas": base64.b64encode(b"Bien ban nghiem thu")}
        )

    def _package(self, user=None, **vals):
        values = {"name": "Thiết bị phòng tư vấn", "scheme_id": self.scheme.id, "budget_line_id": self.equipment.id,
                  "procurement_type": "goods", "amount_estimate": 1 * BN, "date_planned": "2022-11-10"}
        values.update(vals)
        return self.env["social.scheme.procurement.package"].with_user(user or self.officer).create(values)

    def _approved(self, **vals):
        package = self._package(**vals)
        package.action_submit()
        package.with_user(self.unit_head).action_approve()
        return package

    def _contracted(self, amount=0.9 * BN, **vals):
        package = self._approved(**vals)
        package.action_start_selection()
        package.write({"vendor_id": self.vendor.id, "contract_number": "HĐ-01", "contract_date": "2022-11-20",
                       "amount_contract": amount})
        package.action_contract()
        return package

    # ------------------------------------------------------------- the method
    def test_officer_plans_package_in_form_and_sees_suggestion(self):
        with Form(self.env["social.scheme.procurement.package"].with_user(self.officer)) as form:
            form.name = "Sửa chữa khu nhà ở"
            form.scheme_id = self.scheme
            form.budget_line_id = self.repair
            self.assertEqual(form.context, "project", "repairs of works count as a project")
            form.procurement_type = "works"
            form.date_planned = "2022-11-05"
            form.amount_estimate = 4.5 * BN
            self.assertEqual(form.suggested_method, "competitive_quotation")
            self.assertEqual(form.method, "competitive_quotation")
        package = form.save()
        self.assertEqual(package.unit_id, self.unit)
        self.assertEqual(package.rule_id.amount_max, 5 * BN)
        self.assertIn("NĐ 63/2014", package.rule_id.legal_basis)
        form = Form(package)
        form.budget_line_id = self.equipment
        self.assertEqual(form.context, "recurrent", "equipment defaults to recurrent purchases")

    def test_suggestion_follows_the_dated_rules(self):
        package = self._package(amount_estimate=250 * TR)
        self.assertEqual(package.suggested_method, "competitive_quotation", "2022: recurrent DA ≤ 100 tr")
        scheme_2025 = self._running_scheme(code="T-2025", date_start="2025-01-01", date_end="2025-12-31")
        _repair, equipment = self._lines(scheme_2025)
        Package = self.env["social.scheme.procurement.package"]
        vals = {"name": "x", "scheme_id": scheme_2025.id, "budget_line_id": equipment.id,
                "procurement_type": "goods", "amount_estimate": 250 * TR}
        january = Package.create(dict(vals, date_planned="2025-01-15"))
        self.assertEqual((january.suggested_method, january.rule_id.amount_max), ("direct_appointment", 300 * TR))
        august = Package.create(dict(vals, date_planned="2025-08-04", amount_estimate=40 * TR))
        self.assertEqual(august.suggested_method, "head_decision")
        self.assertEqual(august.rule_id.legal_basis, "NĐ 214/2025/NĐ-CP, Điều 80 khoản 4")

    def test_managers_edit_rules_and_the_lookup_follows(self):
        rule = self.env.ref("social_scheme.rule_da_recurrent_2022")
        rule.with_user(self.manager).write({"amount_max": 300 * TR})
        self.assertEqual(self._package(amount_estimate=250 * TR).suggested_method, "direct_appointment")
        with self.assertRaises(AccessError):
            rule.with_user(self.planner).write({"amount_max": 1})

    def test_other_method_needs_justification(self):
        package = self._package(method="open_bidding")
        self.assertEqual(package.suggested_method, "competitive_quotation")
        with self.assertRaisesRegex(UserError, "justification"):
            package.action_submit()
        self.assertEqual(package.state, "draft")
        package.method_justification = "Nhiều nhà thầu quan tâm, đấu thầu rộng rãi để tăng cạnh tranh"
        package.action_submit()
        self.assertEqual(package.state, "submitted")

    def test_method_above_its_limit_needs_manager_override(self):
        package = self._package(amount_estimate=150 * TR, method="direct_appointment",
                                method_justification="Khẩn cấp")
        self.assertEqual(package.method_limit, 100 * TR)
        with self.assertRaisesRegex(UserError, "exceeds the limit"):
            package.action_submit()
        with self.assertRaisesRegex(UserError, "Manager"):
            package.write({"override_reason": "tự cho phép"})
        self.assertFalse(package.override_reason)
        package.with_user(self.manager).write({"override_reason": "Sự cố đột xuất, cần khắc phục ngay"})
        package.action_submit()
        self.assertEqual(package.state, "submitted")

    # -------------------------------------------------------------- workflow
    def test_full_workflow_and_ledger(self):
        package = self._package()
        package.action_submit()
        self.assertEqual(self.equipment.amount_committed, 0, "nothing reserved before approval")
        package.with_user(self.unit_head).action_approve()
        self.assertEqual(package.state, "approved")
        self.assertEqual((self.equipment.amount_committed, self.equipment.amount_available), (1 * BN, 2.35 * BN))
        self.assertEqual(package.commitment_id.package_id, package)
        package.action_create_task()
        self.assertEqual(package.task_id.project_id, self.scheme.project_id)
        self.assertEqual(str(package.task_id.date_deadline.date()), "2022-11-10")
        package.action_start_selection()
        self.assertEqual(package.state, "selecting")
        package.write({"vendor_id": self.vendor.id, "contract_number": "HĐ-01", "contract_date": "2022-11-20",
                       "amount_contract": 0.9 * BN})
        package.action_contract()
        self.assertEqual(package.state, "contracted")
        self.assertEqual(self.equipment.amount_committed, 0.9 * BN, "the reservation becomes the contract")
        advance = self._payment(self.equipment, 0.3 * BN, kind="advance", package_id=package.id)
        advance.action_post()
        self.assertEqual((package.amount_paid, package.amount_commitment, package.amount_remaining),
                         (0.3 * BN, 0.6 * BN, 0.6 * BN))
        self.assertEqual((self.equipment.amount_committed, self.equipment.amount_spent), (0.6 * BN, 0.3 * BN))
        self.assertEqual(self.equipment.amount_available, 3.35 * BN - 0.9 * BN)
        package.write({"acceptance_date": "2022-12-20", "acceptance_attachment_ids": [Command.set(self.minutes.ids)]})
        package.action_accept()
        self._payment(self.equipment, 0.5 * BN, package_id=package.id).action_post()
        package.action_close()
        self.assertEqual(package.state, "closed")
        self.assertEqual(package.commitment_id.state, "released")
        self.assertEqual((self.equipment.amount_committed, self.equipment.amount_spent), (0, 0.8 * BN))
        self.assertEqual(self.equipment.amount_available, 3.35 * BN - 0.8 * BN, "the unpaid 100 tr is released")

    def test_cancel_releases_exactly_what_was_held(self):
        package = self._approved()
        self.assertEqual(self.equipment.amount_available, 2.35 * BN)
        with self.assertRaisesRegex(UserError, "head of"):
            package.action_cancel()
        package.with_user(self.unit_head).action_cancel()
        self.assertEqual(package.state, "cancelled")
        self.assertEqual(self.equipment.amount_available, 3.35 * BN)
        with self.assertRaises(UserError):
            package.with_user(self.manager).action_approve()

    def test_cancel_refused_with_posted_payments(self):
        package = self._contracted()
        self._payment(self.equipment, 0.1 * BN, package_id=package.id).action_post()
        with self.assertRaisesRegex(UserError, "posted payments"):
            package.with_user(self.manager).action_cancel()
        self.assertEqual(package.state, "contracted")

    def test_cancelled_payment_restores_the_commitment(self):
        package = self._contracted()
        payment = self._payment(self.equipment, 0.4 * BN, package_id=package.id)
        payment.action_post()
        payment.action_cancel()
        self.assertEqual((package.amount_paid, package.amount_commitment), (0, 0.9 * BN))
        self.assertEqual((self.equipment.amount_committed, self.equipment.amount_spent), (0.9 * BN, 0))

    def test_fully_paid_commitment_is_consumed(self):
        package = self._contracted()
        self._payment(self.equipment, 0.9 * BN, package_id=package.id).action_post()
        self.assertEqual(package.commitment_id.state, "consumed")
        self.assertEqual(self.equipment.amount_committed, 0)

    def test_skipping_states_refused(self):
        package = self._package()
        for action in ("action_approve", "action_start_selection", "action_contract", "action_accept",
                       "action_close"):
            with self.assertRaises(UserError):
                getattr(package.with_user(self.manager), action)()
        self.assertEqual(package.state, "draft")
        with self.assertRaisesRegex(UserError, "workflow buttons"):
            package.write({"state": "approved"})
        self.assertEqual(package.state, "draft")

    # ------------------------------------------------------------- bad input
    def test_estimate_must_be_positive(self):
        for amount in (0, -1):
            with self.assertRaisesRegex(ValidationError, "positive"):
                self._package(amount_estimate=amount)
        self.assertFalse(self.scheme.package_ids)

    def test_estimate_above_available_refused(self):
        self._payment(self.equipment, 3 * BN).action_post()
        package = self._package(amount_estimate=0.5 * BN)
        with self.assertRaisesRegex(UserError, "still has available"):
            package.action_submit()
        self.assertEqual(package.state, "draft")

    def test_approval_rechecks_under_lock(self):
        first = self._package(amount_estimate=2 * BN, method_justification="x")
        second = self._package(amount_estimate=2 * BN, method_justification="x")
        (first | second).action_submit()
        first.with_user(self.unit_head).action_approve()
        with self.assertRaisesRegex(UserError, "Not enough budget"):
            second.with_user(self.unit_head).action_approve()
        self.assertEqual(second.state, "submitted")
        self.assertEqual(self.equipment.amount_committed, 2 * BN)


    def test_decision_is_one_message_with_the_state_change(self):
        """The approval tells the submitter in one message that carries the state change; the
        approvers' to-dos are kept as done, not left open or deleted."""
        package = self._package()
        package.action_submit()
        self.flush_tracking()
        Activity = self.env["mail.activity"].with_context(active_test=False)
        todos = Activity.search([("res_model", "=", package._name), ("res_id", "=", package.id)])
        self.assertTrue(todos.filtered("active"), "the submission gives the unit heads a to-do")
        before = package.message_ids
        package.with_user(self.unit_head).action_approve()
        self.flush_tracking()
        new = package.message_ids - before
        self.assertEqual(len(new), 1, "one message for the decision, not a second one for the tracking")
        self.assertIn("approved", new.body)
        self.assertEqual(new.author_id, self.unit_head.partner_id)
        self.assertIn(self.officer.partner_id, new.partner_ids, "the submitter is told")
        self.assertEqual(new.sudo().tracking_value_ids.filtered(lambda t: t.field_id.name == "state").mapped(
            "new_value_char"), ["Approved"])
        self.assertFalse(package.activity_ids)
        self.assertEqual(set(todos.exists().mapped("active")), {False}, "kept as done")
        self.assertTrue(all(todos.mapped("date_done")))
    def test_budget_line_of_another_scheme_refused(self):
        other = self._running_scheme(code="OTHER-P")
        with self.assertRaisesRegex(ValidationError, "not a budget line of"):
            self._package(budget_line_id=other.budget_line_ids[0].id)

    def test_planned_date_outside_scheme_refused(self):
        with self.assertRaisesRegex(ValidationError, "outside the scheme's dates"):
            self._package(date_planned="2023-02-01")

    def test_contract_data_required(self):
        package = self._approved()
        package.action_start_selection()
        package.write({"vendor_id": self.vendor.id})
        with self.assertRaisesRegex(UserError, "contract data"):
            package.action_contract()
        self.assertEqual(package.state, "selecting")

    def test_contract_above_estimate_needs_override(self):
        package = self._approved()
        package.action_start_selection()
        package.write({"vendor_id": self.vendor.id, "contract_number": "HĐ", "contract_date": "2022-11-20",
                       "amount_contract": 1.1 * BN})
        with self.assertRaisesRegex(UserError, "above its estimate"):
            package.action_contract()
        package.with_user(self.manager).write({"override_reason": "Trượt giá vật tư, đã thẩm định"})
        package.action_contract()
        self.assertEqual(self.equipment.amount_committed, 1.1 * BN)

    def test_acceptance_before_contract_refused(self):
        package = self._contracted()
        with self.assertRaisesRegex(ValidationError, "before its contract"):
            package.write({"acceptance_date": "2022-11-01"})
        with self.assertRaisesRegex(UserError, "acceptance minutes"):
            package.action_accept()
        self.assertEqual(package.state, "contracted")

    def test_payment_above_contract_remainder_refused(self):
        package = self._contracted()
        self._payment(self.equipment, 0.5 * BN, package_id=package.id).action_post()
        payment = self._payment(self.equipment, 0.5 * BN, package_id=package.id)
        with self.assertRaisesRegex(UserError, "contract remainder"):
            payment.action_post()
        self.assertEqual(payment.state, "draft")
        self.assertEqual(package.amount_paid, 0.5 * BN)

    def test_payment_on_package_not_contracted_refused(self):
        package = self._approved()
        payment = self._payment(self.equipment, 0.1 * BN, package_id=package.id)
        with self.assertRaisesRegex(UserError, "contracted or accepted"):
            payment.action_post()
        self.assertEqual(payment.state, "draft")

    def test_money_frozen_after_approval(self):
        package = self._approved()
        for field, value in (("amount_estimate", 2 * BN), ("budget_line_id", self.repair.id),
                             ("method", "open_bidding")):
            with self.assertRaisesRegex(UserError, "can no longer be changed"):
                package.with_user(self.manager).write({field: value})
        package_c = self._contracted()
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            package_c.write({"amount_contract": 0.1 * BN})
        self.assertEqual((package.amount_estimate, package_c.amount_contract), (1 * BN, 0.9 * BN))

    @freeze_time("2026-11-23")
    def test_minimum_times_become_activities(self):
        scheme = self._running_scheme(code="T-2026", date_start="2026-01-01", date_end="2026-12-31")
        _repair, equipment = self._lines(scheme)
        package = self.env["social.scheme.procurement.package"].with_user(self.officer).create({
            "name": "Máy tính", "scheme_id": scheme.id, "budget_line_id": equipment.id,
            "procurement_type": "goods", "amount_estimate": 1 * BN, "date_planned": "2026-12-01"})
        package.action_submit()
        package.with_user(self.manager).action_approve()
        package.action_start_selection()
        deadlines = sorted(str(d) for d in package.activity_ids.mapped("date_deadline"))
        self.assertEqual(package.method, "competitive_quotation")
        self.assertEqual(deadlines, ["2026-11-30", "2026-12-02"], "5 working days to publish, 7 to quote")

    # ------------------------------------------------------------------ roles
    def test_unit_head_of_another_unit_cannot_approve(self):
        head_b = self.env["res.users"].create({
            "name": "Head B", "login": "head_b",
            "groups_id": [Command.set([self.env.ref("social_scheme.group_unit_head").id])],
            "scheme_unit_ids": [Command.set([self.other_unit.id])]})
        package = self._package()
        package.action_submit()
        with self.assertRaises(AccessError):
            package.with_user(head_b).action_approve()
        with self.assertRaisesRegex(UserError, "head of"):
            package.with_user(self.officer).action_approve()
        with self.assertRaisesRegex(UserError, "head of"):
            package.with_user(self.planner).action_approve()
        self.assertEqual(package.state, "submitted")
        package.with_user(self.manager).action_approve()
        self.assertEqual(package.state, "approved")

    def test_officer_cannot_act_on_another_units_package(self):
        theirs = self._package(user=self.other_officer, unit_id=self.other_unit.id)
        with self.assertRaises(AccessError):
            theirs.with_user(self.officer).read(["name"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.officer).action_submit()
        with self.assertRaises(AccessError):
            self._package(unit_id=self.other_unit.id)
        self.assertEqual(theirs.state, "draft")

    def test_reviewer_and_planner_read_only(self):
        package = self._package()
        package.with_user(self.reviewer).read(["amount_estimate"])
        package.with_user(self.planner).read(["amount_estimate"])
        for user in (self.reviewer, self.planner):
            with self.assertRaises(AccessError):
                package.with_user(user).write({"name": "x"})
            with self.assertRaises(UserError):
                package.with_user(user).action_submit()
        self.assertEqual(package.state, "draft")
