"""The reporting cycle's calendar and states, without a database."""

from datetime import date

import pytest
from tools_loader import load

rp = load("reporting")


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("month", 12),
        ("quarter", 4),
        ("half_year", 2),
        ("year", 1),
    ],
)
def test_periods_of_each_frequency_cover_a_year(frequency, expected):
    result = rp.periods(date(2022, 1, 1), date(2022, 12, 31), frequency)
    assert len(result) == expected
    assert result[0][0] == date(2022, 1, 1) and result[-1][1] == date(2022, 12, 31)
    assert all((b[0] - a[1]).days == 1 for a, b in zip(result, result[1:])), "no gap, no overlap"


def test_periods_are_clipped_to_the_scheme():
    assert rp.periods(date(2022, 2, 15), date(2022, 8, 10), "quarter") == [
        (date(2022, 2, 15), date(2022, 3, 31)), (date(2022, 4, 1), date(2022, 6, 30)),
        (date(2022, 7, 1), date(2022, 8, 10))]
    assert rp.periods(date(2023, 1, 1), date(2023, 11, 10), "half_year")[-1] == (date(2023, 7, 1), date(2023, 11, 10))


@pytest.mark.parametrize(
    ("period_end", "day", "months_after", "expected"),
    [
        (date(2022, 1, 31), 3, 1, date(2022, 2, 3)),     # monthly: the 3rd of the next month
        (date(2022, 12, 31), 3, 1, date(2023, 1, 3)),
        (date(2022, 6, 30), 15, 1, date(2022, 7, 15)),   # first half: 15/07
        (date(2022, 12, 31), 15, 1, date(2023, 1, 15)),  # the year: 15/01 of the next year
        (date(2022, 3, 31), 31, 1, date(2022, 4, 30)),   # past the month's end: its last day
        (date(2022, 3, 31), 10, 0, date(2022, 3, 10)),
    ],
)
def test_due_date(period_end, day, months_after, expected):
    assert rp.due_date(period_end, day, months_after) == expected


def test_report_state_table():
    due = date(2022, 4, 15)
    assert rp.report_state(None, None, due) == ("missing", False)
    assert rp.report_state("draft", None, due) == ("missing", False)
    assert rp.report_state("submitted", date(2022, 4, 15), due) == ("submitted", True)
    assert rp.report_state("submitted", date(2022, 4, 16), due) == ("submitted", False)
    assert rp.report_state("validated", date(2022, 4, 2), due) == ("validated", True)
    assert rp.report_state("rejected", date(2022, 4, 2), due) == ("returned", False)
    assert not rp.is_late("missing", due, date(2022, 4, 15))
    assert rp.is_late("missing", due, date(2022, 4, 16))
    assert rp.is_late("returned", due, date(2022, 5, 1))
    assert not rp.is_late("submitted", due, date(2022, 5, 1))


def test_rates_are_received_and_on_time_over_expected():
    assert rp.rates(8, 6, 3) == (75.0, 37.5)
    assert rp.rates(0, 0, 0) == (None, None)
    assert rp.lock_date(date(2022, 4, 15), 30) == date(2022, 5, 15)
    assert rp.lock_date(date(2022, 4, 15), 0) is None


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ("quarter", [(date(2022, 1, 1), date(2022, 3, 31)), (date(2022, 4, 1), date(2022, 6, 30)),
                     (date(2022, 7, 1), date(2022, 9, 30)), (date(2022, 10, 1), date(2022, 12, 31))]),
        ("year", [(date(2022, 1, 1), date(2022, 12, 31))]),
    ],
)
def test_period_buckets_cover_the_range(interval, expected):
    assert rp.periods(date(2022, 2, 15), date(2022, 11, 30), interval, clip=False) == expected


def test_period_buckets_months_across_a_year_end():
    buckets = rp.periods(date(2022, 11, 20), date(2023, 2, 1), "month", clip=False)
    assert buckets == [(date(2022, 11, 1), date(2022, 11, 30)), (date(2022, 12, 1), date(2022, 12, 31)),
                       (date(2023, 1, 1), date(2023, 1, 31)), (date(2023, 2, 1), date(2023, 2, 28))]
    assert rp.period_start(date(2024, 8, 31), "quarter") == date(2024, 7, 1)
    assert rp.period_start(date(2024, 8, 31), "year") == date(2024, 1, 1)
