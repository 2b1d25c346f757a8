"""A topology write applied to the cached projection instead of a rebuild from the database.

After an audited topology write commits, the projection its checks used (at topology version ``v``, the version
the write found) plus the write is the graph at ``v + 1``: the write moved the topology version by one and
nothing else can have moved it in between (the audited write is refused when the graph moved since its facts
were read). The functions here build that projection with the numbering :meth:`Topology.build` gives: services
in id order, edges ordered by (consumer, provider), redundancy groups numbered densely (0..n_groups-1; which
number a group gets is no part of any answer). Each costs a few copies of the edge arrays (numpy, a few
milliseconds at 400,000 edges), no sort and no look-up of every id:

- :func:`with_dependency`, :func:`without_dependency`: an edge added, changed or removed;
- :func:`with_service`: a new service, with no edges yet, numbered in its place among the ids (every number
  from there on moves up by one);
- :func:`with_stage`: a service moved to another stage (its edges stay);
- :func:`with_consumers_moved`: consumers' edges to a retired service moved to its replacement;
- :func:`with_fields`: a service's kind, display name or k-of-n rules changed (``updateService``);
- :func:`without_service`: a service nothing refers to deleted, with its own edges and outcome links;
- :func:`with_subscription`, :func:`without_subscription`: a subscription added, changed or ended;
- :func:`with_outcome_link`: a service's link to an outcome made or undone;
- :func:`without_customer`: a customer with no subscription deleted, with the outcomes it pursued.

Writes of a customer's or an outcome's own properties, and of a customer or outcome nothing links, do not move
the topology version at all: the projection lists customers and outcomes only through their links.
"""

from __future__ import annotations

import bisect
import dataclasses
from typing import Any, Iterable, Mapping

import numpy as np

from graph_itsm.topology.projection import STAGE_CODES, Topology, redundancy_rules

__all__ = ["with_dependency", "without_dependency", "with_service", "with_stage", "with_consumers_moved",
           "with_fields", "without_service",
           "with_subscription", "without_subscription", "with_outcome_link", "without_customer"]


def _edge_slice(topo: Topology, c: int) -> tuple[int, int]:
    """The rows ``[lo, hi)`` of consumer ``c``'s edges (edges are ordered by consumer, then provider)."""
    return int(np.searchsorted(topo.consumer, c, "left")), int(np.searchsorted(topo.consumer, c, "right"))


def _edge_of(topo: Topology, c: int, p: int) -> tuple[int, int | None]:
    """Where the edge ``c -> p`` is (or would go), and whether it is there: (row, row or None)."""
    lo, hi = _edge_slice(topo, c)
    at = lo + int(np.searchsorted(topo.provider[lo:hi], p))
    return at, (at if at < hi and int(topo.provider[at]) == p else None)


def _without_group(rules: np.ndarray, g: int) -> np.ndarray:
    return np.delete(rules, g) if g < rules.size else rules  # shorter than n_groups: the rest read as 0


def _padded(rules: np.ndarray, n_groups: int) -> np.ndarray:
    """A rule array as long as the groups are (as :meth:`Topology.build` makes it), 0 for groups with none."""
    return rules if rules.size >= n_groups else np.concatenate([rules, np.zeros(n_groups - rules.size, rules.dtype)])


def _deleted(topo: Topology, row: int) -> Topology:
    """``topo`` without edge ``row``; its group goes too when the edge was its only member (the groups above it
    move down one, and their k-of-n rules with them, so the numbering stays dense)."""
    g = int(topo.group[row])
    group = np.delete(topo.group, row)
    min_up, min_percent, n_groups = topo.group_min_up, topo.group_min_percent, topo.n_groups
    if not np.any(group == g):
        group = group - (group > g).astype(group.dtype)
        min_up, min_percent = _without_group(min_up, g), _without_group(min_percent, g)
        n_groups -= 1
    return dataclasses.replace(
        topo, consumer=np.delete(topo.consumer, row), provider=np.delete(topo.provider, row), group=group,
        share=np.delete(topo.share, row), demand_factor=np.delete(topo.demand_factor, row), n_groups=n_groups,
        group_min_up=min_up, group_min_percent=min_percent)


def without_dependency(topo: Topology, consumer: str, provider: str, *, version: int) -> Topology:
    """``topo`` without the edge ``consumer -> provider``, at ``version``."""
    _, row = _edge_of(topo, topo.index[consumer], topo.index[provider])
    out = topo if row is None else _deleted(topo, row)
    return dataclasses.replace(out, version=version)


def with_dependency(topo: Topology, consumer: str, provider: str, *, share: float | None,
                    redundancy_group: str | None, demand_factor: float | None,
                    same_group: Iterable[str] = (), version: int) -> Topology | None:
    """``topo`` with the edge ``consumer -> provider`` added or replaced, at ``version``. ``same_group`` are the
    other providers of ``consumer`` whose edges name ``redundancy_group`` (the write's facts know them): the
    edge joins their group, as :meth:`Topology.build` would put it, with the group's k-of-n rule. None (rebuild
    instead) when the edge starts a named group the projection does not hold: the consumer may state a rule
    for it that only the graph knows."""
    c, p = topo.index[consumer], topo.index[provider]
    _, row = _edge_of(topo, c, p)
    if row is not None:
        topo = _deleted(topo, row)
    gid = None
    if redundancy_group:
        siblings = [topo.index[s] for s in same_group if s != provider and s in topo.index]
        if siblings:
            lo, hi = _edge_slice(topo, c)
            hit = np.flatnonzero(np.isin(topo.provider[lo:hi], siblings))
            gid = int(topo.group[lo + hit[0]]) if hit.size else None
        if gid is None:
            return None
    n_groups, min_up, min_percent = topo.n_groups, topo.group_min_up, topo.group_min_percent
    if gid is None:  # a group of its own, numbered last: the numbering stays dense
        gid, n_groups = n_groups, n_groups + 1
        min_up, min_percent = _padded(min_up, n_groups), _padded(min_percent, n_groups)
    at, _ = _edge_of(topo, c, p)
    return dataclasses.replace(
        topo, version=version,
        consumer=np.insert(topo.consumer, at, np.int32(c)), provider=np.insert(topo.provider, at, np.int32(p)),
        group=np.insert(topo.group, at, np.int32(gid)),
        share=np.insert(topo.share, at, np.nan if share is None else float(share)),
        demand_factor=np.insert(topo.demand_factor, at, 0.0 if demand_factor is None else float(demand_factor)),
        n_groups=n_groups, group_min_up=min_up, group_min_percent=min_percent)


def _shifted(numbers: np.ndarray, at: int) -> np.ndarray:
    """Service numbers after a service is numbered ``at``: those from ``at`` on move up one."""
    return (numbers + (numbers >= at)).astype(numbers.dtype)


def with_service(topo: Topology, service_id: str, kind: str, stage: str, name: str | None, *,
                 version: int) -> Topology:
    """``topo`` with a new service (no edges, subscriptions or outcome links yet), at ``version``. Numbered
    where its id sorts, as :meth:`Topology.build` numbers it, so every answer is the one a rebuild gives."""
    at = bisect.bisect_left(topo.ids, service_id)
    ids = topo.ids[:at] + [service_id] + topo.ids[at:]
    names = topo.names[:at] + [name or service_id] + topo.names[at:]
    return dataclasses.replace(
        topo, version=version, ids=ids, names=names, index=dict(zip(ids, range(len(ids)))),
        customer_facing=np.insert(topo.customer_facing, at, kind == "CUSTOMER_FACING"),
        stage=np.insert(topo.stage, at, np.int8(STAGE_CODES[stage])),
        consumer=_shifted(topo.consumer, at), provider=_shifted(topo.provider, at),
        enables_service=_shifted(topo.enables_service, at), subscribes_service=_shifted(topo.subscribes_service, at),
        # its node number is not known here: -1, so a look-up by node finds it by id instead
        nodes=np.insert(topo.nodes, at, -1) if topo.nodes.size else topo.nodes)


def with_stage(topo: Topology, service_id: str, stage: str, *, version: int) -> Topology:
    """``topo`` with the service in ``stage``, at ``version``."""
    stages = topo.stage.copy()
    stages[topo.index[service_id]] = STAGE_CODES[stage]
    return dataclasses.replace(topo, version=version, stage=stages)


def with_consumers_moved(topo: Topology, service_id: str, replacement_id: str, consumers: Iterable[str], *,
                         version: int) -> Topology | None:
    """``topo`` with the edges of ``consumers`` to ``service_id`` pointing at ``replacement_id`` instead, share,
    demand factor and redundancy group (with its k-of-n rule) kept, at ``version`` (a retirement with a
    replacement; the stage itself is :func:`with_stage`'s). None (rebuild instead) when a consumer depends on
    the replacement already: the two edges merge, with properties only the write's rows know."""
    s, r = topo.index[service_id], topo.index[replacement_id]
    rows = []
    for consumer in consumers:
        c = topo.index[consumer]
        _, row = _edge_of(topo, c, s)
        if row is None or _edge_of(topo, c, r)[1] is not None:
            return None
        rows.append(row)
    provider = topo.provider.copy()
    provider[rows] = r
    order = np.lexsort((provider, topo.consumer))  # edges stay ordered by (consumer, provider)
    return dataclasses.replace(
        topo, version=version, consumer=topo.consumer[order], provider=provider[order], group=topo.group[order],
        share=topo.share[order], demand_factor=topo.demand_factor[order])


def with_fields(topo: Topology, service_id: str, *, kind: str, name: str | None, redundancy: Any,
                edge_groups: Mapping[str, str | None], version: int) -> Topology:
    """``topo`` with the service's kind, display name and k-of-n rules (``redundancy``, as the node holds it)
    as ``updateService`` left them, at ``version``. ``edge_groups`` is the redundancyGroup of each of the
    service's dependencies, by provider id (the write's facts): a rule applies to the group of those edges, as
    :meth:`Topology.build` reads it; the service's other groups state none."""
    k = topo.index[service_id]
    names = list(topo.names)
    names[k] = name or service_id
    customer_facing = topo.customer_facing.copy()
    customer_facing[k] = kind == "CUSTOMER_FACING"
    lo, hi = _edge_slice(topo, k)
    min_up = _padded(topo.group_min_up, topo.n_groups).copy()
    min_percent = _padded(topo.group_min_percent, topo.n_groups).copy()
    min_up[topo.group[lo:hi]], min_percent[topo.group[lo:hi]] = 0, 0.0
    by_name: dict[str, int] = {}
    for row in range(lo, hi):
        group = edge_groups.get(topo.ids[int(topo.provider[row])])
        if group:
            by_name.setdefault(group, int(topo.group[row]))
    for rule in redundancy_rules(redundancy):
        g = by_name.get(rule["group"])
        if g is not None:
            min_up[g], min_percent[g] = int(rule.get("minUp") or 0), float(rule.get("minUpPercent") or 0.0)
    return dataclasses.replace(topo, version=version, names=names, customer_facing=customer_facing,
                               group_min_up=min_up, group_min_percent=min_percent)


def _unshifted(numbers: np.ndarray, gone: int) -> np.ndarray:
    """Numbers after number ``gone`` is taken out (no row names it any more): those above move down one."""
    return (numbers - (numbers > gone)).astype(numbers.dtype)


def _without_unused(ids: list[str], *columns: np.ndarray) -> tuple[list[str], list[np.ndarray]]:
    """``ids`` without those no row of ``columns`` names any more (outcomes and customers are listed while a
    link names them), the columns renumbered to match."""
    used = np.zeros(len(ids), dtype=bool)
    for column in columns:
        used[column] = True
    if used.all():
        return ids, list(columns)
    renumber = np.cumsum(used, dtype=np.int64) - 1
    return [i for i, u in zip(ids, used) if u], [renumber[c].astype(c.dtype) for c in columns]


def without_service(topo: Topology, service_id: str, *, version: int) -> Topology:
    """``topo`` without a service that no edge, subscription or cost names (the write checked it), at
    ``version``: its own dependencies go, with their groups, and its outcome links; an outcome no link names
    any more leaves the list."""
    k = topo.index[service_id]
    lo, hi = _edge_slice(topo, k)
    n_groups = topo.n_groups
    keep_group = np.ones(n_groups, dtype=bool)
    keep_group[topo.group[lo:hi]] = False  # a consumer's groups are its own: they go with its edges
    renumber = (np.cumsum(keep_group, dtype=np.int64) - 1).astype(np.int32)
    rows = np.r_[0:lo, hi:topo.m]
    min_up, min_percent = _padded(topo.group_min_up, n_groups), _padded(topo.group_min_percent, n_groups)
    links = topo.enables_service != k
    outcome_ids, (enables_outcome, pursues_outcome) = _without_unused(
        topo.outcome_ids, topo.enables_outcome[links], topo.pursues_outcome)
    ids = topo.ids[:k] + topo.ids[k + 1:]
    return dataclasses.replace(
        topo, version=version, ids=ids, names=topo.names[:k] + topo.names[k + 1:],
        index=dict(zip(ids, range(len(ids)))),
        customer_facing=np.delete(topo.customer_facing, k), stage=np.delete(topo.stage, k),
        consumer=_unshifted(topo.consumer[rows], k), provider=_unshifted(topo.provider[rows], k),
        group=renumber[topo.group[rows]], share=topo.share[rows], demand_factor=topo.demand_factor[rows],
        n_groups=int(keep_group.sum()), group_min_up=min_up[keep_group], group_min_percent=min_percent[keep_group],
        outcome_ids=outcome_ids, enables_service=_unshifted(topo.enables_service[links], k),
        enables_outcome=enables_outcome, pursues_outcome=pursues_outcome,
        subscribes_service=_unshifted(topo.subscribes_service, k),
        nodes=np.delete(topo.nodes, k) if topo.nodes.size else topo.nodes)


def _subscription_row(topo: Topology, customer: int, service: int) -> int | None:
    hit = np.flatnonzero((topo.subscribes_customer == customer) & (topo.subscribes_service == service))
    return int(hit[0]) if hit.size else None


def with_subscription(topo: Topology, customer_id: str, service_id: str, *, special: bool,
                      version: int) -> Topology:
    """``topo`` with the customer subscribed to the service (``special``: the subscription names a special
    business case), at ``version``. A customer listed for the first time is numbered where its id sorts."""
    s = topo.index[service_id]
    customer_ids, sub_c, pur_c = topo.customer_ids, topo.subscribes_customer, topo.pursues_customer
    at = bisect.bisect_left(customer_ids, customer_id)
    if at == len(customer_ids) or customer_ids[at] != customer_id:
        customer_ids = customer_ids[:at] + [customer_id] + customer_ids[at:]
        sub_c, pur_c = _shifted(sub_c, at), _shifted(pur_c, at)
    out = dataclasses.replace(topo, version=version, customer_ids=customer_ids, subscribes_customer=sub_c,
                              pursues_customer=pur_c)
    row = _subscription_row(out, at, s)
    if row is not None:
        flags = out.subscribes_special.copy()
        flags[row] = special
        return dataclasses.replace(out, subscribes_special=flags)
    return dataclasses.replace(
        out, subscribes_customer=np.append(sub_c, np.int32(at)).astype(np.int32),
        subscribes_service=np.append(out.subscribes_service, np.int32(s)).astype(np.int32),
        subscribes_special=np.append(out.subscribes_special, bool(special)))


def without_subscription(topo: Topology, customer_id: str, service_id: str, *, version: int) -> Topology:
    """``topo`` without the customer's subscription to the service, at ``version``; a customer no subscription
    nor pursued outcome names any more leaves the list."""
    at = bisect.bisect_left(topo.customer_ids, customer_id)
    row = None
    if at < len(topo.customer_ids) and topo.customer_ids[at] == customer_id:
        row = _subscription_row(topo, at, topo.index[service_id])
    if row is None:
        return dataclasses.replace(topo, version=version)
    keep = np.arange(topo.subscribes_customer.size) != row
    customer_ids, (sub_c, pur_c) = _without_unused(topo.customer_ids, topo.subscribes_customer[keep],
                                                   topo.pursues_customer)
    return dataclasses.replace(
        topo, version=version, customer_ids=customer_ids, subscribes_customer=sub_c, pursues_customer=pur_c,
        subscribes_service=topo.subscribes_service[keep], subscribes_special=topo.subscribes_special[keep])


def with_outcome_link(topo: Topology, service_id: str, outcome_id: str, *, linked: bool, version: int) -> Topology:
    """``topo`` with the service enabling the outcome (``linked``) or not, at ``version``. An outcome listed for
    the first time is numbered where its id sorts; one no link names any more leaves the list."""
    k = topo.index[service_id]
    outcome_ids, en_o, pur_o = topo.outcome_ids, topo.enables_outcome, topo.pursues_outcome
    at = bisect.bisect_left(outcome_ids, outcome_id)
    known = at < len(outcome_ids) and outcome_ids[at] == outcome_id
    row = np.flatnonzero((topo.enables_service == k) & (en_o == at)) if known else np.zeros(0, np.int64)
    if linked == bool(row.size):
        return dataclasses.replace(topo, version=version)
    if not linked:
        keep = np.arange(en_o.size) != int(row[0])
        outcome_ids, (en_o, pur_o) = _without_unused(outcome_ids, en_o[keep], pur_o)
        return dataclasses.replace(topo, version=version, outcome_ids=outcome_ids, enables_outcome=en_o,
                                   pursues_outcome=pur_o, enables_service=topo.enables_service[keep])
    if not known:
        outcome_ids = outcome_ids[:at] + [outcome_id] + outcome_ids[at:]
        en_o, pur_o = _shifted(en_o, at), _shifted(pur_o, at)
    return dataclasses.replace(
        topo, version=version, outcome_ids=outcome_ids, pursues_outcome=pur_o,
        enables_service=np.append(topo.enables_service, np.int32(k)).astype(np.int32),
        enables_outcome=np.append(en_o, np.int32(at)).astype(np.int32))


def without_customer(topo: Topology, customer_id: str, *, version: int) -> Topology:
    """``topo`` without a customer that subscribes to nothing (the write checked it), at ``version``: the
    outcomes it pursued go from it, and the customer, and any outcome no link names any more, leave the lists."""
    at = bisect.bisect_left(topo.customer_ids, customer_id)
    if at == len(topo.customer_ids) or topo.customer_ids[at] != customer_id:
        return dataclasses.replace(topo, version=version)
    keep = topo.pursues_customer != at
    customer_ids, (sub_c, pur_c) = _without_unused(topo.customer_ids, topo.subscribes_customer,
                                                   topo.pursues_customer[keep])
    outcome_ids, (en_o, pur_o) = _without_unused(topo.outcome_ids, topo.enables_outcome, topo.pursues_outcome[keep])
    return dataclasses.replace(
        topo, version=version, customer_ids=customer_ids, subscribes_customer=sub_c, pursues_customer=pur_c,
        outcome_ids=outcome_ids, enables_outcome=en_o, pursues_outcome=pur_o)
