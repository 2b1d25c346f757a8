"""Impact analysis and dependency look-ups over the topology projection: the rules, no GraphQL, no driver.

Callers pass a :class:`~graph_itsm.topology.Topology` snapshot (from the app's ``TopologyCache``) and ids;
this module checks the input (unknown ids are ``NotFound`` naming every one of them, bad numbers
``BadInput``), runs the engine and hands out plain rows. Semantics: spec/domain.md, "Impact analysis";
the engine's docstring says how they are computed.

What-if retirement: services named in ``what_if_retired`` are treated as removed from the estate. For their
consumers a removed provider is as good as a failed one, so they propagate exactly like failed services;
they are themselves reported DOWN at distance 0 with ``assumed_retired`` set (named so that it cannot be
read as the service's stage, which every row carries too).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from functools import cached_property
from typing import Iterable, Sequence

import numpy as np

from graph_itsm.errors import BadInput, NotFound
from graph_itsm.impact import engine
from graph_itsm.impact.model import STATUS_BY_CODE, DependencyRow, ImpactedRow, ImpactStatus
from graph_itsm.paging import window
from graph_itsm.topology import Topology
from graph_itsm.topology.projection import STAGE_CODES

STAGE_NAMES = {code: name for name, code in STAGE_CODES.items()}

__all__ = ["ImpactReport", "analyse_impact", "dependencies_of", "service_indices", "check_depth", "RECENT_REPORTS"]

# Reports kept per topology snapshot. A frontend asks the same question several times in a row (counts,
# then page after page, then the NDJSON stream); each answer costs a traversal of the impacted part of the
# graph (about 15 ms for 97,000 services) and holds about 14 bytes a service. Keyed by the snapshot itself,
# so a write (a new version, a new snapshot) retires them all.
RECENT_REPORTS = 8


def service_indices(topo: Topology, ids: Iterable[str], field: str) -> list[int]:
    """The numbers of ``ids`` in ``topo``; one ``NotFound`` naming every unknown id."""
    ids = list(ids)
    index = topo.index
    missing = sorted({i for i in ids if i not in index})
    if missing:
        names = ", ".join(repr(m) for m in missing)
        noun = "service" if len(missing) == 1 else "services"
        raise NotFound(f"{field}: no {noun} with id {names}", field=field, ids=missing)
    return [index[i] for i in ids]


def check_depth(max_depth: int | None, field: str = "maxDepth") -> int | None:
    if max_depth is not None and max_depth < 0:
        raise BadInput(f"{field}: must be 0 or more (hops from a failed service), got {max_depth}", field=field)
    return max_depth


class ImpactReport:
    """The answer to one impact question on one topology snapshot. Lists are ordered by distance, then id."""

    def __init__(self, topo: Topology, result: engine.ImpactResult) -> None:
        self.topology = topo
        self.result = result

    @cached_property
    def counts(self) -> engine.ImpactCounts:
        return self.result.counts()

    def path(self, i: int) -> list[str]:
        ids = self.topology.ids
        return [ids[j] for j in self.result.path(i)]

    def row(self, i: int) -> ImpactedRow:
        r = self.result
        return ImpactedRow(
            id=self.topology.ids[i],
            status=STATUS_BY_CODE[int(r.status[i])],  # type: ignore[arg-type]
            distance=int(r.distance[i]),
            path=self.path(i),
            stage=STAGE_NAMES[int(self.topology.stage[i])],
            assumed_retired=bool(r.removed[i]),
        )

    def service_numbers(self, first: int | None = None, offset: int | None = None) -> np.ndarray:
        """int32 numbers (``Topology.ids``) of a page of the impacted services."""
        return self.result.services[window(self.result.services.size, first, offset)]

    def services(self, first: int | None = None, offset: int | None = None) -> list[ImpactedRow]:
        """Every DOWN or DEGRADED service within the depth, failed and retired ones included."""
        return [self.row(i) for i in self.service_numbers(first, offset).tolist()]

    def customer_facing(self, first: int | None = None, offset: int | None = None) -> list[ImpactedRow]:
        cf = self.result.customer_facing
        return [self.row(i) for i in cf[window(cf.size, first, offset)].tolist()]

    def outcomes(self, first: int | None = None, offset: int | None = None) -> list[tuple[str, ImpactStatus]]:
        """(outcome id, worst status of the reported services that enable it), in id order."""
        r, ids = self.result, self.topology.outcome_ids
        page = r.outcomes[window(r.outcomes.size, first, offset)]
        return [(ids[o], STATUS_BY_CODE[s]) for o, s in zip(page.tolist(), r.outcome_status[page].tolist())]  # type: ignore[misc]

    def customers(self, first: int | None = None, offset: int | None = None) -> list[tuple[str, ImpactStatus]]:
        """(customer id, worst status over its subscribed services and pursued outcomes), in id order."""
        r, ids = self.result, self.topology.customer_ids
        page = r.customers[window(r.customers.size, first, offset)]
        return [(ids[c], STATUS_BY_CODE[s]) for c, s in zip(page.tolist(), r.customer_status[page].tolist())]  # type: ignore[misc]


class _Recent:
    """The results of the last few questions of each snapshot. They hold arrays only, never the snapshot, so
    an entry goes away with its snapshot (a value referring to its weak key would keep it alive forever)."""

    def __init__(self) -> None:
        self._by_topology: weakref.WeakKeyDictionary[Topology, OrderedDict[tuple, engine.ImpactResult]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def get(self, topo: Topology, key: tuple) -> engine.ImpactResult | None:
        with self._lock:
            results = self._by_topology.get(topo)
            if results is None or key not in results:
                return None
            results.move_to_end(key)
            return results[key]

    def put(self, topo: Topology, key: tuple, result: engine.ImpactResult) -> None:
        with self._lock:
            results = self._by_topology.setdefault(topo, OrderedDict())
            results[key] = result
            while len(results) > RECENT_REPORTS:
                results.popitem(last=False)

    def snapshots(self) -> int:
        return len(self._by_topology)


_recent = _Recent()


def analyse_impact(
    topo: Topology,
    failed: Sequence[str],
    *,
    max_depth: int | None = None,
    what_if_retired: Sequence[str] = (),
) -> ImpactReport:
    """What goes DOWN or DEGRADED when ``failed`` fail and ``what_if_retired`` are retired (removed);
    ``max_depth`` limits what is reported to services within that many hops. The same question on the
    same snapshot is answered from the last few reports."""
    check_depth(max_depth)
    failed_ix = service_indices(topo, failed, "failed")
    retired_ix = service_indices(topo, what_if_retired, "whatIfRetired")
    key = (frozenset(failed_ix), frozenset(retired_ix), max_depth)
    result = _recent.get(topo, key)
    if result is None:
        result = engine.limit_depth(topo, engine.compute_impact(topo, failed_ix, retired_ix), max_depth)
        _recent.put(topo, key, result)
    return ImpactReport(topo, result)


def dependencies_of(topo: Topology, service_id: str, max_depth: int | None = None) -> list[DependencyRow]:
    """Everything ``service_id`` transitively depends on, with distances, ordered by distance then id."""
    check_depth(max_depth)
    (i,) = service_indices(topo, [service_id], "id")
    found, distance = engine.dependencies(topo, i, max_depth)
    ids = topo.ids
    return [DependencyRow(ids[j], d) for j, d in zip(found.tolist(), distance.tolist())]
