"""Fiscal-year arithmetic: the year-end calendar, booking years, what a closing proposes.

The fiscal year is the calendar year. The dates of the year end (last allocation
change, end of the adjustment period, …) are rule data with a legal basis; these
functions take those rules as plain dicts so they are tested without a database.
"""

import calendar
import datetime

EVENTS = (
    "late_allocation_after",
    "allocation_last",
    "payment_documents_last",
    "spending_last",
    "adjustment_end",
    "reconciliation",
    "advance_refund",
)
"""Events of the year-end calendar, in the order they come."""


def event_date(rules, event, fiscal_year):
    """The date of ``event`` for ``fiscal_year`` under ``rules``, or None without a rule.

    A rule is a dict with ``event``, ``month``, ``day``, ``year_offset`` (0: in the
    fiscal year, 1: in the next year), ``year_from`` and ``year_to`` (fiscal years it
    applies to; 0 or None = open). Among the rules that apply, the one starting latest
    wins (a new law replaces the old one from its first year).
    """
    best = None
    for rule in rules:
        if rule["event"] != event:
            continue
        if (rule.get("year_from") or 0) > fiscal_year:
            continue
        if rule.get("year_to") and rule["year_to"] < fiscal_year:
            continue
        if best is None or (rule.get("year_from") or 0) > (best.get("year_from") or 0):
            best = rule
    if best is None:
        return None
    year = fiscal_year + (best.get("year_offset") or 0)
    day = min(best["day"], calendar.monthrange(year, best["month"])[1])
    return datetime.date(year, best["month"], day)


def booking_years(date, adjustment_end_of_previous):
    """Fiscal years a payment dated ``date`` may be booked to.

    Its own year, and the previous one while that year's adjustment period runs
    (``adjustment_end_of_previous``: the previous year's end of adjustment, or None).
    """
    years = [date.year]
    if adjustment_end_of_previous and date <= adjustment_end_of_previous \
            and adjustment_end_of_previous.year == date.year:
        years.append(date.year - 1)
    return years


def year_available(opening, allocated, committed, spent, cancelled, carried_out):
    """What a line still has for a year: opening + allocated − committed − spent − cancelled − carried out."""
    return (opening or 0.0) + (allocated or 0.0) - (committed or 0.0) - (spent or 0.0) \
        - (cancelled or 0.0) - (carried_out or 0.0)


def settlement_gap(opening, allocated, spent, cancelled, carried_out, committed, available):
    """opening + allocated − (spent + cancelled + carried out + committed + available): 0 when it balances."""
    return (opening or 0.0) + (allocated or 0.0) - (
        (spent or 0.0) + (cancelled or 0.0) + (carried_out or 0.0) + (committed or 0.0) + (available or 0.0)
    )


def split_unspent(available, opening_free, allocated, late_allocated):
    """Split a line's unspent money of a year by where it came from.

    Money is used first in, first out: what was carried in (``opening_free``, free
    money carried from the previous year, not tied to a package) is used before this
    year's allocations, and allocations made after 30/09 (``late_allocated``) are the
    last money used. Returns ``(carried_in, late, other)`` adding up to ``available``.
    """
    available = max(available or 0.0, 0.0)
    opening_free = max(opening_free or 0.0, 0.0)
    used = opening_free + (allocated or 0.0) - available
    carried_in = min(available, max(opening_free - used, 0.0))
    late = min(available - carried_in, max(late_allocated or 0.0, 0.0))
    return carried_in, late, available - carried_in - late


def propose(line_figures, commitments):
    """What a year-end closing proposes for one budget line.

    ``line_figures``: dict with ``available``, ``opening_free``, ``allocated``,
    ``late_allocated``, ``advance_open`` of the year. ``commitments``: dicts with
    ``id``, ``package_id``, ``amount``, ``contracted`` (contract signed or selection
    finished before the year end), ``carried_in`` (already carried once).
    Returns proposal dicts ``source``, ``decision``, ``category`` (kind of
    carry-forward category, or None), ``amount``, ``package_id``, ``commitment_id``:
    - an open commitment of a contracted package → carry forward, category
      ``contract`` — unless it was carried in already: then cancel (a second
      carry-forward needs a reason);
    - any other open commitment (selection not finished) → cancel;
    - free money allocated after 30/09 → carry forward, category ``late_allocation``;
    - carried-in money still unused, and any other unspent money → cancel;
    - open advances → to be settled or refunded (nothing moves in the ledger).
    Zero amounts propose nothing.
    """
    proposals = []
    for commitment in commitments:
        if not commitment["amount"] > 0:
            continue
        if commitment["contracted"]:
            source = "contract"
            carry = not commitment.get("carried_in")
        else:
            source, carry = "reservation", False
        proposals.append({
            "source": source, "decision": "carry_forward" if carry else "cancel",
            "category": "contract" if carry else None, "amount": commitment["amount"],
            "package_id": commitment["package_id"], "commitment_id": commitment["id"],
        })
    carried_in, late, other = split_unspent(
        line_figures.get("available"), line_figures.get("opening_free"), line_figures.get("allocated"),
        line_figures.get("late_allocated"),
    )
    for source, amount, decision, category in (
        ("carried_in", carried_in, "cancel", None),
        ("late_allocation", late, "carry_forward", "late_allocation"),
        ("unspent", other, "cancel", None),
    ):
        if amount > 0.5:
            proposals.append({"source": source, "decision": decision, "category": category, "amount": amount,
                              "package_id": False, "commitment_id": False})
    if (line_figures.get("advance_open") or 0.0) > 0.5:
        proposals.append({"source": "advance", "decision": "settle", "category": None,
                          "amount": line_figures["advance_open"], "package_id": False, "commitment_id": False})
    return proposals


PERIOD_ENDS = {"q1": (3, 31), "h1": (6, 30), "q3": (9, 30), "year": (12, 31)}
"""End of the execution periods a disclosure reports on (3, 6, 9 months and the year)."""


def period_end(kind, fiscal_year):
    """Last day of an execution period of ``fiscal_year``, or None for kinds without a fixed end."""
    if kind not in PERIOD_ENDS:
        return None
    month, day = PERIOD_ENDS[kind]
    return datetime.date(fiscal_year, month, day)
