"""The impact engine: failure propagation over a :class:`~graph_itsm.topology.Topology`, without a database.

Semantics (spec/domain.md, "Impact analysis"). Given failed services ``F`` (and, for a what-if, services
``R`` that are removed, that is retired and gone), statuses propagate from providers to their consumers:

* Only delivered services take part (``Topology.delivered``: pipeline and catalogue services, and retired
  ones still held by a special-business-case subscription). Every other service is out of service: it is
  never impacted, passes no status on and is no member of a redundancy group (``Topology.in_service``
  drops its edges); naming it in ``F`` or ``R`` changes nothing.

* A consumer's ``DEPENDS_ON`` edges form groups: edges naming the same ``redundancyGroup`` are one group,
  every other edge is a group of its own (``Topology.group``). A group needs ``Topology.group_need`` of its
  members up (not DOWN): 1 unless the consumer states ``minUp`` or ``minUpPercent`` for it (k of n).
* A service is ``DOWN`` if it is in ``F`` or ``R``, or if at least one of its groups has fewer members up than
  it needs.
* A service is ``DEGRADED`` if it is not DOWN but at least one of its providers is DOWN or DEGRADED.
* Statuses are the least fixpoint of these rules, so cycles cannot keep each other DOWN without a cause.

It follows that the impacted services (DOWN or DEGRADED) are exactly the services reachable from ``F | R``
along edges provider -> consumer, which is what a breadth-first search finds together with ``distance``
(fewest hops from any service of ``F | R``) and ``parent`` (the predecessor on one shortest path).

Both passes are vectorised with numpy over the CSR adjacency and touch each edge at most once, so the cost is
linear in the impacted part of the graph: a BFS one frontier array per level, and the DOWN fixpoint in waves
that keep ``slack[group]`` (members that may still go DOWN: size - need) and make a consumer DOWN when one of
its groups goes below 0. Since a group never needs more members than it has, nothing is DOWN without a cause
and the impacted services stay those reachable from ``F | R``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from graph_itsm.topology.projection import STAGE_CODES, Topology

__all__ = [
    "NOT_IMPACTED",
    "DEGRADED",
    "DOWN",
    "STATUS_NAMES",
    "ImpactCounts",
    "ImpactResult",
    "compute_impact",
    "down_services",
    "limit_depth",
    "dependencies",
]

NOT_IMPACTED, DEGRADED, DOWN = 0, 1, 2
STATUS_NAMES: tuple[str | None, str, str] = (None, "DEGRADED", "DOWN")  # ImpactStatus enum names by code


@dataclass(frozen=True)
class ImpactCounts:
    """The figures of the API's ``ImpactCounts``, for the reported services."""

    services: int
    down: int
    degraded: int
    customer_facing: int
    outcomes: int
    customers: int
    live: int  # reported services in the catalogue (or retired but still delivered)
    planned: int  # reported services in the pipeline: impact on what is not yet delivered


@dataclass(frozen=True, eq=False)
class ImpactResult:
    """The outcome of one impact computation. Service, outcome and customer numbers index ``Topology.ids``,
    ``Topology.outcome_ids`` and ``Topology.customer_ids``.

    ``status``, ``distance``, ``parent`` and ``removed`` cover the whole graph. The lists (``services``,
    ``customer_facing``, ``outcomes``, ``customers``) and the outcome and customer statuses are what is
    reported: everything impacted, or only what lies within a depth after :func:`limit_depth`.
    """

    status: np.ndarray  # int8[n]: NOT_IMPACTED, DEGRADED or DOWN
    distance: np.ndarray  # int32[n]: hops from the nearest failed or removed service, -1 when not impacted
    parent: np.ndarray  # int32[n]: predecessor on one shortest path, -1 for failed/removed and unimpacted
    removed: np.ndarray  # bool[n]: the service was given as removed (retired in a what-if)
    services: np.ndarray  # int32[k]: reported impacted services, ordered by (distance, id)
    customer_facing: np.ndarray  # int32: the customer-facing ones among ``services``, same order
    outcome_status: np.ndarray  # int8[n_outcomes]: worst status of the reported services enabling it
    outcomes: np.ndarray  # int32: impacted outcomes (outcome_status > 0), in id order
    customer_status: np.ndarray  # int8[n_customers]: worst over subscribed services and pursued outcomes
    customers: np.ndarray  # int32: impacted customers (customer_status > 0), in id order
    stage_of_services: np.ndarray  # int8[k]: the stage code of each of ``services``

    def path(self, i: int) -> list[int]:
        """Services on one shortest path from a failed (or removed) service to ``i``, both ends included;
        ``[]`` when ``i`` is not impacted. Its length is ``distance[i] + 1``."""
        if self.distance[i] < 0:
            return []
        chain = [int(i)]
        parent = self.parent
        while parent[chain[-1]] >= 0:
            chain.append(int(parent[chain[-1]]))
        chain.reverse()
        return chain

    def counts(self) -> ImpactCounts:
        statuses = self.status[self.services]
        down = int(np.count_nonzero(statuses == DOWN))
        planned = int(np.count_nonzero(self.stage_of_services == STAGE_CODES["PIPELINE"]))
        return ImpactCounts(
            services=int(self.services.size),
            down=down,
            degraded=int(self.services.size) - down,
            customer_facing=int(self.customer_facing.size),
            outcomes=int(self.outcomes.size),
            customers=int(self.customers.size),
            live=int(self.services.size) - planned,
            planned=planned,
        )


def compute_impact(topo: Topology, failed: Sequence[int], removed: Sequence[int] = ()) -> ImpactResult:
    """Statuses, distances and shortest-path parents of every service when ``failed`` fail and ``removed``
    are retired; removed services count for their consumers exactly like failed ones (DOWN, distance 0)."""
    n = topo.n
    failed_ix = _delivered(topo, _indices(failed, n, "failed"))
    removed_ix = _delivered(topo, _indices(removed, n, "removed"))
    sources = np.unique(np.concatenate([failed_ix, removed_ix]))

    live = topo.in_service
    indptr = live.by_provider[0]
    distance, parent = _bfs(indptr, live.consumers_by_provider, sources, n, want_parent=True)
    status = (distance >= 0).astype(np.int8)
    status[_down_fixpoint(live, sources)] = DOWN

    removed_mask = np.zeros(n, dtype=bool)
    removed_mask[removed_ix] = True
    return _report(topo, status, distance, parent, removed_mask, distance >= 0)


def down_services(topo: Topology, failed: Sequence[int]) -> np.ndarray:
    """bool[n]: the services DOWN when ``failed`` fail, and nothing else (no distances, paths or reports).
    The cheap half of :func:`compute_impact`, for analyses that try many failure sets."""
    return _down_fixpoint(topo.in_service, np.unique(_delivered(topo, _indices(failed, topo.n, "failed"))))


def limit_depth(topo: Topology, result: ImpactResult, max_depth: int | None) -> ImpactResult:
    """The report of ``result`` restricted to services within ``max_depth`` hops (``None`` keeps all).

    Statuses stay those of the whole graph (a service at depth 1 may be DOWN because of something deeper);
    only services with ``distance <= max_depth`` are listed, and outcomes and customers are derived from
    the listed services only."""
    if max_depth is None:
        return result
    if max_depth < 0:
        raise ValueError(f"max_depth must be >= 0, got {max_depth}")
    visible = (result.distance >= 0) & (result.distance <= max_depth)
    return _report(topo, result.status, result.distance, result.parent, result.removed, visible)


def dependencies(topo: Topology, i: int, max_depth: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Everything service ``i`` transitively depends on (edges consumer -> provider), breadth first.

    Returns ``(indices int32[k], distances int32[k])`` ordered by (distance, id), without ``i`` itself even
    when a cycle leads back to it; ``max_depth`` stops the search after that many hops."""
    if max_depth is not None and max_depth < 0:
        raise ValueError(f"max_depth must be >= 0, got {max_depth}")
    start = _indices([i], topo.n, "service")
    indptr = topo.by_consumer[0]
    distance, _ = _bfs(indptr, topo.providers_by_consumer, start, topo.n, max_depth=max_depth)
    distance[start] = -1
    found = _by_distance_then_id(topo, np.flatnonzero(distance > 0).astype(np.int32), distance)
    return found, distance[found]


# -- the two passes ------------------------------------------------------------------------------------


def _bfs(
    indptr: np.ndarray,
    targets: np.ndarray,
    sources: np.ndarray,
    n: int,
    *,
    want_parent: bool = False,
    max_depth: int | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Multi-source breadth-first search over a CSR (``targets[indptr[v]:indptr[v+1]]`` are v's neighbours),
    one frontier array per level. Returns (distance int32[n], -1 unreached; parent int32[n] or None)."""
    distance = np.full(n, -1, dtype=np.int32)
    parent = np.full(n, -1, dtype=np.int32) if want_parent else None
    scratch = np.empty(n, dtype=np.int64)
    frontier = sources
    distance[frontier] = 0
    level = 0
    while frontier.size and (max_depth is None or level < max_depth):
        positions, counts = _edge_positions(indptr, frontier)
        reached = targets[positions]
        fresh = np.flatnonzero(distance[reached] < 0)
        if not fresh.size:
            break
        fresh = fresh[_first_occurrences(reached[fresh], scratch)]
        level += 1
        if parent is not None:
            parent[reached[fresh]] = np.repeat(frontier, counts)[fresh]
        frontier = reached[fresh]
        distance[frontier] = level
    return distance, parent


def _down_fixpoint(topo: Topology, sources: np.ndarray) -> np.ndarray:
    """bool[n]: the least set containing ``sources`` and every consumer with a group that has fewer members
    outside the set than it needs. Computed in waves: an edge of a group without slack (alone in it, or all
    members needed) takes its consumer down at once; the other edges are subtracted from ``slack[group]`` and
    the consumer goes down when it falls below 0."""
    indptr = topo.by_provider[0]
    consumers, groups, redundant = topo.consumers_by_provider, topo.groups_by_provider, topo.redundant_by_provider
    remaining = topo.group_slack.copy()
    down = np.zeros(topo.n, dtype=bool)
    down[sources] = True
    scratch = np.empty(topo.n, dtype=np.int64)
    group_scratch = np.empty(topo.n_groups, dtype=np.int64)
    wave = sources
    while wave.size:
        positions, _ = _edge_positions(indptr, wave)
        shared = redundant[positions]
        in_group = positions[shared]
        hit = groups[in_group]
        _decrement(remaining, hit, group_scratch)
        emptied = np.concatenate([consumers[positions[~shared]], consumers[in_group[remaining[hit] < 0]]])
        wave = emptied[~down[emptied]]
        wave = wave[_first_occurrences(wave, scratch)]
        down[wave] = True
    return down


# -- helpers ---------------------------------------------------------------------------------------------


def _edge_positions(indptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``indptr[v]..indptr[v+1]-1`` of every node ``v`` of ``nodes``, concatenated in node order,
    and the count per node (the np.repeat/cumsum way of gathering CSR rows without a Python loop)."""
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    total = int(counts.sum())
    # Each position is its rank in the output plus (start of its row - output offset of its row).
    shift = starts - (np.cumsum(counts) - counts)
    positions = np.repeat(shift, counts)
    positions += np.arange(total, dtype=positions.dtype)
    return positions, counts


def _decrement(counter: np.ndarray, keys: np.ndarray, scratch: np.ndarray) -> None:
    """``counter[k] -= 1`` for every occurrence of ``k`` in ``keys`` (what ``np.subtract.at`` does, about
    four times faster): subtract once per distinct key, then again for the keys left over, and so on."""
    while keys.size:
        first = _first_occurrences(keys, scratch)
        counter[keys[first]] -= 1
        keys = keys[~first]


def _first_occurrences(values: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """bool mask selecting exactly one occurrence of each distinct value, in linear time: every position
    writes its rank into ``scratch[value]``; one write per value survives and marks its position."""
    rank = np.arange(values.size, dtype=scratch.dtype)
    scratch[values] = rank
    return scratch[values] == rank


def _by_distance_then_id(topo: Topology, nodes: np.ndarray, distance: np.ndarray) -> np.ndarray:
    key = distance[nodes].astype(np.int64) * topo.n + topo.id_rank[nodes]
    return nodes[np.argsort(key)]


def _indices(values: Sequence[int], n: int, what: str) -> np.ndarray:
    ix = np.asarray(values, dtype=np.int64).reshape(-1)
    if ix.size and (ix.min() < 0 or ix.max() >= n):
        raise IndexError(f"{what}: service numbers must be in 0..{n - 1}")
    return ix.astype(np.int32)


def _delivered(topo: Topology, ix: np.ndarray) -> np.ndarray:
    """The services of ``ix`` that are delivered; one out of service cannot fail anything (it is not there)."""
    return ix[topo.delivered[ix]]


def _report(
    topo: Topology,
    status: np.ndarray,
    distance: np.ndarray,
    parent: np.ndarray,
    removed: np.ndarray,
    visible: np.ndarray,
) -> ImpactResult:
    """Order the visible impacted services and derive customer-facing services, outcomes and customers."""
    services = _by_distance_then_id(topo, np.flatnonzero(visible).astype(np.int32), distance)
    seen = np.where(visible, status, NOT_IMPACTED).astype(np.int8)
    outcome_status = np.zeros(len(topo.outcome_ids), dtype=np.int8)
    np.maximum.at(outcome_status, topo.enables_outcome, seen[topo.enables_service])
    customer_status = np.zeros(len(topo.customer_ids), dtype=np.int8)
    np.maximum.at(customer_status, topo.subscribes_customer, seen[topo.subscribes_service])
    np.maximum.at(customer_status, topo.pursues_customer, outcome_status[topo.pursues_outcome])
    return ImpactResult(
        status=status,
        distance=distance,
        parent=parent,
        removed=removed,
        services=services,
        customer_facing=services[topo.customer_facing[services]],
        outcome_status=outcome_status,
        outcomes=np.flatnonzero(outcome_status).astype(np.int32),
        customer_status=customer_status,
        customers=np.flatnonzero(customer_status).astype(np.int32),
        stage_of_services=topo.stage[services],
    )
