"""Amounts in Vietnamese words, official style, without a database."""


import pytest
from tools_loader import load

aw = load("amount_words")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (14, "Mười bốn đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (25, "Hai mươi lăm đồng"),
        (55, "Năm mươi lăm đồng"),
        (71, "Bảy mươi mốt đồng"),
        (100, "Một trăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (115, "Một trăm mười lăm đồng"),
        (121, "Một trăm hai mươi mốt đồng"),
        (1_000, "Một nghìn đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (1_015, "Một nghìn không trăm mười lăm đồng"),
        (10_005, "Mười nghìn không trăm linh năm đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (1_000_500, "Một triệu năm trăm đồng"),
        (1_050_000_000, "Một tỷ không trăm năm mươi triệu đồng"),
        (1_234_567, "Một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng"),
        (8_150_000_000, "Tám tỷ một trăm năm mươi triệu đồng"),
        (11_500_000_000, "Mười một tỷ năm trăm triệu đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
        (2_000_000_000_005, "Hai nghìn tỷ không trăm linh năm đồng"),
    ],
)
def test_official_style(amount, expected):
    assert aw.amount_in_words(amount) == expected


def test_no_stray_commas_or_double_spaces():
    for amount in (1_001_001_001, 123_456_789_012, 10_000_000_010):
        text = aw.amount_in_words(amount)
        assert "," not in text and "  " not in text, text


def test_le_variant_and_rounding():
    assert aw.amount_in_words(105, odd="lẻ") == "Một trăm lẻ năm đồng"
    assert aw.amount_in_words(1_004.6) == "Một nghìn không trăm linh năm đồng"
    assert aw.amount_in_words(None) == "Không đồng"


def test_negative():
    assert aw.integer_words(-21) == "âm hai mươi mốt"
