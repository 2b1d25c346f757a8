"""Topology: the service dependency structure in compact numpy arrays.

Built from the database in one pass (see ``graph_itsm.topology.cache``) and shared by impact analysis,
dependency look-ups, cost allocation and demand roll-ups. Services are numbered 0..n-1 in ``ids`` order;
each ``DEPENDS_ON`` edge is one row of the edge arrays (consumer -> provider).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from graph_itsm.store.columns import numbers, objects, present, transpose

__all__ = ["Topology", "STAGE_CODES", "EdgeRow", "ServiceRow", "redundancy_rules"]

STAGE_CODES = {"PIPELINE": 0, "CATALOGUE": 1, "RETIRED": 2}

# (id, kind, stage), (id, kind, stage, name) or (id, kind, stage, name, redundancy); a missing or null name reads
# as the id; redundancy is the Service node's ``redundancy`` property: a JSON list of {group, minUp | minUpPercent}
# (or that list itself), null for none
ServiceRow = tuple[Any, ...]
# (consumer id, provider id, share or None, redundancyGroup or None, demandFactor or None)
EdgeRow = tuple[str, str, "float | None", "str | None", "float | None"]


def _by_node(nodes: np.ndarray) -> Callable[[Sequence[int]], np.ndarray]:
    """A function from node numbers to the numbers of the services with those nodes (``nodes[i]`` is service
    ``i``'s), -1 for any other node: a table when node numbers are dense, as FalkorDB's are (one step for
    millions of edges), else a binary search."""
    n = nodes.size
    if n and 0 <= nodes.min() and nodes.max() < 8 * n + 1024:
        table = np.full(int(nodes.max()) + 2, -1, dtype=np.int32)  # the last entry: any node beyond
        table[nodes] = np.arange(n, dtype=np.int32)

        def look_up(keys: Sequence[int]) -> np.ndarray:
            k = np.asarray(keys, dtype=np.int64).reshape(len(keys))
            return table[np.where((k >= 0) & (k < table.size), k, table.size - 1)]

        return look_up
    order = np.argsort(nodes)
    sorted_nodes = nodes[order]

    def search(keys: Sequence[int]) -> np.ndarray:
        k = np.asarray(keys, dtype=np.int64).reshape(len(keys))
        if n == 0:
            return np.full(k.size, -1, dtype=np.int32)
        at = np.minimum(np.searchsorted(sorted_nodes, k), n - 1)
        return np.where(sorted_nodes[at] == k, order[at], -1).astype(np.int32)

    return search


@dataclass(frozen=True, eq=False)
class Topology:
    """Immutable snapshot of the portfolio's topology at graph version ``version``."""

    version: int
    ids: list[str]
    index: dict[str, int]
    customer_facing: np.ndarray  # bool[n]
    stage: np.ndarray  # int8[n], codes of STAGE_CODES
    consumer: np.ndarray  # int32[m]
    provider: np.ndarray  # int32[m]
    group: np.ndarray  # int32[m]: redundancy group id, 0..n_groups-1 (an ungrouped edge is a group alone)
    share: np.ndarray  # float64[m], NaN where the edge states no share
    demand_factor: np.ndarray  # float64[m], 0 where not stated
    n_groups: int
    # k-of-n redundancy, per group (0..n_groups-1): what the consumer states for it; 0 where it states nothing
    # (shorter than n_groups, or empty, reads as 0 for the groups beyond it)
    group_min_up: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    group_min_percent: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    names: list[str] = field(default_factory=list)  # display name by service number (the id where none)
    # Small relations (outcomes, customers) as parallel index arrays.
    outcome_ids: list[str] = field(default_factory=list)
    customer_ids: list[str] = field(default_factory=list)
    enables_service: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    enables_outcome: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    subscribes_customer: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    subscribes_service: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    pursues_customer: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    pursues_outcome: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    # bool per SUBSCRIBES row: the subscription names a special business case (it keeps a retired service delivered)
    subscribes_special: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    # int64[n]: each service's node number in the database it was read from (empty when built from rows)
    nodes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return int(self.consumer.shape[0])

    @classmethod
    def build(
        cls,
        services: Iterable[ServiceRow],
        edges: Iterable[EdgeRow],
        *,
        version: int = 0,
        enables: Iterable[tuple[str, str]] = (),
        subscribes: Iterable[tuple[str, ...]] = (),
        pursues: Iterable[tuple[str, str]] = (),
    ) -> "Topology":
        """:meth:`from_columns` for rows (tests, the importer's check, a closed month's snapshot)."""
        rows = [tuple(row) + (None,) * (5 - len(row)) for row in services]
        return cls.from_columns(
            transpose(rows, 5), transpose(list(edges), 5),
            version=version, enables=enables, subscribes=subscribes, pursues=pursues,
        )

    @classmethod
    def from_columns(
        cls,
        services: Sequence[Sequence[Any]],
        edges: Sequence[Sequence[Any]],
        *,
        version: int = 0,
        enables: Iterable[tuple[str, str]] = (),
        subscribes: Iterable[tuple[str, ...]] = (),
        pursues: Iterable[tuple[str, str]] = (),
        nodes: Sequence[int] | None = None,
    ) -> "Topology":
        """Number services and edges. ``services`` are the columns (id, kind, stage, name, redundancy) of
        :data:`ServiceRow`, ``edges`` those of :data:`EdgeRow`, as :meth:`GraphStore.read_columns` gives them
        (numbers may be text); with ``nodes``, the database's node number of each service, the edges name
        their services by those numbers instead of ids. Edges naming unknown services are a programming error
        (KeyError).

        The numbering is canonical, whatever order the database returned its rows in: services are numbered
        in id order (code points), edges are ordered by (consumer, provider) and redundancy groups by their
        first edge in that order, so every answer, down to the choice among shortest paths of equal length,
        is the same on every backend. No Python statement runs per edge (at 1,000,000 services and 4 million
        edges a loop per edge took most of the build): look-ups go through ``map`` and numpy does the rest."""
        sid, kind, stage, name, redundancy = services
        n = len(sid)
        order = np.argsort(np.asarray(sid, dtype=str), kind="stable") if n else np.zeros(0, np.int64)
        ids: list[str] = np.asarray(sid, dtype=object)[order].tolist()
        stated = [(int(k), redundancy[k]) for k in np.flatnonzero(present(redundancy))] if n else []
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        names = np.asarray(name, dtype=object)[order]
        missing = ~present(names)
        names[missing] = np.asarray(ids, dtype=object)[missing]
        index = dict(zip(ids, range(n)))

        c_id, p_id, share, rgroup, factor = edges
        m = len(c_id)
        if nodes is None:
            cons_a = np.fromiter(map(index.__getitem__, c_id), dtype=np.int32, count=m)
            prov_a = np.fromiter(map(index.__getitem__, p_id), dtype=np.int32, count=m)
        else:
            node_a = np.asarray(nodes, dtype=np.int64).reshape(n)[order]
            number = _by_node(node_a)
            cons_a, prov_a = number(c_id), number(p_id)
            if m and min(cons_a.min(), prov_a.min()) < 0:
                raise KeyError("an edge names a node that is no service")
        order_e = np.lexsort((prov_a, cons_a))
        cons_a, prov_a = cons_a[order_e], prov_a[order_e]
        shares_a = numbers(share, np.nan)[order_e]
        factors_a = numbers(factor, 0.0)[order_e]

        # Edges of one consumer naming the same redundancyGroup form one group; any other edge is a group alone.
        # A group's label is (consumer, name code) for named ones and beyond those for the others.
        rgroup_a = objects(rgroup)[order_e]
        named = np.flatnonzero(present(rgroup_a))
        group_names, codes = np.unique(np.asarray(rgroup_a[named], dtype=str), return_inverse=True)
        width = max(len(group_names), 1)
        label = np.arange(m, dtype=np.int64) + n * width
        label[named] = cons_a[named].astype(np.int64) * width + codes.reshape(-1)
        labels, first, dense = np.unique(label, return_index=True, return_inverse=True)
        renumber = np.empty(len(labels), dtype=np.int32)
        renumber[np.argsort(first, kind="stable")] = np.arange(len(labels), dtype=np.int32)
        dense = renumber[dense.reshape(-1)]
        next_id = len(labels)
        min_up = np.zeros(next_id, dtype=np.int32)
        min_percent = np.zeros(next_id, dtype=np.float64)
        code_of = {g: i for i, g in enumerate(group_names.tolist())}
        for k, value in stated:  # few: only services that state a k-of-n rule
            for rule in redundancy_rules(value):
                code = code_of.get(rule["group"])
                at = int(np.searchsorted(labels, rank[k] * width + code)) if code is not None else len(labels)
                if at < len(labels) and labels[at] == rank[k] * width + code:
                    d = renumber[at]
                    min_up[d], min_percent[d] = int(rule.get("minUp") or 0), float(rule.get("minUpPercent") or 0.0)
        kinds = np.asarray(kind, dtype=object)[order] == "CUSTOMER_FACING"
        stages = np.fromiter(map(STAGE_CODES.__getitem__, stage), dtype=np.int8, count=n)[order]

        enables = list(enables)
        pursues = list(pursues)
        # (customer, service) or (customer, service, specialBusinessCase)
        subscribes = list(subscribes)
        special = np.fromiter((bool(row[2]) if len(row) > 2 else False for row in subscribes), dtype=bool)
        subscribes = [(row[0], row[1]) for row in subscribes]
        outcome_ids = sorted({o for _, o in enables} | {o for _, o in pursues})
        customer_ids = sorted({c for c, _ in subscribes} | {c for c, _ in pursues})
        o_index = {o: i for i, o in enumerate(outcome_ids)}
        c_index = {c: i for i, c in enumerate(customer_ids)}

        def pairs(rows: Sequence[tuple[str, str]], left: dict[str, int], right: dict[str, int]):
            a = np.fromiter((left[x] for x, _ in rows), dtype=np.int32, count=len(rows))
            b = np.fromiter((right[y] for _, y in rows), dtype=np.int32, count=len(rows))
            return a, b

        en_s, en_o = pairs(enables, index, o_index)
        sub_c, sub_s = pairs(subscribes, c_index, index)
        pur_c, pur_o = pairs(pursues, c_index, o_index)
        return cls(
            version=version,
            ids=ids,
            index=index,
            customer_facing=np.asarray(kinds, dtype=bool).reshape(n),
            stage=stages,
            consumer=cons_a,
            provider=prov_a,
            group=dense,
            share=shares_a,
            demand_factor=factors_a,
            n_groups=next_id,
            group_min_up=min_up,
            group_min_percent=min_percent,
            names=names.tolist(),
            outcome_ids=outcome_ids,
            customer_ids=customer_ids,
            enables_service=en_s,
            enables_outcome=en_o,
            subscribes_customer=sub_c,
            subscribes_service=sub_s,
            pursues_customer=pur_c,
            pursues_outcome=pur_o,
            subscribes_special=special,
            nodes=node_a if nodes is not None else np.zeros(0, np.int64),
        )

    def numbers_of_nodes(self, nodes: Sequence[int]) -> np.ndarray:
        """int32 per node number: the number of the service with that node, -1 for a node that is none of this
        snapshot's services (every node when it was built from rows, without node numbers)."""
        return self._node_numbers(nodes)

    @cached_property
    def _node_numbers(self) -> Callable[[Sequence[int]], np.ndarray]:
        return _by_node(self.nodes)

    # -- delivery: which services take part in impact analysis -------------------------------------
    @cached_property
    def delivered(self) -> np.ndarray:
        """bool[n]: the service is delivered: in the pipeline or the catalogue, or RETIRED but still held by a
        subscription with a special business case (spec "Impact analysis")."""
        live = self.stage != STAGE_CODES["RETIRED"]
        live[self.subscribes_service[self.subscribes_special]] = True
        return live

    @cached_property
    def in_service(self) -> "Topology":
        """This snapshot without the DEPENDS_ON edges that touch a service out of service (same numbering),
        so that such a service neither receives nor passes on a status and is no member of any group."""
        delivered = self.delivered
        if delivered.all():
            return self
        keep = delivered[self.consumer] & delivered[self.provider]
        return replace(
            self,
            consumer=self.consumer[keep],
            provider=self.provider[keep],
            group=self.group[keep],
            share=self.share[keep],
            demand_factor=self.demand_factor[keep],
        )

    # -- adjacency in compressed form, computed once per snapshot ----------------------------------
    @cached_property
    def by_provider(self) -> tuple[np.ndarray, np.ndarray]:
        """(indptr[n+1], edge ids sorted by provider): the consumers of ``j`` are
        ``consumer[edges[indptr[j]:indptr[j+1]]]``. Used to propagate failure and cost upwards."""
        return _grouped(self.provider, self.n)

    @cached_property
    def by_consumer(self) -> tuple[np.ndarray, np.ndarray]:
        """(indptr[n+1], edge ids sorted by consumer): the providers of ``i``."""
        return _grouped(self.consumer, self.n)

    def nbytes(self) -> int:
        """Memory held by the snapshot: its arrays (derived ones included once computed) and its Python
        lists, strings and dicts (for the benchmark's bytes-per-edge figure)."""
        total, seen = 0, set()
        for value in vars(self).values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, np.ndarray):
                    total += item.nbytes
                elif isinstance(item, (list, dict)):
                    total += sys.getsizeof(item)
                    for x in item:
                        if isinstance(x, str) and id(x) not in seen:
                            seen.add(id(x))
                            total += sys.getsizeof(x)
                    if isinstance(item, dict):
                        total += sum(sys.getsizeof(v) for v in item.values())
        return int(total)

    # -- derived arrays for traversals (impact, dependencies), computed once per snapshot -----------
    @cached_property
    def consumers_by_provider(self) -> np.ndarray:
        """int32[m]: ``consumer`` in ``by_provider`` order, so the consumers of ``j`` are
        ``consumers_by_provider[indptr[j]:indptr[j+1]]`` without an indirection through edge ids."""
        return self.consumer[self.by_provider[1]]

    @cached_property
    def groups_by_provider(self) -> np.ndarray:
        """int32[m]: ``group`` in ``by_provider`` order (the redundancy group each consumer edge belongs to)."""
        return self.group[self.by_provider[1]]

    @cached_property
    def redundant_by_provider(self) -> np.ndarray:
        """bool[m] in ``by_provider`` order: the edge's group tolerates a member down (``group_slack`` > 0);
        any other edge (alone in its group, or in a group that needs every member) fails its consumer by itself."""
        return self.group_slack[self.groups_by_provider] > 0

    @cached_property
    def group_need(self) -> np.ndarray:
        """int32[n_groups]: how many members of each group must be up for its consumer to be up (k of k-of-n):
        ``minUpPercent`` of the members in this snapshot, rounded up, or ``minUp``, or 1 where the consumer
        states nothing; never more than the group has (a member out of service is no member: the rule applies
        to those left, so no service is DOWN while nothing failed)."""
        size = self.group_size
        need = np.minimum(size, 1).astype(np.int32)  # most groups state no rule: only those that do are visited
        up = self.group_min_up[: self.n_groups]
        ruled = np.flatnonzero(up > 0)
        need[ruled] = np.minimum(up[ruled], size[ruled])
        percent = self.group_min_percent[: self.n_groups]
        ruled = np.flatnonzero(percent > 0)  # a percentage wins over minUp
        # a tolerance against float noise: 100/3 % of 3 members is 1, not 2
        wanted = np.ceil(percent[ruled] * size[ruled] / 100.0 - 1e-9).astype(np.int64)
        need[ruled] = np.minimum(np.maximum(wanted, 1), size[ruled])
        return need

    @cached_property
    def group_slack(self) -> np.ndarray:
        """int32[n_groups]: how many members of each group may be DOWN before its consumer is (size - need)."""
        return (self.group_size - self.group_need).astype(np.int32)

    @cached_property
    def providers_by_consumer(self) -> np.ndarray:
        """int32[m]: ``provider`` in ``by_consumer`` order, the providers of ``i`` as one contiguous slice."""
        return self.provider[self.by_consumer[1]]

    @cached_property
    def group_size(self) -> np.ndarray:
        """int32[n_groups]: how many edges each redundancy group has."""
        return np.bincount(self.group, minlength=self.n_groups).astype(np.int32)

    @cached_property
    def id_rank(self) -> np.ndarray:
        """int32[n]: the position of each service when services are sorted by id (code point order, as
        Python compares strings). Lets lists be ordered "by distance, then id" with integer sorts. Services are
        numbered in that order (``build``, and the patches of ``topology.patch`` keep it), so it is the identity;
        sorting 100,000 ids again took 70 ms, the better part of the first question after a write."""
        return np.arange(self.n, dtype=np.int32)


def _grouped(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(indptr[n+1], edge ids grouped by ``keys``, in edge order within a key): a counting sort. SciPy's
    COO-to-CSR conversion does it in one linear pass (7 ms for 400,000 edges, where a stable argsort took 60 to
    80 ms); each edge is a column of its own, so no entries are summed and the row's columns keep their order."""
    m = keys.size
    edges = np.arange(m, dtype=np.int32)
    grouped = sp.coo_matrix((edges, (keys, edges)), shape=(n, m)).tocsr()
    return grouped.indptr.astype(np.int64), grouped.indices.astype(np.int32)


def redundancy_rules(value: Any) -> list[dict[str, Any]]:
    """The k-of-n rules of a Service node's ``redundancy`` property (JSON text as stored, or the list itself)."""
    if not value:
        return []
    rules = json.loads(value) if isinstance(value, str) else value
    return [dict(r) for r in rules]
