import io
import re
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlsplit

from odoo import Command
from odoo.tests import Form, TransactionCase, new_test_user
from odoo.tools.pdf import PdfFileReader

BN = 1_000_000_000


class SocialSchemeCase(TransactionCase):
    """A province with two facilities, one user per role, and helpers to build schemes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.vnd = cls.env.ref("base.VND")
        cls.ubnd = Partner.create({"name": "UBND tỉnh Thử nghiệm", "is_company": True})
        cls.agency = Partner.create({"name": "Sở Nội vụ tỉnh Thử nghiệm", "is_company": True})
        cls.unit = Partner.create({"name": "Cơ sở cai nghiện A", "is_company": True})
        cls.other_unit = Partner.create({"name": "Cơ sở cai nghiện B", "is_company": True})
        cls.vendor = Partner.create({"name": "Nhà thầu C", "is_company": True})

        def user(login, groups, units=()):
            return new_test_user(
                cls.env, login=login, groups=groups, scheme_unit_ids=[Command.set([u.id for u in units])]
            )

        cls.reviewer = user("t_reviewer", "social_scheme.group_reviewer")
        cls.planner = user("t_planner", "social_scheme.group_planner")
        cls.manager = user("t_manager", "social_scheme.group_manager")
        cls.officer = user("t_officer", "social_scheme.group_officer", [cls.unit])
        cls.other_officer = user("t_officer_b", "social_scheme.group_officer", [cls.other_unit])
        cls.unit_head = user("t_unit_head", "social_scheme.group_unit_head", [cls.unit])

    # ------------------------------------------------------------ builders
    @classmethod
    def _scheme_vals(cls, **overrides):
        vals = {
            "name": "Mô hình dịch vụ công tác xã hội",
            "code": "TEST-01",
            "approving_authority_id": cls.ubnd.id,
            "lead_agency_id": cls.agency.id,
            "implementing_unit_id": cls.unit.id,
            "date_start": "2022-01-01",
            "date_end": "2022-12-31",
            "amount_total": 11.5 * BN,
            "budget_line_ids": [
                Command.create({"name": "Sửa chữa", "category": "repair", "amount_planned": 8.15 * BN}),
                Command.create({"name": "Thiết bị", "category": "equipment", "amount_planned": 3.35 * BN}),
            ],
        }
        vals.update(overrides)
        return vals

    @classmethod
    def _create_scheme(cls, **overrides):
        return cls.env["social.scheme"].with_user(cls.planner).create(cls._scheme_vals(**overrides)).with_user(
            cls.env.user
        )

    @classmethod
    def _approve(cls, scheme, start=True):
        scheme.with_user(cls.planner).action_submit()
        scheme.with_user(cls.manager).write({"decision_number": "99/QĐ-UBND", "decision_date": "2022-10-24"})
        scheme.with_user(cls.manager).action_approve()
        if start:
            scheme.with_user(cls.planner).action_start()
        return scheme

    @classmethod
    def _allocate(cls, line, amount, year=2022):
        return cls.env["social.scheme.allocation"].with_user(cls.planner).create(
            {"budget_line_id": line.id, "fiscal_year": year, "amount": amount, "decision_number": "1/QĐ",
             "date": f"{year}-03-01"}
        )

    @classmethod
    def _payment(cls, line, amount, kind="payment", user=None, **vals):
        return cls.env["social.scheme.disbursement"].with_user(user or cls.officer).create(
            {"name": "Thanh toán", "budget_line_id": line.id, "amount": amount, "kind": kind,
             "date": "2022-11-15", **vals}
        )

    @classmethod
    def _running_scheme(cls, allocate=True, **overrides):
        """An approved, started scheme with its two lines fully allocated in its first year."""
        scheme = cls._approve(cls._create_scheme(**overrides))
        if allocate:
            for line in scheme.budget_line_ids:
                cls._allocate(line, line.amount_planned, year=scheme.date_start.year)
        return scheme

    @classmethod
    def _repair_scheme(cls, code, date_end, date_start="2023-01-01"):
        """A running multi-year scheme with one 3 tỷ repair line and nothing allocated: (scheme, line)."""
        scheme = cls._running_scheme(
            allocate=False, code=code, date_start=date_start, date_end=date_end, amount_total=3 * BN,
            budget_line_ids=[Command.create({"name": "Sửa chữa", "category": "repair", "amount_planned": 3 * BN})],
        )
        return scheme, scheme.budget_line_ids

    @classmethod
    def _reporting_scheme(cls):
        """A quarterly scheme of both facilities: a rate and a count with two breakdowns; its first quarter.

        The due rules' automatic lock is off, so that figures of 2022 can still be entered.
        """
        cls.env["social.scheme.due.rule"].search([]).write({"lock_days": 0})
        cls.scheme = cls._running_scheme(allocate=False, report_frequency="quarter",
                                         unit_ids=[Command.set([cls.unit.id, cls.other_unit.id])])
        Kpi = cls.env["social.scheme.kpi"].with_user(cls.planner)
        cls.counselled = Kpi.create({"scheme_id": cls.scheme.id, "code": "C1", "name": "Entrants counselled",
                                     "kind": "ratio", "target_value": 85})
        cls.breakdown = (cls.env.ref("social_scheme.disaggregation_voluntary_in_province")
                         | cls.env.ref("social_scheme.disaggregation_compulsory"))
        cls.intake = Kpi.create({"scheme_id": cls.scheme.id, "code": "N2", "name": "New intake", "kind": "count",
                                 "target_value": 150, "disaggregation_ids": [Command.set(cls.breakdown.ids)]})
        cls.q1 = cls.scheme.period_ids.filtered(lambda p: p.frequency == "quarter" and str(p.date_from) == "2022-01-01")

    @staticmethod
    def _lines(scheme):
        """The (repair, equipment) lines of a scheme built by ``_scheme_vals``."""
        lines = scheme.budget_line_ids
        return lines.filtered(lambda line: line.category == "repair"), lines.filtered(
            lambda line: line.category == "equipment"
        )

    def assertRaisesRegex(self, expected_exception, expected_regex, *args, **kwargs):
        """Like unittest's, but through Odoo's assertRaises: the failed operation is
        rolled back to a savepoint and the cache cleared, as a request would be."""
        if args or kwargs:
            raise NotImplementedError("use assertRaisesRegex as a context manager")
        return self._raises_regex(expected_exception, expected_regex)

    @contextmanager
    def _raises_regex(self, expected_exception, expected_regex):
        with self.assertRaises(expected_exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), expected_regex)

    @contextmanager
    def read_only(self):
        """Run the block in a read-only transaction, as on a PostgreSQL replica.

        Writes pending before are flushed first; inside, any write (also one flushed at the
        end of the block) fails with ReadOnlySqlTransaction. A savepoint rolled back at the
        end gives the transaction its read/write mode back.
        """
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SAVEPOINT social_scheme_read_only")
        try:
            cr.execute("SET LOCAL transaction_read_only = on")
            yield
            self.env.flush_all()
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT social_scheme_read_only")
            cr.execute("RELEASE SAVEPOINT social_scheme_read_only")
            self.env.invalidate_all()

    def _download(self, wizard, action):
        """What the export route returns for the wizard's ``action`` (``(content, file name)``), read-only."""
        url = urlsplit(action["url"])
        prefix = "/social_scheme/export/"
        self.assertTrue(url.path.startswith(prefix), action["url"])
        Wizard = wizard.env["social.scheme.report.wizard"]
        with self.read_only():
            return Wizard._export(url.path.removeprefix(prefix), Wizard._options_from_params(dict(parse_qsl(url.query))))

    @staticmethod
    def pdf_text(pdf):
        """The text of a PDF, white space folded (wkhtmltopdf splits words around diacritics)."""
        reader = PdfFileReader(io.BytesIO(pdf))
        text = "".join(reader.getPage(index).extractText() for index in range(reader.getNumPages()))
        return re.sub(r"\s+", " ", text.replace("\n", "").replace("\t", " "))

    def flush_tracking(self):
        """Tracking values are written by pre-commit hooks, as at the end of a request: run them."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def scheme_form(self, user=None, record=None):
        model = self.env["social.scheme"].with_user(user or self.planner)
        return Form(record.with_user(user or self.planner) if record else model)
