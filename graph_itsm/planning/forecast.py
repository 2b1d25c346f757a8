"""Forecasts for annual planning (spec "Budgeting", "Demand management"), computed from plain inputs.

* **Cost**: for each service, its monthly direct and total (fully loaded) cost over the recorded months before
  the plan year (every month with cost items; a service without cost in one of them counts 0 there) is fitted
  by least squares with a straight line over the month number (``numpy.polyfit``, degree 1; one recorded month
  gives a flat line, none gives 0). The forecast of the plan year is the sum of the line's twelve monthly
  values, each clipped at 0 (a falling trend cannot make a cost negative). Least squares is linear in the
  data, so the portfolio's forecast (over retained cost, which sums to the direct cost) is the sum of the
  services' forecasts, clipping aside.
* **Budgets**: the plan year's budget lines of each service, summed; ``variance = budget - forecast`` as in
  the budget report (negative: the forecast is over budget).
* **Demand**: subscriptions carry the expected units a month as they stand (the model keeps no history of
  them), so next year's demand is today's units rolled down the dependency edges by the demand factors (the
  demand model), twelve months of it; utilisation against capacity and the OVER/NEAR flags as there.
* **What-if** "customer X multiplies (or sets) its units on service Y": demand and utilisation before and
  after, the services that are over capacity after it, and every statement line of a month whose charge
  changes (a units split of a service's cost, PER_UNIT pricing). Costs are not demand-driven in this model, so
  the cost to split stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

import numpy as np

from graph_itsm.errors import BadInput, NotFound
from graph_itsm.finance.budgets import Variance, variance
from graph_itsm.finance.charging import statement_lines
from graph_itsm.finance.demand import DemandReport, ServiceDemand, demand_report
from graph_itsm.finance.model import Pricing, Subscription
from graph_itsm.topology.projection import Topology

__all__ = ["month_number", "trend", "CostForecast", "cost_forecasts", "ChargeChange", "WhatIf", "what_if"]


def month_number(period: str) -> int:
    """``YYYY-MM`` as a count of months (2026-01 -> 2026 * 12)."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def trend(months: Sequence[int], values: Sequence[float], plan: Sequence[int]) -> tuple[float, float, np.ndarray]:
    """(intercept at month 0 of the history, slope a month, the clipped values at ``plan``) of the least-squares
    line through ``values`` at ``months``; flat through the one value, or 0, when fewer than two are given."""
    x = np.asarray(months, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    target = np.asarray(plan, dtype=np.float64)
    if x.size >= 2:
        slope, intercept = np.polyfit(x - x[0], y, 1)
        fitted = intercept + slope * (target - x[0])
    else:
        slope, intercept = 0.0, float(y[0]) if y.size else 0.0
        fitted = np.full(target.size, intercept)
    return float(intercept), float(slope), np.maximum(fitted, 0.0)


@dataclass(frozen=True)
class CostForecast:
    service_id: str | None  # None: the portfolio
    direct: float
    total: float
    slope_direct: float  # a month
    slope_total: float
    budget: float | None  # None when the plan year has no budget line for it
    direct_variance: Variance | None
    total_variance: Variance | None


def cost_forecasts(
    year: int,
    history: Mapping[str, tuple[Mapping[str, float], Mapping[str, float], Mapping[str, float]]],
    services: Sequence[str],
    budgets: Mapping[str, float],
) -> tuple[list[CostForecast], CostForecast]:
    """``history``: month -> (direct, total, retained) by service id, for the recorded months before ``year``;
    ``budgets``: service id -> the plan year's budget. Returns each service's forecast (in ``services`` order)
    and the portfolio's (over retained cost)."""
    months = sorted(history)
    x = [month_number(m) for m in months]
    plan = [year * 12 + k for k in range(12)]

    def line(sid: str | None, direct: list[float], total: list[float], budget: float | None) -> CostForecast:
        _, slope_d, d = trend(x, direct, plan)
        _, slope_t, t = trend(x, total, plan)
        fd, ft = float(d.sum()), float(t.sum())
        return CostForecast(sid, fd, ft, slope_d, slope_t, budget,
                            None if budget is None else variance(budget, fd),
                            None if budget is None else variance(budget, ft))

    lines = [line(sid, [history[m][0].get(sid, 0.0) for m in months], [history[m][1].get(sid, 0.0) for m in months],
                  budgets.get(sid)) for sid in services]
    direct = [sum(history[m][0].values()) for m in months]
    retained = [sum(history[m][2].values()) for m in months]
    portfolio = line(None, direct, retained, sum(budgets.values()) if budgets else None)
    return lines, portfolio


@dataclass(frozen=True)
class ChargeChange:
    customer_id: str
    service_id: str
    units_before: float | None
    units_after: float | None
    charge_before: float
    charge_after: float

    @property
    def change(self) -> float:
        return self.charge_after - self.charge_before


@dataclass(frozen=True)
class WhatIf:
    customer_id: str
    service_id: str
    units_before: float | None
    units_after: float
    before: DemandReport
    after: DemandReport
    over_capacity: list[tuple[ServiceDemand, ServiceDemand]]  # (before, after) of the services OVER after it
    charge_changes: list[ChargeChange]


def what_if(
    topo: Topology,
    subscriptions: Sequence[Subscription],
    capacity: Mapping[str, float],
    retained: Mapping[str, float],
    pricing: Mapping[str, Pricing],
    customer_id: str,
    service_id: str,
    *,
    factor: float | None = None,
    units: float | None = None,
) -> WhatIf:
    """The subscription (customer, service) with its units times ``factor`` or set to ``units`` (one of them)."""
    if (factor is None) == (units is None):
        raise BadInput("factor: give exactly one of factor and units", field="factor")
    if factor is not None and not 0 <= factor < float("inf"):
        raise BadInput(f"factor: must be a number >= 0, got {factor}", field="factor")
    if units is not None and not 0 <= units < float("inf"):
        raise BadInput(f"units: must be a number >= 0, got {units}", field="units")
    position = next((k for k, s in enumerate(subscriptions)
                     if s.customer_id == customer_id and s.service_id == service_id), None)
    if position is None:
        raise NotFound(f"customerId: {customer_id!r} has no subscription to {service_id!r}", field="customerId")
    old = subscriptions[position]
    new_units = float(units) if units is not None else float(old.units or 0.0) * float(factor)  # type: ignore[arg-type]
    changed = list(subscriptions)
    changed[position] = replace(old, units=new_units)
    before = demand_report(topo, subscriptions, capacity)
    after = demand_report(topo, changed, capacity)
    over = [(before.of(r.service_id), r) for r in after.flagged() if r.flag is not None and r.flag.value == "OVER"]
    lines_before = statement_lines(retained, subscriptions, pricing)
    lines_after = statement_lines(retained, changed, pricing)
    changes = [ChargeChange(a.customer_id, a.service_id, a.units, b.units, a.charge, b.charge)
               for a, b in zip(lines_before, lines_after) if abs(b.charge - a.charge) > 1e-9]
    return WhatIf(customer_id, service_id, old.units, new_units, before, after, over, changes)
