"""KPI arithmetic: how reported figures become an actual, a % of target and a status.

Rules (DESIGN.md, "Aggregation rules"):
- a ratio over units or periods is Σ numerators / Σ denominators, never a mean of rates;
- a count with ``sum`` adds values (flows: admissions); with ``last`` it takes the value
  of the latest period per unit and breakdown, then adds them (stocks: staff trained);
- only validated figures count; the caller filters them.
"""

STATUSES = ("no_data", "tracking", "achieved", "on_track", "at_risk", "off_track")
# kinds whose figure is a numerator over a denominator, in %: a survey counts satisfied respondents
RATES = ("ratio", "survey")
# the largest figure a report may carry (no count of people or services comes near it): it keeps
# a stock count's (end date, value) pair in one 64-bit integer for the roll-up's latest figure
MAX_FIGURE = 10**14 - 1


def is_rate(kind):
    """Whether a KPI of ``kind`` is a rate (Σ numerators / Σ denominators) rather than a count."""
    return kind in RATES


def ratio(numerator, denominator):
    """numerator / denominator in %, or None when there is no denominator."""
    if not denominator:
        return None
    return numerator * 100.0 / denominator


def aggregate_ratio(rows):
    """(Σ numerators, Σ denominators, rate %) of ``(numerator, denominator)`` pairs."""
    total_numerator = sum(row[0] or 0.0 for row in rows)
    total_denominator = sum(row[1] or 0.0 for row in rows)
    return total_numerator, total_denominator, ratio(total_numerator, total_denominator)


def aggregate_last(rows):
    """Sum over (unit, breakdown) of the value of the latest period.

    ``rows`` are ``(unit, breakdown, date_to, value)``; of two rows with the same key
    and date, the later one in the input wins (the caller orders by id).
    """
    latest = {}
    for unit, breakdown, date_to, value in rows:
        key = (unit, breakdown)
        if key not in latest or date_to >= latest[key][0]:
            latest[key] = (date_to, value or 0.0)
    return sum(value for _date, value in latest.values())


def percent_of_target(actual, target):
    """Actual as a % of the target (281 of 250 → 112.4); None without a target or data."""
    if actual is None or not target:
        return None
    return actual * 100.0 / target


def linear_projection(actual, kind, date_start, date_end, covered_to):
    """Where the KPI will land at ``date_end`` if it goes on as it did up to ``covered_to``.

    A rate does not accumulate, so a ratio projects to itself; counts scale with the
    share of the period already covered by validated figures.
    """
    if actual is None:
        return None
    if is_rate(kind) or not (date_start and date_end and covered_to):
        return actual
    total_days = (date_end - date_start).days + 1
    covered_days = (min(covered_to, date_end) - date_start).days + 1
    if covered_days <= 0 or total_days <= 0:
        return actual
    return actual * total_days / covered_days


def reaches(value, target, direction):
    """Whether ``value`` meets ``target`` in the KPI's direction."""
    return value >= target if direction == "at_least" else value <= target


def has_target(target, direction):
    """Whether the KPI is judged against a target: "at least 0" is no target ("at most 0" is one)."""
    return bool(target) or direction == "at_most"


def status(actual, target, direction, kind, projection, ended, margin=10.0):
    """The KPI's status, one of STATUSES.

    ``margin`` (% of the target) is how far below (above, for ``at_most``) the target
    the projection may land and still count as ``at_risk`` rather than ``off_track``.
    An indicator without a target is tracked, not judged: ``tracking``.
    """
    if not has_target(target, direction):
        return "tracking"
    if actual is None:
        return "no_data"
    early_achievement = direction == "at_least" or is_rate(kind)
    if reaches(actual, target, direction) and (ended or early_achievement):
        return "achieved"
    if ended:
        return "off_track"
    if projection is None:
        projection = actual
    if reaches(projection, target, direction):
        return "on_track"
    tolerance = abs(target) * margin / 100.0
    limit = target - tolerance if direction == "at_least" else target + tolerance
    if reaches(projection, limit, direction):
        return "at_risk"
    return "off_track"


def rate_needed(kind, target, numerator, denominator, value, date_start, date_end, covered_to):
    """What the rest of the period must achieve to reach the target.

    For a ratio: the rate needed on the cases still to come (the denominator is assumed
    to keep growing linearly), in %; for a count: the value still to add. None when the
    period is over or nothing can be said.
    """
    if not (date_start and date_end and covered_to) or covered_to >= date_end:
        return None
    if not is_rate(kind):
        return max(target - (value or 0.0), 0.0)
    projected_denominator = linear_projection(denominator or 0.0, "count", date_start, date_end, covered_to)
    future = projected_denominator - (denominator or 0.0)
    if future <= 0:
        return None
    needed = target / 100.0 * projected_denominator - (numerator or 0.0)
    return max(needed, 0.0) * 100.0 / future


def period_status(actual, target, direction, kind, margin=10.0):
    """How the figure of one calendar period reads against the KPI's target.

    A rate is judged in every period (87.5% against at least 85%): achieved, at risk
    within ``margin`` % of the target, off track beyond it. A count's target is the
    scheme's whole target, which one period's figure is not measured against: a period
    only shows it reached ("achieved") or nothing (None).
    """
    if not has_target(target, direction):
        return "tracking"
    if actual is None:
        return "no_data"
    if reaches(actual, target, direction):
        return "achieved"
    if not is_rate(kind):
        return None
    tolerance = abs(target) * margin / 100.0
    limit = target - tolerance if direction == "at_least" else target + tolerance
    return "at_risk" if reaches(actual, limit, direction) else "off_track"

