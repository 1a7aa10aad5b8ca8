import io

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import BN, SocialSchemeCase

TR = 1_000_000
HEADER_ROW = 6  # title block on rows 1-4, header on row 6 (openpyxl counts from 1)


@tagged("post_install", "-at_install")
class TestYearlyLedger(SocialSchemeCase):
    """Each year's money is its own: a payment of year Y draws only on Y's available money."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme, cls.repair = cls._repair_scheme("FY-01", "2025-12-31")

    def _year(self, line, year):
        self.env["social.scheme.budget.year"].invalidate_model()  # a view: its rows change with the ledger
        return self.env["social.scheme.budget.year"].search(
            [("budget_line_id", "=", line.id), ("fiscal_year", "=", year)])

    def test_last_year_unspent_money_does_not_pay_this_year(self):
        """The case of the issue: 2023's unspent 0.5 bn is not 2024 money."""
        self._allocate(self.repair, 1 * BN, year=2023)
        self._payment(self.repair, 0.5 * BN, date="2023-11-15").action_post()
        self._allocate(self.repair, 1 * BN, year=2024)
        payment = self._payment(self.repair, 1.2 * BN, date="2024-06-15")
        with self.assertRaisesRegex(UserError, r"in 2024: only 1,000,000,000\s₫ of 2024 is available"):
            payment.action_post()
        self.assertEqual(payment.state, "draft")
        self.assertEqual(self.repair.amount_spent, 0.5 * BN)
        # the lifetime total would have allowed it
        self.assertEqual(self.repair.amount_available, 1.5 * BN)
        self.assertEqual(self._year(self.repair, 2023).amount_available, 0.5 * BN)
        self.assertEqual(self._year(self.repair, 2024).amount_available, 1 * BN)

    def test_year_view_is_one_query_per_read(self):
        self._allocate(self.repair, 1 * BN, year=2023)
        self._allocate(self.repair, 1 * BN, year=2024)
        self._payment(self.repair, 0.3 * BN, date="2024-03-01").action_post()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            years = self.env["social.scheme.budget.year"].search_read(
                [("budget_line_id", "=", self.repair.id)], ["fiscal_year", "amount_spent", "amount_available"])
        self.assertEqual(sorted((y["fiscal_year"], y["amount_spent"], y["amount_available"]) for y in years),
                         [(2023, 0, 1 * BN), (2024, 0.3 * BN, 0.7 * BN)])

    def test_adjustment_period_books_to_the_previous_year(self):
        self._allocate(self.repair, 1 * BN, year=2023)
        self._allocate(self.repair, 1 * BN, year=2024)
        with Form(self.env["social.scheme.disbursement"].with_user(self.officer)) as form:
            form.name = "Thanh toán chỉnh lý"
            form.budget_line_id = self.repair
            form.date = "2024-01-20"
            self.assertEqual(form.fiscal_year, 2024, "the date's year by default")
            form.fiscal_year = 2023
            form.amount = 0.2 * BN
        payment = form.save()
        payment.action_post()
        self.assertEqual(self._year(self.repair, 2023).amount_spent, 0.2 * BN)
        self.assertEqual(self._year(self.repair, 2024).amount_spent, 0)
        with self.assertRaisesRegex(ValidationError, "until 31/01/2024, to 2023"):
            self._payment(self.repair, 1 * TR, date="2024-02-01", fiscal_year=2023)
        with self.assertRaisesRegex(ValidationError, "booked to 2024"):
            self._payment(self.repair, 1 * TR, date="2024-05-01", fiscal_year=2025)

    def test_allocation_outside_the_scheme_or_after_the_year_deadline_refused(self):
        with self.assertRaisesRegex(ValidationError, "2026 is outside"):
            self._allocate(self.repair, 1 * BN, year=2026)
        allocation = self.env["social.scheme.allocation"].with_user(self.planner)
        # 2024 is under the old calendar: allocations change until 15/11
        with self.assertRaisesRegex(ValidationError, "change until 15/11/2024"):
            allocation.create({"budget_line_id": self.repair.id, "fiscal_year": 2024, "amount": BN,
                               "date": "2024-11-20"})
        # 2025 as well; from 2026 (NĐ 73/2026) until 15/12
        self.assertFalse(self.repair.allocation_ids)

    def test_calendar_is_data_behaviour_follows_it(self):
        """A manager moves the 2017-2025 deadline to 30/11: a decision of 20/11/2024 is then accepted."""
        rule = self.env.ref("social_scheme.year_calendar_allocation_last_old")
        rule.with_user(self.manager).write({"day": 30})
        allocation = self.env["social.scheme.allocation"].with_user(self.planner).create(
            {"budget_line_id": self.repair.id, "fiscal_year": 2024, "amount": BN, "date": "2024-11-20"})
        self.assertEqual(self._year(self.repair, 2024).amount_allocated, BN)
        # and the adjustment period follows its rule too
        self.env.ref("social_scheme.year_calendar_adjustment_end_old").with_user(self.manager).write(
            {"day": 10, "month": 2})
        payment = self._payment(self.repair, TR, date="2025-02-05", fiscal_year=2024)
        self.assertEqual(payment.fiscal_year, 2024)
        self.assertTrue(allocation)

    def test_only_managers_edit_the_calendar_and_categories(self):
        rule = self.env.ref("social_scheme.year_calendar_allocation_last_old")
        for user in (self.planner, self.officer, self.reviewer):
            with self.assertRaises(AccessError):
                rule.with_user(user).write({"day": 30})
            with self.assertRaises(AccessError):
                self.env.ref("social_scheme.carry_category_contract").with_user(user).write({"requires_decision": True})
        self.assertEqual(rule.day, 15)
        self.assertIn("NĐ 163/2016", rule.legal_basis)
        self.assertIn("NĐ 73/2026", self.env.ref("social_scheme.year_calendar_allocation_last_2026").legal_basis)


class YearClosingCase(SocialSchemeCase):
    """A 2023-2024 scheme whose 2023 has a contract, a reservation, late money, unspent money and an advance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme, cls.repair = cls._repair_scheme("FY-02", "2024-12-31")
        cls._allocate(cls.repair, 1 * BN, year=2023)
        Allocation = cls.env["social.scheme.allocation"].with_user(cls.planner)
        Allocation.create({"budget_line_id": cls.repair.id, "fiscal_year": 2023, "amount": 0.2 * BN,
                           "date": "2023-10-15", "decision_number": "bổ sung"})
        cls.contracted = cls._contract(0.7 * BN, 0.6 * BN, "2023-11-20")
        cls._payment(cls.repair, 0.4 * BN, package_id=cls.contracted.id, date="2023-12-10").action_post()
        cls.reserved = cls._package_approved(0.1 * BN)
        cls._payment(cls.repair, 0.1 * BN, date="2023-12-01").action_post()
        cls._payment(cls.repair, 0.05 * BN, kind="advance", date="2023-12-02").action_post()
        # 2023: allocated 1.2; committed 0.2 (contract remainder) + 0.1 (reservation); spent 0.55 → 0.35 free

    @classmethod
    def _package_approved(cls, estimate, **vals):
        package = cls.env["social.scheme.procurement.package"].with_user(cls.officer).create({
            "name": "Gói sửa chữa", "scheme_id": cls.scheme.id, "budget_line_id": cls.repair.id,
            "procurement_type": "works", "amount_estimate": estimate, "date_planned": "2023-10-01",
            "method_justification": "test", **vals})
        package.action_submit()
        package.with_user(cls.unit_head).action_approve()
        return package

    @classmethod
    def _contract(cls, estimate, amount, date):
        package = cls._package_approved(estimate)
        package.action_start_selection()
        package.write({"vendor_id": cls.vendor.id, "contract_number": "HĐ-01", "contract_date": date,
                       "amount_contract": amount})
        package.action_contract()
        return package

    def _closing(self, year=2023, user=None):
        closing = self.env["social.scheme.year.closing"].with_user(user or self.manager).create(
            {"fiscal_year": year, "scheme_ids": [Command.set(self.scheme.ids)]})
        closing.action_propose()
        return closing

    def _by_source(self, closing):
        return {line.source: line for line in closing.line_ids}

    def _year(self, year):
        self.env["social.scheme.budget.year"].invalidate_model()  # a view: its rows change with the ledger
        return self.env["social.scheme.budget.year"].search(
            [("budget_line_id", "=", self.repair.id), ("fiscal_year", "=", year)])


@tagged("post_install", "-at_install")
class TestYearClosing(YearClosingCase):
    """Closing 2023: what is proposed, booked, carried, cancelled and reopened."""

    def test_proposal_follows_the_categories(self):
        closing = self._closing()
        got = {(line.source, line.decision, line.category_id.kind or False, line.amount, line.package_id)
               for line in closing.line_ids}
        self.assertEqual(got, {
            ("contract", "carry_forward", "contract", 0.2 * BN, self.contracted),
            ("reservation", "cancel", False, 0.1 * BN, self.reserved),
            ("late_allocation", "carry_forward", "late_allocation", 0.2 * BN, self.env["social.scheme.procurement.package"]),
            ("unspent", "cancel", False, 0.15 * BN, self.env["social.scheme.procurement.package"]),
            ("advance", "settle", False, 0.05 * BN, self.env["social.scheme.procurement.package"]),
        })
        self.assertEqual(str(closing.date_advance_refund), "2024-02-15")
        # before the closing, the contract's money is 2023's: a 2024 payment under it is refused
        with self.assertRaisesRegex(UserError, "reserved in 2023"):
            self._payment(self.repair, 0.1 * BN, package_id=self.contracted.id, date="2024-03-10").action_post()

    def test_confirm_books_the_year_and_carried_money_serves_only_the_next_year(self):
        closing = self._closing()
        closing.action_confirm()
        self.assertEqual(closing.state, "done")
        y2023, y2024 = self._year(2023), self._year(2024)
        self.assertEqual(y2023.state, "closed")
        self.assertEqual((y2023.amount_cancelled, y2023.amount_carried_out, y2023.amount_committed,
                          y2023.amount_available), (0.25 * BN, 0.4 * BN, 0, 0))
        self.assertEqual((y2024.amount_opening, y2024.amount_committed, y2024.amount_available, y2024.state),
                         (0.4 * BN, 0.2 * BN, 0.2 * BN, "open"))
        # lifetime: cancelled money is gone, carried money counted once
        self.assertEqual((self.repair.amount_allocated, self.repair.amount_cancelled, self.repair.amount_committed,
                          self.repair.amount_spent, self.repair.amount_available),
                         (0.95 * BN, 0.25 * BN, 0.2 * BN, 0.55 * BN, 0.2 * BN))
        self.assertEqual(self.scheme.amount_available, 0.2 * BN)
        # the contract moved with its remainder; the reservation of the unfinished selection is gone
        self.assertEqual((self.contracted.fiscal_year, self.contracted.commitment_id.fiscal_year,
                          self.contracted.amount_commitment), (2024, 2024, 0.2 * BN))
        self.assertEqual(self.reserved.commitment_id.state, "released")
        # one message per scheme
        self.assertIn("closed 2023", self.scheme.message_ids[0].body)
        # nothing more posts to 2023
        late = self._payment(self.repair, TR, date="2024-01-10", fiscal_year=2023)
        with self.assertRaisesRegex(UserError, "2023 is closed"):
            late.action_post()
        with self.assertRaisesRegex(UserError, "2023 is closed"):
            self._allocate(self.repair, TR, year=2023)
        # the contract is paid from 2024, never booked to 2023
        with self.assertRaisesRegex(UserError, "2023 is closed"):
            self._payment(self.repair, 0.1 * BN, package_id=self.contracted.id, date="2024-01-10",
                          fiscal_year=2023).action_post()
        self._payment(self.repair, 0.2 * BN, package_id=self.contracted.id, date="2024-03-10").action_post()
        self.assertEqual(self.contracted.commitment_id.state, "consumed")
        # the carried late money (0.2) pays 2024 on the same line, not a cent more
        with self.assertRaisesRegex(UserError, r"only 200,000,000\s₫ of 2024"):
            self._payment(self.repair, 0.25 * BN, date="2024-04-01").action_post()
        self._payment(self.repair, 0.2 * BN, date="2024-04-01").action_post()
        self.assertEqual(self._year(2024).amount_available, 0)

    def test_reopen_restores_the_year_until_the_carried_money_is_used(self):
        closing = self._closing()
        closing.action_confirm()
        with self.assertRaisesRegex(UserError, "reason"):
            closing.action_reopen()
        closing.reopen_reason = "Sai sót số liệu"
        closing.action_reopen()
        self.assertEqual(closing.state, "reopened")
        self.assertEqual(self._year(2023).state, "open")
        self.assertEqual(self._year(2023).amount_available, 0.35 * BN)
        self.assertEqual((self.contracted.fiscal_year, self.contracted.commitment_id.fiscal_year,
                          self.contracted.commitment_id.state), (2023, 2023, "open"))
        self.assertEqual(self.reserved.commitment_id.state, "open")
        self.assertEqual(self.repair.amount_available, 0.35 * BN)
        # closed again, then the carried money is used in 2024: no reopening any more
        again = self._closing()
        again.action_confirm()
        self._payment(self.repair, 0.1 * BN, date="2024-04-01").action_post()
        again.reopen_reason = "Sai sót"
        with self.assertRaisesRegex(UserError, "can no longer be reopened"):
            again.action_reopen()
        self.assertEqual(again.state, "done")

    def test_reopen_refused_when_the_contract_was_paid_from_the_carried_money(self):
        closing = self._closing()
        closing.action_confirm()
        self._payment(self.repair, 0.05 * BN, package_id=self.contracted.id, date="2024-02-10").action_post()
        closing.reopen_reason = "Sai sót"
        with self.assertRaisesRegex(UserError, "can no longer be reopened"):
            closing.action_reopen()

    def test_carried_money_unused_is_cancelled_next_year_unless_decided(self):
        self._closing().action_confirm()
        closing = self._closing(2024)
        by_source = self._by_source(closing)
        # the contract was carried once already: cancelled by default; the late money came in as opening
        self.assertEqual((by_source["contract"].decision, by_source["contract"].amount), ("cancel", 0.2 * BN))
        self.assertEqual((by_source["carried_in"].decision, by_source["carried_in"].amount), ("cancel", 0.2 * BN))
        by_source["contract"].write({"decision": "carry_forward",
                                     "category_id": self.env.ref("social_scheme.carry_category_contract").id})
        with self.assertRaisesRegex(UserError, "carried forward once already"):
            closing.action_confirm()
        by_source["contract"].write({"reason": "Hợp đồng kéo dài", "decision_number": "15/QĐ-UBND"})
        closing.action_confirm()
        self.assertEqual(self.contracted.commitment_id.fiscal_year, 2025)

    def test_bad_decisions_refused_and_nothing_booked(self):
        closing = self._closing()
        by_source = self._by_source(closing)
        unspent = by_source["unspent"]
        unspent.decision = "carry_forward"
        with self.assertRaisesRegex(UserError, "choose the carry-forward category"):
            closing.action_confirm()
        unspent.category_id = self.env.ref("social_scheme.carry_category_contract")
        with self.assertRaisesRegex(UserError, "only the remainder of a contract"):
            closing.action_confirm()
        unspent.category_id = self.env.ref("social_scheme.carry_category_other")
        with self.assertRaisesRegex(UserError, "needs the decision number and its reason"):
            closing.action_confirm()
        unspent.write({"reason": "Nhiệm vụ chuyển tiếp", "decision_number": "20/QĐ"})
        # above what is unspent, or to a different line: the proposal's amount and line are the ledger's
        with self.assertRaisesRegex(AccessError, "set by the application"):
            unspent.amount = 0.5 * BN
        with self.assertRaisesRegex(AccessError, "set by the application"):
            unspent.budget_line_id = self.repair.copy({"amount_planned": 0}).id
        # even written by code, a proposal that does not add up to the ledger is refused
        unspent.sudo().amount = 0.5 * BN
        with self.assertRaisesRegex(UserError, "propose again"):
            closing.action_confirm()
        self.assertEqual(closing.state, "draft")
        self.assertEqual(self._year(2023).state, "open")
        self.assertEqual(self._year(2023).amount_cancelled, 0)
        # back to what the ledger says: the carry-forward by decision is accepted
        unspent.sudo().amount = 0.15 * BN
        closing.action_confirm()
        self.assertEqual(self._year(2023).amount_carried_out, 0.55 * BN)
        with self.assertRaisesRegex(UserError, "reopening"):
            unspent.decision = "cancel"

    def test_figures_changed_since_the_proposal_refused(self):
        closing = self._closing()
        self._payment(self.repair, 0.1 * BN, date="2023-12-20").action_post()
        with self.assertRaisesRegex(UserError, "changed since the proposal"):
            closing.action_confirm()
        self.assertEqual(self._year(2023).state, "open")
        closing.action_propose()
        closing.action_confirm()
        self.assertEqual(self._year(2023).amount_cancelled, 0.15 * BN)

    def test_a_running_year_cannot_be_closed(self):
        closing = self._closing()
        with freeze_time("2023-12-31"), self.assertRaisesRegex(UserError, "can be closed after 31/12/2023"):
            closing.action_confirm()
        with freeze_time("2024-01-01"):
            closing.action_confirm()
        self.assertEqual(closing.state, "done")

    def test_closing_a_year_twice_refused(self):
        self._closing().action_confirm()
        second = self.env["social.scheme.year.closing"].with_user(self.manager).create(
            {"fiscal_year": 2023, "scheme_ids": [Command.set(self.scheme.ids)]})
        with self.assertRaisesRegex(UserError, "already closed"):
            second.action_propose()

    def test_reopening_a_year_under_a_closed_year_refused(self):
        first = self._closing()
        first.action_confirm()
        self._closing(2024).action_confirm()
        first.reopen_reason = "x"
        with self.assertRaisesRegex(UserError, "reopen it before"):
            first.action_reopen()

    def test_only_managers_close_and_reopen(self):
        for user in (self.planner, self.officer, self.reviewer, self.unit_head):
            with self.assertRaises(UserError):
                closing = self.env["social.scheme.year.closing"].with_user(user).create(
                    {"fiscal_year": 2023, "scheme_ids": [Command.set(self.scheme.ids)]})
                closing.action_propose()
        closing = self._closing()
        for user in (self.planner, self.officer, self.reviewer):
            with self.assertRaises(UserError):
                closing.with_user(user).action_confirm()
        closing.action_confirm()
        closing.reopen_reason = "x"
        for user in (self.planner, self.reviewer):
            with self.assertRaises(UserError):
                closing.with_user(user).action_reopen()
        self.assertEqual(closing.state, "done")
        # the reviewer reads the closing and the years
        self.assertEqual(closing.with_user(self.reviewer).amount_cancelled, 0.25 * BN)

    def test_officer_sees_its_units_years_only(self):
        other = self._running_scheme(code="FY-OTHER", implementing_unit_id=self.other_unit.id)
        Year = self.env["social.scheme.budget.year"]
        self.assertEqual(set(Year.with_user(self.officer).search([]).scheme_id.ids), {self.scheme.id})
        self.assertEqual(set(Year.with_user(self.other_officer).search([]).scheme_id.ids), {other.id})
        self.assertEqual(set(Year.with_user(self.reviewer).search([("scheme_id", "in", (self.scheme | other).ids)])
                             .scheme_id.ids), {self.scheme.id, other.id})


@tagged("post_install", "-at_install")
class TestSettlementReports(YearClosingCase):
    """The reviewer's settlement of a closed year, and the demo years."""

    def _export(self, report, user=None, **filters):
        wizard = self.env["social.scheme.report.wizard"].with_user(user or self.reviewer).create(
            {"report": report, **filters})
        data, _name = self._download(wizard, wizard.action_export())
        return load_workbook(io.BytesIO(data))

    @staticmethod
    def _rows(sheet):
        return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]

    def test_settlement_of_a_closed_year_balances(self):
        self._closing().action_confirm()
        workbook = self._export("settlement", scheme_ids=[Command.set(self.scheme.ids)], fiscal_year=2023)
        b01 = workbook.worksheets[0]
        self.assertEqual(b01.title, "B01-BCQT")
        line_row = next(r for r in self._rows(b01) if r[1] == self.repair.name)
        # opening, allocated, usable, spent, cancelled, carried, committed, available, check
        self.assertEqual(line_row[3:12], [0, 1.2 * BN, 1.2 * BN, 0.55 * BN, 0.25 * BN, 0.4 * BN, 0, 0, "✓"])
        f01 = workbook.worksheets[1]
        self.assertTrue(f01.title.startswith("F01-"))
        f01_row = next(r for r in self._rows(f01) if r[0] == self.repair.name)
        self.assertEqual(f01_row[2:9], [3 * BN, 1.2 * BN, 1.2 * BN, 0.55 * BN, 0.55 * BN, 0.25 * BN, 2.45 * BN])
        # 2024: the carried money opens the year; cumulative figures add 2023's
        self._payment(self.repair, 0.2 * BN, package_id=self.contracted.id, date="2024-03-10").action_post()
        workbook = self._export("settlement", scheme_ids=[Command.set(self.scheme.ids)], fiscal_year=2024)
        line_row = next(r for r in self._rows(workbook.worksheets[0]) if r[1] == self.repair.name)
        self.assertEqual(line_row[3:12], [0.4 * BN, 0, 0.4 * BN, 0.2 * BN, 0, 0, 0, 0.2 * BN, "✓"])
        f01_row = next(r for r in self._rows(workbook.worksheets[1]) if r[0] == self.repair.name)
        self.assertEqual(f01_row[5:7], [0.2 * BN, 0.75 * BN])

    def test_settlement_refuses_a_year_that_does_not_balance(self):
        self._closing().action_confirm()
        # a forged stored total (as an outside client could once write it) is caught
        self.env.cr.execute("UPDATE social_scheme_budget_line SET amount_available = 1e15 WHERE id = %s",
                            [self.repair.id])
        self.repair.invalidate_recordset()
        with self.assertRaisesRegex(UserError, r"does not balance on \[FY-02\] Sửa chữa"):
            self._export("settlement", scheme_ids=[Command.set(self.scheme.ids)], fiscal_year=2023)
        with self.assertRaisesRegex(UserError, "Choose the fiscal year"):
            self._export("settlement", scheme_ids=[Command.set(self.scheme.ids)])

    def test_budget_execution_has_per_year_columns(self):
        self._closing().action_confirm()
        workbook = self._export("budget_execution", scheme_ids=[Command.set(self.scheme.ids)])
        sheet = workbook.worksheets[1]
        header = [c.value for c in sheet[HEADER_ROW]]
        self.assertEqual(header[10:16], ["2023: opening", "2023: allocated", "2023: spent", "2023: cancelled",
                                         "2023: carried forward", "2023: available"])
        self.assertEqual(header[16], "2024: opening")
        row = next(r for r in self._rows(sheet) if r[1] == self.repair.name)
        self.assertEqual(row[10:22], [0, 1.2 * BN, 0.55 * BN, 0.25 * BN, 0.4 * BN, 0,
                                      0.4 * BN, 0, 0, 0, 0, 0.2 * BN])
        # with a fiscal year: that year's open commitments only
        workbook = self._export("budget_execution", scheme_ids=[Command.set(self.scheme.ids)], fiscal_year=2024)
        row = next(r for r in self._rows(workbook.worksheets[1]) if r[1] == self.repair.name)
        self.assertEqual((row[5], row[6]), (0, 0.2 * BN))

    def test_officer_exports_its_units_settlement(self):
        self._closing().action_confirm()
        workbook = self._export("settlement", user=self.officer, fiscal_year=2023)
        self.assertEqual({r[0] for r in self._rows(workbook.worksheets[0]) if r[0] and r[0] != "Total"},
                         {"FY-02"})

    def test_demo_settlement_of_2025_balances(self):
        scheme = self.env.ref("social_scheme.scheme_ninh_thuan_2024")
        years = self.env["social.scheme.budget.year"].search([("scheme_id", "=", scheme.id)])
        self.assertEqual({(y.fiscal_year, y.state) for y in years},
                         {(2024, "closed"), (2025, "closed"), (2026, "open")})
        workbook = self._export("settlement", scheme_ids=[Command.set(scheme.ids)], fiscal_year=2025)
        total = self._rows(workbook.worksheets[0])[-1]
        # opening 250 tr + allocated 1.1 tỷ = spent 1.13 tỷ + cancelled 120 tr + carried 100 tr
        self.assertEqual(total[3:12], [0.25 * BN, 1.1 * BN, 1.35 * BN, 1.13 * BN, 0.12 * BN, 0.1 * BN, 0, 0, "✓"])
        lam_dong = self.env.ref("social_scheme.scheme_lam_dong_2022")
        workbook = self._export("settlement", scheme_ids=[Command.set(lam_dong.ids)], fiscal_year=2022)
        total = self._rows(workbook.worksheets[0])[-1]
        self.assertEqual(total[3:12], [0, 5.9 * BN, 5.9 * BN, 4.875 * BN, 0.525 * BN, 0.5 * BN, 0, 0, "✓"])


@tagged("post_install", "-at_install")
class TestDisclosure(YearClosingCase):
    """A unit publishes its budget: figures from the ledger, frozen when published, dated."""

    def _disclosure(self, form, year=2023, user=None):
        return self.env["social.scheme.disclosure"].with_user(user or self.planner).create({
            "form_id": self.env.ref(f"social_scheme.disclosure_form_{form}").id, "fiscal_year": year,
            "unit_id": self.unit.id, "scheme_ids": [Command.set(self.scheme.ids)]})

    def test_execution_at_a_period_end_and_publication(self):
        disclosure = self._disclosure("q3")
        self.assertEqual((str(disclosure.date_period_end), str(disclosure.date_due)), ("2023-09-30", "2023-10-15"))
        disclosure.action_update()
        self.assertEqual(disclosure.line_ids.mapped("amount_estimate"), [1.2 * BN])
        self.assertEqual(disclosure.line_ids.mapped("amount_executed"), [0], "nothing paid by 30/09/2023")
        year = self._disclosure("year")
        year.action_update()
        self.assertEqual(year.line_ids.mapped("amount_executed"), [0.55 * BN])
        with self.assertRaisesRegex(UserError, "Only a Manager publishes"):
            year.action_publish()
        year.with_user(self.manager).action_publish()
        self.assertEqual((year.state, year.date_published, year.published_by_id),
                         ("published", fields.Date.today(), self.manager))
        # published figures do not move with the ledger, nor by a user's write
        self._payment(self.repair, 0.01 * BN, date="2023-12-30").action_post()
        self.assertEqual(year.line_ids.mapped("amount_executed"), [0.55 * BN])
        with self.assertRaises(UserError):
            year.with_user(self.manager).action_update()
        with self.assertRaises(UserError):
            year.line_ids.with_user(self.manager).write({"amount_executed": 1})
        with self.assertRaisesRegex(UserError, "kept as it was published"):
            year.with_user(self.manager).unlink()
        # wkhtmltopdf must not fetch CSS from this busy test server (see test_reports)
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        report = self.env.ref("social_scheme.action_report_disclosure").with_user(self.reviewer)
        pdf, _kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(report, year.ids)
        text = self.pdf_text(pdf)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", text)
        self.assertIn("CÔNG KHAI TÌNH HÌNH THỰC HIỆN DỰ TOÁN NĂM 2023", text)
        self.assertIn("550.000.000", text)

    def test_settlement_disclosure_shows_cancelled_and_carried(self):
        self._closing().action_confirm()
        disclosure = self._disclosure("settlement")
        disclosure.action_update()
        line = disclosure.line_ids
        self.assertEqual((line.amount_estimate, line.amount_executed, line.amount_cancelled,
                          line.amount_carried_out), (1.2 * BN, 0.55 * BN, 0.25 * BN, 0.4 * BN))

    def test_roles(self):
        with self.assertRaises(AccessError):
            self._disclosure("h1", user=self.officer)
        disclosure = self._disclosure("h1")
        with self.assertRaises(UserError):
            disclosure.with_user(self.reviewer).action_update()
        other = self.env["social.scheme.disclosure"].create({
            "form_id": self.env.ref("social_scheme.disclosure_form_h1").id, "fiscal_year": 2023,
            "unit_id": self.other_unit.id,
            "scheme_ids": [Command.set(self._running_scheme(code="FY-D", implementing_unit_id=self.other_unit.id).ids)]})
        Disclosure = self.env["social.scheme.disclosure"]
        self.assertEqual(Disclosure.with_user(self.officer).search([("id", "in", (disclosure | other).ids)]),
                         disclosure)
        with self.assertRaisesRegex(ValidationError, "only the schemes it takes part in"):
            disclosure.scheme_ids = [Command.link(other.scheme_ids.id)]

    def test_settlement_pdf_a_reviewer_signs(self):
        self._closing().action_confirm()
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        wizard = self.env["social.scheme.report.wizard"].with_user(self.reviewer).create(
            {"report": "settlement", "scheme_ids": [Command.set(self.scheme.ids)], "fiscal_year": 2023})
        action = wizard.action_print_settlement()
        self.assertEqual(action["data"], {"fiscal_year": 2023})
        report = self.env.ref("social_scheme.action_report_settlement").with_user(self.reviewer)
        pdf, _kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report, self.scheme.ids, data={"fiscal_year": 2023})
        text = self.pdf_text(pdf)
        self.assertIn("BÁO CÁO QUYẾT TOÁN KINH PHÍ NĂM 2023", text)
        self.assertIn("1.200.000.000", text)
        self.assertIn("THỦ TRƯỞNG ĐƠN VỊ", text)
