"""The fiscal-year arithmetic, without a database."""

import datetime

import pytest
from tools_loader import load

fy = load("fiscal_year")

OLD = {"year_from": 2017, "year_to": 2025}
NEW = {"year_from": 2026, "year_to": 0}
RULES = [
    {"event": "adjustment_end", "month": 1, "day": 31, "year_offset": 1, **OLD},
    {"event": "adjustment_end", "month": 1, "day": 31, "year_offset": 1, **NEW},
    {"event": "allocation_last", "month": 11, "day": 15, "year_offset": 0, **OLD},
    {"event": "allocation_last", "month": 12, "day": 15, "year_offset": 0, **NEW},
    {"event": "late_allocation_after", "month": 9, "day": 30, "year_offset": 0, "year_from": 0, "year_to": 0},
]


@pytest.mark.parametrize(
    ("event", "year", "expected"),
    [
        ("adjustment_end", 2025, datetime.date(2026, 1, 31)),
        ("adjustment_end", 2026, datetime.date(2027, 1, 31)),
        ("allocation_last", 2025, datetime.date(2025, 11, 15)),
        ("allocation_last", 2026, datetime.date(2026, 12, 15)),
        ("late_allocation_after", 2019, datetime.date(2019, 9, 30)),
    ],
)
def test_event_date_takes_the_rule_in_force_for_the_year(event, year, expected):
    assert fy.event_date(RULES, event, year) == expected


def test_event_date_none_without_rule():
    assert fy.event_date(RULES, "advance_refund", 2026) is None
    assert fy.event_date(RULES, "allocation_last", 2010) is None


def test_event_date_clamps_29_february():
    rules = [{"event": "reconciliation", "month": 2, "day": 29, "year_offset": 1}]
    assert fy.event_date(rules, "reconciliation", 2026) == datetime.date(2027, 2, 28)
    assert fy.event_date(rules, "reconciliation", 2027) == datetime.date(2028, 2, 29)


def test_booking_years_in_and_after_the_adjustment_period():
    end_2025 = datetime.date(2026, 1, 31)
    assert fy.booking_years(datetime.date(2026, 1, 20), end_2025) == [2026, 2025]
    assert fy.booking_years(datetime.date(2026, 1, 31), end_2025) == [2026, 2025]
    assert fy.booking_years(datetime.date(2026, 2, 1), end_2025) == [2026]
    assert fy.booking_years(datetime.date(2026, 1, 5), None) == [2026]


def test_year_available_and_settlement_identity():
    available = fy.year_available(500, 1000, 200, 700, 100, 300)
    assert available == 200
    assert fy.settlement_gap(500, 1000, 700, 100, 300, 200, available) == 0
    assert fy.settlement_gap(500, 1000, 700, 100, 300, 200, 150) == 50


def test_split_unspent_uses_carried_money_first_and_late_money_last():
    # 300 carried in, 1,000 allocated of which 400 after 30/09, 900 used → 400 left
    assert fy.split_unspent(400, 300, 1000, 400) == (0, 400, 0)
    # only 100 used: 200 of the carried money is left, then the 400 late, then 300 other
    assert fy.split_unspent(1200, 300, 1000, 400) == (200, 400, 600)
    assert fy.split_unspent(0, 300, 1000, 400) == (0, 0, 0)
    assert sum(fy.split_unspent(750, 0, 1000, 100)) == 750


def test_propose_follows_the_categories():
    commitments = [
        {"id": 1, "package_id": 11, "amount": 500, "contracted": True, "carried_in": False},
        {"id": 2, "package_id": 12, "amount": 80, "contracted": False, "carried_in": False},
        {"id": 3, "package_id": 13, "amount": 70, "contracted": True, "carried_in": True},
        {"id": 4, "package_id": 14, "amount": 0, "contracted": True, "carried_in": False},
    ]
    figures = {"available": 350, "opening_free": 0, "allocated": 2000, "late_allocated": 200, "advance_open": 40}
    got = {(p["source"], p["decision"], p["category"], p["amount"], p["commitment_id"])
           for p in fy.propose(figures, commitments)}
    assert got == {
        ("contract", "carry_forward", "contract", 500, 1),
        ("reservation", "cancel", None, 80, 2),
        ("contract", "cancel", None, 70, 3),
        ("late_allocation", "carry_forward", "late_allocation", 200, False),
        ("unspent", "cancel", None, 150, False),
        ("advance", "settle", None, 40, False),
    }


def test_propose_nothing_for_a_spent_line():
    assert fy.propose({"available": 0, "allocated": 100}, []) == []


def test_period_ends_of_the_execution_reports():
    assert fy.period_end("q1", 2026) == datetime.date(2026, 3, 31)
    assert fy.period_end("h1", 2026) == datetime.date(2026, 6, 30)
    assert fy.period_end("q3", 2026) == datetime.date(2026, 9, 30)
    assert fy.period_end("year", 2026) == datetime.date(2026, 12, 31)
    assert fy.period_end("estimate", 2026) is None
