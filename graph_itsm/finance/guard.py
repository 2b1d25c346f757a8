"""The guard portfolio writes call before changing the dependency structure: cost allocation must stay solvable.

spec/domain.md, "Accounting": a write that would make ``I - A`` singular (a closed cycle of services that passes
all its cost around) is refused with a clear error. Whether it does depends on more than the edge written (an equal split
changes when a consumer retires, a cycle closes when its last leaking edge goes), so the check runs on the
candidate topology, the projection as it would be after the write: on what the providers the write touches
can reach, when the projection before it is known to allocate (``assert_allocatable_near``), else on all::

    facts = read_services(store, [...])                  # the write's own checks, at facts.version
    topo = topology.current()                            # read AFTER the facts: at facts.version or later
    assert_allocatable(candidate(topo, set_edges=[(consumer, provider, share)]))   # ClosedCycle naming the cycle
    return Change(..., facts.version, ...)               # written only if the graph is still at facts.version

``check_write(topology, ...)`` does the middle two lines. Reading the projection after the facts and writing at
the facts' version is what makes the check hold at write time: if the projection is newer than the facts, the
graph has moved past ``facts.version``, the audited write is refused and the change is planned again. Edges and
stages not mentioned keep their values; a new edge takes its own redundancy group.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Mapping

import numpy as np

from graph_itsm.errors import BadInput, RuleViolation
from graph_itsm.finance.allocation import _closed_cycle, allocation_weights, check_shares, known_allocatable
from graph_itsm.finance.allocation import _ALLOCATABLE, mark_allocatable
from graph_itsm.finance.errors import ClosedCycle
from graph_itsm.finance.linear import LEAK_TOLERANCE
from graph_itsm.topology.cache import TopologyCache, patching
from graph_itsm.topology.projection import STAGE_CODES, Topology

__all__ = ["assert_allocatable", "assert_allocatable_near", "candidate", "check_change", "check_write", "checked", "unchanged_flows", "ClosedCycle", "CLOSED_CYCLE"]

CLOSED_CYCLE = "closed-cycle"

def assert_allocatable(topo: Topology) -> None:
    """Raise ``ClosedCycle`` (RULE_VIOLATION; ``extensions``: ``rule`` = ``closed-cycle``, ``cycle`` and
    ``services`` list the services, the cycle first in DEPENDS_ON order) when cost allocation over
    ``topo`` has no solution, and ``RuleViolation`` when a provider's consumers would bear more than all of it."""
    weights = allocation_weights(topo)
    check_shares(topo, weights)
    found = _closed_cycle(topo, weights)
    if found is not None:
        members, length = found
        error = ClosedCycle.naming("cost allocation", members, length)
        error.extensions.update(rule=CLOSED_CYCLE, services=list(members))
        raise error


def candidate(
    topo: Topology,
    *,
    set_edges: Iterable[tuple] = (),
    remove_edges: Iterable[tuple[str, str]] = (),
    stages: Mapping[str, str] | None = None,
    new_services: Iterable[tuple[str, str, str]] = (),
) -> Topology:
    """The projection after a write: ``new_services`` ``(id, kind, stage)`` added, ``remove_edges``
    ``(consumer, provider)`` gone, ``set_edges`` ``(consumer, provider, share[, demandFactor])`` added or
    changed, service ``stages`` (id -> stage) moved. Unknown ids are a ``KeyError`` (the caller's rules found
    them first). ``topo`` itself is left as it is."""
    ids, index = topo.ids, topo.index
    customer_facing, stage = topo.customer_facing, topo.stage.copy()
    added = list(new_services)
    if added:
        ids = ids + [sid for sid, _, _ in added]
        index = {**index, **{sid: topo.n + k for k, (sid, _, _) in enumerate(added)}}
        customer_facing = np.concatenate([customer_facing, [kind == "CUSTOMER_FACING" for _, kind, _ in added]])
        stage = np.concatenate([stage, np.asarray([STAGE_CODES[s] for _, _, s in added], dtype=np.int8)])
    for sid, to in (stages or {}).items():
        stage[index[sid]] = STAGE_CODES[to]

    consumer, provider = topo.consumer, topo.provider
    keep = np.ones(topo.m, dtype=bool)
    changes = [(*edge[:3], edge[3] if len(edge) > 3 else None) for edge in set_edges]
    for c, p in [*remove_edges, *((c, p) for c, p, _, _ in changes)]:
        keep &= ~((consumer == index[c]) & (provider == index[p]))
    k = len(changes)
    new_groups = np.arange(topo.n_groups, topo.n_groups + k, dtype=np.int32)
    return dataclasses.replace(
        topo,
        ids=ids,
        index=index,
        customer_facing=customer_facing,
        stage=stage,
        consumer=np.concatenate([consumer[keep], np.asarray([index[c] for c, _, _, _ in changes], dtype=np.int32)]),
        provider=np.concatenate([provider[keep], np.asarray([index[p] for _, p, _, _ in changes], dtype=np.int32)]),
        group=np.concatenate([topo.group[keep], new_groups]),
        share=np.concatenate([topo.share[keep], [np.nan if s is None else float(s) for _, _, s, _ in changes]]),
        demand_factor=np.concatenate([topo.demand_factor[keep], [f or 0.0 for _, _, _, f in changes]]),
        n_groups=topo.n_groups + k,
    )


def check_write(topology: TopologyCache | None, **change: Any) -> Topology | None:
    """For a portfolio write that changes the dependency structure, called in its plan after its facts are read:
    ``assert_allocatable`` on the current projection with ``change`` (the arguments of ``candidate``) applied.
    Without a ``TopologyCache`` (callers outside the API, tests of the rules alone) nothing is checked.
    Returns the projection checked against (before the change), so that the write can patch it once committed
    (and ``mark_allocatable`` the patched one: it allocates as the candidate checked here does).

    When the projection is known to allocate (checked once per rebuilt snapshot), only what the change can
    reach is looked at (``assert_allocatable_near``); the whole graph is walked again only to name a cycle."""
    if topology is None:
        return None
    topo = topology.current()
    check_change(topo, **change)
    return topo


def checked(topo: Topology | None) -> Topology | None:
    """``topo``, a projection patched after a write whose ``check_write`` passed: it allocates (the check ran on
    the same graph), so ``allocate`` need not look for a closed cycle in it again."""
    if topo is not None:
        mark_allocatable(topo)
    return topo


def unchanged_flows(before: Topology, after: Topology) -> Topology:
    """``after``, a projection patched after a write that moves no cost (a new service, with no edges): it
    allocates when ``before`` is known to."""
    if before in _ALLOCATABLE:
        mark_allocatable(after)
    return after


def check_change(topo: Topology, **change: Any) -> None:
    """``assert_allocatable(candidate(topo, **change))``, looking only at what the change reaches when ``topo``
    is known to allocate."""
    after = candidate(topo, **change)
    if patching() and after.n == topo.n and known_allocatable(topo):  # new services: the whole check
        assert_allocatable_near(topo, after, _touched(after, change))
    else:
        assert_allocatable(after)


def _touched(after: Topology, change: Mapping[str, Any]) -> np.ndarray:
    """The providers whose outgoing cost flow the change can alter: those of the edges set or removed, and
    those of a service whose stage moves (an equal split counts only the non-retired consumers)."""
    index = after.index
    named = [index[e[1]] for e in [*change.get("set_edges", ()), *change.get("remove_edges", ())]]
    moved = [index[sid] for sid in (change.get("stages") or {})]
    of_moved = after.provider[np.isin(after.consumer, moved)] if moved else np.zeros(0, np.int32)
    return np.unique(np.concatenate([np.asarray(named, dtype=np.int32), of_moved.astype(np.int32)]))


def assert_allocatable_near(before: Topology, after: Topology, touched: np.ndarray) -> None:
    """``assert_allocatable(after)`` in time bounded by what the change reaches, given that ``before``
    allocates and ``after`` differs from it only in the cost flowing out of the ``touched`` providers.

    The rule (``linear.closed_set``): allocation is singular exactly when some service reaches no leaking
    service (one that passes on less than all its cost) along the edges its cost flows through. A service
    whose path to a leak in ``before`` avoids ``touched`` keeps it; one whose path meets a touched provider
    first leaks if that provider still does. So ``after`` allocates if every touched provider reaches a leak,
    and a breadth-first search from each, stopping at the first leak (usually a step or two away: the top of
    the estate passes nothing on), decides it. When one does not, the whole check runs, to name the cycle."""
    stated = after.share[np.isin(after.provider, touched)]
    stated = stated[~np.isnan(stated)]
    if stated.size and not ((stated >= 0.0) & (stated <= 1.0)).all():
        raise BadInput("a DEPENDS_ON share is not within 0..1", field="share")
    consumers, borne = _flows_out(after, touched)
    for k, j in enumerate(touched.tolist()):
        if borne[k] > 1.0 + LEAK_TOLERANCE:
            raise RuleViolation(f"the consumers' shares of {after.ids[j]!r} sum to {borne[k]:.6g}, more than 1")
    changed = {j: (consumers[k], borne[k]) for k, j in enumerate(touched.tolist())}
    if all(_reaches_leak(before, j, changed) for j in changed):
        return
    assert_allocatable(after)


def _flows_out(after: Topology, touched: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """For each touched provider in ``after``: the consumers its cost flows to (weight > 0) and the sum of its
    weights (``allocation_weights`` for those edges alone)."""
    consumers, borne = [], np.zeros(touched.size)
    for k, j in enumerate(touched.tolist()):
        edges = np.flatnonzero(after.provider == j)
        share, consumer = after.share[edges], after.consumer[edges]
        stated = ~np.isnan(share)
        if stated.any():
            w = np.where(stated, share, 0.0)
        else:
            live = after.stage[consumer] != STAGE_CODES["RETIRED"]
            w = np.where(live, 1.0 / max(int(live.sum()), 1), 0.0)
        consumers.append(consumer[w > 0])
        borne[k] = float(w.sum())
    return consumers, borne


def _reaches_leak(before: Topology, start: int, changed: dict[int, tuple[np.ndarray, float]]) -> bool:
    """Whether cost flowing from ``start`` reaches a leaking service, with the flows out of the ``changed``
    providers as given and every other service's as in ``before``; level by level, stopping at the first
    leak. Weights are worked out for the services reached only."""
    indptr, _ = before.by_provider
    seen = np.zeros(before.n, dtype=bool)
    seen[start] = True
    frontier = np.asarray([start], dtype=np.int64)
    while frontier.size:
        mine = np.fromiter((int(v) in changed for v in frontier), dtype=bool, count=frontier.size)
        plain = frontier[~mine]
        if (indptr[plain + 1] == indptr[plain]).any():
            return True  # a service with no consumers passes nothing on: the commonest leak, found at once
        flows = _flows_of(before, plain)
        if flows is None:
            return True
        nxt = [flows]
        for v in frontier[mine].tolist():
            consumers, borne = changed[v]
            if borne < 1.0 - LEAK_TOLERANCE:
                return True
            nxt.append(consumers.astype(np.int64))
        candidates = np.unique(np.concatenate(nxt))
        frontier = candidates[~seen[candidates]]
        seen[frontier] = True
    return False


def _flows_of(topo: Topology, nodes: np.ndarray) -> np.ndarray | None:
    """The services the cost of ``nodes`` flows to (weight > 0), or ``None`` when one of ``nodes`` leaks (passes
    on less than all of it). ``allocation_weights`` for the edges of ``nodes`` alone (``Topology.by_provider``)."""
    if nodes.size == 0:
        return np.zeros(0, np.int64)
    indptr, order = topo.by_provider
    starts, lens = indptr[nodes], indptr[nodes + 1] - indptr[nodes]
    total = int(lens.sum())
    at = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(total)
    owner = np.repeat(np.arange(nodes.size), lens)  # which of ``nodes`` each edge leaves
    edges = order[at]
    consumer, share = topo.consumer[edges], topo.share[edges]
    stated = ~np.isnan(share)
    live = topo.stage[consumer] != STAGE_CODES["RETIRED"]
    any_stated = np.bincount(owner, weights=stated, minlength=nodes.size) > 0
    n_live = np.bincount(owner, weights=live, minlength=nodes.size)
    weight = np.where(any_stated[owner], np.where(stated, share, 0.0),
                      np.where(live, 1.0 / np.maximum(n_live[owner], 1.0), 0.0))
    if (np.bincount(owner, weights=weight, minlength=nodes.size) < 1.0 - LEAK_TOLERANCE).any():
        return None
    return consumer[weight > 0].astype(np.int64)
