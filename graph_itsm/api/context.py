"""The per-request context resolvers read: the store, fresh DataLoaders, the shared projections, the actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from graph_itsm.access.roles import Principal
from graph_itsm.access.settings import AccessSettings
from graph_itsm.finance.loaders import FinanceLoaders
from graph_itsm.portfolio.loaders import PortfolioLoaders
from graph_itsm.relationships.loaders import RelationshipLoaders
from graph_itsm.relationships.service import utc_now
from graph_itsm.store import GraphStore
from graph_itsm.topology.cache import TopologyCache

__all__ = ["AppState", "Context"]


@dataclass
class AppState:
    """What lives as long as the app: the store and the in-memory projections built from it."""

    store: GraphStore
    topology: TopologyCache = field(init=False)
    extras: dict[str, Any] = field(default_factory=dict)
    clock: Callable[[], datetime] = utc_now  # what "now" is (complaint deadlines); tests fix it
    access: AccessSettings = field(default_factory=AccessSettings)

    def __post_init__(self) -> None:
        self.topology = TopologyCache(self.store)


@dataclass
class Context:
    state: AppState
    request: Any = None
    principal: Principal | None = None  # who the request acts as (graph_itsm/access); None: nobody
    portfolio: PortfolioLoaders = field(init=False)
    finance: FinanceLoaders = field(init=False)
    relationships: RelationshipLoaders = field(init=False)

    def __post_init__(self) -> None:
        self.portfolio = PortfolioLoaders(self.state.store)
        self.finance = FinanceLoaders(self.state)
        self.relationships = RelationshipLoaders(self.state.store)

    @property
    def actor(self) -> str:
        """The audit trail's actor: the API token's name or the JWT subject."""
        return self.principal.name if self.principal is not None else "anonymous"

    @property
    def store(self) -> GraphStore:
        return self.state.store

    def changed(self) -> None:
        """After a write: fresh DataLoaders, so later fields of the request do not answer from stale caches."""
        self.portfolio = PortfolioLoaders(self.state.store)
        self.finance = FinanceLoaders(self.state)
        self.relationships = RelationshipLoaders(self.state.store)
