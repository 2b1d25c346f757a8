"""Keeps a :class:`Topology` in step with the database.

Every write that may change the topology bumps ``(:Meta {id: 'graph'}).topologyVersion`` in the same atomic
write (``cypher/store/bump_version.cypher``), so a reader asks for the
version (one small query) and rebuilds the projection only when it moved, whichever process wrote. Several
API processes on one database therefore never answer from a stale projection.
"""

from __future__ import annotations

import asyncio
import os
import threading

from graph_itsm.heap import gc_paused
from graph_itsm.store import GraphStore, library
from graph_itsm.topology.projection import Topology

__all__ = ["TopologyCache", "load_topology", "gc_paused", "patching"]

REBUILD_ON_WRITE = "GRAPH_ITSM_REBUILD_ON_WRITE"


def patching() -> bool:
    """Whether writes patch what is held in memory (the projection, a month's cost inputs) and check only what
    they change; ``GRAPH_ITSM_REBUILD_ON_WRITE=1`` turns that off (every write then costs a rebuild and a
    global check, as before), for the benchmark's before-and-after figures (``bench/bench_writes.py``)."""
    return os.environ.get(REBUILD_ON_WRITE) != "1"

_MAX_ATTEMPTS = 5


def load_topology(store: GraphStore) -> Topology:
    """Read the topology in one pass; retried if a write lands in between, so the snapshot is consistent."""
    with gc_paused():
        return _load(store)


def _load(store: GraphStore) -> Topology:
    q = library()
    for _ in range(_MAX_ATTEMPTS):
        before = store.scalar(q["store/get_topology_version"]) or 0
        services = store.read_columns(q["topology/services"])
        edges = store.read_columns(q["topology/dependencies"])
        enables = store.read_tuples(q["topology/enables"])
        subscribes = store.read_tuples(q["topology/subscribes"])
        pursues = store.read_tuples(q["topology/pursues"])
        after = store.scalar(q["store/get_topology_version"]) or 0
        if before == after:
            return Topology.from_columns(
                services[:5],
                edges,
                version=int(after),
                enables=enables,
                subscribes=subscribes,
                pursues=pursues,
                nodes=services[5],
            )
    raise RuntimeError("the graph kept changing while its topology was read; try again")


class TopologyCache:
    """The current projection for one store; safe to share between requests and threads."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._topology: Topology | None = None
        self._lock = threading.Lock()

    def current(self) -> Topology:
        version, topo = self._cached()
        return topo if topo is not None else self._rebuild(version)

    async def current_async(self) -> Topology:
        """:meth:`current` for the event loop: a rebuild (seconds on a large estate) runs in a worker thread, so
        other requests are served meanwhile; the usual case, an unchanged version, costs one small query."""
        version, topo = self._cached()
        return topo if topo is not None else await asyncio.to_thread(self._rebuild, version)

    def adopt(self, topo: Topology | None) -> None:
        """Keep ``topo`` (a projection a write patched, see graph_itsm/topology/patch.py) unless a newer one is
        cached already; the next reader at its version then answers without a rebuild. None: nothing to keep."""
        if topo is None or not patching():
            return
        with self._lock:
            if self._topology is None or self._topology.version < topo.version:
                self._topology = topo

    def cached(self) -> Topology | None:
        """The projection held now, whatever its version (None before the first)."""
        return self._topology

    def _cached(self) -> tuple[int, Topology | None]:
        """The topology version in the graph, and the cached projection if it is still at that version."""
        version = int(self.store.scalar(library()["store/get_topology_version"]) or 0)
        topo = self._topology
        return version, (topo if topo is not None and topo.version == version else None)

    def _rebuild(self, version: int) -> Topology:
        with self._lock:
            topo = self._topology
            if topo is None or topo.version != version:
                topo = self._topology = load_topology(self.store)
            return topo
