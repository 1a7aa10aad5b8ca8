"""Budget arithmetic shared by the roll-ups, the guards and the reports.

Amounts are VND integers in practice; the helpers accept floats because Odoo's
Monetary fields are floats, and round only where a figure is shown.
"""

SPENDING_KINDS = ("advance", "payment")
"""Disbursement kinds that draw money from the estimate. An advance settlement
(thanh toán tạm ứng) converts an earlier advance into a payment: no new money."""


def available(allocated, committed, spent):
    """What a budget line can still commit or pay: allocated − committed − spent."""
    return (allocated or 0.0) - (committed or 0.0) - (spent or 0.0)


def percent(part, whole):
    """``part`` as a percentage of ``whole``; 0.0 when there is nothing to divide by."""
    if not whole:
        return 0.0
    return (part or 0.0) * 100.0 / whole


def spent_from_kinds(amounts_by_kind):
    """Money drawn, from posted amounts keyed by disbursement kind."""
    return sum(amounts_by_kind.get(kind, 0.0) for kind in SPENDING_KINDS)


def open_advances(amounts_by_kind):
    """Advances not yet settled: Σ advances − Σ advance settlements."""
    return amounts_by_kind.get("advance", 0.0) - amounts_by_kind.get("advance_settlement", 0.0)


def revised_plan(current, changes):
    """The plan per line after a revision: ``changes`` override ``current``."""
    plan = dict(current)
    plan.update(changes)
    return plan


def revision_problems(current, changes, floors, total, precision=0.5):
    """Why a revision cannot be applied, as a list of tuples (empty when it can).

    ``current`` and ``changes`` map a line key to its planned amount (before and
    as revised), ``floors`` maps a line key to the least it may be cut to
    (max of allocated and committed + spent), ``total`` is the scheme total the
    revised plan must add up to. Problems:
    ``("negative", key, new)``, ``("below_floor", key, new, floor)``,
    ``("total", revised_sum, total)``.
    """
    problems = []
    for key, new in changes.items():
        if new < 0:
            problems.append(("negative", key, new))
        elif new + precision < floors.get(key, 0.0):
            problems.append(("below_floor", key, new, floors[key]))
    revised_sum = sum(revised_plan(current, changes).values())
    if abs(revised_sum - total) >= precision:
        problems.append(("total", revised_sum, total))
    return problems
