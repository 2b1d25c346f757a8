"""Per-request DataLoaders for the portfolio's relations: one ``UNWIND $ids`` query per batch."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Sequence

from strawberry.dataloader import DataLoader

from graph_itsm.portfolio.audit import history_of_services
from graph_itsm.portfolio.views import value_sheets
from graph_itsm.store import GraphStore, library

__all__ = ["PortfolioLoaders", "by_key", "grouped"]


def by_key(rows: list[dict[str, Any]], keys: Sequence[str], key_of: Callable[[dict[str, Any]], str]) -> list[Any]:
    """One row (or None) per key, in key order."""
    found = {key_of(r): r for r in rows}
    return [found.get(k) for k in keys]


def grouped(rows: list[dict[str, Any]], keys: Sequence[str], field: str = "key") -> list[list[dict[str, Any]]]:
    """All rows of each key, in key order (an empty list for a key with none)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[r[field]].append(r)
    return [groups.get(k, []) for k in keys]


class PortfolioLoaders:
    """Made fresh for every request, so nothing is cached across requests."""

    def __init__(self, store: GraphStore) -> None:
        q = library()

        def one(query: str, column: str) -> DataLoader:
            async def load(keys: list[str]) -> list[Any]:
                rows = store.read(q[query], {"ids": list(keys)})
                return by_key(rows, keys, lambda r: r[column]["id"])

            return DataLoader(load_fn=load)

        def many(query: str) -> DataLoader:
            async def load(keys: list[str]) -> list[Any]:
                return grouped(store.read(q[query], {"ids": list(keys)}), keys)

            return DataLoader(load_fn=load)

        self.service = one("portfolio/get_services", "service")
        self.outcome = one("portfolio/get_outcomes", "outcome")
        self.customer = one("portfolio/get_customers", "customer")
        self.dependencies = many("portfolio/get_dependencies")
        self.consumers = many("portfolio/get_consumers")
        self.outcomes_enabled = many("portfolio/get_outcomes_enabled")
        self.enabling_services = many("portfolio/get_enabling_services")
        self.subscriptions_of_customer = many("portfolio/get_subscriptions_of_customers")
        self.subscriptions_of_service = many("portfolio/get_subscriptions_of_services")
        self.outcomes_pursued = many("portfolio/get_outcomes_pursued")
        self.pursuing_customers = many("portfolio/get_pursuing_customers")

        async def load_history(keys: list[str]) -> list[Any]:
            return history_of_services(store, keys)

        async def load_value_sheets(keys: list[str]) -> list[Any]:
            return value_sheets(store, keys)

        self.history = DataLoader(load_fn=load_history)
        self.value_sheet = DataLoader(load_fn=load_value_sheets)
