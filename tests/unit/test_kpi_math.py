"""KPI maths with the seed figures, without a database."""

from datetime import date

import pytest
from tools_loader import load

km = load("kpi_math")

START, END = date(2022, 1, 1), date(2022, 12, 31)


def test_ratio_is_sum_over_sum_not_mean_of_rates():
    # Unit A: 90 of 100 (90%), unit B: 10 of 100... mean of rates would be 50%
    rows = [(90, 100), (1, 10)]
    numerator, denominator, rate = km.aggregate_ratio(rows)
    assert (numerator, denominator) == (91, 110)
    assert rate == pytest.approx(82.7272727)
    assert rate != pytest.approx((90.0 + 10.0) / 2)


def test_ratio_of_which_seed_figures():
    managed = km.aggregate_ratio([(560, 640)])[2]
    job_linked = km.aggregate_ratio([(369, 560)])[2]
    assert managed == pytest.approx(87.5)
    assert round(job_linked, 1) == 65.9
    assert km.reaches(managed, 80, "at_least")
    assert not km.reaches(job_linked, 70, "at_least")


def test_zero_denominator_is_no_data_not_a_crash():
    assert km.aggregate_ratio([(0, 0)]) == (0, 0, None)
    assert km.ratio(5, 0) is None
    assert km.status(None, 80, "at_least", "ratio", None, ended=False) == "no_data"


def test_count_sum_percent_of_plan_seed_figures():
    assert round(km.percent_of_target(281, 250), 1) == 112.4
    assert round(km.percent_of_target(53 + 52 + 80, 150), 1) == 123.3


def test_percent_of_target_without_target_or_data():
    assert km.percent_of_target(10, 0) is None
    assert km.percent_of_target(None, 10) is None


def test_last_takes_latest_period_per_unit_and_breakdown():
    rows = [
        ("A", None, date(2022, 3, 31), 10),
        ("A", None, date(2022, 6, 30), 25),  # stock to date: replaces Q1
        ("B", None, date(2022, 3, 31), 7),
        ("B", "female", date(2022, 3, 31), 3),
    ]
    assert km.aggregate_last(rows) == 25 + 7 + 3


def test_last_is_order_independent_for_distinct_dates():
    rows = [("A", None, date(2022, 6, 30), 25), ("A", None, date(2022, 3, 31), 10)]
    assert km.aggregate_last(rows) == 25


def test_projection_of_a_count_scales_with_covered_period():
    half = date(2022, 7, 1)  # 182 of 365 days
    assert km.linear_projection(100, "count", START, END, half) == pytest.approx(100 * 365 / 182)


def test_projection_of_a_ratio_is_the_ratio():
    assert km.linear_projection(87.5, "ratio", START, END, date(2022, 3, 31)) == 87.5


def test_status_achieved_when_reached():
    assert km.status(87.5, 80, "at_least", "ratio", 87.5, ended=False) == "achieved"
    assert km.status(281, 250, "at_least", "count", 281, ended=True) == "achieved"


def test_status_after_end_is_achieved_or_off_track():
    assert km.status(65.9, 70, "at_least", "ratio", 65.9, ended=True) == "off_track"
    assert km.status(69.99, 70, "at_least", "ratio", 69.99, ended=True) == "off_track"


@pytest.mark.parametrize(
    ("projection", "expected"),
    [(260, "on_track"), (250, "on_track"), (226, "at_risk"), (225, "at_risk"), (224, "off_track")],
)
def test_status_before_end_uses_projection_and_margin(projection, expected):
    assert km.status(120, 250, "at_least", "count", projection, ended=False) == expected


def test_status_margin_is_configurable():
    assert km.status(60, 70, "at_least", "ratio", 60, ended=False, margin=20) == "at_risk"
    assert km.status(60, 70, "at_least", "ratio", 60, ended=False, margin=10) == "off_track"


def test_status_at_most_mirrors():
    # relapse rate at most 30%
    assert km.status(25, 30, "at_most", "ratio", 25, ended=False) == "achieved"
    assert km.status(32, 30, "at_most", "ratio", 32, ended=False) == "at_risk"
    assert km.status(40, 30, "at_most", "ratio", 40, ended=False) == "off_track"
    # a count at most: being under early is not yet an achievement
    assert km.status(10, 50, "at_most", "count", 40, ended=False) == "on_track"
    assert km.status(10, 50, "at_most", "count", 70, ended=False) == "off_track"
    assert km.status(45, 50, "at_most", "count", 45, ended=True) == "achieved"


def test_rate_needed_for_a_ratio():
    # Half the year covered: 40 of 100 counselled; 100 more entrants expected; target 85%
    # → 170 of 200 needed, 130 more of the next 100 — impossible: > 100%
    needed = km.rate_needed("ratio", 85, 40, 100, None, START, END, date(2022, 7, 1))
    assert needed == pytest.approx((0.85 * 100 * 365 / 182 - 40) * 100 / (100 * 365 / 182 - 100))
    assert needed > 100


def test_rate_needed_for_a_count_and_after_end():
    assert km.rate_needed("count", 250, None, None, 120, START, END, date(2022, 6, 30)) == 130
    assert km.rate_needed("count", 250, None, None, 300, START, END, date(2022, 6, 30)) == 0
    assert km.rate_needed("count", 250, None, None, 120, START, END, END) is None


def test_indicator_without_target_is_tracking():
    assert km.has_target(0, "at_least") is False
    assert km.has_target(0, "at_most") is True
    assert km.has_target(80, "at_least") is True
    assert km.status(4, 0, "at_least", "count", None, ended=True) == "tracking"
    assert km.status(None, 0, "at_least", "count", None, ended=False) == "tracking"
    assert km.status(None, 0, "at_most", "count", None, ended=False) == "no_data"
    assert km.status(0, 0, "at_most", "count", None, ended=True) == "achieved"


def test_period_status_judges_rates_in_each_period():
    assert km.period_status(87.5, 85, "at_least", "ratio") == "achieved"
    assert km.period_status(80.0, 85, "at_least", "ratio") == "at_risk"  # within 10% of 85
    assert km.period_status(70.0, 85, "at_least", "ratio") == "off_track"
    assert km.period_status(None, 85, "at_least", "ratio") == "no_data"
    assert km.period_status(4, 0, "at_least", "count") == "tracking"


def test_period_status_of_a_count_is_reached_or_unjudged():
    # a quarter's 60 admissions are not "off track" against the year's 250
    assert km.period_status(60, 250, "at_least", "count") is None
    assert km.period_status(281, 250, "at_least", "count") == "achieved"
    assert km.period_status(12, 10, "at_most", "count") is None
    assert km.period_status(8, 10, "at_most", "count") == "achieved"


def test_largest_figure_fits_the_roll_up_integer():
    # models/kpi.py packs (end date << 47 | value) in a bigint for a stock count's latest figure
    assert km.MAX_FIGURE < 2**47
    assert (65_535 << 47 | km.MAX_FIGURE) < 2**63  # end dates up to 2179
