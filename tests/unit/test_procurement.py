"""Procurement rule lookup across the 2022 / 15-01-2025 / 04-08-2025 boundaries, no database."""

from datetime import date

import pytest
from tools_loader import load

pr = load("procurement")

TR, TY = 1_000_000, 1_000_000_000
P1 = (date(2022, 1, 1), date(2025, 1, 14))
P2 = (date(2025, 1, 15), date(2025, 8, 3))
P3 = (date(2025, 8, 4), None)


def _rule(method, limit, period, ptype=False, context=False, sequence=10, name=None):
    return {"method": method, "amount_max": limit, "date_from": period[0], "date_to": period[1],
            "procurement_type": ptype, "context": context, "sequence": sequence, "name": name or method}


def _table():
    """The thresholds table of DOMAIN.md."""
    rules = [_rule("head_decision", 50 * TR, P3)]
    for period, recurrent, consulting, other in ((P1, 100 * TR, 500 * TR, 1 * TY), (P2, 300 * TR, 500 * TR, 1 * TY),
                                                 (P3, 500 * TR, 800 * TR, 2 * TY)):
        rules.append(_rule("direct_appointment", recurrent, period, context="recurrent"))
        rules.append(_rule("direct_appointment", consulting, period, "consulting", "project"))
        for ptype in ("goods", "works", "non_consulting", "mixed"):
            rules.append(_rule("direct_appointment", other, period, ptype, "project"))
    for period, limit in (((P1[0], P2[1]), 5 * TY), (P3, 10 * TY)):
        for ptype in ("goods", "works", "non_consulting"):
            rules.append(_rule("competitive_quotation", limit, period, ptype))
    rules.append(_rule("open_bidding", 0, (date(2000, 1, 1), None)))
    return rules


def suggest(on_date, ptype, context, estimate):
    rule = pr.suggest(_table(), on_date, ptype, context, estimate)
    return rule and (rule["method"], rule["amount_max"])


@pytest.mark.parametrize(
    ("on_date", "ptype", "context", "estimate", "expected"),
    [
        # 2022 rules: Lâm Đồng's dormitory repair, a works package within the project
        (date(2022, 11, 1), "works", "project", 4_500 * TR, ("competitive_quotation", 5 * TY)),
        (date(2022, 11, 1), "works", "project", 900 * TR, ("direct_appointment", 1 * TY)),
        (date(2022, 11, 1), "goods", "recurrent", 95 * TR, ("direct_appointment", 100 * TR)),
        (date(2022, 11, 1), "goods", "recurrent", 150 * TR, ("competitive_quotation", 5 * TY)),
        (date(2022, 11, 1), "goods", "recurrent", 30 * TR, ("direct_appointment", 100 * TR)),  # no head rule yet
        (date(2022, 11, 1), "works", "project", 6 * TY, ("open_bidding", 0)),
        # last day of the old rules / first day of Luật 57/2024
        (date(2025, 1, 14), "goods", "recurrent", 250 * TR, ("competitive_quotation", 5 * TY)),
        (date(2025, 1, 15), "goods", "recurrent", 250 * TR, ("direct_appointment", 300 * TR)),
        # 03/08/2025 vs 04/08/2025 (NĐ 214/2025)
        (date(2025, 8, 3), "goods", "recurrent", 40 * TR, ("direct_appointment", 300 * TR)),
        (date(2025, 8, 4), "goods", "recurrent", 40 * TR, ("head_decision", 50 * TR)),
        (date(2025, 8, 3), "goods", "recurrent", 450 * TR, ("competitive_quotation", 5 * TY)),
        (date(2025, 8, 4), "goods", "recurrent", 450 * TR, ("direct_appointment", 500 * TR)),
        (date(2025, 8, 3), "works", "project", 7 * TY, ("open_bidding", 0)),
        (date(2025, 8, 4), "works", "project", 7 * TY, ("competitive_quotation", 10 * TY)),
        (date(2025, 8, 4), "works", "project", 1_500 * TR, ("direct_appointment", 2 * TY)),
    ],
)
def test_lookup_across_boundaries(on_date, ptype, context, estimate, expected):
    assert suggest(on_date, ptype, context, estimate) == expected


def test_consulting_never_competitive_quotation():
    assert suggest(date(2022, 11, 1), "consulting", "project", 600 * TR) == ("open_bidding", 0)
    assert suggest(date(2025, 9, 1), "consulting", "project", 700 * TR) == ("direct_appointment", 800 * TR)
    assert suggest(date(2025, 9, 1), "consulting", "project", 900 * TR) == ("open_bidding", 0)


def test_estimate_exactly_at_limit_fits():
    assert suggest(date(2022, 11, 1), "goods", "recurrent", 100 * TR) == ("direct_appointment", 100 * TR)


def test_type_beats_context_beats_all():
    rules = [
        _rule("direct_appointment", 10, P1, name="all"),
        _rule("direct_appointment", 20, P1, context="project", name="context"),
        _rule("direct_appointment", 30, P1, ptype="goods", name="type"),
        _rule("open_bidding", 0, P1),
    ]
    assert pr.best_rule(rules, "direct_appointment", date(2023, 1, 1), "goods", "project")["name"] == "type"
    assert pr.best_rule(rules, "direct_appointment", date(2023, 1, 1), "works", "project")["name"] == "context"
    assert pr.best_rule(rules, "direct_appointment", date(2023, 1, 1), "works", "recurrent")["name"] == "all"


def test_ties_broken_by_sequence():
    rules = [_rule("direct_appointment", 10, P1, sequence=20, name="late"),
             _rule("direct_appointment", 20, P1, sequence=5, name="early")]
    assert pr.best_rule(rules, "direct_appointment", date(2023, 1, 1), "goods", "project")["name"] == "early"


def test_no_rule_in_force():
    assert pr.suggest([_rule("direct_appointment", 10, P2)], date(2023, 1, 1), "goods", "project", 5) is None


def test_working_days_skip_weekends():
    friday = date(2026, 11, 27)
    assert pr.add_working_days(friday, 1) == date(2026, 11, 30)
    assert pr.add_working_days(friday, 5) == date(2026, 12, 4)


def test_minimum_times():
    start = date(2026, 11, 23)  # a Monday
    times = {key: (days, deadline) for key, days, deadline in
             pr.minimum_times("open_bidding", "works", 15 * TY, start)}
    assert times == {"publication": (5, date(2026, 11, 30)), "bid_preparation": (9, date(2026, 12, 2))}
    times = {key: days for key, days, _ in pr.minimum_times("open_bidding", "works", 25 * TY, start)}
    assert times["bid_preparation"] == 18
    times = {key: days for key, days, _ in pr.minimum_times("open_bidding", "goods", 11 * TY, start)}
    assert times["bid_preparation"] == 18
    times = {key: (days, d) for key, days, d in pr.minimum_times("competitive_quotation", "goods", 1 * TY, start)}
    assert times["quotation"] == (7, date(2026, 12, 2))
    assert pr.minimum_times("direct_appointment", "goods", 1 * TY, start) == []
