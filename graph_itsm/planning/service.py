"""Annual planning against the database: reads the recorded months, budgets, subscriptions and capacities, and
hands them to ``forecast``. No GraphQL here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_itsm.errors import BadInput
from graph_itsm.finance.demand import DemandReport
from graph_itsm.finance.reports import demand_for
from graph_itsm.finance.service import FinanceCache, check_period
from graph_itsm.planning.forecast import CostForecast, WhatIf, cost_forecasts, what_if
from graph_itsm.store import GraphStore, library

__all__ = ["Forecast", "forecast_of", "what_if_of"]

_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Forecast:
    year: str
    based_on: list[str]  # the recorded months the trend is fitted to
    services: list[CostForecast]
    portfolio: CostForecast
    demand: DemandReport


def _recorded(store: GraphStore) -> list[str]:
    return [r["period"] for r in store.read(library()["finance/cost_periods"])]


def forecast_of(store: GraphStore, cache: FinanceCache, year: str) -> Forecast:
    """Next year's (``year``'s) cost, budget variance and demand per service, from the months before it."""
    if not isinstance(year, str) or not _YEAR.fullmatch(year):
        raise BadInput(f"year: must be a year as YYYY; got {year!r}", field="year")
    months = [m for m in _recorded(store) if m < f"{year}-01"]
    history = {}
    ids: list[str] = []
    for m in months:
        allocation = cache.month(m).allocation
        ids = allocation.topology.ids
        history[m] = tuple(dict(zip(ids, a.tolist())) for a in (allocation.direct, allocation.total, allocation.retained))
    ids = ids or cache.topology.current().ids
    budgets: dict[str, float] = {}
    for service, _, amount in store.read_tuples(library()["finance/budgets_for_year"], {"year": year}):
        budgets[service] = budgets.get(service, 0.0) + float(amount)
    lines, portfolio = cost_forecasts(int(year), history, list(ids), budgets)
    return Forecast(year, months, lines, portfolio, demand_for(store, cache))


def what_if_of(store: GraphStore, cache: FinanceCache, customer_id: str, service_id: str, *,
               factor: float | None = None, units: float | None = None, period: str | None = None) -> tuple[str, WhatIf]:
    """The what-if on the current graph; charges are those of ``period`` (default: the latest recorded month)."""
    if period is None:
        recorded = _recorded(store)
        if not recorded:
            raise BadInput("period: no month has cost items yet; give one", field="period")
        period = recorded[-1]
    check_period(period)
    month = cache.month(period, charging=True)
    charging = month.charging
    assert charging is not None
    capacity = {sid: float(c) for sid, c in store.read_tuples(library()["finance/service_capacity"])}
    result = what_if(month.allocation.topology, charging.subscriptions, capacity, month.retained, charging.pricing,
                     customer_id, service_id, factor=factor, units=units)
    return period, result
