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


def vnd(amount):
    """11500000000 → '11.500.000.000' (Vietnamese thousands separator, no decimals)."""
    return f"{round(amount or 0):,}".replace(",", ".")


def percent(value, digits=1):
    """112.4 → '112,4%' (decimal comma)."""
    return f"{value:.{digits}f}".replace(".", ",") + "%"
