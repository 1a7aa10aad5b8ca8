from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import BN, SocialSchemeCase


@tagged("post_install", "-at_install")
class TestBudgetLedger(SocialSchemeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme(allocate=False)
        cls.repair, cls.equipment = cls._lines(cls.scheme)

    def assertLedger(self, line, allocated, committed, spent):
        self.assertEqual(
            (line.amount_allocated, line.amount_committed, line.amount_spent, line.amount_available),
            (allocated, committed, spent, allocated - committed - spent),
        )

    # ----------------------------------------------------------- allocations
    def test_allocation_rolls_up(self):
        self.scheme.sudo().date_end = "2023-12-31"
        self._allocate(self.repair, 5 * BN)
        self._allocate(self.repair, 3.15 * BN, year=2023)
        self.assertLedger(self.repair, 8.15 * BN, 0, 0)
        self.assertEqual(self.scheme.amount_allocated, 8.15 * BN)
        self.assertEqual(self.scheme.amount_available, 8.15 * BN)

    def test_allocation_in_form(self):
        with Form(self.env["social.scheme.allocation"].with_user(self.planner)) as form:
            form.budget_line_id = self.equipment
            form.fiscal_year = 2022
            form.amount = 3.35 * BN
            form.decision_number = "3105/QĐ-UBND"
            form.date = "2022-11-01"
        allocation = form.save()
        self.assertEqual(allocation.scheme_id, self.scheme)
        self.assertEqual(self.equipment.amount_allocated, 3.35 * BN)

    def test_allocation_above_plan_refused(self):
        self.scheme.sudo().date_end = "2023-12-31"
        self._allocate(self.repair, 8 * BN)
        with self.assertRaisesRegex(ValidationError, "above its planned amount"):
            self._allocate(self.repair, 0.2 * BN, year=2023)
        self.assertEqual(self.repair.amount_allocated, 8 * BN)
        self.assertEqual(len(self.repair.allocation_ids), 1)

    def test_allocation_amount_must_be_positive(self):
        for amount in (0, -5):
            with self.assertRaises(ValidationError):
                self._allocate(self.repair, amount)
        self.assertFalse(self.repair.allocation_ids)

    def test_allocation_on_draft_scheme_refused(self):
        draft = self._create_scheme(code="TEST-DRAFT")
        with self.assertRaisesRegex(UserError, "approved scheme"):
            self._allocate(draft.budget_line_ids[0], 1 * BN)
        self.assertFalse(draft.budget_line_ids.allocation_ids)

    def test_allocation_cut_below_spent_refused(self):
        allocation = self._allocate(self.repair, 2 * BN)
        self._payment(self.repair, 1.5 * BN).action_post()
        with self.assertRaisesRegex(UserError, "Not enough budget"):
            allocation.with_user(self.planner).write({"amount": 1 * BN})
        with self.assertRaisesRegex(UserError, "Not enough budget"):
            allocation.with_user(self.planner).unlink()
        self.assertEqual(allocation.amount, 2 * BN)
        self.assertLedger(self.repair, 2 * BN, 0, 1.5 * BN)

    # --------------------------------------------------------- disbursements
    def test_posting_rolls_up_to_line_and_scheme(self):
        self._allocate(self.repair, 8.15 * BN)
        self._allocate(self.equipment, 3.35 * BN)
        self._payment(self.repair, 1.5 * BN, kind="advance").action_post()
        self._payment(self.repair, 2.35 * BN).action_post()
        self._payment(self.equipment, 0.98 * BN).action_post()
        self.assertLedger(self.repair, 8.15 * BN, 0, 3.85 * BN)
        self.assertLedger(self.equipment, 3.35 * BN, 0, 0.98 * BN)
        self.assertEqual(self.scheme.amount_spent, 4.83 * BN)
        self.assertEqual(self.scheme.amount_available, 6.67 * BN)
        self.assertAlmostEqual(self.scheme.disbursement_rate, 4.83 / 11.5 * 100, places=6)

    def test_draft_payment_does_not_count(self):
        self._allocate(self.repair, 1 * BN)
        self._payment(self.repair, 0.4 * BN)
        self.assertLedger(self.repair, 1 * BN, 0, 0)

    def test_advance_settlement_does_not_spend_twice(self):
        self._allocate(self.repair, 2 * BN)
        self._payment(self.repair, 1 * BN, kind="advance").action_post()
        self._payment(self.repair, 0.6 * BN, kind="advance_settlement").action_post()
        self.assertLedger(self.repair, 2 * BN, 0, 1 * BN)
        self.assertEqual(self.repair.amount_advance_open, 0.4 * BN)

    def test_settlement_above_open_advances_refused(self):
        self._allocate(self.repair, 2 * BN)
        self._payment(self.repair, 0.5 * BN, kind="advance").action_post()
        settlement = self._payment(self.repair, 0.6 * BN, kind="advance_settlement")
        with self.assertRaisesRegex(UserError, "advances is open"):
            settlement.action_post()
        self.assertEqual(settlement.state, "draft")

    def test_overspending_refused(self):
        self._allocate(self.equipment, 1 * BN)
        self._payment(self.equipment, 0.7 * BN).action_post()
        payment = self._payment(self.equipment, 0.4 * BN)
        with self.assertRaisesRegex(UserError, "overspend"):
            payment.action_post()
        self.assertEqual(payment.state, "draft")
        self.assertLedger(self.equipment, 1 * BN, 0, 0.7 * BN)

    def test_overspending_within_one_batch_refused(self):
        self._allocate(self.equipment, 1 * BN)
        batch = self._payment(self.equipment, 0.6 * BN) | self._payment(self.equipment, 0.6 * BN)
        with self.assertRaisesRegex(UserError, "overspend"):
            batch.action_post()
        self.assertEqual(set(batch.mapped("state")), {"draft"})

    def test_payment_without_allocation_refused(self):
        payment = self._payment(self.repair, 1)
        with self.assertRaisesRegex(UserError, "overspend"):
            payment.action_post()
        self.assertEqual(payment.state, "draft")

    def test_commitments_reduce_available(self):
        self._allocate(self.repair, 3 * BN)
        commitment = self.repair._reserve(2 * BN, "Gói thầu sửa chữa", 2022)
        self.assertLedger(self.repair, 3 * BN, 2 * BN, 0)
        payment = self._payment(self.repair, 1.5 * BN)
        with self.assertRaisesRegex(UserError, "overspend"):
            payment.action_post()
        with self.assertRaisesRegex(UserError, "Not enough budget"):
            self.repair._reserve(1.5 * BN, "Gói thầu khác", 2022)
        commitment._release()
        self.assertLedger(self.repair, 3 * BN, 0, 0)
        payment.action_post()
        self.assertLedger(self.repair, 3 * BN, 0, 1.5 * BN)

    def test_commitments_are_not_written_by_hand(self):
        self._allocate(self.repair, 3 * BN)
        with self.assertRaises(AccessError):
            self.env["social.scheme.commitment"].with_user(self.manager).create(
                {"budget_line_id": self.repair.id, "amount": 1, "name": "x"}
            )
        commitment = self.repair._reserve(1 * BN, "Gói thầu", 2022)
        with self.assertRaises(AccessError):
            commitment.with_user(self.manager).write({"amount": 0})
        self.assertEqual(commitment.amount, 1 * BN)

    def test_payment_amount_must_be_positive(self):
        self._allocate(self.repair, 1 * BN)
        for amount in (0, -100):
            with self.assertRaises(ValidationError):
                self._payment(self.repair, amount)
        self.assertFalse(self.repair.disbursement_ids)

    def test_posted_payment_is_frozen(self):
        self._allocate(self.repair, 1 * BN)
        payment = self._payment(self.repair, 0.5 * BN)
        payment.action_post()
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            payment.with_user(self.officer).write({"amount": 0.1 * BN})
        with self.assertRaisesRegex(UserError, "never deleted"):
            payment.with_user(self.officer).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            payment.with_user(self.manager).unlink()
        self.assertEqual(payment.amount, 0.5 * BN)
        self.assertEqual(payment.state, "posted")

    def test_cancel_posted_payment_restores_available(self):
        self._allocate(self.repair, 1 * BN)
        payment = self._payment(self.repair, 0.5 * BN)
        payment.action_post()
        self.assertEqual(self.repair.amount_available, 0.5 * BN)
        payment.with_user(self.officer).action_cancel()
        self.assertEqual(payment.state, "cancelled")
        self.assertLedger(self.repair, 1 * BN, 0, 0)
        with self.assertRaises(UserError):
            payment.action_post()

    def test_cancel_advance_with_settlement_refused(self):
        self._allocate(self.repair, 1 * BN)
        advance = self._payment(self.repair, 0.5 * BN, kind="advance")
        advance.action_post()
        self._payment(self.repair, 0.5 * BN, kind="advance_settlement").action_post()
        with self.assertRaisesRegex(UserError, "exceed the advances"):
            advance.action_cancel()
        self.assertEqual(advance.state, "posted")

    def test_payment_on_draft_scheme_refused(self):
        draft = self._create_scheme(code="TEST-DRAFT2")
        payment = self._payment(draft.budget_line_ids[0], 1, user=self.manager)
        with self.assertRaisesRegex(UserError, "approved scheme"):
            payment.with_user(self.manager).action_post()
        self.assertEqual(payment.state, "draft")

    def test_payment_defaults(self):
        self._allocate(self.repair, 1 * BN)
        with Form(self.env["social.scheme.disbursement"].with_user(self.officer)) as form:
            form.name = "Tạm ứng"
            form.budget_line_id = self.repair
            form.date = "2022-11-30"
            form.amount = 100_000_000
            form.kind = "advance"
        payment = form.save()
        self.assertEqual(payment.unit_id, self.unit, "defaults to the scheme's implementing unit")
        self.assertEqual(payment.fiscal_year, 2022, "the fiscal year follows the date")
        self.assertEqual(payment.scheme_id, self.scheme)

    def test_payment_for_unit_outside_scheme_refused(self):
        with self.assertRaisesRegex(ValidationError, "does not take part"):
            self._payment(self.repair, 1, user=self.manager, unit_id=self.other_unit.id)

    # ------------------------------------------------------------- revisions
    def _revision(self, changes, total_new=0.0):
        return self.env["social.scheme.revision"].with_user(self.planner).create(
            {
                "name": "Điều chỉnh lần 1",
                "scheme_id": self.scheme.id,
                "decision_number": "45/QĐ-UBND",
                "date": "2022-12-01",
                "reason": "Điều chuyển kinh phí",
                "amount_total_new": total_new,
                "line_ids": [(0, 0, {"budget_line_id": line.id, "amount_new": amount}) for line, amount in changes],
            }
        )

    def test_revision_moves_money_between_lines(self):
        self.flush_tracking()  # records created in the same transaction are not tracked
        revision = self._revision([(self.repair, 8 * BN), (self.equipment, 3.5 * BN)])
        revision.with_user(self.manager).action_approve()
        self.assertEqual(revision.state, "approved")
        self.assertEqual(self.repair.amount_planned, 8 * BN)
        self.assertEqual(self.equipment.amount_planned, 3.5 * BN)
        self.assertEqual(
            sorted(revision.line_ids.mapped("amount_old")), [3.35 * BN, 8.15 * BN], "history is kept"
        )
        self.assertEqual(self.scheme.amount_planned, 11.5 * BN)
        self.assertEqual(self.scheme.revision_count, 1)
        self.flush_tracking()
        self.assertTrue(
            self.repair.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "amount_planned"),
            "the line's chatter shows the change",
        )

    def test_revision_changing_total(self):
        revision = self._revision([(self.equipment, 4 * BN)], total_new=12.15 * BN)
        revision.with_user(self.manager).action_approve()
        self.assertEqual(self.scheme.amount_total, 12.15 * BN)
        self.assertEqual(revision.amount_total_old, 11.5 * BN)
        self.assertAlmostEqual(self.scheme.disbursement_rate, 0.0)

    def test_revision_must_add_up(self):
        revision = self._revision([(self.repair, 8 * BN)])
        with self.assertRaisesRegex(UserError, "must be equal"):
            revision.with_user(self.manager).action_approve()
        self.assertEqual(revision.state, "draft")
        self.assertEqual(self.repair.amount_planned, 8.15 * BN)

    def test_revision_cannot_cut_below_committed_and_spent(self):
        self._allocate(self.repair, 3 * BN)
        self._payment(self.repair, 1 * BN).action_post()
        self.repair._reserve(1.5 * BN, "Gói thầu", 2022)
        # allocation 3 bn is the floor; try to cut to 2.6 bn
        revision = self._revision([(self.repair, 2.6 * BN), (self.equipment, 8.9 * BN)])
        with self.assertRaisesRegex(UserError, "already allocated, committed or spent"):
            revision.with_user(self.manager).action_approve()
        self.assertEqual(self.repair.amount_planned, 8.15 * BN)
        self.assertEqual(revision.state, "draft")

    def test_revision_only_by_manager(self):
        revision = self._revision([(self.repair, 8 * BN), (self.equipment, 3.5 * BN)])
        with self.assertRaisesRegex(UserError, "Manager"):
            revision.with_user(self.planner).action_approve()
        self.assertEqual(revision.state, "draft")

    def test_approved_revision_is_frozen(self):
        revision = self._revision([(self.repair, 8 * BN), (self.equipment, 3.5 * BN)])
        revision.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            revision.line_ids[0].with_user(self.manager).write({"amount_new": 1})
        with self.assertRaises(UserError):
            revision.with_user(self.manager).write({"decision_number": "X"})
        with self.assertRaises(UserError):
            revision.with_user(self.manager).action_approve()
        self.assertEqual(self.repair.amount_planned, 8 * BN)

    def test_revision_cancel(self):
        revision = self._revision([(self.repair, 8 * BN), (self.equipment, 3.5 * BN)])
        revision.with_user(self.planner).action_cancel()
        self.assertEqual(revision.state, "cancelled")
        with self.assertRaises(UserError):
            revision.with_user(self.manager).action_approve()
        self.assertEqual(self.repair.amount_planned, 8.15 * BN)

    def test_revision_line_of_other_scheme_refused(self):
        other = self._create_scheme(code="TEST-OTHER")
        with self.assertRaisesRegex(ValidationError, "does not belong"):
            self._revision([(other.budget_line_ids[0], 1 * BN)])
