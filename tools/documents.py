"""Pieces of the official document layout (NĐ 30/2020/NĐ-CP)."""

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def place_date_line(place, day):
    """'Lâm Đồng, ngày 24 tháng 10 năm 2022'.

    Days below 10 and the months January and February take a leading zero
    ('ngày 05 tháng 01'), other months do not ('tháng 3').
    """
    if not day:
        return ""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def number(value, digits=0, decimal=",", thousands="."):
    """1250.25 → '1.250' (digits=0) or '1.250,3' (digits=1): Vietnamese separators by default."""
    text = f"{round(value or 0.0, digits):,.{digits}f}"
    return text.translate(str.maketrans({",": thousands, ".": decimal}))


def vnd(amount):
    """11500000000 → '11.500.000.000' (Vietnamese thousands separator, no decimals)."""
    return number(amount)


def percent(value, digits=1, decimal=","):
    """112.4 → '112,4%' (decimal comma)."""
    return number(value, digits, decimal=decimal) + "%"
