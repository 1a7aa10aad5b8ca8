"""Official layout pieces, without a database."""

from datetime import date

import pytest
from tools_loader import load

doc = load("documents")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 10, 24), "Lâm Đồng, ngày 24 tháng 10 năm 2022"),
        (date(2023, 1, 5), "Lâm Đồng, ngày 05 tháng 01 năm 2023"),
        (date(2023, 2, 14), "Lâm Đồng, ngày 14 tháng 02 năm 2023"),
        (date(2023, 3, 9), "Lâm Đồng, ngày 09 tháng 3 năm 2023"),
        (date(2023, 12, 31), "Lâm Đồng, ngày 31 tháng 12 năm 2023"),
    ],
)
def test_place_date_line(day, expected):
    assert doc.place_date_line("Lâm Đồng", day) == expected


def test_place_date_line_without_place_or_date():
    assert doc.place_date_line("", date(2022, 10, 24)) == "Ngày 24 tháng 10 năm 2022"
    assert doc.place_date_line("Lâm Đồng", None) == ""


def test_vnd_and_percent():
    assert doc.vnd(11_500_000_000) == "11.500.000.000"
    assert doc.vnd(0) == "0"
    assert doc.vnd(None) == "0"
    assert doc.percent(112.4) == "112,4%"
    assert doc.percent(65.8928) == "65,9%"


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(281, 0, "281"), (250.0, 0, "250"), (1250.4, 0, "1.250"), (87.54, 1, "87,5"), (1234567.25, 1, "1.234.567,2"),
     (None, 0, "0")],
)
def test_number_vietnamese_separators(value, digits, expected):
    assert doc.number(value, digits) == expected


def test_number_english_separators():
    assert doc.number(1234.56, 1, decimal=".", thousands=",") == "1,234.6"
    assert doc.percent(87.5, decimal=".") == "87.5%"
