"""The reporting cycle: which periods a scheme reports on, when each is due, how a report stands.

Frequencies are calendar periods (months, quarters, halves, years) clipped to the scheme's
dates. A due rule is "day D of the M-th month after the period's end" (the 3rd of the
next month; 15/07 for the first half; 15/01 for the year): the rule itself is data.
The reporting rate follows DHIS2: reports received / expected, and on time / expected.
"""

import calendar
from datetime import date, timedelta

FREQUENCY_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
STATES = ("missing", "submitted", "validated", "returned")


def period_start(day, frequency):
    """First day of the calendar month, quarter, half or year holding ``day``."""
    months = FREQUENCY_MONTHS[frequency]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def periods(date_from, date_to, frequency, clip=True):
    """Calendar periods ``[(start, end), ...]`` of ``frequency`` that meet the dates, in order;
    clipped to them (a scheme's reporting periods) or whole (the dashboard's columns)."""
    months = FREQUENCY_MONTHS[frequency]
    result = []
    start = period_start(date_from, frequency)
    while start <= date_to:
        month = start.month - 1 + months
        following = date(start.year + month // 12, month % 12 + 1, 1)
        end = following - timedelta(days=1)
        result.append((max(start, date_from), min(end, date_to)) if clip else (start, end))
        start = following
    return result


def due_date(period_end, day, months_after):
    """Day ``day`` of the ``months_after``-th month after the one ``period_end`` falls in.

    A day beyond the month's length is its last day (the 31st of a 30-day month).
    """
    month = period_end.month - 1 + months_after
    year, month = period_end.year + month // 12, month % 12 + 1
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def report_state(figure_state, date_submitted, date_due):
    """(state, on_time) of an expected report from its figure's state.

    No figure or a draft one is ``missing``; a returned figure is ``returned`` (the unit
    owes it again). On time means submitted by the due date, whatever happened after.
    """
    if figure_state in ("submitted", "validated"):
        return figure_state, bool(date_submitted and date_submitted <= date_due)
    if figure_state == "rejected":
        return "returned", False
    return "missing", False


def is_late(state, date_due, today):
    """Still owed after its due date (missing or returned)."""
    return state in ("missing", "returned") and today > date_due


def rates(expected, received, on_time):
    """(completeness %, timeliness %): received / expected and on time / expected; None when nothing is due."""
    if not expected:
        return None, None
    return received * 100.0 / expected, on_time * 100.0 / expected


def lock_date(date_due, lock_days):
    """The day figures freeze after the due date; None when the rule never locks by itself."""
    if not lock_days:
        return None
    return date_due + timedelta(days=lock_days)
