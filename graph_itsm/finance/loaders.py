"""Per-request access to finance: the app's month cache seen once per request, business cases in batches.

A request that asks for the cost of many services reads the graph version once, not once per service: the
month is looked up in the app's ``FinanceCache`` on first use and kept for the rest of the request.
"""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from graph_itsm.finance.demand import DemandReport
from graph_itsm.finance.reports import RankedCase, cases_of_services, demand_for
from graph_itsm.finance.service import FinanceCache, MonthCosts, finance_cache

__all__ = ["FinanceLoaders"]


class FinanceLoaders:
    """Made fresh for every request (and after each write of the request)."""

    def __init__(self, state: Any) -> None:
        self.store = state.store
        self.cache: FinanceCache = finance_cache(state)
        self._months: dict[tuple[str, bool], MonthCosts] = {}
        self._demand: DemandReport | None = None

        async def cases(keys: list[str]) -> list[RankedCase | None]:
            return cases_of_services(self.store, keys)

        self.business_case = DataLoader(load_fn=cases)

    def month(self, period: str, *, charging: bool = False) -> MonthCosts:
        key = (period, charging)
        found = self._months.get(key) or (self._months.get((period, True)) if not charging else None)
        if found is None:
            found = self._months[key] = self.cache.month(period, charging=charging)
        return found

    def demand(self) -> DemandReport:
        if self._demand is None:
            self._demand = demand_for(self.store, self.cache)
        return self._demand
