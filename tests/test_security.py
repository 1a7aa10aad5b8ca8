from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BN, SocialSchemeCase


@tagged("post_install", "-at_install")
class TestSecurity(SocialSchemeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme()
        cls.repair, cls.equipment = cls._lines(cls.scheme)
        cls.other_scheme = cls._running_scheme(code="TEST-B", implementing_unit_id=cls.other_unit.id)
        cls.other_repair, _ = cls._lines(cls.other_scheme)
        cls.payment = cls._payment(cls.repair, 0.1 * BN)
        cls.payment.action_post()
        cls.other_payment = cls._payment(cls.other_repair, 0.2 * BN, user=cls.other_officer)
        cls.other_payment.with_user(cls.other_officer).action_post()
        cls.commitment = cls.repair._reserve(0.3 * BN, "Gói thầu", 2022)
        cls.revision = cls.env["social.scheme.revision"].with_user(cls.planner).create(
            {"scheme_id": cls.scheme.id, "reason": "x",
             "line_ids": [Command.create({"budget_line_id": cls.repair.id, "amount_new": 8 * BN})]}
        )
        cls.code = cls.env.ref("social_scheme.budget_code_item_6900")

    def _records(self):
        return {
            "social.scheme": self.scheme,
            "social.scheme.budget.line": self.repair,
            "social.scheme.allocation": self.repair.allocation_ids[:1],
            "social.scheme.commitment": self.commitment,
            "social.scheme.revision": self.revision,
            "social.scheme.revision.line": self.revision.line_ids,
            "social.scheme.disbursement": self.payment,
            "social.scheme.budget.code": self.code,
        }

    def test_groups_and_implications(self):
        self.assertTrue(self.manager.has_group("social_scheme.group_planner"))
        self.assertTrue(self.manager.has_group("social_scheme.group_reviewer"))
        self.assertTrue(self.planner.has_group("social_scheme.group_reviewer"))
        self.assertTrue(self.planner.has_group("project.group_project_user"))
        self.assertTrue(self.unit_head.has_group("social_scheme.group_officer"))
        self.assertFalse(self.officer.has_group("social_scheme.group_reviewer"))
        self.assertFalse(self.reviewer.has_group("social_scheme.group_planner"))

    def test_reviewer_reads_everything_writes_nothing(self):
        for model, record in self._records().items():
            as_reviewer = record.with_user(self.reviewer)
            as_reviewer.check_access("read")
            self.assertTrue(as_reviewer.read(["display_name"]))
            for operation in ("write", "create", "unlink"):
                with self.assertRaises(AccessError, msg=f"reviewer {operation} on {model}"):
                    self.env[model].with_user(self.reviewer).check_access(operation)
        with self.assertRaises(AccessError):
            self.scheme.with_user(self.reviewer).write({"name": "x"})
        self.assertNotEqual(self.scheme.name, "x")
        self.assertEqual(
            self.env["social.scheme"].with_user(self.reviewer).search_count([]),
            self.env["social.scheme"].search_count([]),
        )

    def test_planner_rights(self):
        Scheme = self.env["social.scheme"].with_user(self.planner)
        for operation in ("read", "write", "create", "unlink"):
            Scheme.check_access(operation)
            self.env["social.scheme.budget.line"].with_user(self.planner).check_access(operation)
            self.env["social.scheme.allocation"].with_user(self.planner).check_access(operation)
            self.env["social.scheme.revision"].with_user(self.planner).check_access(operation)
        for operation in ("write", "create", "unlink"):
            with self.assertRaises(AccessError, msg="planners do not handle money"):
                self.env["social.scheme.disbursement"].with_user(self.planner).check_access(operation)
            with self.assertRaises(AccessError):
                self.env["social.scheme.budget.code"].with_user(self.planner).check_access(operation)
        with self.assertRaises(AccessError):
            self._payment(self.repair, 1, user=self.planner)
        with self.assertRaisesRegex(UserError, "officer"):
            self.payment.with_user(self.planner).action_cancel()
        self.assertEqual(self.payment.state, "posted")

    def test_manager_configures_and_acts_for_any_unit(self):
        Code = self.env["social.scheme.budget.code"].with_user(self.manager)
        code = Code.create({"code": "7001", "name": "Chi nghiệp vụ", "dimension": "item"})
        code.write({"name": "Chi nghiệp vụ chuyên môn"})
        code.unlink()
        payment = self._payment(self.other_repair, 0.05 * BN, user=self.manager)
        payment.with_user(self.manager).action_post()
        self.assertEqual(payment.state, "posted")
        self.assertEqual(payment.unit_id, self.other_unit)

    def test_officer_sees_only_own_units(self):
        Scheme = self.env["social.scheme"].with_user(self.officer)
        self.assertEqual(Scheme.search([("id", "in", (self.scheme | self.other_scheme).ids)]), self.scheme)
        Payment = self.env["social.scheme.disbursement"].with_user(self.officer)
        self.assertEqual(Payment.search([("id", "in", (self.payment | self.other_payment).ids)]), self.payment)
        with self.assertRaises(AccessError):
            self.other_payment.with_user(self.officer).read(["amount"])
        with self.assertRaises(AccessError):
            self.other_scheme.with_user(self.officer).read(["name"])
        with self.assertRaises(AccessError):
            self.other_repair.with_user(self.officer).read(["amount_available"])
        with self.assertRaises(AccessError):
            self.other_repair.allocation_ids.with_user(self.officer).read(["amount"])

    def test_officer_reads_own_scheme_but_does_not_plan(self):
        self.scheme.with_user(self.officer).read(["name", "amount_total"])
        self.repair.with_user(self.officer).read(["amount_available"])
        self.commitment.with_user(self.officer).read(["amount"])
        for model in ("social.scheme", "social.scheme.budget.line", "social.scheme.allocation",
                      "social.scheme.revision"):
            for operation in ("write", "create", "unlink"):
                with self.assertRaises(AccessError, msg=f"officer {operation} on {model}"):
                    self.env[model].with_user(self.officer).check_access(operation)

    def test_officer_cannot_touch_another_units_payment(self):
        with self.assertRaises(AccessError):
            self.other_payment.with_user(self.officer).action_cancel()
        self.assertEqual(self.other_payment.state, "posted")
        draft = self._payment(self.other_repair, 1, user=self.other_officer)
        with self.assertRaises(AccessError):
            draft.with_user(self.officer).write({"amount": 2})
        with self.assertRaises(AccessError):
            draft.with_user(self.officer).action_post()
        with self.assertRaises(AccessError):
            draft.with_user(self.officer).unlink()
        self.assertEqual((draft.amount, draft.state), (1, "draft"))

    def test_officer_cannot_create_payment_for_another_unit(self):
        with self.assertRaises(AccessError):
            self._payment(self.other_repair, 1, user=self.officer)
        # Even on a scheme both units take part in, an officer books only for their own unit.
        self.scheme.with_user(self.planner).write({"unit_ids": [Command.link(self.other_unit.id)]})
        with self.assertRaises(AccessError):
            self._payment(self.repair, 1, user=self.officer, unit_id=self.other_unit.id)
        self._payment(self.repair, 1, user=self.other_officer, unit_id=self.other_unit.id)
        self.assertEqual(len((self.repair | self.other_repair).disbursement_ids.filtered(lambda p: p.amount == 1)), 1)

    def test_officer_handles_own_payments(self):
        payment = self._payment(self.repair, 0.2 * BN)
        payment.with_user(self.officer).write({"document_number": "KBNN-01"})
        payment.with_user(self.officer).action_post()
        self.assertEqual(payment.state, "posted")
        draft = self._payment(self.repair, 1)
        draft.with_user(self.officer).unlink()
        self.assertFalse(draft.exists())

    def test_officer_rules_follow_unit_assignment(self):
        Scheme = self.env["social.scheme"].with_user(self.other_officer)
        self.assertFalse(Scheme.search([("id", "=", self.scheme.id)]))
        self.other_officer.write({"scheme_unit_ids": [Command.link(self.unit.id)]})
        self.assertEqual(Scheme.search([("id", "=", self.scheme.id)]), self.scheme, "cached rules refresh")

    def test_officer_who_is_also_planner_sees_all(self):
        self.officer.write({"groups_id": [Command.link(self.env.ref("social_scheme.group_planner").id)]})
        found = self.env["social.scheme"].with_user(self.officer).search(
            [("id", "in", (self.scheme | self.other_scheme).ids)]
        )
        self.assertEqual(found, self.scheme | self.other_scheme)
        found = self.env["social.scheme.disbursement"].with_user(self.officer).search(
            [("id", "in", (self.payment | self.other_payment).ids)]
        )
        self.assertEqual(found, self.payment | self.other_payment)

    def test_nobody_edits_commitments_by_hand(self):
        for user in (self.officer, self.planner, self.manager):
            with self.assertRaises(AccessError):
                self.commitment.with_user(user).write({"amount": 0})
            with self.assertRaises(AccessError):
                self.commitment.with_user(user).unlink()
        self.assertEqual(self.commitment.amount, 0.3 * BN)

    def test_unit_head_is_an_officer_of_own_unit(self):
        found = self.env["social.scheme.disbursement"].with_user(self.unit_head).search(
            [("id", "in", (self.payment | self.other_payment).ids)]
        )
        self.assertEqual(found, self.payment)
