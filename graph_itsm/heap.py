"""The process's heap and Python's cyclic garbage collector.

Two things keep the collector from costing what it need not: bulk readers pause it while they make millions of
short-lived rows (none of them in a cycle), and a server moves what it built to start (modules, the GraphQL
schema, the store's connections) out of its reach, so that a full collection walks only what requests made.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator

__all__ = ["gc_paused", "freeze_startup"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside: reading a large topology or a month's cost items makes millions of
    short-lived lists (one per row and value), which the collector would walk over and over as they pile up
    (more than half of the load time at 100,000 services), though none of them can be part of a cycle."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_startup() -> None:
    """Collect once, then freeze what is left (``gc.freeze``): the objects a server made to start live as long
    as it does, and a full collection no longer walks them. Measured in a 20,000-service server under load:
    full collections of 100 to 140 ms every second or so, the p99 of requests that happened to wait for one."""
    gc.collect()
    gc.freeze()
