"""A topology write applied to the cached projection instead of a rebuild from the database.

After an audited dependency write commits, the projection its checks used (at topology version ``v``, the
version the write found) plus the write is the graph at ``v + 1``: the write moved the topology version by one
and nothing else can have moved it in between (the audited write is refused when the graph moved since its
facts were read). :func:`with_dependency` and :func:`without_dependency` build that projection in time linear
in the number of edges (numpy), with the canonical numbering :meth:`Topology.build` gives: services in id order
(unchanged by an edge write), edges ordered by (consumer, provider), redundancy groups renumbered densely."""

from __future__ import annotations

import dataclasses
from typing import Iterable

import numpy as np

from graph_itsm.topology.projection import Topology

__all__ = ["with_dependency", "without_dependency"]


def _dense(group: np.ndarray) -> tuple[np.ndarray, int, np.ndarray]:
    """The group ids renumbered densely, their number, and the old id of each new one."""
    if group.size == 0:
        return group.astype(np.int32), 0, np.zeros(0, np.int64)
    old, dense = np.unique(group, return_inverse=True)
    dense = dense.astype(np.int32).reshape(-1)
    return dense, int(dense.max()) + 1, old


def _rules(topo: Topology, old: np.ndarray) -> dict[str, np.ndarray]:
    """Each new group's k-of-n rule (``group_min_up``, ``group_min_percent``), carried from its old id; a group
    new to the projection has none."""
    def carried(values: np.ndarray) -> np.ndarray:
        out = np.zeros(old.size, values.dtype)
        known = old < values.size
        out[known] = values[old[known]]
        return out

    return {"group_min_up": carried(topo.group_min_up), "group_min_percent": carried(topo.group_min_percent)}


def _without(topo: Topology, c: int, p: int) -> np.ndarray:
    return ~((topo.consumer == c) & (topo.provider == p))


def without_dependency(topo: Topology, consumer: str, provider: str, *, version: int) -> Topology:
    """``topo`` without the edge ``consumer -> provider``, at ``version``."""
    keep = _without(topo, topo.index[consumer], topo.index[provider])
    group, n_groups, old = _dense(topo.group[keep])
    return dataclasses.replace(
        topo, version=version, consumer=topo.consumer[keep], provider=topo.provider[keep], group=group,
        share=topo.share[keep], demand_factor=topo.demand_factor[keep], n_groups=n_groups, **_rules(topo, old))


def with_dependency(topo: Topology, consumer: str, provider: str, *, share: float | None,
                    redundancy_group: str | None, demand_factor: float | None,
                    same_group: Iterable[str] = (), version: int) -> Topology | None:
    """``topo`` with the edge ``consumer -> provider`` added or replaced, at ``version``. ``same_group`` are the
    other providers of ``consumer`` whose edges name ``redundancy_group`` (the write's facts know them): the
    edge joins their group, as :meth:`Topology.build` would put it, with the group's k-of-n rule. None (rebuild
    instead) when the edge starts a named group the projection does not hold: the consumer may state a rule
    for it that only the graph knows."""
    c, p = topo.index[consumer], topo.index[provider]
    keep = _without(topo, c, p)
    cons, prov, group = topo.consumer[keep], topo.provider[keep], topo.group[keep]
    gid = None
    if redundancy_group:
        siblings = [topo.index[s] for s in same_group if s != provider and s in topo.index]
        if siblings:
            hit = np.flatnonzero((cons == c) & np.isin(prov, siblings))
            gid = int(group[hit[0]]) if hit.size else None
    if gid is None:
        if redundancy_group:
            return None
        gid = int(topo.group.max()) + 1 if topo.group.size else 0
    n = max(topo.n, 1)
    keys = cons.astype(np.int64) * n + prov
    at = int(np.searchsorted(keys, c * n + p))
    group, n_groups, old = _dense(np.insert(group, at, gid))
    return dataclasses.replace(
        topo, version=version,
        consumer=np.insert(cons, at, np.int32(c)), provider=np.insert(prov, at, np.int32(p)), group=group,
        share=np.insert(topo.share[keep], at, np.nan if share is None else float(share)),
        demand_factor=np.insert(topo.demand_factor[keep], at, 0.0 if demand_factor is None else float(demand_factor)),
        n_groups=n_groups, **_rules(topo, old))
