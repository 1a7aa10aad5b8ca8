"""Reporting-cycle rows of `make bench` (issue 14), run on the generated data set inside the
benchmark's cursor (rolled back with it).

- completeness of 50 units × 1,000 KPIs × 10 quarters (500,000 expected reports) through the
  expected-report view, against the same numbers by hand in one SQL GROUP BY;
- importing a 5,000-row template (50 units × 100 indicators), with its query count against a
  100-row import (one unit): the queries must not grow per row beyond a constant batch.
"""

import base64
import io
import time
from datetime import date, timedelta

import openpyxl

QUARTERS = 10


def prepare(env):
    """The generated schemes report quarterly: 10 calendar quarters, a line per unit, the figures in them."""
    cr = env.cr
    cr.execute("SELECT id FROM social_scheme WHERE code LIKE 'BENCH-%%'")
    scheme_ids = tuple(row[0] for row in cr.fetchall())
    cr.execute("UPDATE social_scheme SET report_frequency = 'quarter' WHERE id IN %s", [scheme_ids])
    cr.execute("UPDATE social_scheme_kpi SET frequency = 'quarter' WHERE scheme_id IN %s", [scheme_ids])
    cr.execute("""
        INSERT INTO social_scheme_period (scheme_id, frequency, date_from, date_to, date_due, company_id)
        SELECT s.id, 'quarter', q::date, (q + interval '3 months' - interval '1 day')::date,
               (q + interval '3 months' + interval '14 days')::date, s.company_id
          FROM social_scheme s, generate_series(DATE '2022-01-01', DATE '2022-01-01' + interval '27 months',
                                                interval '3 months') q
         WHERE s.id IN %s""", [scheme_ids])
    cr.execute("""
        INSERT INTO social_scheme_period_unit (period_id, unit_id, state, scheme_id, frequency, date_from, date_to,
                                               date_due, company_id)
        SELECT p.id, r.partner_id, 'open', p.scheme_id, p.frequency, p.date_from, p.date_to, p.date_due, p.company_id
          FROM social_scheme_period p JOIN social_scheme_unit_rel r ON r.scheme_id = p.scheme_id
         WHERE p.scheme_id IN %s""", [scheme_ids])
    # the n-th figure of a KPI and unit is the n-th quarter's; every 10th is still a draft (not
    # reported), every 7th came after the due date
    cr.execute("""
        WITH ranked AS (
            SELECT id, scheme_id, row_number() OVER (PARTITION BY kpi_id, unit_id ORDER BY date_from, id) - 1 AS n
              FROM social_scheme_kpi_measurement WHERE scheme_id IN %s
        )
        UPDATE social_scheme_kpi_measurement m
           SET period_id = p.id, date_from = p.date_from, date_to = p.date_to,
               date_submitted = p.date_due + CASE WHEN m.id %% 7 = 0 THEN 5 ELSE -3 END,
               state = CASE WHEN m.id %% 10 = 0 THEN 'draft' ELSE m.state END
          FROM ranked r JOIN social_scheme_period p
            ON p.scheme_id = r.scheme_id AND p.date_from = (DATE '2022-01-01' + r.n * interval '3 months')::date
         WHERE m.id = r.id""", [scheme_ids])
    cr.execute("ANALYZE social_scheme_kpi_measurement")
    cr.execute("ANALYZE social_scheme_period_unit")
    cr.execute("ANALYZE social_scheme_period")
    cr.execute("ANALYZE social_scheme_kpi")
    env.invalidate_all()
    return env["social.scheme"].browse(scheme_ids)


def bench_completeness(env, runs, timed):
    schemes = prepare(env)
    Expected = env["social.scheme.expected.report"]

    def ours():
        env.invalidate_all()
        return Expected._read_group([("scheme_id", "in", schemes.ids)], ["period_id", "unit_id"],
                                    ["__count", "completeness:sum", "timeliness:sum"])

    relation = env["social.scheme.kpi"]._fields["disaggregation_ids"]

    def raw():
        # the same three numbers by hand in one GROUP BY: every expected report (unit period ×
        # indicator × breakdown) and the figure that came in for it
        env.cr.execute(f"""
            SELECT pu.period_id, pu.unit_id, COUNT(*), COUNT(f.id),
                   COUNT(f.id) FILTER (WHERE f.date_submitted <= p.date_due)
              FROM social_scheme_period_unit pu
              JOIN social_scheme_period p ON p.id = pu.period_id
              JOIN social_scheme_kpi k ON k.scheme_id = p.scheme_id AND k.frequency = p.frequency
         LEFT JOIN {relation.relation} r ON r.{relation.column1} = k.id
         LEFT JOIN social_scheme_kpi_measurement f
                ON f.period_id = p.id AND f.kpi_id = k.id AND f.unit_id = pu.unit_id
               AND COALESCE(f.disaggregation_id, 0) = COALESCE(r.{relation.column2}, 0)
               AND f.state IN ('submitted', 'validated')
             WHERE p.scheme_id IN %s
          GROUP BY pu.period_id, pu.unit_id""", [tuple(schemes.ids)])
        return env.cr.fetchall()

    t_ours, t_raw, groups, rows = timed(ours, raw, runs)
    expected = sum(group[2] for group in groups)
    by_hand = {(r[0], r[1]): r[2:] for r in rows}
    assert len(groups) == len(rows), (len(groups), len(rows))
    assert all((g[2], round(g[3] / 100), round(g[4] / 100)) == by_hand[(g[0].id, g[1].id)] for g in groups)
    return {"name": f"Completeness: {len(groups):,} unit periods, {expected:,} expected reports", "ours": t_ours,
            "raw": t_raw, "target": 2.0}


def bench_import(env):
    """Import 100 rows (one unit), then 5,000 (50 units); the query count of both, and the 5,000 rows' time."""
    from odoo import Command  # noqa: PLC0415

    units = env["res.partner"].search([("name", "like", "Cơ sở %")], limit=50, order="id")
    # this quarter: its figures are not frozen yet
    today = date.today()
    start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = (start + timedelta(days=92)).replace(day=1) - timedelta(days=1)
    scheme = env["social.scheme"].create({
        "name": "Đề án nhập số liệu", "code": "BENCH-IMPORT", "implementing_unit_id": units[0].id,
        "unit_ids": [Command.set(units.ids)], "date_start": start, "date_end": end,
        "report_frequency": "quarter", "decision_number": "1/QĐ", "decision_date": "2025-12-01",
        "amount_total": 1_000_000_000,
        "budget_line_ids": [Command.create({"name": "Chi", "category": "other", "amount_planned": 1_000_000_000})],
    })
    scheme.action_submit()
    scheme.action_approve()
    scheme.action_start()
    env["social.scheme.kpi"].create([{"scheme_id": scheme.id, "code": f"IM{k:03d}", "name": f"Chỉ tiêu {k}",
                                      "kind": "count", "target_value": 100} for k in range(100)])
    user = env["res.users"].create({
        "name": "Bench importer", "login": "bench_importer", "scheme_unit_ids": [Command.set(units.ids)],
        "groups_id": [Command.set([env.ref("social_scheme.group_manager").id,
                                   env.ref("social_scheme.group_officer").id])]})
    period = scheme.period_ids
    results = {}
    for label, unit in (("small", units[0]), ("big", False)):
        wizard = env["social.scheme.kpi.import"].with_user(user).create(
            {"period_id": period.id, "unit_id": unit and unit.id})
        wizard.action_download_template()
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_data)))
        sheet = workbook.worksheets[0]
        count = 0
        for row in sheet.iter_rows(min_row=6):
            if row[7].value:
                row[5].value = 10 + row[0].row % 50
                count += 1
        output = io.BytesIO()
        workbook.save(output)
        wizard.write({"file_data": base64.b64encode(output.getvalue()), "file_name": "bench.xlsx"})
        env.flush_all()
        env.invalidate_all()
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        wizard.action_import()
        env.flush_all()
        elapsed = time.perf_counter() - start
        assert wizard.state == "done", wizard.result_html
        results[label] = (count, env.cr.sql_log_count - queries, elapsed)
    (small, small_queries, _), (big, big_queries, big_time) = results["small"], results["big"]
    return {"name": f"Import of a {big:,}-row template ({small:,} rows: {small_queries:,} queries)",
            "ours": big_time, "raw": None, "target": None,
            "queries": f"{big_queries:,} queries for {big:,} rows, {big_queries / big:.1f} per row "
                       f"({small_queries / small:.1f} per row at {small:,})"}
