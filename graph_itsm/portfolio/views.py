"""Portfolio views (spec: Service portfolio management): counts and cost by stage and kind, the customer view of
the catalogue, each service's value sheet and the retirement candidates. Plain values; no GraphQL here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from graph_itsm.errors import BadInput
from graph_itsm.finance.allocation import Allocation
from graph_itsm.portfolio.document import ServiceKind, ServiceStage
from graph_itsm.portfolio.service import ServicePage, list_services
from graph_itsm.store import GraphStore, library
from graph_itsm.topology.projection import STAGE_CODES, Topology

__all__ = [
    "Counts", "portfolio_counts", "StageKindCost", "portfolio_cost", "customer_catalogue", "ValueSheet",
    "value_sheets", "Candidate", "retirement_candidates", "check_cost_threshold", "UNUSED", "NO_OUTCOME",
    "COSTLY_WITHOUT_OUTCOME",
]

UNUSED = "UNUSED"
NO_OUTCOME = "NO_OUTCOME"
COSTLY_WITHOUT_OUTCOME = "COSTLY_WITHOUT_OUTCOME"
_EXPLAINED = {
    UNUSED: "no customer subscribes to it and no live (PIPELINE or CATALOGUE) service depends on it",
    NO_OUTCOME: "neither it nor any live service that depends on it, directly or not, enables a business outcome",
}


@dataclass(frozen=True)
class Counts:
    total: int
    by_stage_and_kind: dict[tuple[str, str], int]  # every (stage, kind), zeros included

    def by_stage(self) -> dict[str, int]:
        return {s.value: sum(n for (st, _), n in self.by_stage_and_kind.items() if st == s) for s in ServiceStage}

    def by_kind(self) -> dict[str, int]:
        return {k.value: sum(n for (_, kd), n in self.by_stage_and_kind.items() if kd == k) for k in ServiceKind}


def portfolio_counts(store: GraphStore) -> Counts:
    """How many services each stage and kind holds (one query)."""
    counts = {(s.value, k.value): 0 for s in ServiceStage for k in ServiceKind}
    for r in store.read(library()["portfolio/views/counts_by_stage_and_kind"]):
        key = (r["stage"], r["kind"])
        if key in counts:
            counts[key] = int(r["services"])
    return Counts(total=sum(counts.values()), by_stage_and_kind=counts)


@dataclass(frozen=True)
class StageKindCost:
    """The month's cost of the services of one stage and kind (sums of the allocation's per-service figures)."""

    stage: str
    kind: str
    services: int
    direct: float
    total: float  # fully loaded: a provider's cost counts again in each consumer that bears part of it
    retained: float  # over all groups these add up to the month's allocated direct cost (conservation)


def portfolio_cost(allocation: Allocation) -> list[StageKindCost]:
    """Direct, total and retained cost of each (stage, kind), every pair listed (zeros too), in the order of
    ``portfolio_counts``; from the month's allocation, no query."""
    topo = allocation.topology
    out = []
    for stage in ServiceStage:
        in_stage = topo.stage == STAGE_CODES[stage.value]
        for kind in ServiceKind:
            mask = in_stage & (topo.customer_facing == (kind is ServiceKind.CUSTOMER_FACING))
            out.append(StageKindCost(
                stage.value, kind.value, int(mask.sum()), float(allocation.direct[mask].sum()),
                float(allocation.total[mask].sum()), float(allocation.retained[mask].sum()),
            ))
    return out


def customer_catalogue(store: GraphStore, *, first: int | None = None, after_id: str | None = None,
                       search: str | None = None) -> ServicePage:
    """What customers may see: CUSTOMER_FACING services in the CATALOGUE, in pages ordered by id."""
    return list_services(store, kind="CUSTOMER_FACING", stage="CATALOGUE", search=search, first=first,
                         after_id=after_id)


@dataclass(frozen=True)
class ValueSheet:
    """What a service is worth to the business: what it enables and for whom."""

    service: dict[str, Any]
    outcomes: list[dict[str, Any]]  # outcome properties, by id
    subscriptions: list[dict[str, Any]]  # {customer, props}, by customer
    customers: list[str] = field(default_factory=list)  # subscribers and pursuers of its outcomes, by id


def value_sheets(store: GraphStore, ids: Sequence[str]) -> list[ValueSheet | None]:
    """The value sheet of each service of ``ids`` (None for an unknown id), in key order: one query."""
    found: dict[str, ValueSheet] = {}
    for r in store.read(library()["portfolio/views/value_sheets"], {"ids": list(ids)}):
        subs = sorted(r.get("subscriptions") or [], key=lambda x: x["customer"])
        customers = sorted({x["customer"] for x in subs} | set(r.get("pursuers") or []))
        found[r["key"]] = ValueSheet(
            service=r["service"],
            outcomes=sorted(r.get("outcomes") or [], key=lambda o: o["id"]),
            subscriptions=subs,
            customers=customers,
        )
    return [found.get(k) for k in ids]


@dataclass(frozen=True)
class Candidate:
    service: str
    reasons: list[str]
    cost: float | None = None  # total cost in the month asked for, if one was
    threshold: float | None = None

    @property
    def explanation(self) -> str:
        return "; ".join(f"{r}: {self._explain(r)}" for r in self.reasons)

    def _explain(self, reason: str) -> str:
        if reason == COSTLY_WITHOUT_OUTCOME:
            return (f"its total cost in the month, {self.cost:.2f}, is above the threshold {self.threshold:.2f}, "
                    "and it serves no business outcome")
        return _EXPLAINED[reason]


def check_cost_threshold(period: str | None, cost_threshold: float | None) -> None:
    """The cost test needs both a month and a threshold of 0 or more (``BadInput`` naming what is missing)."""
    if cost_threshold is not None and period is None:
        raise BadInput("period: needed with costThreshold (the month whose cost is compared)", field="period")
    if period is not None and cost_threshold is None:
        raise BadInput("costThreshold: needed with period (the cost above which to flag)", field="costThreshold")
    if cost_threshold is not None and not cost_threshold >= 0.0:
        raise BadInput(f"costThreshold: must be 0 or more, got {cost_threshold}", field="costThreshold")


def retirement_candidates(
    topo: Topology, *, total: np.ndarray | None = None, cost_threshold: float | None = None
) -> list[Candidate]:
    """CATALOGUE services nobody uses (no subscribers, no live dependants) or that serve no business outcome,
    ordered by id, each with its reasons. With ``total`` (a month's total cost per service of ``topo``, from
    the allocation on that snapshot) and ``cost_threshold``, a service that serves no outcome and whose total
    cost is above the threshold is also COSTLY_WITHOUT_OUTCOME. Total (fully loaded) cost, not retained: a
    supporting service passes all its cost on to its consumers and would never look costly by what it retains.
    Runs on the in-memory topology, in time linear in its size."""
    live = topo.stage != STAGE_CODES["RETIRED"]
    edge_live = live[topo.consumer]
    dependants = np.bincount(topo.provider[edge_live], minlength=topo.n)
    subscribers = np.bincount(topo.subscribes_service, minlength=topo.n)
    serves = _serving_an_outcome(topo, live)
    out: list[Candidate] = []
    for i in np.flatnonzero(topo.stage == STAGE_CODES["CATALOGUE"]):
        reasons = []
        if subscribers[i] == 0 and dependants[i] == 0:
            reasons.append(UNUSED)
        if not serves[i]:
            reasons.append(NO_OUTCOME)
        cost = None if total is None else float(total[i])
        if not serves[i] and cost is not None and cost_threshold is not None and cost > cost_threshold:
            reasons.append(COSTLY_WITHOUT_OUTCOME)
        if reasons:
            out.append(Candidate(topo.ids[i], reasons, cost, cost_threshold))
    return sorted(out, key=lambda c: c.service)


def _serving_an_outcome(topo: Topology, live: np.ndarray) -> np.ndarray:
    """bool[n]: the service, or a live service depending on it (transitively), enables an outcome.
    Breadth-first from the enabling services down their DEPENDS_ON edges, each service visited once."""
    reached = np.zeros(topo.n, dtype=bool)
    frontier = np.unique(topo.enables_service[live[topo.enables_service]])
    reached[frontier] = True
    indptr, _ = topo.by_consumer
    providers = topo.providers_by_consumer
    while frontier.size:
        frontier = frontier[live[frontier]]
        starts, lengths = indptr[frontier], indptr[frontier + 1] - indptr[frontier]
        total = int(lengths.sum())
        if total == 0:
            break
        offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(total)
        nxt = np.unique(providers[offsets])
        frontier = nxt[~reached[nxt]]
        reached[frontier] = True
    return reached
