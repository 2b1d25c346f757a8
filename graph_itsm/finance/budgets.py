"""Budgeting: actual direct and total cost against monthly budgets, per service and for the whole portfolio.

Budgets are set per service and month. For a month ``YYYY-MM`` a report gives each service's variance
(``budget - actual``: positive is under budget) and the year-to-date figures (January to that month of the same
year), both for direct and for total cost. The portfolio line adds up every service: its budget is the sum of
the budgets, its direct cost the sum of direct costs, and its total the sum of *retained* costs (the portfolio's
cost counted once; summing fully loaded totals would count a provider's cost once per consumer). By
conservation the portfolio's total equals its direct cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from graph_itsm.errors import BadInput
from graph_itsm.finance.model import ServiceCost

__all__ = ["Variance", "BudgetLine", "BudgetReport", "variance", "months_to_date", "budget_report"]

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Variance:
    budget: float
    actual: float
    variance: float  # budget - actual; negative means over budget
    percent: float | None  # variance as a percentage of the budget; None when the budget is 0


@dataclass(frozen=True)
class BudgetLine:
    service_id: str | None  # None for the whole portfolio
    period: str
    direct: Variance
    total: Variance
    ytd_direct: Variance
    ytd_total: Variance


@dataclass(frozen=True)
class BudgetReport:
    period: str
    services: list[BudgetLine]  # by service id
    portfolio: BudgetLine


def variance(budget: float, actual: float) -> Variance:
    """``budget - actual`` and its percentage of the budget."""
    diff = budget - actual
    return Variance(budget, actual, diff, diff / budget * 100.0 if budget else None)


def months_to_date(period: str) -> list[str]:
    """January to ``period`` of the same year: ``months_to_date("2026-03") == ["2026-01", "2026-02", "2026-03"]``."""
    match = _PERIOD.match(period)
    if not match:
        raise BadInput(f"period {period!r} is not a month of the form YYYY-MM", field="period")
    year, month = match.group(1), int(match.group(2))
    return [f"{year}-{m:02d}" for m in range(1, month + 1)]


def budget_report(
    budgets: Mapping[tuple[str, str], float],
    actuals: Mapping[str, Iterable[ServiceCost]],
    period: str,
) -> BudgetReport:
    """Variance and year-to-date figures for ``period``.

    ``budgets`` maps ``(service id, period)`` to an amount; ``actuals`` maps a period to its service costs
    (``Allocation.costs()``). A month without actuals counts as zero cost. Listed are the services with a budget
    or a cost in the year to date, a service without a budget against a budget of 0.
    """
    months = months_to_date(period)
    costs = {m: {c.service_id: c for c in actuals.get(m, ())} for m in months}
    plan: dict[str, dict[str, float]] = {}
    for (sid, m), amount in budgets.items():
        if m in costs:
            plan.setdefault(sid, {})[m] = float(amount)
    listed = set(plan) | {sid for m in months for sid, c in costs[m].items() if c.direct or c.total}

    def line(sid: str | None, budget: dict[str, float], actual: dict[str, tuple[float, float]]) -> BudgetLine:
        """``budget``: month -> amount; ``actual``: month -> (direct, total)."""
        month_direct, month_total = actual.get(period, (0.0, 0.0))
        ytd_budget = sum(budget.get(m, 0.0) for m in months)
        return BudgetLine(
            service_id=sid,
            period=period,
            direct=variance(budget.get(period, 0.0), month_direct),
            total=variance(budget.get(period, 0.0), month_total),
            ytd_direct=variance(ytd_budget, sum(actual[m][0] for m in actual)),
            ytd_total=variance(ytd_budget, sum(actual[m][1] for m in actual)),
        )

    services = [
        line(sid, plan.get(sid, {}), {m: (cs[sid].direct, cs[sid].total) for m, cs in costs.items() if sid in cs})
        for sid in sorted(listed)
    ]
    whole_budget = {m: sum(b.get(m, 0.0) for b in plan.values()) for m in months}
    whole_actual = {
        m: (sum(c.direct for c in costs[m].values()), sum(c.retained for c in costs[m].values())) for m in months
    }
    return BudgetReport(period, services, line(None, whole_budget, whole_actual))
