from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .common import SocialSchemeCase


@tagged("post_install", "-at_install")
class TestRollupQueries(SocialSchemeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        vals = []
        for index in range(50):
            vals.append(cls._scheme_vals(code=f"PERF-{index:03d}", budget_line_ids=[
                Command.create({"name": f"Line {index}-{k}", "category": "other", "amount_planned": 1_000_000 * k})
                for k in range(1, 5)
            ], amount_total=10_000_000))
        cls.schemes = cls.env["social.scheme"].create(vals)

    FIELDS = ["code", "amount_total", "amount_planned", "amount_allocated", "amount_committed",
              "amount_spent", "amount_available", "disbursement_rate", "state"]

    def _read_rollups(self, count):
        self.env.invalidate_all()
        schemes = self.schemes[:count].with_user(self.reviewer)
        return schemes.read(self.FIELDS)

    # Reading stored roll-ups is one query for the rows whatever their number
    # (plus the access-rule checks, which do not depend on it either).
    ROLLUP_QUERIES = 1

    def test_reading_rollups_costs_the_same_for_5_and_50_schemes(self):
        self._read_rollups(5)  # warm the rule and field caches
        with self.assertQueryCount(self.ROLLUP_QUERIES):
            rows_5 = self._read_rollups(5)
        with self.assertQueryCount(self.ROLLUP_QUERIES):
            rows_50 = self._read_rollups(50)
        self.assertEqual((len(rows_5), len(rows_50)), (5, 50))
        self.assertTrue(all(row["amount_planned"] == 10_000_000 for row in rows_50))

    def test_list_view_query_count_is_bounded(self):
        self._read_rollups(5)
        with self.assertQueryCount(self.ROLLUP_QUERIES + 1):
            self.env.invalidate_all()
            self.env["social.scheme"].with_user(self.reviewer).search_read(
                [("id", "in", self.schemes[:50].ids)], self.FIELDS
            )


@tagged("post_install", "-at_install")
class TestApprovalQueries(SocialSchemeCase):
    """Approving a package costs a fixed number of queries, however busy its budget line."""

    # row lock, availability, commitment and state (DESIGN target ≤ 15); the chatter
    # around it (to-dos removed, submitter messaged) is Odoo's mail machinery
    APPROVAL_QUERIES = 15

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme()
        cls.busy_line, cls.quiet_line = cls._lines(cls.scheme)
        for index in range(30):
            cls._payment(cls.busy_line, 1_000_000 + index, kind=("advance", "payment")[index % 2])
        for index in range(10):
            package = cls._package(cls.busy_line, f"Gói cũ {index}")
            package.with_user(cls.unit_head).action_approve()

    @classmethod
    def _package(cls, line, name):
        package = cls.env["social.scheme.procurement.package"].with_user(cls.officer).create({
            "name": name, "scheme_id": cls.scheme.id, "budget_line_id": line.id, "procurement_type": "goods",
            "amount_estimate": 50_000_000, "date_planned": "2022-11-10"})
        package.action_submit()
        return package

    def _approval_queries(self, package):
        """(queries of the approval itself, queries of the whole call) for ``package``."""
        Package = type(self.env["social.scheme.procurement.package"])
        close_approval = Package._close_approval
        chatter = []

        def counted(records, *args, **kwargs):
            records.env.flush_all()  # the approval's own writes count as the approval's
            start = self.cr.sql_log_count
            result = close_approval(records, *args, **kwargs)
            chatter.append(self.cr.sql_log_count - start)
            return result

        self.env.invalidate_all()
        start = self.cr.sql_log_count
        with patch.object(Package, "_close_approval", counted):
            package.with_user(self.unit_head).action_approve()
            self.env.flush_all()
        total = self.cr.sql_log_count - start
        self.assertEqual(package.state, "approved")
        return total - sum(chatter), total

    def test_approval_query_count_does_not_depend_on_the_line(self):
        self._approval_queries(self._package(self.quiet_line, "Khởi động"))  # warm the caches
        quiet = self._approval_queries(self._package(self.quiet_line, "Máy tính"))
        busy = self._approval_queries(self._package(self.busy_line, "Bàn ghế"))
        self.assertEqual(quiet, busy, "40 more records on the line must not cost a query")
        self.assertLessEqual(busy[0], self.APPROVAL_QUERIES)
        self.assertEqual(self.busy_line.amount_committed, 11 * 50_000_000)
