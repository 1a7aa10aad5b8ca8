"""Amounts in Vietnamese words, in the style of official documents.

num2words reads each group of three digits; this module assembles the groups the way
Vietnamese accounting documents do: "không trăm" for a short inner group, "linh" (or
"lẻ") before a single digit, "tỷ" repeated for thousands of billions, a capital first
letter and "đồng": 11.500.000.000 → "Mười một tỷ năm trăm triệu đồng".
"""

from num2words import num2words

_SCALES = ("", "nghìn", "triệu")
_BILLION = 1_000_000_000


def _group(value, leading, odd):
    """Words for 0 < value < 1000; an inner group always says its hundreds."""
    words = num2words(value, lang="vi").replace("lẻ", odd)
    if leading or value >= 100:
        return words
    if value < 10:
        return f"không trăm {odd} {words}"
    return f"không trăm {words}"


def _below_billion(value, leading, odd):
    parts = []
    groups = [(value // 1_000_000) % 1000, (value // 1000) % 1000, value % 1000]
    for index, group in enumerate(groups):
        if not group:
            continue
        scale = _SCALES[2 - index]
        parts.append(_group(group, leading and not parts, odd) + (f" {scale}" if scale else ""))
    return " ".join(parts)


def integer_words(value, odd="linh"):
    """Vietnamese words for a whole number, lower case: 1005 → "một nghìn không trăm linh năm"."""
    value = int(value)
    if value < 0:
        return "âm " + integer_words(-value, odd)
    if value == 0:
        return "không"
    if value < _BILLION:
        return _below_billion(value, True, odd)
    billions, rest = divmod(value, _BILLION)
    words = integer_words(billions, odd) + " tỷ"
    if rest:
        words += " " + _below_billion(rest, False, odd)
    return words


def amount_in_words(amount, currency="đồng", odd="linh"):
    """An amount of VND in words with a capital first letter: 15 → "Mười lăm đồng"."""
    words = integer_words(round(amount or 0), odd)
    text = f"{words} {currency}".strip()
    return text[:1].upper() + text[1:]
