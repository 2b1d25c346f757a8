"""The guard portfolio writes call before changing the dependency structure: cost allocation must stay solvable.

spec/domain.md, "Accounting": a write that would make ``I - A`` singular (a closed cycle of services that passes
all its cost around) is refused with a clear error. Whether it does depends on the whole graph (an equal split
changes when a consumer retires, a cycle closes when its last leaking edge goes), so the check runs on the
candidate topology, the projection as it would be after the write, in time linear in its size::

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

from graph_itsm.finance.allocation import _closed_cycle, allocation_weights, check_shares
from graph_itsm.finance.errors import ClosedCycle
from graph_itsm.topology.cache import TopologyCache
from graph_itsm.topology.projection import STAGE_CODES, Topology

__all__ = ["assert_allocatable", "candidate", "check_write", "ClosedCycle", "CLOSED_CYCLE"]

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
    Returns the projection checked against (before the change), so that the write can patch it once committed."""
    if topology is None:
        return None
    topo = topology.current()
    assert_allocatable(candidate(topo, **change))
    return topo
