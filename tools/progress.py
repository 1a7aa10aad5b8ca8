"""Activity progress: derived status, derived progress %, and the report's starter texts.

An activity (a project task of a scheme) is
- ``done`` once its actual end is recorded (on or before the day looked at);
- ``late`` when past its planned end and not done, or when its progress trails the
  share of its planned time already elapsed by more than the scheme's tolerance
  (percentage points);
- ``not_started`` when nothing has been done yet (no actual start, no progress) and it
  is not late;
- ``on_schedule`` otherwise.
"""

import datetime

from . import documents

STATUSES = ("not_started", "on_schedule", "late", "done")
# packages in these states no longer hold an activity back
PACKAGE_FINISHED = ("accepted", "closed", "cancelled")


def expected_progress(day, planned_start, planned_end):
    """The share (%) of the planned time elapsed on ``day``: 0 before the start, 100 after the end."""
    if not (day and planned_start and planned_end):
        return 0.0
    if day < planned_start:
        return 0.0
    if day >= planned_end:
        return 100.0
    total = (planned_end - planned_start).days
    return (day - planned_start).days * 100.0 / total if total > 0 else 100.0


def status(day, planned_start, planned_end, actual_start, actual_end, progress, tolerance):
    """The activity's status on ``day``, one of STATUSES (see the module docstring)."""
    if actual_end and (not day or actual_end <= day):
        return "done"
    if planned_end and day and day > planned_end:
        return "late"
    started = bool((actual_start and (not day or actual_start <= day)) or (progress or 0.0) > 0)
    if planned_start and planned_end and day:
        behind = expected_progress(day, planned_start, planned_end) - (progress or 0.0)
        if behind > (tolerance or 0.0):
            return "late"
    return "on_schedule" if started else "not_started"


def derived_progress(mode, milestones=(), package_states=(), kpi_rates=()):
    """Progress (%) derived from the activity's links; None when there is nothing to derive from.

    - ``milestones``: booleans "reached" → share reached;
    - ``packages``: the packages' states → share accepted or closed (cancelled ones do not count);
    - ``kpis``: the indicators' % of target (None for an indicator without target or data,
      which is left out), each capped at 100, averaged.
    """
    if mode == "milestones":
        milestones = list(milestones)
        return sum(1 for reached in milestones if reached) * 100.0 / len(milestones) if milestones else None
    if mode == "packages":
        states = [state for state in package_states if state != "cancelled"]
        if not states:
            return None
        return sum(1 for state in states if state in PACKAGE_FINISHED) * 100.0 / len(states)
    if mode == "kpis":
        rates = [min(rate, 100.0) for rate in kpi_rates if rate is not None]
        return sum(rates) / len(rates) if rates else None
    return None


def period_dates(kind, year, scheme_start=None, scheme_end=None):
    """(date_from, date_to) of a report period: the first half of ``year``, the year, or the whole
    scheme (``final``); None for a period typed by hand (``other``) or without a year."""
    if kind == "final":
        return (scheme_start, scheme_end) if scheme_start and scheme_end else None
    if not year:
        return None
    if kind == "half_year":
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    if kind == "year":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return None


def period_label(kind, date_from, date_to):
    """How the report's title names its period: '6 tháng đầu năm 2022', 'năm 2022', …"""
    if kind == "half_year":
        return f"6 tháng đầu năm {date_to.year}"
    if kind == "year":
        return f"năm {date_to.year}"
    span = f"từ {date_from.strftime('%d/%m/%Y')} đến {date_to.strftime('%d/%m/%Y')}"
    return f"giai đoạn {span}" if kind == "final" else span


def over_plan(planned, shares):
    """How much the activities' ``shares`` of a line exceed its ``planned`` amount (0 when within)."""
    return max(sum(shares) - (planned or 0.0), 0.0)


# ------------------------------------------------------------- report texts
def number(value):
    """A count as printed: whole numbers without decimals, else one decimal ('12,5')."""
    value = value or 0.0
    return documents.number(value, 0 if abs(value - round(value)) < 1e-9 else 1)


def kpi_result_text(row):
    """One KPI row of the report as a sentence: '…: 281/250, đạt 112,4% kế hoạch.'

    ``row`` holds name, kind, is_rate (a ratio or a survey: numerator over denominator, in %),
    has_data, actual, target, numerator, denominator, rate and
    has_rate (False for an indicator tracked without a target: no % is printed)."""
    name = row["name"]
    if not row.get("has_data"):
        return f"{name}: chưa có số liệu được xác nhận."
    if row.get("is_rate", row.get("kind") == "ratio"):
        result = f"{number(row['numerator'])}/{number(row['denominator'])} ({documents.percent(row['actual'])})"
        if not row.get("has_rate"):
            return f"{name}: {result}."
        return f"{name}: {result}, mục tiêu {documents.percent(row['target'], 0)}, đạt {documents.percent(row['rate'])} kế hoạch."
    if not row.get("has_rate"):
        return f"{name}: {number(row['actual'])}."
    return f"{name}: {number(row['actual'])}/{number(row['target'])}, đạt {documents.percent(row['rate'])} kế hoạch."


def situation_text(kpi_rows, budget, activities):
    """The starter text of "general situation": results, money, activities (Vietnamese)."""
    lines = []
    results = [row for row in kpi_rows if not row.get("is_breakdown")]
    if results:
        lines.append("Kết quả thực hiện các chỉ tiêu:")
        lines.extend(f"- {kpi_result_text(row)}" for row in results)
    if budget and budget.get("allocated"):
        lines.append(
            f"Kinh phí: lũy kế đã giao {documents.vnd(budget['allocated'])} đồng, đã giải ngân "
            f"{documents.vnd(budget['spent'])} đồng, đạt {documents.percent(budget['rate'])} dự toán được giao."
        )
    if activities.get("total"):
        lines.append(
            f"Hoạt động: {activities['done']}/{activities['total']} hoạt động đã hoàn thành, "
            f"{activities['late']} hoạt động chậm tiến độ."
        )
    return "\n".join(lines)


def difficulties_text(kpi_rows, late_names):
    """The starter text of "difficulties": what is late or off target."""
    lines = [f"- Hoạt động chậm tiến độ: {name}." for name in late_names]
    lines.extend(
        f"- Chỉ tiêu chưa đạt: {row['name']} (đạt {documents.percent(row['rate'])} kế hoạch)."
        for row in kpi_rows if row.get("kpi_status") in ("at_risk", "off_track") and row.get("has_rate")
    )
    return "\n".join(lines)
