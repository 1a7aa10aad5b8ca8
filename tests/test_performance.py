from unittest.mock import patch

import psycopg2

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import BN, SocialSchemeCase


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

    # Reading the roll-ups is one query for the rows and one grouped query over their
    # lines, whatever their number (the access-rule checks do not depend on it either).
    ROLLUP_QUERIES = 2

    def test_reading_rollups_costs_the_same_for_5_and_50_schemes(self):
        self._read_rollups(5)  # warm the rule and field caches
        with self.assertQueryCount(self.ROLLUP_QUERIES):
            rows_5 = self._read_rollups(5)
        with self.assertQueryCount(self.ROLLUP_QUERIES):
            rows_50 = self._read_rollups(50)
        self.assertEqual((len(rows_5), len(rows_50)), (5, 50))
        self.assertTrue(all(row["amount_planned"] == 10_000_000 for row in rows_50))

    def test_sorting_and_filtering_by_totals_is_one_query(self):
        Line = self.env["social.scheme.budget.line"]
        for index, scheme in enumerate(self.schemes[:10]):
            # the lines' stored spending, as postings leave it (the ledger itself is tested elsewhere)
            Line.browse(scheme.budget_line_ids[:1].ids).write({"amount_spent": 1_000 * (index + 1)})
        self.env.flush_all()
        Scheme = self.env["social.scheme"].with_user(self.reviewer)
        domain = [("id", "in", self.schemes.ids), ("amount_spent", ">", 3_000)]
        Scheme.search(domain, order="amount_spent desc, id")  # warm the rule cache
        with self.assertQueryCount(1):
            found = Scheme.search(domain, order="amount_spent desc, id")
        self.assertEqual(found.mapped("amount_spent"), [10_000, 9_000, 8_000, 7_000, 6_000, 5_000, 4_000])
        self.assertEqual(found, self.schemes[3:10][::-1])
        rate = Scheme.search([("id", "in", self.schemes.ids), ("disbursement_rate", ">=", 0.09)],
                             order="disbursement_rate desc, id")
        self.assertEqual(rate, self.schemes[8:10][::-1], "10,000 and 9,000 of 10,000,000 are ≥ 0.09 %")
        groups = Scheme._read_group([("id", "in", self.schemes.ids)], ["state"], ["amount_spent:sum",
                                                                                 "amount_planned:sum"])
        self.assertEqual(groups, [("draft", 55_000, 50 * 10_000_000)])
        self.assertEqual(Scheme.search_count([("id", "in", self.schemes.ids), ("amount_available", "<", 0)]), 10,
                         "spent without allocation: available is negative, as on the lines")

    def test_list_view_query_count_is_bounded(self):
        self._read_rollups(5)
        with self.assertQueryCount(self.ROLLUP_QUERIES + 1):
            self.env.invalidate_all()
            self.env["social.scheme"].with_user(self.reviewer).search_read(
                [("id", "in", self.schemes[:50].ids)], self.FIELDS
            )

    def test_a_page_of_the_list_is_read_from_its_index(self):
        """The list's default order has an index: a page does not sort every scheme (bench: ×10 schemes)."""
        Scheme = self.env["social.scheme"].with_user(self.reviewer)
        query = Scheme._search([], order=Scheme._order, limit=80)
        self.env.flush_all()
        # planner costs depend on the table's size: with sorting priced out, only an index
        # giving the order itself avoids a Sort node
        self.env.cr.execute("SET LOCAL enable_sort = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.env.cr.execute("SET LOCAL enable_sort = on")
        self.assertIn("social_scheme_list_order_idx", plan)
        self.assertNotIn("Sort", plan)
        self.assertEqual(Scheme.browse(query), Scheme.search([], limit=80))


@tagged("post_install", "-at_install")
class TestApprovalQueries(SocialSchemeCase):
    """Approving a package costs a fixed number of queries, however busy its budget line."""

    # row lock, availability, commitment and state (issue 16: ≤ 12)
    APPROVAL_QUERIES = 12
    # the whole call with the chatter and the commit: the approvers' to-dos removed, one
    # message with the state change in it, e-mailed to the submitter (issue 16: ≤ 40)
    APPROVAL_ALL_QUERIES = 40

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme()
        cls.busy_line, cls.quiet_line = cls._lines(cls.scheme)
        # e-mails are sent after commit in production; test mode would send them inside the call
        cls.env["ir.config_parameter"].sudo().set_param("mail.mail.force.send.limit", 0)
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
            records.env.flush_all()  # and the chatter's own writes the chatter's
            chatter.append(self.cr.sql_log_count - start)
            return result

        self.env.flush_all()
        self.env.cr.precommit.run()  # the submission's own tracking
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        with patch.object(Package, "_close_approval", counted):
            package.with_user(self.unit_head).action_approve()
            self.env.flush_all()
        core = self.cr.sql_log_count - start - sum(chatter)
        self.env.cr.precommit.run()  # what is written at commit (the line's tracking)
        self.assertEqual(package.state, "approved")
        return core, self.cr.sql_log_count - start

    def test_approval_query_count_does_not_depend_on_the_line(self):
        self._approval_queries(self._package(self.quiet_line, "Khởi động"))  # warm the caches
        quiet = self._approval_queries(self._package(self.quiet_line, "Máy tính"))
        busy = self._approval_queries(self._package(self.busy_line, "Bàn ghế"))
        self.assertEqual(quiet, busy, "40 more records on the line must not cost a query")
        self.assertLessEqual(busy[0], self.APPROVAL_QUERIES)
        self.assertLessEqual(busy[1], self.APPROVAL_ALL_QUERIES)
        self.assertEqual(self.busy_line.amount_committed, 11 * 50_000_000)

    def _posting_queries(self, line, amount):
        """Queries of an officer posting a payment on ``line``: (the posting, flushed; with the tracking)."""
        payment = self._payment(line, amount, date="2022-11-20")
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        payment.action_post()
        self.env.flush_all()
        core = self.cr.sql_log_count - start
        self.env.cr.precommit.run()  # the tracking message, written at commit
        self.assertEqual(payment.state, "posted")
        return core, self.cr.sql_log_count - start

    def test_posting_costs_no_more_than_approving(self):
        self._posting_queries(self.quiet_line, 1_000)  # warm the caches
        quiet = self._posting_queries(self.quiet_line, 2_000)
        busy = self._posting_queries(self.busy_line, 3_000)
        self.assertEqual(quiet, busy, "30 payments and 10 packages more on the line must not cost a query")
        self._approval_queries(self._package(self.quiet_line, "Khởi động"))
        approval = self._approval_queries(self._package(self.quiet_line, "Máy tính"))
        self.assertLessEqual(busy[0], min(approval[0], self.APPROVAL_QUERIES))
        self.assertLessEqual(busy[1], self.APPROVAL_ALL_QUERIES)

    def test_posting_does_not_write_the_scheme(self):
        """Parallel postings on two lines of a scheme must not conflict on the scheme's row."""
        payment = self._payment(self.busy_line, 1_000, date="2022-11-20")
        self.env.flush_all()
        self.cr.execute("SELECT write_date, xmin::text FROM social_scheme WHERE id = %s", [self.scheme.id])
        before = self.cr.fetchone()
        payment.action_post()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.cr.execute("SELECT write_date, xmin::text FROM social_scheme WHERE id = %s", [self.scheme.id])
        self.assertEqual(self.cr.fetchone(), before, "the scheme's row is untouched")
        self.env.invalidate_all()
        self.assertEqual(self.scheme.amount_spent, sum(self.scheme.budget_line_ids.mapped("amount_spent")))


@tagged("post_install", "-at_install")
class TestReadOnly(SocialSchemeCase):
    """The reviewer's reads run on a read-only cursor (a PostgreSQL replica's); workflow steps do not.

    Odoo sends a JSON-RPC call to the replica when its method is marked ``@api.readonly``
    (``_readonly``) and an HTTP route when it says ``readonly=True``; a read-only
    transaction refuses any write, which is what a replica would do.
    """

    READ_ONLY = {
        "social.scheme": ["web_search_read", "web_read", "web_read_group", "read_group", "search_count",
                          "action_view_packages", "action_view_disbursements", "action_view_revisions",
                          "action_view_project"],
        "social.scheme.kpi": ["web_search_read", "web_read_group"],
        "social.scheme.kpi.measurement": ["web_search_read", "web_read_group", "read_group"],
        "social.scheme.disbursement": ["web_search_read"],
        "social.scheme.kpi.dashboard": ["onchange"],
        "social.scheme.report.budget.execution": ["render", "file_name"],
        "social.scheme.report.kpi": ["render", "file_name"],
        "social.scheme.report.disbursement.register": ["render", "file_name"],
        "social.scheme.report.procurement.register": ["render", "file_name"],
        "social.scheme.report.settlement": ["render", "file_name"],
    }
    WORKFLOW = {
        "social.scheme": ["action_submit", "action_approve", "action_start", "action_close"],
        "social.scheme.disbursement": ["action_post", "action_cancel"],
        "social.scheme.procurement.package": ["action_submit", "action_approve", "action_contract"],
        "social.scheme.kpi.measurement": ["action_submit", "action_validate", "action_reject"],
        "social.scheme.report.wizard": ["action_export", "create", "write"],
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._running_scheme(code="RO-TEST")
        cls.repair, cls.equipment = cls._lines(cls.scheme)
        cls._payment(cls.repair, 1 * BN, document_number="KB-RO-1").action_post()
        cls.draft = cls._payment(cls.equipment, 0.1 * BN, document_number="KB-RO-2")
        cls.kpi = cls.env["social.scheme.kpi"].create({"scheme_id": cls.scheme.id, "code": "K1", "name": "Managed",
                                                        "kind": "ratio", "target_value": 80})
        cls.figure = cls.env["social.scheme.kpi.measurement"].with_user(cls.officer).create({
            "kpi_id": cls.kpi.id, "unit_id": cls.unit.id, "date_from": "2022-01-01", "date_to": "2022-06-30",
            "numerator": 40, "denominator": 50})
        cls.figure.action_submit()

    @staticmethod
    def _readonly(model, method):
        """Whether Odoo's JSON-RPC dispatcher (web's DataSet._call_kw_readonly) would use the replica."""
        for cls in type(model).mro():
            function = getattr(cls, method, None)
            if function is not None and hasattr(function, "_readonly"):
                return function._readonly
        return False

    def test_reviewer_methods_are_marked_read_only_and_workflow_steps_are_not(self):
        for model, methods in self.READ_ONLY.items():
            for method in methods:
                self.assertTrue(self._readonly(self.env[model], method), f"{model}.{method} reads only")
        for model, methods in self.WORKFLOW.items():
            for method in methods:
                self.assertFalse(self._readonly(self.env[model], method), f"{model}.{method} writes")
        from odoo.addons.social_scheme.controllers.export import SocialSchemeExport  # noqa: PLC0415

        self.assertIs(SocialSchemeExport.export.original_routing["readonly"], True, "the export route reads only")

    def test_reviewer_reads_and_exports_run_under_a_read_only_cursor(self):
        reviewer = self.env(user=self.reviewer)
        Scheme = reviewer["social.scheme"]
        spec = {"code": {}, "amount_spent": {}, "amount_available": {}, "disbursement_rate": {}, "state": {},
                "implementing_unit_name": {}}
        with self.read_only():
            rows = Scheme.web_search_read([("code", "=", "RO-TEST")], spec, order="amount_spent desc")["records"]
            self.assertEqual(rows[0]["amount_spent"], 1 * BN)
            groups = Scheme.web_read_group([("code", "=", "RO-TEST")], ["amount_spent:sum"], ["state"])["groups"]
            self.assertEqual(groups[0]["amount_spent"], 1 * BN)
            self.scheme.with_user(self.reviewer).action_view_disbursements()
            reviewer["social.scheme.kpi"].web_search_read([("scheme_id", "=", self.scheme.id)],
                                                          {"code": {}, "actual_value": {}, "status": {}})
            reviewer["social.scheme.kpi.measurement"].read_group(
                [("scheme_id", "=", self.scheme.id)], ["numerator:sum"], ["kpi_id", "state"], lazy=False)
            # the KPI dashboard is computed by onchange as the page is shown
            page = reviewer["social.scheme.kpi.dashboard"].onchange(
                {"scheme_id": self.scheme.id, "interval": "year"}, [],
                {"scheme_id": {}, "interval": {}, "fiscal_year": {}, "table_html": {}})
            self.assertIn("K1", page["value"]["table_html"])
            Wizard = reviewer["social.scheme.report.wizard"]
            for report in ("budget_execution", "kpi", "procurement_register", "disbursement_register"):
                data, name = Wizard._export(report, Wizard._options_from_params({"scheme_ids": str(self.scheme.id)}))
                self.assertTrue(data.startswith(b"PK") and name.endswith(".xlsx"), report)

    def test_workflow_steps_fail_under_a_read_only_cursor(self):
        with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction), mute_logger("odoo.sql_db"), \
                self.read_only():
            self.draft.action_post()
        with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction), mute_logger("odoo.sql_db"), \
                self.read_only():
            self.figure.with_user(self.planner).action_validate()
        self.assertEqual((self.draft.state, self.figure.state), ("draft", "submitted"), "nothing was written")
        self.draft.action_post()
        self.assertEqual(self.draft.state, "posted", "on the read/write cursor the posting goes through")

    def test_export_link_refuses_bad_input(self):
        Wizard = self.env["social.scheme.report.wizard"].with_user(self.reviewer)
        with self.assertRaisesRegex(UserError, "not valid"):
            Wizard._options_from_params({"fiscal_year": "2O22"})
        with self.assertRaisesRegex(UserError, "starts after it ends"):
            Wizard._options_from_params({"date_from": "2022-12-31", "date_to": "2022-01-01"})
        with self.assertRaisesRegex(UserError, "Unknown report"):
            Wizard._export("payroll", {})
        stranger = new_test_user(self.env, login="t_stranger_ro", groups="base.group_user")
        with self.assertRaisesRegex(UserError, "Only reviewers"):
            Wizard.with_user(stranger)._export("kpi", {})
