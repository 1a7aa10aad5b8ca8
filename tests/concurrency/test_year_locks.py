"""Real concurrency on the yearly ledger: per-year money under parallel postings, closing vs posting.

Run by ``make test`` (scripts/run_concurrency.py) on a committed database; see test_budget_locks.
"""

import time
from functools import partial

from social_scheme_concurrency.test_budget_locks import AMOUNT, BN, _assert_outcomes, _race, _setup

from odoo import SUPERUSER_ID, api


def _post(payment_id, env):
    return env["social.scheme.disbursement"].browse(payment_id).action_post()


def test_parallel_postings_draw_only_on_their_year(registry):
    """12 × 100 tr of 2023 against 2023's 1 tỷ (the line's lifetime 2 tỷ would cover them): 10 win."""
    tag = f"CONC-YEAR-{int(time.time() * 1000)}"
    officer_id, line_id, payment_ids = _setup(registry, tag, years=(2022, 2023))
    outcomes = _race(registry, officer_id, [partial(_post, pid) for pid in payment_ids])
    winners = _assert_outcomes(outcomes, winners_expected=10)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        line = env["social.scheme.budget.line"].browse(line_id)
        figures = env["social.scheme.budget.year"]._figures(line)
        assert figures[(line_id, 2023)]["amount_spent"] == winners * AMOUNT, figures
        assert figures[(line_id, 2023)]["amount_available"] >= 0, figures
        assert figures[(line_id, 2022)]["amount_available"] == BN, "2022's money stays 2022's"
        assert line.amount_spent == winners * AMOUNT and line.amount_available == 2 * BN - winners * AMOUNT


def test_closing_and_posting_race_one_wins(registry):
    """A Manager confirms the 2023 closing while an officer posts a 2023 payment: never both."""
    tag = f"CONC-CLOSE-{int(time.time() * 1000)}"
    officer_id, line_id, payment_ids = _setup(registry, tag, years=(2022, 2023))
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        scheme_id = env["social.scheme.budget.line"].browse(line_id).scheme_id.id
        closing = env["social.scheme.year.closing"].create({"fiscal_year": 2023, "scheme_ids": [(6, 0, [scheme_id])]})
        closing.action_propose()
        cr.commit()
        closing_id = closing.id

    def confirm(env):
        return env["social.scheme.year.closing"].browse(closing_id).action_confirm()

    def post(env):
        return _post(payment_ids[0], env(user=officer_id))

    outcomes = _race(registry, SUPERUSER_ID, [confirm, post])
    assert outcomes.count("ok") == 1, outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert loser[0] == "budget" or "serializ" in loser[1].lower(), loser
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        line = env["social.scheme.budget.line"].browse(line_id)
        figures = env["social.scheme.budget.year"]._figures(line)[(line_id, 2023)]
        closed = env["social.scheme.year.closing"].browse(closing_id).state == "done"
        posted = env["social.scheme.disbursement"].browse(payment_ids[0]).state == "posted"
        assert closed != posted, (closed, posted)
        if closed:
            assert figures["amount_available"] == 0 and figures["amount_cancelled"] == BN, figures
        else:
            assert figures["amount_spent"] == AMOUNT and figures["state"] == "open", figures
