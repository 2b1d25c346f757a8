"""The service index: what service lists filter on, for every service, in id order, cached per topology version.

Every write that can change a service moves the topology version (``store/bump_version``), so an index at the
current version answers filters, counts and cursors exactly as the Cypher scan did, without reading and sorting
the estate for each page: a page costs the version check, an in-memory filter and one read of the page's
properties. The index is rebuilt (one read) when the version moved, whichever process wrote.
"""

from __future__ import annotations

import bisect
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph_itsm.store import GraphStore, library

__all__ = ["ServiceIndex", "service_index", "page_of", "REMEMBERED_FILTERS"]

REMEMBERED_FILTERS = 256  # distinct filters whose matches an index keeps (LRU)


@dataclass(frozen=True, eq=False)
class ServiceIndex:
    version: int
    ids: list[str]  # sorted
    kind: np.ndarray  # object[n]
    stage: np.ndarray
    owner: np.ndarray
    provider: np.ndarray
    name: list[str]  # lower-cased
    description: list[str]
    # answers of ``matching`` so far: the index never changes, so neither do they (a list page asks the same few
    # filters again and again; a search is a scan of every name)
    _matches: OrderedDict[tuple[Any, ...], np.ndarray] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def build(cls, version: int, rows: list[list[Any]]) -> "ServiceIndex":
        rows = sorted(rows, key=lambda r: r[0])
        cols = list(zip(*rows)) if rows else [()] * 7
        arr = lambda values: np.array(values, dtype=object)  # noqa: E731
        return cls(version, list(cols[0]), arr(cols[1]), arr(cols[2]), arr(cols[3]), arr(cols[4]),
                   list(cols[5]), list(cols[6]))

    def matching(self, *, kind: str | None, stage: str | None, owner: str | None, provider: str | None,
                 search: str | None) -> np.ndarray:
        """Positions (in id order) of the services that pass every given filter; ``search`` is lower-case."""
        key = (kind, stage, owner, provider, search)
        with self._lock:
            found = self._matches.get(key)
            if found is not None:
                self._matches.move_to_end(key)
                return found
        found = self._match(kind=kind, stage=stage, owner=owner, provider=provider, search=search)
        found.setflags(write=False)  # shared by requests
        with self._lock:
            self._matches[key] = found
            while len(self._matches) > REMEMBERED_FILTERS:
                self._matches.popitem(last=False)
        return found

    def _match(self, *, kind: str | None, stage: str | None, owner: str | None, provider: str | None,
               search: str | None) -> np.ndarray:
        keep = np.ones(len(self.ids), dtype=bool)
        for values, wanted in ((self.kind, kind), (self.stage, stage), (self.owner, owner), (self.provider, provider)):
            if wanted is not None:
                keep &= values == wanted
        if search is not None:
            keep &= np.fromiter((search in n or search in d for n, d in zip(self.name, self.description)),
                                dtype=bool, count=len(self.ids))
        return np.flatnonzero(keep)


class _Cache:
    def __init__(self) -> None:
        self.index: ServiceIndex | None = None
        self.lock = threading.Lock()


_by_store: dict[int, tuple[weakref.ref, _Cache]] = {}
_guard = threading.Lock()


def _cache_of(store: GraphStore) -> _Cache:
    key = id(store)
    with _guard:
        entry = _by_store.get(key)
        if entry is None or entry[0]() is not store:
            entry = (weakref.ref(store, lambda _, key=key: _by_store.pop(key, None)), _Cache())
            _by_store[key] = entry
        return entry[1]


def service_index(store: GraphStore) -> ServiceIndex:
    """The index at the graph's current topology version (one small query when it has not moved)."""
    q = library()
    cache = _cache_of(store)
    version = int(store.scalar(q["store/get_topology_version"]) or 0)
    index = cache.index
    if index is not None and index.version == version:
        return index
    with cache.lock:
        index = cache.index
        if index is None or index.version != version:
            for _ in range(5):  # a write between the reads: read again, so the index is of one version
                rows = store.read_tuples(q["portfolio/list_service_facets"])
                after = int(store.scalar(q["store/get_topology_version"]) or 0)
                if after == version:
                    break
                version = after
            index = ServiceIndex.build(version, rows)
            if cache.index is None or cache.index.version <= version:
                cache.index = index
        return index


def page_of(index: ServiceIndex, positions: np.ndarray, after_id: str | None, size: int) -> tuple[list[str], int]:
    """The ids of up to ``size + 1`` services after ``after_id`` among ``positions``, and how many match."""
    start = 0
    if after_id is not None:
        cut = bisect.bisect_right(index.ids, after_id)  # positions are in id order: first position >= cut
        start = int(np.searchsorted(positions, cut))
    chosen = positions[start:start + size + 1]
    return [index.ids[i] for i in chosen], int(positions.shape[0])
