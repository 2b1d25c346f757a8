"""What the portfolio rules need to know about services, customers and outcomes, read in one round trip each.

Every read also returns the graph version it saw; a write checks it (``portfolio/audit/begin``), so the rules a
mutation checked still hold when it writes, whichever process wrote in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from graph_itsm.errors import NotFound
from graph_itsm.store import GraphStore, library

__all__ = [
    "Edge", "ServiceFacts", "CustomerFacts", "OutcomeFacts", "Facts",
    "read_services", "read_customers", "read_outcomes",
]


@dataclass(frozen=True)
class Edge:
    """A DEPENDS_ON edge seen from one end: ``other`` is the service at the other end, ``stage`` its stage."""

    other: str
    stage: str | None
    share: float | None
    redundancy_group: str | None
    demand_factor: float | None

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> "Edge":
        return cls(r["id"], r.get("stage"), r.get("share"), r.get("redundancyGroup"), r.get("demandFactor"))

    def props(self) -> dict[str, Any]:
        return {"share": self.share, "redundancyGroup": self.redundancy_group, "demandFactor": self.demand_factor}


@dataclass(frozen=True)
class ServiceFacts:
    id: str
    props: dict[str, Any]
    consumers: list[Edge]
    providers: list[Edge]
    subscriptions: dict[str, dict[str, Any]]  # customer id -> subscription properties
    outcomes: list[str]
    cost_items: list[str]
    budgets: list[str]
    business_cases: list[str]
    complaints: list[str]

    @property
    def stage(self) -> str:
        return self.props.get("stage") or "PIPELINE"

    @property
    def kind(self) -> str:
        return self.props.get("kind") or "SUPPORTING"

    def consumer(self, consumer_id: str) -> Edge | None:
        return next((e for e in self.consumers if e.other == consumer_id), None)

    def provider(self, provider_id: str) -> Edge | None:
        return next((e for e in self.providers if e.other == provider_id), None)

    def share_total(self, *, without: Iterable[str] = ()) -> float:
        """Sum of the shares on the edges into this service, leaving out the consumers in ``without``."""
        skip = set(without)
        return sum(e.share or 0.0 for e in self.consumers if e.other not in skip)


@dataclass(frozen=True)
class CustomerFacts:
    id: str
    props: dict[str, Any]
    subscriptions: dict[str, dict[str, Any]]  # service id -> subscription properties
    pursues: list[str]
    surveys: list[str]
    complaints: list[str]


@dataclass(frozen=True)
class OutcomeFacts:
    id: str
    props: dict[str, Any]
    enabled_by: list[str]
    pursued_by: list[str]


@dataclass(frozen=True)
class Facts:
    """The answer of one facts read: the graph version and, per id asked for, the facts or None."""

    version: int
    found: dict[str, Any]

    def get(self, id_: str) -> Any:
        return self.found.get(id_)

    def require(self, id_: str, what: str, field: str) -> Any:
        """The facts of ``id_``, or :class:`NotFound` naming the field and the id."""
        facts = self.found.get(id_)
        if facts is None:
            raise NotFound(f"{field}: there is no {what} {id_!r}", field=field)
        return facts


def _read(store: GraphStore, query: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    return store.read(library()[query], {"ids": list(dict.fromkeys(ids))})


def _version(rows: list[dict[str, Any]]) -> int:
    return int(rows[0]["version"]) if rows else 0


def read_services(store: GraphStore, ids: Iterable[str]) -> Facts:
    rows = _read(store, "portfolio/rules/service_facts", ids)
    found: dict[str, Any] = {}
    for r in rows:
        if r.get("service") is None:
            continue
        found[r["key"]] = ServiceFacts(
            id=r["key"],
            props=r["service"],
            consumers=sorted((Edge.from_row(e) for e in r.get("consumers") or []), key=lambda e: e.other),
            providers=sorted((Edge.from_row(e) for e in r.get("providers") or []), key=lambda e: e.other),
            subscriptions={x["customer"]: x.get("props") or {} for x in r.get("subscriptions") or []},
            outcomes=sorted(r.get("outcomes") or []),
            cost_items=sorted(r.get("costItems") or []),
            budgets=sorted(r.get("budgets") or []),
            business_cases=sorted(r.get("businessCases") or []),
            complaints=sorted(r.get("complaints") or []),
        )
    return Facts(_version(rows), found)


def read_customers(store: GraphStore, ids: Iterable[str]) -> Facts:
    rows = _read(store, "portfolio/rules/customer_facts", ids)
    found: dict[str, Any] = {}
    for r in rows:
        if r.get("customer") is None:
            continue
        found[r["key"]] = CustomerFacts(
            id=r["key"],
            props=r["customer"],
            subscriptions={x["service"]: x.get("props") or {} for x in r.get("subscriptions") or []},
            pursues=sorted(r.get("pursues") or []),
            surveys=sorted(r.get("surveys") or []),
            complaints=sorted(r.get("complaints") or []),
        )
    return Facts(_version(rows), found)


def read_outcomes(store: GraphStore, ids: Iterable[str]) -> Facts:
    rows = _read(store, "portfolio/rules/outcome_facts", ids)
    found: dict[str, Any] = {}
    for r in rows:
        if r.get("outcome") is None:
            continue
        found[r["key"]] = OutcomeFacts(
            id=r["key"],
            props=r["outcome"],
            enabled_by=sorted(r.get("enabledBy") or []),
            pursued_by=sorted(r.get("pursuedBy") or []),
        )
    return Facts(_version(rows), found)
