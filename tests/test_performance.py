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
