#!/usr/bin/env python3
"""Province-scale benchmark of social_scheme: `make bench`.

Generates a data set (200 schemes, 2,000 budget lines, 10,000 packages, 50,000
payments, 500,000 validated KPI figures) in a fresh database, then times what users
trigger against the minimal equivalent work on the same rows (raw SQL, bare
xlsxwriter) and prints the ratios. Results go to bench/results.json (not committed).

Usage: bench.py -c ODOO_CONF -d DATABASE [--runs 5]
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

import bench_reporting
from psycopg2.extras import execute_values

SCHEMES, LINES_PER_SCHEME, UNITS = 200, 10, 50
PACKAGES, PAYMENTS = 10_000, 50_000
KPIS_PER_SCHEME, PERIODS = 5, 10  # 1,000 KPIs × 50 units × 10 periods = 500,000 figures
BN = 1_000_000_000
OUT = Path(__file__).resolve().parent / "results.json"


def load_odoo(conf, db):
    odoo_src = os.environ.get("ODOO_SRC", "/opt/odoo")
    if odoo_src not in sys.path:
        sys.path.insert(0, odoo_src)
    import odoo  # noqa: PLC0415 - needs ODOO_SRC on sys.path first
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--no-http", "--log-level=warn"])
    odoo.netsvc.init_logger()
    odoo.service.server.load_server_wide_modules()
    return Registry(db)


def timed(ours, minimal, runs, repeat=1):
    """Median wall times of ``ours`` and ``minimal`` over ``runs`` runs, and their last results.

    The two alternate run by run, so that a slower spell of the machine weighs on both
    alike; a run averages ``repeat`` calls for operations of a few milliseconds, where
    one call is mostly noise. One call of each first warms the caches.
    """
    funcs = (ours, minimal)
    times, results = ([], []), [func() for func in funcs]
    for _ in range(runs):
        for index, func in enumerate(funcs):
            start = time.perf_counter()
            for _ in range(repeat):
                results[index] = func()
            times[index].append((time.perf_counter() - start) / repeat)
    return statistics.median(times[0]), statistics.median(times[1]), results[0], results[1]


# --------------------------------------------------------------------- data
def generate(env):
    rng = random.Random(42)
    company = env.company.id
    ctx = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
    env = env(context=ctx)
    cr = env.cr
    Partner = env["res.partner"]
    units = Partner.create([{"name": f"Cơ sở {i:02d}", "is_company": True} for i in range(UNITS)])
    agency = Partner.create({"name": "Sở Nội vụ", "is_company": True})
    vnd = env.ref("base.VND")
    schemes = env["social.scheme"].create([{
        "name": f"Đề án {i:03d}", "code": f"BENCH-{i:03d}", "implementing_unit_id": units[i % UNITS].id,
        "lead_agency_id": agency.id,
        "unit_ids": [(6, 0, units.ids)], "date_start": "2022-01-01", "date_end": "2026-12-31",
        "currency_id": vnd.id, "decision_number": f"{i}/QĐ-UBND", "decision_date": "2022-01-01",
        "amount_total": LINES_PER_SCHEME * 2 * BN,
        "budget_line_ids": [(0, 0, {"name": f"Nội dung {k}", "category": ("repair", "equipment", "training")[k % 3],
                                    "amount_planned": 2 * BN}) for k in range(LINES_PER_SCHEME)],
    } for i in range(SCHEMES)])
    schemes.action_submit()
    schemes.action_approve()
    schemes.action_start()
    lines = schemes.budget_line_ids
    # the money of the years the packages (2023) and payments (2023-2024) are booked to
    env["social.scheme.allocation"].create([
        {"budget_line_id": line.id, "fiscal_year": year, "amount": BN, "date": f"{year}-03-01"}
        for line in lines for year in (2023, 2024)
    ])
    env.flush_all()
    # Packages across all states, with the commitments the open ones hold (SQL: the ORM
    # workflow would take an hour; the stored totals are recomputed the supported way below).
    states = ["draft", "submitted", "approved", "selecting", "contracted", "accepted", "closed", "cancelled"]
    line_rows = [(line.id, line.scheme_id.id) for line in lines]
    unit_ids = units.ids
    package_rows, commitment_rows = [], []
    for n in range(PACKAGES):
        line_id, scheme_id = line_rows[n % len(line_rows)]
        state = states[n % len(states)]
        estimate = 10_000_000 + rng.randrange(0, 40) * 1_000_000
        contract = estimate - 1_000_000 if state in ("contracted", "accepted", "closed") else 0
        package_rows.append((f"Gói {n}", scheme_id, line_id, unit_ids[n % UNITS], "goods", "recurrent", estimate,
                             "competitive_quotation", "bench", "2023-06-01", 2023, state, contract or None, vnd.id,
                             company))
    execute_values(cr._obj, """
        INSERT INTO social_scheme_procurement_package (name, scheme_id, budget_line_id, unit_id, procurement_type,
            context, amount_estimate, method, method_justification, date_planned, fiscal_year, state, amount_contract,
            currency_id, company_id)
        VALUES %s""", package_rows, page_size=2000)
    cr.execute("""SELECT id, budget_line_id, state, amount_estimate, amount_contract
                    FROM social_scheme_procurement_package""")
    packages = cr.fetchall()
    for package_id, line_id, state, estimate, contract in packages:
        if state in ("approved", "selecting", "contracted", "accepted"):
            commitment_rows.append((f"Gói {package_id}", line_id, package_id, contract or estimate, "open", 2023,
                                    vnd.id, company))
    execute_values(cr._obj, """INSERT INTO social_scheme_commitment
        (name, budget_line_id, package_id, amount, state, fiscal_year, currency_id, company_id) VALUES %s""",
        commitment_rows, page_size=2000)
    cr.execute("""UPDATE social_scheme_procurement_package p SET commitment_id = c.id
                    FROM social_scheme_commitment c WHERE c.package_id = p.id""")
    payment_rows = []
    for n in range(PAYMENTS):
        line_id, _scheme_id = line_rows[n % len(line_rows)]
        day = date(2023, 1, 1) + timedelta(days=n % 700)
        payment_rows.append((f"Thanh toán {n}", line_id, unit_ids[n % UNITS], day, day.year, 1_000_000 + n % 7 * 100_000,
                             f"KBNN-{n:06d}", ("advance", "payment")[n % 2], "posted", vnd.id, company))
    execute_values(cr._obj, """INSERT INTO social_scheme_disbursement
        (name, budget_line_id, unit_id, date, fiscal_year, amount, document_number, kind, state, currency_id,
         company_id) VALUES %s""", payment_rows, page_size=5000)
    cr.execute("""UPDATE social_scheme_disbursement d SET scheme_id = l.scheme_id
                    FROM social_scheme_budget_line l WHERE l.id = d.budget_line_id""")
    cr.execute("""UPDATE social_scheme_commitment c SET scheme_id = l.scheme_id
                    FROM social_scheme_budget_line l WHERE l.id = c.budget_line_id""")
    # KPIs and their validated figures
    kpis = env["social.scheme.kpi"].create([{
        "scheme_id": scheme.id, "code": f"K{k}", "name": f"Chỉ tiêu {k}",
        "kind": ("ratio", "count")[k % 2], "aggregation": ("sum", "last")[k // 2 % 2], "target_value": 80,
    } for scheme in schemes for k in range(KPIS_PER_SCHEME)])
    env.flush_all()
    figures = []
    for kpi_id, scheme_id in [(kpi.id, kpi.scheme_id.id) for kpi in kpis]:
        for u, unit_id in enumerate(unit_ids):
            for p in range(PERIODS):
                start = date(2022, 1, 1) + timedelta(days=91 * p)
                den = 50 + (u + p) % 30
                figures.append((kpi_id, scheme_id, unit_id, start, start + timedelta(days=90), den - 5, den, den,
                                "validated", company))
    for offset in range(0, len(figures), 50_000):
        execute_values(cr._obj, """INSERT INTO social_scheme_kpi_measurement
            (kpi_id, scheme_id, unit_id, date_from, date_to, numerator, denominator, value, state, company_id)
            VALUES %s""", figures[offset:offset + 50_000], page_size=10_000)
    env.invalidate_all()
    # recompute the stored roll-ups the supported way
    Line = env["social.scheme.budget.line"]
    env.add_to_compute(Line._fields["amount_allocated"], lines)
    Package = env["social.scheme.procurement.package"].browse([row[0] for row in packages])
    env.add_to_compute(Package._fields["amount_paid"], Package)
    env.add_to_compute(kpis._fields["actual_value"], kpis)
    env.flush_all()
    env.add_to_compute(schemes._fields["amount_spent"], schemes)
    env.flush_all()
    cr.execute("ANALYZE")
    return schemes, kpis


# -------------------------------------------------------------- benchmarks
def bench_kpi_rollup(env, runs):
    schemes = env["social.scheme"].search([("code", "like", "BENCH-%")], limit=20, order="code")
    kpis = schemes.kpi_ids

    def ours():
        env.invalidate_all()
        return env["social.scheme.kpi"].browse(kpis.ids)._validated_figures()

    def raw():
        env.cr.execute("""SELECT kpi_id, SUM(numerator), SUM(denominator), SUM(value), MAX(date_to)
                            FROM social_scheme_kpi_measurement WHERE kpi_id IN %s AND state = 'validated'
                        GROUP BY kpi_id""", [tuple(kpis.ids)])
        return env.cr.fetchall()

    t_ours, t_raw, result, rows = timed(ours, raw, runs)
    assert len(result) == len(rows) == len(kpis)
    count = env["social.scheme.kpi.measurement"].search_count([("kpi_id", "in", kpis.ids)])
    return {"name": f"KPI roll-up, {len(kpis)} KPIs of 20 schemes ({count:,} figures)", "ours": t_ours,
            "raw": t_raw, "target": 2.0}


def list_spec(env, model):
    """The ``web_search_read`` specification the web client sends for the model's list view.

    As web/static/src/model/relational_model/utils.js builds it: every field of the arch
    (optional hidden columns too), many2one fields with their display name unless the
    column is always invisible.
    """
    from lxml import etree  # noqa: PLC0415

    arch = env[model].get_views([(False, "list")])["views"]["list"]["arch"]
    spec = {}
    for node in etree.fromstring(arch).iterfind("field"):
        name = node.get("name")
        spec[name] = {}
        if env[model]._fields[name].type == "many2one":
            invisible = "True" in (node.get("invisible"), node.get("column_invisible"))
            spec[name] = {"fields": {} if invisible else {"display_name": {}}}
    return spec


def bench_scheme_list(env, runs):
    spec = list_spec(env, "social.scheme")
    Scheme = env["social.scheme"]

    def ours():
        env.invalidate_all()
        return Scheme.web_search_read([], spec, limit=80, order="date_start desc, code, id desc")

    def raw():
        # the list needs its rows and, for the pager, the number of records
        env.cr.execute("SELECT COUNT(*) FROM social_scheme")
        env.cr.execute("""SELECT s.id, s.code, s.name, s.decision_number, s.decision_date, u.complete_name,
                                 s.date_start, s.date_end, s.currency_id, s.amount_total, s.amount_allocated,
                                 s.amount_committed, s.amount_spent, s.amount_available, s.disbursement_rate, s.state
                            FROM social_scheme s
                       LEFT JOIN res_partner u ON u.id = s.implementing_unit_id
                        ORDER BY s.date_start DESC, s.code, s.id DESC LIMIT 80""")
        return env.cr.fetchall()

    t_ours, t_raw, _, _ = timed(ours, raw, runs, repeat=20)
    queries = []
    for limit in (20, 80):
        env.invalidate_all()
        start = env.cr.sql_log_count
        Scheme.web_search_read([], spec, limit=limit)
        queries.append(env.cr.sql_log_count - start)
    return {"name": "Scheme list with roll-ups (80 rows)", "ours": t_ours, "raw": t_raw, "target": 3.0,
            "queries": f"{queries[0]} queries for 20 rows, {queries[1]} for 80 (minimal: 2)"}


def bench_approval(env, runs):
    """A manager approves packages an officer submitted through the workflow.

    Reported apart: the approval itself (row lock, availability, commitment, state) and
    the chatter around it (to-dos removed, the submitter messaged by e-mail, tracking
    written at commit), which is Odoo's mail machinery.
    """
    from odoo import Command  # noqa: PLC0415

    Package = env["social.scheme.procurement.package"]
    drafts = Package.search([("state", "=", "draft")], limit=runs + 1, order="id")
    Users = env["res.users"].with_context(no_reset_password=True)
    officer = Users.create({"name": "Bench officer", "login": "bench_officer", "email": "officer@bench.example",
                            "groups_id": [Command.set([env.ref("social_scheme.group_officer").id])],
                            "scheme_unit_ids": [Command.set(drafts.unit_id.ids)]})
    manager = Users.create({"name": "Bench manager", "login": "bench_manager", "email": "manager@bench.example",
                            "groups_id": [Command.set([env.ref("social_scheme.group_manager").id])]})
    drafts.with_user(officer).action_submit()
    env.flush_all()
    env.cr.precommit.run()
    chatter = {"queries": 0}
    close_approval = type(Package)._close_approval

    def counted_close_approval(records, *args, **kwargs):
        records.env.flush_all()  # the approval's own writes count as the approval's
        start = records.env.cr.sql_log_count
        try:
            return close_approval(records, *args, **kwargs)
        finally:
            chatter["queries"] += records.env.cr.sql_log_count - start

    times, core, total = [], [], []
    with patch.object(type(Package), "_close_approval", counted_close_approval):
        for package in drafts:
            env.invalidate_all()
            chatter["queries"] = 0
            start_q, start = env.cr.sql_log_count, time.perf_counter()
            package.with_user(manager).action_approve()
            env.flush_all()
            times.append(time.perf_counter() - start)
            flushed = env.cr.sql_log_count
            env.cr.precommit.run()  # the tracking message, written at commit
            core.append(flushed - start_q - chatter["queries"])
            total.append(env.cr.sql_log_count - start_q)
    assert set(drafts.mapped("state")) == {"approved"}
    # the first approval warms the registry caches (rules, groups): not counted
    return {"name": "Approve a package (row lock, availability, commitment)", "ours": statistics.median(times[1:]),
            "raw": None, "target": None, "core_queries": max(core[1:]), "all_queries": max(total[1:]),
            "queries": f"{max(core[1:])} queries (target ≤ 15); {max(total[1:])} with the chatter"}


def bench_year_closing(env):
    """A Manager closes 2023 for every scheme (proposals, then confirmation under the lines' locks).

    Queries per line are measured for 20 schemes, then again after their lines got ten times
    the payments of 2023: the closing reads the ledger by grouped queries, so the count must
    not grow with the number of payments. Everything is rolled back afterwards.
    """
    Closing = env["social.scheme.year.closing"]
    schemes = env["social.scheme"].search([], order="id")
    few = schemes[:20]

    def close(selection):
        env.invalidate_all()
        start_q, start = env.cr.sql_log_count, time.perf_counter()
        closing = Closing.create({"fiscal_year": 2023, "scheme_ids": [(6, 0, selection.ids)]})
        closing.action_propose()
        closing.action_confirm()
        env.flush_all()
        return time.perf_counter() - start, env.cr.sql_log_count - start_q

    env.cr.execute("SAVEPOINT bench_closing")
    _t_few, q_few = close(few)
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_closing")
    env.cr.execute("""INSERT INTO social_scheme_disbursement (name, budget_line_id, scheme_id, unit_id, date,
                          fiscal_year, amount, document_number, kind, state, currency_id, company_id)
                      SELECT d.name, d.budget_line_id, d.scheme_id, d.unit_id, d.date, d.fiscal_year, 1000,
                             d.document_number, 'payment', 'posted', d.currency_id, d.company_id
                        FROM social_scheme_disbursement d, generate_series(1, 9)
                       WHERE d.scheme_id IN %s AND d.fiscal_year = 2023 AND d.state = 'posted'""", [tuple(few.ids)])
    env.invalidate_all()
    _t_many, q_many = close(few)
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_closing")
    t_all, q_all = close(schemes)
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_closing")
    lines_few, lines_all = len(few.budget_line_ids), len(schemes.budget_line_ids)
    env.invalidate_all()
    return {"name": f"Close 2023 for {len(schemes)} schemes ({lines_all:,} lines)", "ours": t_all, "raw": None,
            "target": None, "queries_per_line": q_all / lines_all,
            "queries": f"{q_all / lines_all:.2f} queries/line; 20 schemes: {q_few / lines_few:.2f}/line, "
                       f"with 10× their payments {q_many / lines_few:.2f}/line"}


def bench_settlement(env, runs):
    """The settlement workbook of 2023 for every scheme vs the same sums in one SQL query written
    by bare xlsxwriter (the B01 sheet and one F01-02 sheet per scheme, the same cells)."""
    import xlsxwriter  # noqa: PLC0415

    Settlement = env["social.scheme.report.settlement"]
    Year = env["social.scheme.budget.year"]
    lines = env["social.scheme"].search([]).budget_line_ids

    def bare():
        env.cr.execute(Year._view_query(lines.ids))
        by_line = {row[1]: row for row in env.cr.fetchall() if row[5] == 2023}
        env.cr.execute("""SELECT s.code, s.name, l.id, l.name, l.amount_planned FROM social_scheme_budget_line l
                            JOIN social_scheme s ON s.id = l.scheme_id ORDER BY s.code, l.sequence, l.id""")
        rows = env.cr.fetchall()
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
            workbook = xlsxwriter.Workbook(file.name)
            text = workbook.add_format({"border": 1})
            money = workbook.add_format({"num_format": "#,##0", "border": 1})
            b01 = workbook.add_worksheet("B01")
            sheets, sheet_rows = {}, {}
            for index, (code, _name, line_id, line_name, planned) in enumerate(rows):
                figures = by_line.get(line_id)
                values = [float(v or 0) for v in figures[6:15]] if figures else [0.0] * 9
                b01.write_string(index, 0, code, text)
                b01.write_string(index, 1, line_name, text)
                for col, value in enumerate(values[:8], start=3):
                    b01.write_number(index, col, value, money)
                sheet = sheets.get(code)
                if sheet is None:
                    sheet = sheets[code] = workbook.add_worksheet(f"F01-{code}"[:31])
                    # the title block and header every sheet of the report has
                    for title_row in range(4):
                        sheet.merge_range(title_row, 0, title_row, 8, f"{code} {title_row}", text)
                    for col in range(9):
                        sheet.write_string(5, col, f"Column {col}", text)
                    sheet_rows[code] = 6
                sheet_row = sheet_rows[code]
                sheet_rows[code] += 1
                sheet.write_string(sheet_row, 0, line_name, text)
                for col, value in enumerate((planned, values[1], values[1], values[4], values[4], values[5],
                                             planned - values[4]), start=2):
                    sheet.write_number(sheet_row, col, value, money)
            workbook.close()

    def ours():
        env.invalidate_all()
        Settlement.render({"fiscal_year": 2023})

    t_ours, t_bare, _, _ = timed(ours, bare, runs)
    return {"name": f"Settlement of 2023 ({len(lines.scheme_id)} schemes, B01 + F01-02 sheets)", "ours": t_ours,
            "raw": t_bare, "target": 1.5}


def _peak_mib(func):
    """Peak Python memory of one call, in MiB."""
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _xlsx_row(name, ours, bare, sample, sample_label, runs):
    """Time ``ours`` against ``bare``; peak memory of both and of ``sample``, a smaller export."""
    t_ours, t_bare, _, _ = timed(ours, bare, runs)
    # memory once each: tracemalloc slows Python down, so it stays out of the timings
    peak, peak_bare, peak_sample = _peak_mib(ours), _peak_mib(bare), _peak_mib(sample)
    return {"name": name, "ours": t_ours, "raw": t_bare, "target": 1.5, "peak_mib": peak,
            "peak_small_mib": peak_sample,
            "memory": f"peak {peak:.1f} MiB ({sample_label}: {peak_sample:.1f} MiB) vs bare {peak_bare:.1f} MiB"}


def bench_xlsx(env, runs):
    import xlsxwriter  # noqa: PLC0415

    results = []
    Register = env["social.scheme.report.disbursement.register"]
    Budget = env["social.scheme.report.budget.execution"]

    def bare_register():
        env.cr.execute("""SELECT d.date, d.document_number, u.name, s.code, l.name, '', '', '', d.kind, d.amount
                            FROM social_scheme_disbursement d
                            JOIN social_scheme_budget_line l ON l.id = d.budget_line_id
                            JOIN social_scheme s ON s.id = d.scheme_id
                            JOIN res_partner u ON u.id = d.unit_id
                           WHERE d.state = 'posted' ORDER BY d.date, d.id""")
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
            workbook = xlsxwriter.Workbook(file.name, {"constant_memory": True})
            sheet = workbook.add_worksheet()
            # the same cells as the report: bordered, so empty texts are written as blank cells
            date_format = workbook.add_format({"num_format": "dd/mm/yyyy", "border": 1})
            text = workbook.add_format({"border": 1})
            money = workbook.add_format({"num_format": "#,##0", "border": 1})
            row = 0
            for record in env.cr.fetchall():
                sheet.write_datetime(row, 0, record[0], date_format)
                for col in range(1, 9):
                    sheet.write_string(row, col, record[col] or "", text)
                sheet.write_number(row, 9, record[9], money)
                row += 1
            workbook.close()

    def ours_register():
        env.invalidate_all()
        Register.render({})

    # constant memory: about the same peak for a tenth of the rows as for all of them
    # (rows are fetched by batches of 2,000, so a smaller sample would say nothing)
    cutoff = (date(2023, 1, 1) + timedelta(days=70)).isoformat()
    small = env["social.scheme.disbursement"].search_count([("date", "<=", cutoff), ("state", "=", "posted")])
    results.append(_xlsx_row(f"XLSX disbursement register ({PAYMENTS:,} rows)", ours_register, bare_register,
                             lambda: Register.render({"date_to": cutoff}), f"{small:,} rows", runs))

    def bare_budget():
        env.cr.execute("""
            SELECT s.code, s.name, s.amount_total, l.category, l.name, COALESCE(b.code, ''), l.fund_source,
                   l.amount_planned, COALESCE(a.amount, 0), COALESCE(c.amount, 0), COALESCE(d.amount, 0), l.id
              FROM social_scheme_budget_line l
              JOIN social_scheme s ON s.id = l.scheme_id
         LEFT JOIN social_scheme_budget_code b ON b.id = l.budget_code_id
         LEFT JOIN (SELECT budget_line_id, SUM(amount) AS amount FROM social_scheme_allocation
                     GROUP BY budget_line_id) a ON a.budget_line_id = l.id
         LEFT JOIN (SELECT budget_line_id, SUM(amount) AS amount FROM social_scheme_commitment
                     WHERE state = 'open' GROUP BY budget_line_id) c ON c.budget_line_id = l.id
         LEFT JOIN (SELECT budget_line_id, SUM(amount) AS amount FROM social_scheme_disbursement
                     WHERE state = 'posted' AND kind IN ('advance', 'payment') GROUP BY budget_line_id) d
                ON d.budget_line_id = l.id
          ORDER BY s.date_start DESC, s.code, s.id, l.category, l.sequence, l.id""")
        schemes = {}
        for row in env.cr.fetchall():
            schemes.setdefault(row[0], []).append(row)
        # the per-year block of each scheme sheet, from the same yearly view
        env.cr.execute(env["social.scheme.budget.year"]._view_query())
        line_years = {}
        for view_row in env.cr.fetchall():
            line_years.setdefault(view_row[1], {})[view_row[5]] = [
                view_row[6], view_row[7], view_row[10], view_row[11], view_row[12], view_row[13]]
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
            workbook = xlsxwriter.Workbook(file.name, {"constant_memory": True})
            text = workbook.add_format({"border": 1})
            money = workbook.add_format({"num_format": "#,##0", "border": 1})
            percent = workbook.add_format({"num_format": "0.0%", "border": 1})
            summary = workbook.add_worksheet("Summary")

            def amounts(sheet, row, planned, allocated, committed, spent):
                for col, value in enumerate((planned, allocated, committed, spent, allocated - committed - spent),
                                            start=4):
                    sheet.write_number(row, col, value, money)
                sheet.write_number(row, 9, spent / planned if planned else 0, percent)

            for index, (code, rows) in enumerate(schemes.items(), start=1):
                sheet = workbook.add_worksheet(code)
                sheet_row, totals, subtotal, category = 0, [0] * 4, [0] * 4, rows[0][3]
                for record in rows + [None]:
                    if record is None or record[3] != category:
                        sheet.write_string(sheet_row, 0, f"Subtotal {category}", text)
                        amounts(sheet, sheet_row, *subtotal)
                        totals = [a + b for a, b in zip(totals, subtotal)]
                        subtotal, sheet_row = [0] * 4, sheet_row + 1
                        if record is None:
                            break
                        category = record[3]
                    for col in range(3, 7):
                        sheet.write_string(sheet_row, col - 3, record[col], text)
                    amounts(sheet, sheet_row, *record[7:11])
                    scheme_years = sorted({year for r in rows for year in line_years.get(r[11], {})})
                    col = 10
                    for year in scheme_years:
                        for value in line_years.get(record[11], {}).get(year, [0] * 6):
                            sheet.write_number(sheet_row, col, value or 0, money)
                            col += 1
                    subtotal = [a + b for a, b in zip(subtotal, record[7:11])]
                    sheet_row += 1
                sheet.write_string(sheet_row, 0, "Total", text)
                amounts(sheet, sheet_row, *totals)
                summary.write_string(index, 0, code, text)
                summary.write_string(index, 1, rows[0][1], text)
                amounts(summary, index, rows[0][2], *totals[1:])
            workbook.close()

    def ours_budget():
        env.invalidate_all()
        Budget.render({})

    few = env["social.scheme"].search([], limit=SCHEMES // 10)
    results.append(_xlsx_row(f"XLSX budget execution ({SCHEMES} schemes, one sheet each)", ours_budget, bare_budget,
                             lambda: Budget.render({"scheme_ids": few.ids}), f"{len(few)} schemes", runs))
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the data set generated by an earlier run")
    args = parser.parse_args()
    registry = load_odoo(args.config, args.database)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        if not args.reuse:
            generate(env)
            cr.commit()
        generation = time.perf_counter() - start
        cr.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cr.fetchone()[0]
        counts = {}
        for model in ("social.scheme", "social.scheme.budget.line", "social.scheme.procurement.package",
                      "social.scheme.disbursement", "social.scheme.kpi", "social.scheme.kpi.measurement"):
            counts[model] = env[model].search_count([])
    print(f"generated in {generation:.0f} s; database size {size}")
    print(", ".join(f"{model.split('.')[-1]}: {count:,}" for model, count in counts.items()))

    rows = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        rows.append(bench_kpi_rollup(env, args.runs))
        rows.append(bench_scheme_list(env, args.runs))
        rows.append(bench_approval(env, args.runs))
        rows.extend(bench_xlsx(env, args.runs))
        rows.append(bench_settlement(env, args.runs))
        rows.append(bench_year_closing(env))
        rows.append(bench_reporting.bench_completeness(env, args.runs, timed))
        rows.append(bench_reporting.bench_import(env))
        cr.rollback()

    print()
    print(f"{'operation':62} {'ours':>9} {'minimal':>9} {'ratio':>7} {'target':>7}  notes")
    for row in rows:
        ratio = row["ours"] / row["raw"] if row.get("raw") else None
        row["ratio"] = ratio
        row["ok"] = None if not row.get("target") else ratio <= row["target"]
        notes = "; ".join(str(row[key]) for key in ("queries", "memory") if row.get(key))
        print(f"{row['name']:62} {row['ours'] * 1000:7.1f}ms "
              f"{(row['raw'] or 0) * 1000:7.1f}ms {('%.2f×' % ratio) if ratio else '—':>7} "
              f"{('≤%.1f×' % row['target']) if row.get('target') else '—':>7}  {notes}")
    OUT.write_text(json.dumps({
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "generation_seconds": generation, "database_size": size, "counts": counts, "results": rows,
    }, indent=2, default=str))
    print(f"\nwritten {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
