"""Issue 13: what an outside client calling create/write over RPC could forge, as the user it plays."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import BN, SocialSchemeCase

TR = 1_000_000


@tagged("post_install", "-at_install")
class TestIntegrity(SocialSchemeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme(unit_ids=[Command.link(cls.other_unit.id)])
        cls.repair, cls.equipment = cls._lines(cls.scheme)
        cls.stn = cls.env.ref("base.STN")

    def _package(self, user=None, **vals):
        values = {"name": "Thiết bị phòng tư vấn", "scheme_id": self.scheme.id, "budget_line_id": self.equipment.id,
                  "procurement_type": "goods", "amount_estimate": 1 * BN, "date_planned": "2022-11-10"}
        values.update(vals)
        return self.env["social.scheme.procurement.package"].with_user(user or self.officer).create(values)

    def _approved(self, user=None, **vals):
        package = self._package(user=user, **vals)
        package.with_user(user or self.officer).action_submit()
        package.with_user(self.manager).action_approve()
        return package

    # 1. stored computes and read-only fields
    def test_planner_cannot_forge_the_ledger(self):
        available = self.repair.amount_available
        with self.assertRaisesRegex(AccessError, "Available"):
            self.repair.with_user(self.planner).write({"amount_available": 1e15 - 1})
        with self.assertRaises(AccessError):
            self.scheme.with_user(self.planner).write({"amount_spent": 0, "disbursement_rate": 99})
        self.assertEqual(self.repair.amount_available, available)
        self.assertEqual(self.scheme.amount_available, self.repair.amount_available + self.equipment.amount_available)

    def test_approver_cannot_be_the_forged_submitter(self):
        scheme = self._create_scheme(code="T-SUB")
        scheme.with_user(self.planner).action_submit()
        with self.assertRaises(AccessError):
            scheme.with_user(self.planner).write({"submitted_by_id": self.reviewer.id})
        with self.assertRaises(AccessError):
            scheme.with_user(self.planner).write({"date_approved": "2022-01-01", "project_id": False})
        self.assertEqual(scheme.submitted_by_id, self.planner)
        self.assertFalse(scheme.date_approved)

    def test_officer_cannot_change_the_currency(self):
        payment = self._payment(self.repair, 1 * TR)
        package = self._package()
        for record in (payment, package):
            with self.assertRaisesRegex(AccessError, "Currency"):
                record.with_user(self.officer).write({"currency_id": self.stn.id})
            self.assertEqual(record.currency_id, self.vnd)

    def test_nobody_forges_a_kpi_result(self):
        kpi = self.env["social.scheme.kpi"].with_user(self.planner).create(
            {"scheme_id": self.scheme.id, "code": "K1", "name": "Tỷ lệ tư vấn", "target_value": 85}
        )
        with self.assertRaises(AccessError):
            kpi.with_user(self.planner).write({"actual_value": 100, "status": "achieved"})
        self.assertEqual((kpi.actual_value, kpi.status), (0, "no_data"))

    def test_duplicates_get_fresh_system_fields(self):
        revision = self.env["social.scheme.revision"].with_user(self.planner).create({
            "scheme_id": self.scheme.id, "reason": "Điều chỉnh", "decision_number": "98/QĐ-UBND",
            "amount_total_new": 11.6 * BN,
            "line_ids": [Command.create({"budget_line_id": self.repair.id, "amount_new": 8.25 * BN})],
        })
        revision.with_user(self.manager).action_approve()
        copy = revision.with_user(self.planner).copy()
        self.assertEqual((copy.state, copy.amount_total_old, copy.line_ids.amount_old), ("draft", 0, 0))
        scheme = self._create_scheme(code="T-DUP").with_user(self.planner)
        scheme.action_submit()
        duplicate = scheme.copy({"code": "T-DUP-2"})
        self.assertFalse(duplicate.submitted_by_id)
        self.assertEqual(duplicate.amount_planned, scheme.amount_planned)

    # 2. commitment links
    def test_forged_commitment_cannot_release_another_reservation(self):
        for owner in (self.officer, self.other_officer):
            victim = self._approved(user=owner, name=f"Gói của {owner.login}", amount_estimate=0.5 * BN)
            reserved = victim.commitment_id
            mine = self._package(name="Gói giả")
            with self.assertRaisesRegex(AccessError, "Commitment"):
                mine.write({"commitment_id": reserved.id})
            with self.assertRaises(AccessError):
                self._package(name="Gói giả 2", commitment_id=reserved.id)
            mine.action_cancel()
            self.assertEqual((reserved.state, reserved.amount), ("open", 0.5 * BN))
            self.assertEqual(victim.amount_commitment, 0.5 * BN)

    def test_package_releases_only_its_own_commitment(self):
        victim = self._approved(amount_estimate=0.5 * BN)
        mine = self._package(name="Gói giả")
        # even a link written by code by mistake does not release the victim's reservation
        mine.sudo().commitment_id = victim.commitment_id
        mine.action_cancel()
        self.assertEqual(victim.commitment_id.state, "open")

    def test_payment_package_is_fixed_once_posted(self):
        package = self._approved(amount_estimate=0.5 * BN)
        package.action_start_selection()
        package.write({"vendor_id": self.vendor.id, "contract_number": "HĐ-01", "contract_date": "2022-11-20",
                       "amount_contract": 0.5 * BN})
        package.action_contract()
        payment = self._payment(self.equipment, 0.1 * BN, package_id=package.id)
        payment.action_post()
        with self.assertRaises(UserError):
            payment.with_user(self.officer).write({"package_id": False})
        self.assertEqual(payment.package_id, package)

    def test_officer_cannot_move_a_record_to_another_unit(self):
        package = self._package()
        with self.assertRaises(AccessError):
            package.with_user(self.officer).write({"unit_id": self.other_unit.id})
        self.assertEqual(package.unit_id, self.unit)
        payment = self._payment(self.repair, 1 * TR)
        with self.assertRaises(AccessError):
            payment.with_user(self.officer).write({"unit_id": self.other_unit.id})
        self.assertEqual(payment.unit_id, self.unit)

    # 3. Manager-only fields on create as on write
    def test_officer_cannot_create_an_override(self):
        Package = self.env["social.scheme.procurement.package"]
        count = Package.search_count([])
        with self.assertRaisesRegex(AccessError, "Manager"):
            self._package(amount_estimate=2 * BN, method="direct_appointment", method_justification="Khẩn cấp",
                          override_reason="tự cho phép")
        self.assertEqual(Package.search_count([]), count)
        package = self._package(user=self.manager, amount_estimate=0.2 * BN, method="direct_appointment",
                                method_justification="Khẩn cấp", override_reason="Sự cố đột xuất")
        self.assertEqual(package.override_reason, "Sự cố đột xuất")
        with self.assertRaisesRegex(AccessError, "Manager"):
            package.with_user(self.officer).write({"override_reason": "khác"})

    # 4. approval facts
    def test_cleared_approval_date_does_not_reopen_an_approved_scheme(self):
        scheme = self._approve(self._create_scheme(code="T-APP"))
        scheme.with_user(self.manager).action_cancel()
        approved_on = scheme.date_approved
        with self.assertRaises(AccessError):
            scheme.with_user(self.planner).write({"date_approved": False})
        self.assertEqual(scheme.date_approved, approved_on)
        with self.assertRaisesRegex(UserError, "never approved"):
            scheme.with_user(self.planner).action_draft()
        with self.assertRaisesRegex(UserError, "no longer be changed"):
            scheme.with_user(self.planner).write({"amount_total": 20 * BN})
        self.assertEqual((scheme.state, scheme.amount_total), ("cancelled", 11.5 * BN))

    def test_manager_resets_an_approval_with_a_reason(self):
        scheme = self._approve(self._create_scheme(code="T-RST"))
        scheme.with_user(self.manager).action_cancel()
        with self.assertRaisesRegex(UserError, "Manager"):
            scheme.with_user(self.planner).action_reset_approval("Quyết định bị thu hồi")
        with self.assertRaisesRegex(UserError, "reason"):
            scheme.with_user(self.manager).action_reset_approval()
        scheme.with_user(self.manager).action_reset_approval("Quyết định bị thu hồi")
        self.assertEqual(scheme.state, "draft")
        self.assertFalse(scheme.date_approved)
        self.flush_tracking()
        self.assertTrue(any("Quyết định bị thu hồi" in (message.body or "") for message in scheme.message_ids))
        tracked = scheme.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "date_approved")
        self.assertTrue(tracked, "the cleared approval date is tracked")

    def test_manager_resets_an_approval_from_the_form(self):
        """The scheme form's button opens a dialog that asks for the reason."""
        scheme = self._approve(self._create_scheme(code="T-RST2"))
        scheme.with_user(self.manager).action_cancel()
        with self.assertRaises(AccessError):
            self.env["social.scheme.reset.approval"].with_user(self.planner).create({"reason": "x"})
        Wizard = self.env["social.scheme.reset.approval"].with_user(self.manager).with_context(
            active_model="social.scheme", active_ids=scheme.ids)
        with Form(Wizard) as form:
            form.reason = "Quyết định bị thu hồi"
        form.save().action_confirm()
        self.assertEqual((scheme.state, scheme.date_approved), ("draft", False))

    # 5. record rules follow the unit
    def test_officer_does_not_see_another_units_commitments(self):
        mine = self._approved(amount_estimate=0.3 * BN)
        theirs = self._approved(user=self.other_officer, amount_estimate=0.4 * BN)
        Commitment = self.env["social.scheme.commitment"]
        ids = (mine.commitment_id | theirs.commitment_id).ids
        self.assertEqual(Commitment.with_user(self.officer).search([("id", "in", ids)]), mine.commitment_id)
        self.assertEqual(Commitment.with_user(self.other_officer).search([("id", "in", ids)]),
                         theirs.commitment_id)
        with self.assertRaises(AccessError):
            theirs.commitment_id.with_user(self.officer).read(["amount"])

    # 6. users without an e-mail address
    def test_manager_without_email_approves_a_revision(self):
        self.manager.partner_id.email = False
        revision = self.env["social.scheme.revision"].with_user(self.planner).create({
            "scheme_id": self.scheme.id, "reason": "Điều chỉnh", "decision_number": "99/QĐ-UBND",
            "amount_total_new": 11.55 * BN,
            "line_ids": [Command.create({"budget_line_id": self.repair.id, "amount_new": 8_200_000_000})],
        })
        revision.with_user(self.planner).action_submit()
        revision.with_user(self.manager).action_approve()
        self.assertEqual(revision.state, "approved")
        self.assertEqual(self.repair.amount_planned, 8_200_000_000)
        message = self.scheme.message_ids.filtered(lambda m: "99/QĐ-UBND" in (m.body or ""))
        self.assertEqual(message.author_id, self.manager.partner_id)

    def test_officer_without_email_submits_a_package(self):
        self.officer.partner_id.email = False
        self.unit_head.partner_id.email = False
        package = self._package()
        package.with_user(self.officer).action_submit()
        package.with_user(self.unit_head).action_approve()
        self.assertEqual(package.state, "approved")

    # 7. garbage values
    def test_garbage_numbers_are_refused_with_a_message(self):
        Payment = self.env["social.scheme.disbursement"]
        count = Payment.search_count([])
        for amount in (float("nan"), float("inf"), float("-inf"), "Infinity", 1e15, 1e300):
            with self.subTest(amount=amount), self.assertRaisesRegex(ValidationError, "finite number"):
                self._payment(self.repair, amount)
        with self.assertRaisesRegex(ValidationError, "finite number"):
            self.repair.with_user(self.planner).write({"sequence": 2**40})
        self.assertEqual(Payment.search_count([]), count)

    def test_unknown_selection_value_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid choice"):
            self._payment(self.repair, 1 * TR, kind="gift")
        with self.assertRaisesRegex(ValidationError, "not a valid choice"):
            self._package(procurement_type="bribe")

    def test_garbage_dates_and_ids_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid date"):
            self._payment(self.repair, 1 * TR, date="2022-13-45")
        with self.assertRaisesRegex(ValidationError, "not a valid record"):
            self._payment(self.repair, 1 * TR, partner_id=10**12)

    def test_overlong_code_is_refused(self):
        count = self.env["social.scheme"].search_count([])
        with self.assertRaisesRegex(ValidationError, "too long"):
            self._create_scheme(code="X" * 100_000)
        with self.assertRaisesRegex(ValidationError, "too long"):
            self.scheme.with_user(self.planner).write({"name": "Đề án " * 20_000})
        self.assertEqual(self.env["social.scheme"].search_count([]), count)

    # 8. the contract's fields are enough to create a payment
    def test_payment_with_design_fields_only(self):
        payment = self.env["social.scheme.disbursement"].with_user(self.officer).create({
            "budget_line_id": self.repair.id, "date": "2022-11-15", "amount": 5 * TR,
            "document_number": "KBNN-123", "kind": "payment",
        })
        self.assertEqual(payment.name, "KBNN-123 – Sửa chữa")
        payment.action_post()
        self.assertEqual(payment.state, "posted")

    def test_payment_form_names_itself(self):
        with Form(self.env["social.scheme.disbursement"].with_user(self.officer)) as form:
            form.document_number = "KBNN-7"
            form.budget_line_id = self.equipment
            form.amount = 2 * TR
        self.assertTrue(form.record.name.startswith("KBNN-7"))
