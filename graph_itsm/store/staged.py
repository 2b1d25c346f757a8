"""An atomic FalkorDB write too large for one statement: written into a copy of the graph, then swapped in.

FalkorDB applies one statement atomically, and ``FalkorStore.write_all`` joins a write's steps into one (see
``chain``). The server takes at most ``proto-max-bulk-len`` (512 MB) in one argument, and an import of a million
services with its four million dependencies is larger than that: the connection dropped. Such a write goes here:

1. the graph is ``WATCH``ed on a connection of its own, and copied (``GRAPH.COPY``) to a staging graph named
   ``{graph}~staging~{host}~{pid}~{token}``;
2. the steps run into the copy, in statements of at most ``STATEMENT_BYTES``, on that connection; the last
   statement's rows are the write's answer, as one statement's would be (an audited write whose graph moved since
   its checks answers none: ``portfolio/audit/begin`` wrote nothing, so the copy is the graph as it was);
3. ``MULTI``, ``RENAME`` copy to graph, ``EXEC``: the copy replaces the graph at once. If anything wrote to the
   graph since the ``WATCH`` (another request, another worker), ``EXEC`` does nothing: the copy is dropped and
   the write answers no rows, as a write whose graph moved does; the caller checks again (the importer re-plans).

A failing statement, a lost connection or a killed process leaves the graph as it was: only the copy holds the
partial write, and it is dropped (by the next store opened on this host, for a process that died). Measured on
FalkorDB 4.16: ``WATCH`` is set off by every write to the graph and by no read; indexes and constraints are
copied; ``RENAME`` inside ``MULTI``/``EXEC`` replays from the append-only file (``GRAPH.QUERY`` inside one does
not, see findings, which is why the steps run outside it).
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any, Callable, Sequence

import redis

from graph_itsm.errors import StoreError
from graph_itsm.store.embedded import pid_alive

__all__ = ["STATEMENT_BYTES", "Statement", "write_staged", "drop_stale_copies"]

# One statement's text with its parameters, at most: half the server's 512 MB argument limit, so a statement is
# never near it.
STATEMENT_BYTES = 256 * 1024 * 1024

Statement = tuple[str, int]  # (the statement's text with its parameter header, how many steps it holds)


def _prefix(graph: str) -> str:
    return f"{graph}~staging~{socket.gethostname()}~"


def write_staged(connection: redis.Redis, graph: str, statements: Sequence[Statement],
                 parse: Callable[[Any], list[dict[str, Any]]],
                 on_step: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
    """Run ``statements`` (in order) as one atomic write to ``graph`` by way of a copy; the last one's rows, or
    ``[]`` when the graph moved meanwhile (nothing changed then). ``parse`` turns a statement's reply into
    rows."""
    copy = f"{_prefix(graph)}{os.getpid()}~{uuid.uuid4().hex[:12]}"
    pipe = connection.pipeline(transaction=True)
    try:
        pipe.watch(graph)
        if pipe.exists(graph):
            pipe.execute_command("GRAPH.COPY", graph, copy)
        rows: list[dict[str, Any]] = []
        for text, steps in statements:
            rows = parse(pipe.execute_command("GRAPH.QUERY", copy, text, "--compact"))
            if on_step:
                on_step(steps)
        pipe.multi()  # an audited write whose graph moved wrote nothing: the copy swapped in is the graph itself
        pipe.execute_command("RENAME", copy, graph)
        pipe.execute()
        return rows
    except redis.WatchError:
        return []  # the graph moved since the copy: the caller checks again
    except redis.ResponseError as e:
        raise StoreError(f"atomic write (staged in {len(statements)} statements) failed: {e}") from e
    finally:
        pipe.reset()
        _drop(connection, copy)


def drop_stale_copies(connection: redis.Redis, graph: str) -> list[str]:
    """Drop the staging copies of ``graph`` that processes of this host left when they died mid-write; the
    names dropped. A copy of a live process (a write in progress) or of another host is left alone."""
    prefix = _prefix(graph)
    try:
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in connection.execute_command("GRAPH.LIST")]
    except redis.RedisError:
        return []
    dropped = []
    for name in names:
        if not name.startswith(prefix):
            continue
        pid = name[len(prefix):].split("~", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            _drop(connection, name)
            dropped.append(name)
    return dropped


def _drop(connection: redis.Redis, name: str) -> None:
    try:
        connection.execute_command("GRAPH.DELETE", name)
    except redis.RedisError:
        pass  # there is no copy (the swap renamed it, or it was never made)
