"""The sandbox: ad-hoc Cypher and the named analytics run on a copy of the graph, on an embedded server of their own.

Why a second server: a query a user writes may be ended by the database at its memory cap, and FalkorDB 4.16.3
may afterwards answer another query with the plan of a third one (docs/falkordb-plan-cache-fault.md: measured,
with the command log that shows it). On the server that holds the graph, that could mean a wrong answer or a
write that is not the one asked for. So user-written Cypher never runs there: it runs here, under the time and
memory caps, and a sandbox whose server refused a query for its memory (or answered in a way that cannot be
trusted) is thrown away; the next question makes a new one. Whatever a hostile query does to this server (memory,
a crash) leaves the graph's server alone, and the copy holds no API tokens.

The copy: ``DUMP`` of the graph's key on the graph's server and ``RESTORE`` here, made again whenever the graph's
version moved since the last copy, so an answer is never older than the question. ``DUMP`` runs on the graph
server's main thread, so a copy is made only when needed: measured on these machines (bench/bench_sandbox.py, 20,000
services, 41,622 nodes, load about 10), a new copy made an ad-hoc query take 1.05 s instead of 0.25 s, and the
product's own queries answered with p99 69 ms instead of 8 ms while copies were made back to back; 300,000 nodes
took 1 s to dump. On estates far larger than that, a copy from a background save (BGSAVE, in a forked child) would
spare the graph's server; that is not built.

One sandbox per process: its server lives in ``<data dir>/sandbox/<pid>``; one left by a killed process is stopped
and removed by the next sandbox made on that data directory. Queries run side by side on it; a new copy, or
throwing it away, waits until the queries running on it have ended (each is bounded by its own time limit).
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from pathlib import Path
from typing import Any, Callable

import redis
from falkordb import FalkorDB

from graph_itsm.errors import StoreError
from graph_itsm.store.embedded import QUERY_MEMORY_BYTES, EmbeddedServer, _is_our_server, pid_alive

__all__ = ["Sandbox"]


class Sandbox:
    """``run()`` a read-only query on a fresh copy of ``graph_name`` from ``source`` (the graph's server)."""

    def __init__(self, source: redis.Redis, graph_name: str, data_dir: Path, version: Callable[[], int]) -> None:
        """``version()`` reads the graph's version on ``source`` (moved by every write)."""
        self._source = source
        self._version = version
        self._graph_name = graph_name
        self._root = data_dir / "sandbox"
        self._turn = threading.Condition()
        self._running = 0  # queries running on the sandbox now
        self._spoiled = False  # set when its answers can no longer be trusted
        self._server: EmbeddedServer | None = None
        self._db: FalkorDB | None = None
        self._copied_version: int | None = None
        self.memory_bytes = QUERY_MEMORY_BYTES  # what one query may allocate in the next sandbox (a test lowers it)
        self.copies = 0  # how many copies were made (the tests and the benchmark look)
        self.discarded = 0  # how many sandboxes were thrown away

    # -- use ---------------------------------------------------------------------------------------
    def run(self, text: str, params: dict[str, Any], *, timeout_ms: int) -> Any:
        """The client's QueryResult of ``text`` on a copy of the graph no older than now. Redis errors pass through;
        after a memory refusal, or when the sandbox's server died under the query, the sandbox is thrown away
        once the other queries on it have ended (the caller only maps the error)."""
        db = self._enter(self._version())
        try:
            return db.select_graph(self._graph_name).ro_query(text, params, timeout=timeout_ms)
        except redis.ResponseError as e:
            if "mem consumption" in str(e) or "memory" in str(e).lower():
                self._spoiled = True
            raise
        except redis.ConnectionError:
            self._spoiled = True  # its server died (a query took it down): the next question makes a new one
            raise
        finally:
            self._leave()

    def discard(self) -> None:
        """Throw the sandbox away once the queries on it have ended (a test lowers its cap this way)."""
        with self._turn:
            self._spoiled = True
            self._turn.wait_for(lambda: self._running == 0)
            self._discard()

    def close(self) -> None:
        with self._turn:
            self._turn.wait_for(lambda: self._running == 0)
            self._discard(counted=False)

    @property
    def server(self) -> EmbeddedServer | None:
        return self._server

    # -- internals ---------------------------------------------------------------------------------
    def _enter(self, version: int) -> FalkorDB:
        """The sandbox's client, with a copy of the graph at ``version`` or newer; counted as running until
        _leave()."""
        def usable() -> bool:
            return not self._spoiled and self._db is not None and self._copy_age() >= version

        with self._turn:
            while not usable():
                self._turn.wait_for(lambda: self._running == 0)  # nothing may run on what is replaced
                if self._spoiled:
                    self._discard()
                try:
                    if self._db is None:
                        self._start()
                    if self._copy_age() < version:
                        self._copy()
                except redis.RedisError as e:
                    self._discard()  # a half-made sandbox is no use; the next question starts afresh
                    raise StoreError(f"cannot make the sandbox for ad-hoc Cypher: {e}") from e
            self._running += 1
            return self._db

    def _copy_age(self) -> int:
        return -1 if self._copied_version is None else self._copied_version

    def _leave(self) -> None:
        with self._turn:
            self._running -= 1
            if self._spoiled and self._running == 0:
                self._discard()  # at once: its memory goes back, and no query can start on it meanwhile
            self._turn.notify_all()

    def _start(self) -> None:
        self._remove_stale()
        folder = self._root / str(os.getpid())
        shutil.rmtree(folder, ignore_errors=True)  # one of this process that did not close: its cap may differ
        server = EmbeddedServer(folder, persistent=False, memory_cap_bytes=self.memory_bytes)
        sock = server.start()
        try:
            db = FalkorDB(unix_socket_path=str(sock))
        except redis.RedisError:
            server.close()
            raise
        self._server, self._db, self._copied_version = server, db, None

    def _copy(self) -> None:
        """The graph as it is now, without its API tokens; an empty graph when the source has none yet. Its
        version is the one read before the copy: the copy is at least that new."""
        assert self._db is not None
        version = self._version()
        blob = self._source.dump(self._graph_name)
        target = self._db.connection
        # The dump carries the graph's name, and FalkorDB 4.16 adds a restored graph to one already loaded under
        # that name (that is how it loads a graph saved in several keys): RESTORE ... REPLACE kept answering
        # from the old copy, and a second copy restored under another key ended the server. So the old copy
        # goes first, and the copy keeps the graph's own name.
        target.delete(self._graph_name)
        if blob is None:
            target.execute_command("GRAPH.QUERY", self._graph_name, "RETURN 0")  # an empty graph
        else:
            target.restore(self._graph_name, 0, blob)
            self._db.select_graph(self._graph_name).query("MATCH (t:ApiToken) DETACH DELETE t")
        self.copies += 1
        self._copied_version = version

    def _discard(self, *, counted: bool = True) -> None:
        if self._server is None:
            return
        try:
            if self._db is not None:
                self._db.close()
        except redis.RedisError:
            pass
        self._server.close()  # the only client: its server stops (it has nothing to keep)
        shutil.rmtree(self._server.data_dir, ignore_errors=True)
        self._server, self._db, self._copied_version, self._spoiled = None, None, None, False
        if counted:
            self.discarded += 1

    def _remove_stale(self) -> None:
        """Stop and remove the sandboxes of processes that are gone (killed before they could close theirs)."""
        if not self._root.is_dir():
            self._root.mkdir(mode=0o700, parents=True, exist_ok=True)
            return
        for folder in self._root.iterdir():
            if not folder.name.isdigit() or int(folder.name) == os.getpid() or pid_alive(int(folder.name)):
                continue
            try:
                pid = int((folder / "falkordb.pid").read_text().strip() or "0")
            except (OSError, ValueError):
                pid = 0
            if pid and pid_alive(pid) and _is_our_server(pid):
                os.kill(pid, signal.SIGTERM)
            shutil.rmtree(folder, ignore_errors=True)
