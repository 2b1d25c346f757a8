"""FalkorDB adapter (embedded or external), through the official ``falkordb`` client."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Sequence

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.query_result import QueryResult

from graph_itsm.errors import BadInput, Forbidden, StoreError, TooComplex
from graph_itsm.store.embedded import EmbeddedServer
from graph_itsm.store.port import INDEXES, LABELS, GraphStore, ReadOnlyResult, Rows, Step
from graph_itsm.store.queries import Query, library

__all__ = ["FalkorStore"]


def _plain(value: Any) -> Any:
    """Turn client objects into plain Python values."""
    if isinstance(value, (OrderedDict, dict)):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (Node, Edge)):
        return {k: _plain(v) for k, v in value.properties.items()}
    return value


def _rows(result: QueryResult) -> Rows:
    names = [h[1] for h in result.header]
    return [{n: _plain(v) for n, v in zip(names, row)} for row in result.result_set]


class _NotPlain(Exception):
    """A value the fast reader leaves to the client's parser (node, edge, path, point, vector, temporal)."""


def _cell(cell: list[Any]) -> Any:
    """One value of a ``--compact`` reply, ``[type, value]``, for the plain types (null, string, integer,
    boolean, double, array, map). The client's parser does the same through an enum look-up and several calls
    per value; for reads of thousands of rows that was two thirds of the time of a query."""
    kind, value = cell
    if kind == 2 or kind == 3:  # string, integer
        return value
    if kind == 1:
        return None
    if kind == 5:
        return float(value)
    if kind == 4:
        return value == "true"
    if kind == 6:
        return [_cell(c) for c in value]
    if kind == 10:
        return {value[i]: _cell(value[i + 1]) for i in range(0, len(value), 2)}
    raise _NotPlain


@dataclass
class FalkorStore(GraphStore):
    """``url`` is ``redis://host:port`` for an external server; ``server`` an :class:`EmbeddedServer`."""

    url: str | None = None
    server: EmbeddedServer | None = None
    graph_name: str = "itsm"
    _db: FalkorDB = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.backend = "falkordb"
        try:
            if self.server is not None:
                sock = self.server.start()
                self._db = FalkorDB(unix_socket_path=str(sock))
            else:
                self._db = FalkorDB.from_url(self.url or "redis://localhost:6379")
            self._graph = self._db.select_graph(self.graph_name)
            self._db.connection.ping()
        except redis.RedisError as e:
            if self.server is not None:
                self.server.close()
            raise StoreError(f"cannot reach FalkorDB at {self.url or self.server.socket_path}: {e}") from e

    # -- the port ----------------------------------------------------------------------------------
    def read(self, query: Query, params: dict[str, Any] | None = None) -> Rows:
        return self._run(query, params, read_only=True)

    def write(self, query: Query, params: dict[str, Any] | None = None) -> Rows:
        return self._run(query, params, read_only=False)

    def read_tuples(self, query: Query, params: dict[str, Any] | None = None) -> list[list[Any]]:
        return self._execute(query, params, read_only=True)[1]

    def write_all(self, steps: Sequence[Step]) -> list[Rows]:
        """MULTI/EXEC: the statements run back to back with nothing in between. Callers validate first, so
        a statement failing half-way is a bug; it is reported, not hidden."""
        if not steps:
            return []
        pipe = self._db.connection.pipeline(transaction=True)
        for query, params in steps:
            text = self._graph._build_params_header(params or {}) + query.text
            pipe.execute_command("GRAPH.QUERY", self.graph_name, text, "--compact")
        self.round_trips += 1
        try:
            raw = pipe.execute()
        except redis.RedisError as e:
            raise StoreError(f"atomic write failed: {e}") from e
        return [_rows(QueryResult(self._graph, r)) for r in raw]

    def read_only(self, text: str, params: dict[str, Any], *, timeout_ms: int, max_rows: int) -> ReadOnlyResult:
        self.round_trips += 1
        try:
            result = self._graph.ro_query(text, params, timeout=timeout_ms)
        except redis.ResponseError as e:
            msg = str(e)
            if "read-only" in msg or "RO_QUERY" in msg:
                raise Forbidden("the query would write to the graph; only read-only Cypher may run here") from e
            if "timed out" in msg.lower() or "timeout" in msg.lower():
                raise TooComplex(f"the query ran over its time limit of {timeout_ms} ms") from e
            raise BadInput(f"query: {msg}", field="query") from e
        except redis.RedisError as e:
            raise StoreError(f"FalkorDB failed: {e}") from e
        columns = [h[1] for h in result.header]
        rows = [[_plain(v) for v in row] for row in result.result_set[: max_rows + 1]]
        truncated = len(rows) > max_rows
        return ReadOnlyResult(columns, rows[:max_rows], truncated)

    def ping(self) -> bool:
        try:
            return bool(self._db.connection.ping())
        except redis.RedisError:
            return False

    def ensure_schema(self) -> None:
        """An exact-match index on ``id`` per label, then a unique constraint over it (FalkorDB needs both)."""
        for label in LABELS:
            for command in (
                ("GRAPH.QUERY", self.graph_name, f"CREATE INDEX FOR (n:{label}) ON (n.id)"),
                ("GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE", label, "PROPERTIES", 1, "id"),
            ):
                try:
                    self._db.connection.execute_command(*command)
                except redis.ResponseError as e:
                    if "already" not in str(e).lower():
                        raise StoreError(f"cannot set up {label}.id ({command[0]}): {e}") from e
        for label, prop in INDEXES:
            try:
                self._db.connection.execute_command(
                    "GRAPH.QUERY", self.graph_name, f"CREATE INDEX FOR (n:{label}) ON (n.{prop})"
                )
            except redis.ResponseError as e:
                if "already" not in str(e).lower():
                    raise StoreError(f"cannot index {label}.{prop}: {e}") from e

    def clear(self) -> None:
        q = library()
        self.write_all([(q["store/clear_graph"], {}), (q["store/reset_meta"], {})])

    def close(self) -> None:
        try:
            self._db.close()
        finally:
            if self.server is not None:
                self.server.close()

    # -- internals ---------------------------------------------------------------------------------
    def _run(self, query: Query, params: dict[str, Any] | None, *, read_only: bool) -> Rows:
        names, rows = self._execute(query, params, read_only=read_only)
        return [dict(zip(names, row)) for row in rows]

    def _execute(self, query: Query, params: dict[str, Any] | None, *, read_only: bool) -> tuple[list[str], list[list[Any]]]:
        """(column names, rows of plain values). Replies of plain values are read here; anything else
        (nodes, edges, paths, ...) goes through the client's parser."""
        self.round_trips += 1
        text = self._graph._build_params_header(params or {}) + query.text
        command = "GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY"
        try:
            raw = self._db.connection.execute_command(command, self.graph_name, text, "--compact")
            if isinstance(raw[0], redis.ResponseError) or isinstance(raw[-1], redis.ResponseError):
                QueryResult(self._graph, raw)  # raises the client's exception for it
            if len(raw) == 1:  # statistics only: a write without RETURN
                return [], []
            names = [h[1] for h in raw[0]]
            try:
                return names, [[_cell(c) for c in row] for row in raw[1]]
            except _NotPlain:
                return names, [[_plain(v) for v in row] for row in QueryResult(self._graph, raw).result_set]
        except redis.RedisError as e:
            raise StoreError(f"query {query.name} failed: {e}") from e
