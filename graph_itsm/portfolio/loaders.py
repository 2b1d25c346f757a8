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


# loader name -> (query, the column whose "id" keys a row) for one row a key; (query, None) for all rows of a key
_LOADERS: dict[str, tuple[str, str | None]] = {
    "service": ("portfolio/get_services", "service"),
    "outcome": ("portfolio/get_outcomes", "outcome"),
    "customer": ("portfolio/get_customers", "customer"),
    "dependencies": ("portfolio/get_dependencies", None),
    "consumers": ("portfolio/get_consumers", None),
    "outcomes_enabled": ("portfolio/get_outcomes_enabled", None),
    "enabling_services": ("portfolio/get_enabling_services", None),
    "subscriptions_of_customer": ("portfolio/get_subscriptions_of_customers", None),
    "subscriptions_of_service": ("portfolio/get_subscriptions_of_services", None),
    "outcomes_pursued": ("portfolio/get_outcomes_pursued", None),
    "pursuing_customers": ("portfolio/get_pursuing_customers", None),
}


class PortfolioLoaders:
    """Made fresh for every request, so nothing is cached across requests. Each loader is made on first use:
    a request uses two or three of the thirteen."""

    service: DataLoader
    outcome: DataLoader
    customer: DataLoader
    dependencies: DataLoader
    consumers: DataLoader
    outcomes_enabled: DataLoader
    enabling_services: DataLoader
    subscriptions_of_customer: DataLoader
    subscriptions_of_service: DataLoader
    outcomes_pursued: DataLoader
    pursuing_customers: DataLoader
    history: DataLoader
    value_sheet: DataLoader

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> DataLoader:  # only for what is not made yet
        if name.startswith("_"):
            raise AttributeError(name)
        loader = DataLoader(load_fn=self._load_fn(name))
        setattr(self, name, loader)
        return loader

    def _load_fn(self, name: str) -> Callable[[list[str]], Any]:
        store = self._store
        if name == "history":
            async def load_history(keys: list[str]) -> list[Any]:
                return history_of_services(store, keys)

            return load_history
        if name == "value_sheet":
            async def load_value_sheets(keys: list[str]) -> list[Any]:
                return value_sheets(store, keys)

            return load_value_sheets
        if name not in _LOADERS:
            raise AttributeError(name)
        query, column = _LOADERS[name]
        q = library()[query]

        async def load(keys: list[str]) -> list[Any]:
            rows = store.read(q, {"ids": list(keys)})
            if column is None:
                return grouped(rows, keys)
            return by_key(rows, keys, lambda r: r[column]["id"])

        return load
