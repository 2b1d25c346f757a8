"""What each service's failure alone takes DOWN, for many services at once (single points of failure).

Running the DOWN fixpoint of ``engine`` once per service costs a pass over each failure's whole cascade, and the
cascades of a large estate overlap (a hub takes most of it down): quadratic work in Python-sized steps. Here
every candidate failure is one bit of a row per service: ``X[v]`` holds the bits of the failures that take ``v``
DOWN. The rules of ``engine._down_fixpoint`` become bitwise operations on whole rows:

* a failure takes a consumer DOWN through a group without slack (alone in it, or every member needed) when it
  takes any member DOWN: ``X[c] |= X[p]`` for such an edge;
* through a group with slack ``s`` (``Topology.group_slack``) when it takes more than ``s`` of its members
  DOWN: a per-bit count of the members' rows, compared with ``s``.

Rows start as the failures themselves (bit ``k`` of source ``k``) and only ever gain bits, so repeating the
updates until nothing changes gives the least fixpoint, for every failure at once, exactly as the engine
defines it. Services are visited by level of the strongly connected components (providers first), so a graph
without cycles settles in one sweep; with cycles the sweeps repeat until a sweep changes nothing.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from graph_itsm.topology.projection import Topology

__all__ = ["single_failure_down"]

_ROW_BUDGET = 1 << 27  # bytes of bit rows held at once (n services x sources in one block / 8)
_GATHER_BUDGET = 1 << 24  # bytes gathered per step (edge rows, and unpacked bits of slack groups)


def single_failure_down(
    topo: Topology,
    sources: np.ndarray,
    targets: np.ndarray,
    tick: Callable[[], None] = lambda: None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(k, t)``: target ``targets[t]`` is DOWN when ``sources[k]`` alone fails (``engine.down_services``
    of ``[sources[k]]``), as two int arrays ordered by ``k`` then ``t``. ``tick`` is called between steps (the
    analytics time limit). A source out of service takes nothing down, itself included."""
    sources = np.asarray(sources, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64)
    kept = np.flatnonzero(topo.delivered[sources]) if sources.size else np.zeros(0, np.int64)
    if not kept.size or not targets.size:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    plan = _Plan(topo.in_service)
    block = max(8, min(kept.size, (_ROW_BUDGET * 8 // max(topo.n, 1)) // 8 * 8))
    found_k, found_t = [], []
    for start in range(0, kept.size, block):
        chunk = sources[kept[start : start + block]]
        rows = plan.settle(chunk, tick)
        bits = np.unpackbits(rows[targets], axis=1, count=chunk.size).astype(bool)  # [targets, chunk]
        k, t = np.nonzero(bits.T)
        found_k.append(kept[k + start])
        found_t.append(t)
    return np.concatenate(found_k), np.concatenate(found_t)


class _Plan:
    """The edges of a topology grouped for the sweeps: per level, the edges without slack sorted by consumer
    and the edges of groups with slack sorted by group."""

    def __init__(self, topo: Topology) -> None:
        self.n = topo.n
        cons, prov, group = topo.consumer.astype(np.int64), topo.provider.astype(np.int64), topo.group
        slack = topo.group_slack[group] if group.size else np.zeros(0, np.int32)
        level, self.cyclic = _levels(topo)
        self.steps: list[tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]] = []
        edge_level = level[cons] if cons.size else np.zeros(0, np.int64)
        for lv in np.unique(edge_level):
            at = edge_level == lv
            tight = at & (slack == 0)
            order = np.flatnonzero(tight)[np.argsort(cons[tight], kind="stable")]
            loose = np.flatnonzero(at & (slack > 0))
            loose = loose[np.argsort(group[loose], kind="stable")]
            self.steps.append((cons[order], prov[order], None, None))
            if loose.size:
                self.steps.append((cons[loose], prov[loose], group[loose], slack[loose]))

    def settle(self, chunk: np.ndarray, tick: Callable[[], None]) -> np.ndarray:
        """uint8[n, ceil(len(chunk)/8)]: the packed rows at the least fixpoint for the failures ``chunk``."""
        width = (chunk.size + 7) // 8
        rows = np.zeros((self.n, width), dtype=np.uint8)
        own = np.arange(chunk.size)
        np.bitwise_or.at(rows, (chunk, own // 8), (0x80 >> (own % 8)).astype(np.uint8))
        while True:
            changed = False
            for cons, prov, group, slack in self.steps:
                tick()
                if group is None:
                    changed |= _or_through(rows, cons, prov, width, self.cyclic)
                else:
                    changed |= _threshold_through(rows, cons, prov, group, slack, width, self.cyclic)
            if not (self.cyclic and changed):
                return rows


def _levels(topo: Topology) -> tuple[np.ndarray, bool]:
    """int64[n]: the level of each service's strongly connected component (0 for those with no providers
    outside it; else one more than the highest of its providers'), and whether any component is a cycle."""
    n = topo.n
    cons, prov = topo.consumer, topo.provider
    if not cons.size:
        return np.zeros(n, np.int64), False
    graph = csr_matrix((np.ones(cons.size, dtype=np.int8), (cons, prov)), shape=(n, n))
    count, label = connected_components(graph, directed=True, connection="strong")
    cyclic = bool((np.bincount(label, minlength=count) > 1).any())
    cross = label[cons] != label[prov]
    upper, lower = label[cons][cross], label[prov][cross]
    level = np.zeros(count, np.int64)
    while True:
        raised = level.copy()
        np.maximum.at(raised, upper, level[lower] + 1)
        if np.array_equal(raised, level):
            return level[label], cyclic
        level = raised


def _ranks(keys: np.ndarray) -> np.ndarray:
    """For sorted ``keys``: each position's rank within its run of equal keys (0, 1, ...)."""
    if not keys.size:
        return np.zeros(0, np.int64)
    heads = np.r_[True, keys[1:] != keys[:-1]]
    run_start = np.maximum.accumulate(np.where(heads, np.arange(keys.size), 0))
    return np.arange(keys.size) - run_start


def _or_rows(rows: np.ndarray, target: np.ndarray, values: np.ndarray, track: bool = True) -> bool:
    """``rows[target[i]] |= values[i]`` for every i (``target`` sorted, repeats allowed); whether a row changed
    (only looked at when ``track``: without cycles one sweep settles everything). Positions of equal rank among
    the repeats are distinct targets, so each rank is one fancy-indexed update."""
    changed = not track
    rank = _ranks(target)
    for r in range(int(rank.max()) + 1 if rank.size else 0):
        at = rank == r
        t = target[at]
        merged = rows[t] | values[at]
        if not changed and not np.array_equal(merged, rows[t]):
            changed = True
        rows[t] = merged
    return changed


def _or_through(rows: np.ndarray, cons: np.ndarray, prov: np.ndarray, width: int, track: bool) -> bool:
    """``rows[c] |= rows[p]`` for every edge (``cons`` sorted), in gathers of bounded size; whether a row changed."""
    changed = False
    step = max(1, _GATHER_BUDGET // max(width, 1))
    for start in range(0, cons.size, step):
        c, p = cons[start : start + step], prov[start : start + step]
        changed |= _or_rows(rows, c, rows[p], track)
    return changed


def _threshold_through(
    rows: np.ndarray, cons: np.ndarray, prov: np.ndarray, group: np.ndarray, slack: np.ndarray, width: int,
    track: bool,
) -> bool:
    """For each group (edges sorted by group): the failures that take more than ``slack`` of its members DOWN
    take its consumer DOWN too; whether a row changed. Counting stays on packed bits: ``least[j]`` holds the
    failures that took at least ``j`` members DOWN so far, and a member ``x`` adds ``least[j-1] & x`` to it."""
    changed = False
    deepest = int(slack.max()) + 2  # planes 0..slack+1
    step = max(1, _GATHER_BUDGET // (max(width, 1) * deepest))
    start = 0
    while start < group.size:
        stop = min(group.size, start + step)
        while stop < group.size and group[stop] == group[stop - 1]:
            stop += 1  # never split a group
        g, p = group[start:stop], prov[start:stop]
        fresh = np.r_[True, g[1:] != g[:-1]]
        heads = np.flatnonzero(fresh)
        which = np.cumsum(fresh) - 1  # the group of each edge, 0..len(heads)-1
        need = slack[start:stop][heads].astype(np.int64) + 1  # members DOWN that take the consumer DOWN
        planes = int(need.max()) + 1
        least = np.zeros((planes, heads.size, width), dtype=np.uint8)
        least[0] = 0xFF
        rank = _ranks(g)
        for r in range(int(rank.max()) + 1):
            at = rank == r
            gi, x = which[at], rows[p[at]]
            for j in range(planes - 1, 0, -1):
                least[j, gi] |= least[j - 1, gi] & x
        over = least[need, np.arange(heads.size)]
        target = cons[start:stop][heads]
        order = np.argsort(target, kind="stable")
        changed |= _or_rows(rows, target[order], over[order], track)
        start = stop
    return changed
