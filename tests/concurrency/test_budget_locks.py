"""Real concurrency on a committed database: separate cursors in separate threads.

Run by ``make test`` (scripts/run_concurrency.py), not by Odoo's test runner, whose
test cursors all share one connection. Each function receives the registry.
"""

import threading
import time
from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service.model import retrying

BN = 1_000_000_000
WORKERS = 12
AMOUNT = 100_000_000  # 12 × 100 tr against 1 tỷ allocated: two must lose


def _setup(registry, tag, years=(2022,)):
    """A running scheme with 1 tỷ allocated on one line in each of ``years``, an officer of its
    unit, and twelve draft payments of 100 tr dated in the last year."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        unit = env["res.partner"].create({"name": f"Cơ sở {tag}", "is_company": True})
        officer = env["res.users"].create({
            "name": f"Officer {tag}", "login": f"officer_{tag}",
            "groups_id": [(6, 0, [env.ref("social_scheme.group_officer").id])],
            "scheme_unit_ids": [(6, 0, [unit.id])],
        })
        plan = (len(years) + 1) * BN
        scheme = env["social.scheme"].create({
            "name": f"Concurrency {tag}", "code": tag, "implementing_unit_id": unit.id,
            "date_start": f"{years[0]}-01-01", "date_end": f"{years[-1]}-12-31", "amount_total": plan,
            "decision_number": "1/QĐ", "decision_date": f"{years[0]}-01-10",
            "budget_line_ids": [(0, 0, {"name": "Thiết bị", "category": "equipment", "amount_planned": plan})],
        })
        scheme.action_submit()
        scheme.action_approve()
        scheme.action_start()
        line = scheme.budget_line_ids
        env["social.scheme.allocation"].create([
            {"budget_line_id": line.id, "fiscal_year": year, "amount": BN, "date": f"{year}-03-01"}
            for year in years
        ])
        payments = env["social.scheme.disbursement"].create([
            {"name": f"Thanh toán {i}", "budget_line_id": line.id, "amount": AMOUNT, "date": f"{years[-1]}-11-15"}
            for i in range(WORKERS)
        ])
        cr.commit()
        return officer.id, line.id, payments.ids


def _call(model, record_id, method, env):
    return getattr(env[model].browse(record_id), method)()


def _reserve(line_id, origin, env):
    return env["social.scheme.budget.line"].browse(line_id)._reserve(AMOUNT, origin, 2022)


def _race(registry, uid, jobs):
    """Run each job(env) in its own thread and cursor, all released at once, with Odoo's retries."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {})
            barrier.wait()
            try:
                retrying(partial(job, env), env)  # commits on success, like a request
                outcomes[index] = "ok"
            except UserError as error:
                cr.rollback()  # a failed request never commits
                outcomes[index] = ("budget", str(error))
            except Exception as error:  # noqa: BLE001 - recorded and asserted below
                cr.rollback()
                outcomes[index] = ("other", repr(error))

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return outcomes


def _assert_ledger(registry, line_id, used, winners):
    """The winners' amounts are all that ``used`` ('committed' or 'spent') holds, the stored
    totals equal fresh sums from the database, and nothing is overdrawn."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        line = env["social.scheme.budget.line"].browse(line_id)
        fresh = line._ledger_totals()[line_id]
        stored = {"allocated": line.amount_allocated, "committed": line.amount_committed,
                  "spent": line.amount_spent}
        assert stored[used] == winners * AMOUNT, (stored, winners)
        assert stored == {key: fresh.get(key, 0.0) for key in stored}, (stored, dict(fresh))
        assert line.amount_available == stored["allocated"] - stored["committed"] - stored["spent"] >= 0, stored


def _assert_outcomes(outcomes, winners_expected):
    winners = outcomes.count("ok")
    budget = [o for o in outcomes if isinstance(o, tuple) and o[0] == "budget"]
    other = [o for o in outcomes if isinstance(o, tuple) and o[0] == "other"]
    # Losers see the budget error, or after Odoo's retries a concurrency error: never a silent success.
    for _kind, message in other:
        assert "serializ" in message.lower() or "concurrent" in message.lower(), message
    for _kind, message in budget:
        assert "overspend" in message or "Not enough budget" in message, message
    assert winners + len(budget) + len(other) == len(outcomes)
    assert winners <= winners_expected, f"{winners} winners: over-committed"
    if not other:
        assert winners == winners_expected, outcomes
    assert budget or other, "two workers must have lost"
    return winners


def test_parallel_postings_never_overspend(registry):
    tag = f"CONC-POST-{int(time.time() * 1000)}"
    officer_id, line_id, payment_ids = _setup(registry, tag)
    jobs = [partial(_call, "social.scheme.disbursement", pid, "action_post") for pid in payment_ids]
    outcomes = _race(registry, officer_id, jobs)
    winners = _assert_outcomes(outcomes, winners_expected=10)
    _assert_ledger(registry, line_id, "spent", winners)


def test_parallel_reservations_never_overcommit(registry):
    tag = f"CONC-RES-{int(time.time() * 1000)}"
    _officer_id, line_id, _payment_ids = _setup(registry, tag)
    jobs = [partial(_reserve, line_id, f"Gói {n}") for n in range(WORKERS)]
    outcomes = _race(registry, SUPERUSER_ID, jobs)
    winners = _assert_outcomes(outcomes, winners_expected=10)
    _assert_ledger(registry, line_id, "committed", winners)


def test_parallel_package_approvals_never_overcommit(registry):
    """Twelve unit-head approvals of 100 tr packages race for 1 tỷ: ten commit, two get the budget error."""
    tag = f"CONC-PKG-{int(time.time() * 1000)}"
    officer_id, line_id, _payment_ids = _setup(registry, tag)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        line = env["social.scheme.budget.line"].browse(line_id)
        officer = env["res.users"].browse(officer_id)
        head = env["res.users"].create({
            "name": f"Head {tag}", "login": f"head_{tag}",
            "groups_id": [(6, 0, [env.ref("social_scheme.group_unit_head").id])],
            "scheme_unit_ids": [(6, 0, officer.scheme_unit_ids.ids)],
        })
        packages = env["social.scheme.procurement.package"].with_user(officer).create([
            {"name": f"Gói {n}", "scheme_id": line.scheme_id.id, "budget_line_id": line.id,
             "procurement_type": "goods", "amount_estimate": AMOUNT, "date_planned": "2022-11-10",
             "method": "competitive_quotation", "method_justification": "test"}
            for n in range(WORKERS)
        ])
        packages.action_submit()
        cr.commit()
        head_id, package_ids = head.id, packages.ids
    jobs = [partial(_call, "social.scheme.procurement.package", pid, "action_approve") for pid in package_ids]
    outcomes = _race(registry, head_id, jobs)
    winners = _assert_outcomes(outcomes, winners_expected=10)
    _assert_ledger(registry, line_id, "committed", winners)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        states = env["social.scheme.procurement.package"].browse(package_ids).mapped("state")
        assert states.count("approved") == winners and states.count("submitted") == WORKERS - winners, states
