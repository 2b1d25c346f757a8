"""Per-request DataLoaders of business relationship management: one ``UNWIND $ids`` query per batch."""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from graph_itsm.relationships.service import complaints_of_customers, satisfaction_of_customers
from graph_itsm.store import GraphStore

__all__ = ["RelationshipLoaders"]


class RelationshipLoaders:
    """Made fresh for every request (and after each write of the request)."""

    def __init__(self, store: GraphStore) -> None:
        async def satisfaction(keys: list[str]) -> list[Any]:
            return satisfaction_of_customers(store, keys)

        async def complaints(keys: list[str]) -> list[Any]:
            return complaints_of_customers(store, keys)

        self.satisfaction = DataLoader(load_fn=satisfaction)
        self.complaints = DataLoader(load_fn=complaints)
