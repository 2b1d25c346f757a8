"""Parameters computed from the topology projection, for analytics queries that need reachability.

Cypher answers reachability only by enumerating paths, which explodes on dense graphs (shared/findings.md).
So a query that needs "what goes down if X fails" declares a parameter the runner fills in first::

    // param impacted: list<map> = @projection:single_points_of_failure

The runner calls the function registered here under that name with the current :class:`Topology` and passes
the rows it returns as ``$impacted``; the Cypher joins them with the graph (names, stages, subscribers, ...)
and does the filtering and ranking. The rules for a projection:

* it returns a list of plain maps (JSON-ready: ids, numbers, lists of ids), in a deterministic order;
* it depends on the graph only, never on the caller's params, so its rows are cached per topology snapshot
  (a new snapshot, built when the graph version moves, starts with an empty cache);
* it answers with the impact engine or a graph algorithm on the projection, and calls ``source.tick()`` in
  its loops so the analytics time limit holds (``TooComplex`` when it runs over).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable
from weakref import WeakKeyDictionary

import numpy as np

from graph_itsm.errors import TooComplex
from graph_itsm.impact.engine import DOWN, compute_impact
from graph_itsm.impact.single_failures import single_failure_down
from graph_itsm.store import GraphStore, library
from graph_itsm.topology import Topology
from graph_itsm.topology.projection import STAGE_CODES

__all__ = ["Source", "projection", "names", "compute"]

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Source:
    """What a projection reads: the topology snapshot, the store (for attributes the snapshot lacks) and the
    monotonic-clock deadline of the analytics run."""

    topology: Topology
    store: GraphStore
    deadline: float
    limit_ms: int

    def tick(self, what: str) -> None:
        if time.monotonic() > self.deadline:
            raise TooComplex(f"the analytics ran over its time limit of {self.limit_ms} ms while computing {what}")


_REGISTRY: dict[str, Callable[[Source], Rows]] = {}
_CACHE: WeakKeyDictionary[Topology, dict[str, Rows]] = WeakKeyDictionary()
_LOCK = threading.Lock()


def projection(name: str) -> Callable[[Callable[[Source], Rows]], Callable[[Source], Rows]]:
    def register(fn: Callable[[Source], Rows]) -> Callable[[Source], Rows]:
        _REGISTRY[name] = fn
        return fn

    return register


def names() -> list[str]:
    return sorted(_REGISTRY)


def compute(name: str, source: Source) -> Rows:
    """The rows of projection ``name`` for ``source.topology``, computed once per snapshot."""
    with _LOCK:
        cached = _CACHE.setdefault(source.topology, {})
        if name in cached:
            return cached[name]
    rows = _REGISTRY[name](source)
    with _LOCK:
        cached[name] = rows
    return rows


def _ids(topo: Topology, indices: np.ndarray) -> list[str]:
    return sorted(topo.ids[i] for i in indices.tolist())


def _live_customer_facing(topo: Topology) -> np.ndarray:
    """bool[n]: customer-facing services in the catalogue (what customers can have)."""
    return topo.customer_facing & (topo.stage == STAGE_CODES["CATALOGUE"])


@projection("single_points_of_failure")
def single_points_of_failure(source: Source) -> Rows:
    """``{service, down, customers}`` for each supporting service whose failure alone takes a live
    (catalogue) customer-facing service DOWN: ``down`` lists those services, ``customers`` their subscribers.
    Redundancy groups count as the impact engine counts them (k of n); every failure at once, as bit rows
    (``graph_itsm.impact.single_failures``)."""
    from scipy.sparse import csr_matrix

    topo = source.topology
    indptr = topo.by_provider[0]
    has_consumers = indptr[1:] > indptr[:-1]
    candidates = np.flatnonzero(~topo.customer_facing & has_consumers)
    targets = np.flatnonzero(_live_customer_facing(topo))
    k, t = single_failure_down(topo, candidates, targets, lambda: source.tick("the single points of failure"))
    if not k.size:
        return []
    # subscribers of each target, then of each candidate's DOWN set, as one sparse product
    position = np.full(topo.n, -1, dtype=np.int64)
    position[targets] = np.arange(targets.size)
    sub_target = position[topo.subscribes_service]
    kept = sub_target >= 0
    subscribers = csr_matrix((np.ones(int(kept.sum()), dtype=np.int32),
                              (sub_target[kept], topo.subscribes_customer[kept])),
                             shape=(targets.size, len(topo.customer_ids)))
    down = csr_matrix((np.ones(k.size, dtype=np.int32), (k, t)), shape=(candidates.size, targets.size))
    reached = (down @ subscribers).tocsr()
    reached.sort_indices()
    ids, customer_ids = topo.ids, topo.customer_ids
    rows = []
    heads = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    bounds = np.r_[heads, k.size]
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        c = int(k[a])
        customers = reached.indices[reached.indptr[c] : reached.indptr[c + 1]]
        rows.append({
            "service": ids[candidates[c]],
            "down": [ids[i] for i in targets[t[a:b]].tolist()],  # numbered in id order: already sorted
            "customers": [customer_ids[x] for x in customers.tolist()],
        })
    return rows


@projection("single_points_of_failure_summary")
def single_points_of_failure_summary(source: Source) -> Rows:
    """``{service, down, examples, customers}``: ``single_points_of_failure`` with counts instead of lists (and
    the first five services DOWN, by id), so that a large estate does not ship every list through Cypher."""
    return [
        {"service": r["service"], "down": len(r["down"]), "examples": r["down"][:5], "customers": len(r["customers"])}
        for r in compute("single_points_of_failure", source)
    ]


@projection("customer_exposure")
def customer_exposure(source: Source) -> Rows:
    """``{customer, singlePointsOfFailure}`` for each customer with at least one: the supporting services
    whose failure alone takes one of its live subscriptions DOWN (from ``single_points_of_failure``)."""
    by_customer: dict[str, list[str]] = defaultdict(list)
    for row in compute("single_points_of_failure", source):
        for customer in row["customers"]:
            by_customer[customer].append(row["service"])
    return [{"customer": c, "singlePointsOfFailure": s} for c, s in sorted(by_customer.items())]


@projection("blast_radius")
def blast_radius(source: Source) -> Rows:
    """``{service, services, down, customerFacing, outcomes, customers}`` for every service: the counts of an
    impact analysis of that service failing alone (it is among the services counted)."""
    topo = source.topology
    rows = []
    for i in range(topo.n):
        source.tick("the blast radius of every service")
        counts = compute_impact(topo, [i]).counts()
        rows.append({
            "service": topo.ids[i],
            "services": counts.services,
            "down": counts.down,
            "customerFacing": counts.customer_facing,
            "outcomes": counts.outcomes,
            "customers": counts.customers,
        })
    return sorted(rows, key=lambda r: r["service"])


@projection("supplier_impact")
def supplier_impact(source: Source) -> Rows:
    """``{supplier, services, impacted, down}`` for each supplier of third-party services: its services and
    the live (catalogue) customer-facing services impacted (DOWN or DEGRADED) and DOWN when all of them fail."""
    topo = source.topology
    live = _live_customer_facing(topo)
    by_supplier: dict[str, list[str]] = defaultdict(list)
    for row in source.store.read(library()["topology/third_party_services"]):
        if row["id"] in topo.index:  # a service written after the snapshot waits for the next one
            by_supplier[row["supplier"] or "(unnamed supplier)"].append(row["id"])
    rows = []
    for supplier, services in sorted(by_supplier.items()):
        source.tick("the impact of each supplier")
        result = compute_impact(topo, [topo.index[s] for s in services])
        impacted = result.customer_facing[live[result.customer_facing]]
        rows.append({
            "supplier": supplier,
            "services": sorted(services),
            "impacted": _ids(topo, impacted),
            "down": _ids(topo, impacted[result.status[impacted] == DOWN]),
        })
    return rows


@projection("dependency_cycles")
def dependency_cycles(source: Source) -> Rows:
    """``{members}`` for each dependency cycle: a strongly connected component of two or more services
    (members sorted by id; cycles ordered by their first member)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    topo = source.topology
    if topo.n == 0:
        return []
    source.tick("the dependency cycles")
    adjacency = csr_matrix((np.ones(topo.m, dtype=np.int8), (topo.consumer, topo.provider)), shape=(topo.n, topo.n))
    count, labels = connected_components(adjacency, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=count)
    members: dict[int, list[str]] = defaultdict(list)
    for i in np.flatnonzero(sizes[labels] > 1).tolist():
        members[int(labels[i])].append(topo.ids[i])
    return sorted(({"members": sorted(m)} for m in members.values()), key=lambda r: r["members"][0])
