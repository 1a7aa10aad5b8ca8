"""Procurement rules: which selection method a package's estimate allows, and when.

The thresholds are dated data (``social.scheme.procurement.rule``), never code; this
module only knows how to pick among them and the minimum procedure times.
"""

from datetime import timedelta

METHOD_ORDER = ("head_decision", "direct_appointment", "competitive_quotation", "open_bidding")
"""The lookup tries these from the lightest procedure to the heaviest."""

_DAY = timedelta(days=1)


def rule_applies(rule, on_date, procurement_type, context):
    """Whether ``rule`` (a mapping) is in force on ``on_date`` for this type and context."""
    if rule.get("date_from") and on_date < rule["date_from"]:
        return False
    if rule.get("date_to") and on_date > rule["date_to"]:
        return False
    if rule.get("procurement_type") and rule["procurement_type"] != procurement_type:
        return False
    return not (rule.get("context") and rule["context"] != context)


def specificity(rule):
    """A rule naming the type beats one naming only the context, which beats an 'all' rule."""
    return (bool(rule.get("procurement_type")), bool(rule.get("context")))


def best_rule(rules, method, on_date, procurement_type, context):
    """The rule that sets ``method``'s limit for this package, or None."""
    candidates = [
        rule for rule in rules
        if rule["method"] == method and rule_applies(rule, on_date, procurement_type, context)
    ]
    if not candidates:
        return None
    # most specific first; ties broken by sequence, then by the order given
    return min(candidates, key=lambda rule: (tuple(not flag for flag in specificity(rule)), rule.get("sequence", 10)))


def within_limit(rule, estimate):
    """Whether ``estimate`` fits ``rule``'s limit (0 means unlimited)."""
    return not rule["amount_max"] or estimate <= rule["amount_max"]


def suggest(rules, on_date, procurement_type, context, estimate):
    """The rule of the lightest method whose limit covers ``estimate``, or None."""
    for method in METHOD_ORDER:
        rule = best_rule(rules, method, on_date, procurement_type, context)
        if rule and within_limit(rule, estimate):
            return rule
    return None


def add_working_days(start, days):
    """``start`` plus ``days`` working days (Monday to Friday; public holidays not known here)."""
    current = start
    added = 0
    while added < days:
        current += _DAY
        if current.weekday() < 5:
            added += 1
    return current


def minimum_times(method, procurement_type, estimate, start):
    """Deadlines that the law's minimum times give a package entering selection.

    Returns ``(key, days, deadline)`` tuples: ``publication`` — publish within 5 working
    days of approval (Luật Đấu thầu Art 8.4); ``bid_preparation`` — bids may close no
    earlier than 18 days, or 9 days for works/mixed ≤ 20 tỷ and goods/non-consulting
    ≤ 10 tỷ (NĐ 214/2025 Art 28); ``quotation`` — at least 7 working days for competitive
    quotation (NĐ 214/2025 Art 81).
    """
    times = []
    if method in ("open_bidding", "limited_bidding", "competitive_quotation"):
        times.append(("publication", 5, add_working_days(start, 5)))
    if method in ("open_bidding", "limited_bidding"):
        short = (
            (procurement_type in ("works", "mixed") and estimate <= 20_000_000_000)
            or (procurement_type in ("goods", "non_consulting") and estimate <= 10_000_000_000)
        )
        days = 9 if short else 18
        times.append(("bid_preparation", days, start + timedelta(days=days)))
    if method == "competitive_quotation":
        times.append(("quotation", 7, add_working_days(start, 7)))
    return times
