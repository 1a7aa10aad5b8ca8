"""The budget arithmetic, without a database."""


import pytest
from tools_loader import load

bm = load("budget_math")


def test_available_is_allocated_minus_committed_minus_spent():
    assert bm.available(11_500_000_000, 2_000_000_000, 1_500_000_000) == 8_000_000_000


def test_available_treats_missing_as_zero():
    assert bm.available(None, None, None) == 0.0
    assert bm.available(100, None, 30) == 70


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (1_500_000_000, 11_500_000_000, 13.043478260869565),
        (281, 250, 112.4),
        (0, 100, 0.0),
        (5, 0, 0.0),
        (5, None, 0.0),
    ],
)
def test_percent(part, whole, expected):
    assert bm.percent(part, whole) == pytest.approx(expected)


def test_spent_counts_advances_and_payments_not_settlements():
    posted = {"advance": 300.0, "payment": 500.0, "advance_settlement": 300.0}
    assert bm.spent_from_kinds(posted) == 800.0


def test_open_advances():
    assert bm.open_advances({"advance": 300.0, "advance_settlement": 120.0}) == 180.0
    assert bm.open_advances({"payment": 10.0}) == 0.0


def test_revised_plan_overrides_only_changed_lines():
    assert bm.revised_plan({1: 10, 2: 20}, {2: 25}) == {1: 10, 2: 25}


def test_revision_moving_money_between_lines_is_accepted():
    current = {"repair": 8_150_000_000, "equipment": 3_350_000_000}
    changes = {"repair": 8_000_000_000, "equipment": 3_500_000_000}
    assert bm.revision_problems(current, changes, {}, 11_500_000_000) == []


def test_revision_must_add_up_to_total():
    current = {"repair": 8_150_000_000, "equipment": 3_350_000_000}
    problems = bm.revision_problems(current, {"repair": 8_000_000_000}, {}, 11_500_000_000)
    assert problems == [("total", 11_350_000_000, 11_500_000_000)]


def test_revision_may_change_total_when_decision_does():
    current = {"repair": 8_150_000_000, "equipment": 3_350_000_000}
    assert bm.revision_problems(current, {"equipment": 3_850_000_000}, {}, 12_000_000_000) == []


def test_revision_cannot_cut_below_floor():
    current = {"repair": 8_150_000_000, "equipment": 3_350_000_000}
    changes = {"repair": 7_000_000_000, "equipment": 4_500_000_000}
    floors = {"repair": 7_500_000_000}
    assert bm.revision_problems(current, changes, floors, 11_500_000_000) == [
        ("below_floor", "repair", 7_000_000_000, 7_500_000_000)
    ]


def test_revision_rejects_negative_amounts():
    problems = bm.revision_problems({"a": 10}, {"a": -5, "b": 15}, {}, 10)
    assert ("negative", "a", -5) in problems


def test_revision_exactly_at_floor_is_accepted():
    assert bm.revision_problems({"a": 10, "b": 0}, {"a": 6, "b": 4}, {"a": 6}, 10) == []
