"""Activity status, derived progress, report periods and starter texts, without a database."""

from datetime import date

import pytest
from tools_loader import load

progress = load("progress")

START, END = date(2022, 1, 1), date(2022, 6, 30)  # 180 days


@pytest.mark.parametrize(
    ("day", "actual_start", "actual_end", "done", "tolerance", "expected"),
    [
        (date(2021, 12, 1), None, None, 0, 10, "not_started"),
        (date(2022, 1, 10), None, None, 0, 10, "not_started"),  # 5% elapsed: within the tolerance
        (date(2022, 2, 15), None, None, 0, 10, "late"),  # 25% elapsed, nothing done
        (date(2022, 2, 15), date(2022, 1, 5), None, 20, 10, "on_schedule"),
        (date(2022, 3, 1), date(2022, 1, 5), None, 20, 10, "late"),  # 32.8% elapsed: 12.8 points behind
        (date(2022, 3, 1), date(2022, 1, 5), None, 20, 15, "on_schedule"),
        (date(2022, 7, 1), date(2022, 1, 5), None, 99, 10, "late"),  # past the planned end
        (date(2022, 7, 1), date(2022, 1, 5), date(2022, 7, 5), 100, 10, "late"),  # done only later
        (date(2022, 7, 5), date(2022, 1, 5), date(2022, 7, 5), 100, 10, "done"),
        (date(2022, 3, 1), date(2022, 1, 5), date(2022, 2, 20), 100, 0, "done"),  # early
    ],
)
def test_status(day, actual_start, actual_end, done, tolerance, expected):
    assert progress.status(day, START, END, actual_start, actual_end, done, tolerance) == expected


def test_status_without_plan_dates():
    assert progress.status(date(2022, 3, 1), None, None, None, None, 0, 10) == "not_started"
    assert progress.status(date(2022, 3, 1), None, None, date(2022, 2, 1), None, 0, 10) == "on_schedule"


def test_expected_progress():
    assert progress.expected_progress(date(2021, 12, 31), START, END) == 0
    assert progress.expected_progress(date(2022, 3, 31), START, END) == pytest.approx(89 * 100 / 180)
    assert progress.expected_progress(date(2022, 6, 30), START, END) == 100
    assert progress.expected_progress(date(2022, 3, 1), None, END) == 0


def test_derived_progress():
    assert progress.derived_progress("milestones", milestones=[True, False, False, True]) == 50
    assert progress.derived_progress("milestones", milestones=[]) is None
    # cancelled packages do not count; closed ones are finished
    assert progress.derived_progress("packages", package_states=["accepted", "contracted", "cancelled"]) == 50
    assert progress.derived_progress("packages", package_states=["closed", "cancelled"]) == 100
    assert progress.derived_progress("packages", package_states=["cancelled"]) is None
    # % of target capped at 100, indicators without target or data left out
    assert progress.derived_progress("kpis", kpi_rates=[50.0, 112.4, None]) == 75
    assert progress.derived_progress("manual") is None


def test_over_plan():
    assert progress.over_plan(8_150_000_000, [5_000_000_000, 3_150_000_000]) == 0
    assert progress.over_plan(8_150_000_000, [5_000_000_000, 3_200_000_000]) == 50_000_000


def test_period_dates_and_labels():
    assert progress.period_dates("half_year", 2022) == (date(2022, 1, 1), date(2022, 6, 30))
    assert progress.period_dates("year", 2023) == (date(2023, 1, 1), date(2023, 12, 31))
    assert progress.period_dates("final", 2022, START, END) == (START, END)
    assert progress.period_dates("other", 2022) is None
    assert progress.period_dates("year", 0) is None
    assert progress.period_label("half_year", date(2022, 1, 1), date(2022, 6, 30)) == "6 tháng đầu năm 2022"
    assert progress.period_label("year", date(2022, 1, 1), date(2022, 12, 31)) == "năm 2022"
    assert progress.period_label("final", START, END) == "giai đoạn từ 01/01/2022 đến 30/06/2022"


NT_ROWS = [
    {"name": "Học viên được quản lý", "kind": "count", "has_data": True, "actual": 281, "target": 250,
     "rate": 112.4, "has_rate": True, "kpi_status": "achieved"},
    {"name": "Tiếp nhận mới", "kind": "count", "has_data": True, "actual": 185, "target": 150, "rate": 123.33,
     "has_rate": True, "kpi_status": "achieved"},
    {"name": "Tự nguyện, trong tỉnh", "kind": "count", "has_data": True, "actual": 53, "is_breakdown": True},
    {"name": "Trong đó: nữ", "kind": "count", "has_data": True, "actual": 4, "target": 0, "rate": 0,
     "has_rate": False, "kpi_status": "tracking"},
    {"name": "Kết nối việc làm", "kind": "ratio", "has_data": True, "actual": 65.89, "numerator": 369,
     "denominator": 560, "target": 70, "rate": 94.1, "has_rate": True, "kpi_status": "off_track"},
    {"name": "Tư vấn", "kind": "ratio", "has_data": False},
    {"name": "Học viên hài lòng", "kind": "survey", "is_rate": True, "has_data": True, "actual": 80.0,
     "numerator": 40, "denominator": 50, "target": 80, "rate": 100.0, "has_rate": True, "kpi_status": "achieved"},
]


def test_kpi_result_texts():
    texts = [progress.kpi_result_text(row) for row in NT_ROWS if not row.get("is_breakdown")]
    assert texts == [
        "Học viên được quản lý: 281/250, đạt 112,4% kế hoạch.",
        "Tiếp nhận mới: 185/150, đạt 123,3% kế hoạch.",
        "Trong đó: nữ: 4.",
        "Kết nối việc làm: 369/560 (65,9%), mục tiêu 70%, đạt 94,1% kế hoạch.",
        "Tư vấn: chưa có số liệu được xác nhận.",
        "Học viên hài lòng: 40/50 (80,0%), mục tiêu 80%, đạt 100,0% kế hoạch.",
    ]


def test_starter_texts():
    situation = progress.situation_text(NT_ROWS, {"allocated": 5_900_000_000, "spent": 4_875_000_000, "rate": 82.63},
                                        {"total": 5, "done": 4, "late": 1})
    assert "- Học viên được quản lý: 281/250, đạt 112,4% kế hoạch." in situation
    assert "Tự nguyện, trong tỉnh" not in situation, "breakdown rows stay in the table"
    assert "lũy kế đã giao 5.900.000.000 đồng, đã giải ngân 4.875.000.000 đồng, đạt 82,6%" in situation
    assert "4/5 hoạt động đã hoàn thành, 1 hoạt động chậm tiến độ." in situation
    difficulties = progress.difficulties_text(NT_ROWS, ["Sửa chữa khu nhà ở"])
    assert difficulties.splitlines() == [
        "- Hoạt động chậm tiến độ: Sửa chữa khu nhà ở.",
        "- Chỉ tiêu chưa đạt: Kết nối việc làm (đạt 94,1% kế hoạch).",
    ]
    assert progress.situation_text([], {}, {}) == ""


def test_number():
    assert progress.number(281.0) == "281"
    assert progress.number(1237) == "1.237"
    assert progress.number(12.5) == "12,5"
