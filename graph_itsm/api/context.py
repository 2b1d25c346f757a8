"""The per-request context resolvers read: the store, fresh DataLoaders, the shared projections, the actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph_itsm.portfolio.loaders import PortfolioLoaders
from graph_itsm.store import GraphStore

__all__ = ["AppState", "Context"]


@dataclass
class AppState:
    """What lives as long as the app: the store and the in-memory projections built from it."""

    store: GraphStore
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    state: AppState
    request: Any = None
    actor: str = "anonymous"
    portfolio: PortfolioLoaders = field(init=False)

    def __post_init__(self) -> None:
        self.portfolio = PortfolioLoaders(self.state.store)

    @property
    def store(self) -> GraphStore:
        return self.state.store
