"""FalkorDB adapter (embedded or external), through the official ``falkordb`` client."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path
from falkordb.query_result import QueryResult

from graph_itsm.errors import BadInput, Forbidden, StoreError, TooComplex
from graph_itsm.store.embedded import EmbeddedServer, query_limits
from graph_itsm.store.columns import transpose
from graph_itsm.store import staged
from graph_itsm.store.sandbox import Sandbox
from graph_itsm.store.port import INDEXES, LABELS, GraphStore, ReadOnlyResult, Rows, Step
from graph_itsm.store.queries import Query, library

__all__ = ["FalkorStore", "chain"]

_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_LINE_COMMENT = re.compile(r"//[^\n]*")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_RETURN = re.compile(r"\bRETURN\b", re.IGNORECASE)


def _plain(value: Any) -> Any:
    """Turn client objects into plain Python values."""
    if isinstance(value, (OrderedDict, dict)):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (Node, Edge)):
        return {k: _plain(v) for k, v in value.properties.items()}
    if isinstance(value, Path):
        return {"nodes": [_plain(n) for n in value.nodes()], "relationships": [_plain(e) for e in value.edges()]}
    return value


def _mask_strings(text: str) -> str:
    """``text`` with string literals and comments blanked (same length), so keywords and params can be found."""
    return _LINE_COMMENT.sub(lambda m: " " * len(m.group()), _STRING.sub(lambda m: "'" + "_" * (len(m.group()) - 2) + "'", text))


def chain(steps: Sequence[Step]) -> tuple[str, dict[str, Any]]:
    """Join statements into one: step k's params become ``$s{k}_name``, every step but the last loses its final
    ``RETURN`` and ends with ``WITH count(*) AS _s{k}``, a barrier that always yields one row, so the next step
    runs once whatever the previous one matched. The result is the last step's."""
    last = len(steps) - 1
    parts = [_step_body(k, query, last=k == last) for k, (query, _) in enumerate(steps)]
    params: dict[str, Any] = {}
    for k, (_, values) in enumerate(steps):
        params.update(_step_params(k, values))
    return "\n".join(parts), params


def _step_params(k: int, values: dict[str, Any] | None) -> dict[str, Any]:
    return {f"s{k}_{name}": value for name, value in (values or {}).items()}


def _step_body(k: int, query: Query, *, last: bool) -> str:
    """Step ``k``'s text in a chain: its params renamed ``$s{k}_name``; unless ``last``, its final ``RETURN``
    replaced by the barrier ``WITH count(*) AS _s{k}``."""
    # comments go first: an apostrophe in one ("the write's entry") would read as the start of a string
    text = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("//"))
    masked = _mask_strings(text)
    pieces, pos = [], 0
    for m in _PARAM.finditer(masked):
        pieces.append(text[pos : m.start()] + f"$s{k}_{m.group(1)}")
        pos = m.end()
    pieces.append(text[pos:])
    body = "".join(pieces)
    if not last:
        cut = list(_RETURN.finditer(_mask_strings(body)))
        if cut:
            body = body[: cut[-1].start()]
        body = f"{body.rstrip()}\nWITH count(*) AS _s{k}"
    return body.strip()


def statements(steps: Sequence[Step], header: Callable[[dict[str, Any]], str],
               limit: int) -> list[tuple[str, int]]:
    """The steps as chained statements with their parameter headers (``header`` makes one, ``CYPHER a=1 ...``),
    each at most ``limit`` characters: one statement when the whole write fits, as ``chain`` joins it; else
    consecutive runs of steps, each a chain of its own. Pairs of (text, steps in it)."""
    fragments = [header(_step_params(k, values))[len("CYPHER "):] for k, (_, values) in enumerate(steps)]
    bodies = [_step_body(k, query, last=False) for k, (query, _) in enumerate(steps)]
    out: list[tuple[str, int]] = []
    start, size = 0, len("CYPHER ")
    for k in range(len(steps)):
        grown = size + len(fragments[k]) + len(bodies[k]) + 1
        if grown > limit and k > start:
            out.append(_statement(steps, fragments, bodies, start, k))
            start, grown = k, len("CYPHER ") + len(fragments[k]) + len(bodies[k]) + 1
        if grown > limit:
            raise StoreError(f"one step of the write ({steps[k][0].name}) is {grown / 1e6:.0f} MB, more than one "
                             f"statement may hold ({limit / 1e6:.0f} MB)")
        size = grown
    out.append(_statement(steps, fragments, bodies, start, len(steps)))
    return out


def _statement(steps: Sequence[Step], fragments: list[str], bodies: list[str], start: int,
               end: int) -> tuple[str, int]:
    texts = bodies[start:end - 1] + [_step_body(end - 1, steps[end - 1][0], last=True)]
    return "CYPHER " + "".join(fragments[start:end]) + "\n".join(texts), end - start


_LABEL = re.compile(r"\(\s*\w*\s*((?::\s*`?[A-Z]\w*`?\s*)+)")
_TYPE = re.compile(r"\[\s*\w*\s*:\s*([A-Z_][A-Z0-9_|:]*)")
_KEY = re.compile(r"\b[a-z_]\w*\.([a-zA-Z_]\w*)\b(?!\s*\()|[{,]\s*([a-zA-Z_]\w*)\s*:\s*\$")


def _names_in(queries: Any) -> tuple[set[str], set[str], set[str]]:
    """(labels, relationship types, property keys) that the library's query texts name."""
    labels: set[str] = set()
    types: set[str] = set()
    keys: set[str] = set()
    for name in queries.names():
        text = _mask_strings(queries[name].text)
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
        for m in _LABEL.finditer(text):
            labels.update(x.strip(" `") for x in m.group(1).split(":") if x.strip(" `"))
        for m in _TYPE.finditer(text):
            types.update(t for t in re.split(r"[|:]", m.group(1)) if t)
        for m in _KEY.finditer(text):
            keys.add(m.group(1) or m.group(2))
    return labels, types, keys


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
    _sandbox: Sandbox | None = field(init=False, repr=False, default=None)

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
            staged.drop_stale_copies(self._db.connection, self.graph_name)  # of writes whose process died
            if self.server is not None:
                # The server is ours: bound the time one query may take (it got that at start; a server started by
                # an older version did not). Its memory cap is set only at start (see embedded.py). An external
                # server keeps its own settings.
                for name, value in query_limits():
                    self._db.connection.execute_command("GRAPH.CONFIG", "SET", name, value)
                self._sandbox = Sandbox(self._db.connection, self.graph_name, self.server.data_dir,
                                        version=lambda: int(self.scalar(library()["store/get_version"]) or 0))
                if self.server.started_here and self.server.needs_compaction():
                    self.compact()  # a compaction lost to a killed process: redo it, so the next start is fast
        except redis.RedisError as e:
            if self.server is not None:
                self.server.close()
            raise StoreError(f"cannot reach FalkorDB at {self.url or self.server.socket_path}: {e}") from e

    @property
    def description(self) -> str:
        if self.server is not None:
            return f"embedded FalkorDB at {self.server.data_dir}"
        return f"FalkorDB at {self.url or 'redis://localhost:6379'} (graph {self.graph_name})"

    @property
    def just_created(self) -> bool:
        return self.server is not None and self.server.created

    # -- the port ----------------------------------------------------------------------------------
    def read(self, query: Query, params: dict[str, Any] | None = None) -> Rows:
        return self._run(query, params, read_only=True)

    def write(self, query: Query, params: dict[str, Any] | None = None) -> Rows:
        return self._run(query, params, read_only=False)

    def read_tuples(self, query: Query, params: dict[str, Any] | None = None) -> list[list[Any]]:
        return self._execute(query, params, read_only=True)[1]

    def read_columns(self, query: Query, params: dict[str, Any] | None = None) -> list[Sequence[Any]]:
        """From FalkorDB's plain reply (no ``--compact``): the client library hands over its strings, integers and
        nulls as they are, with no ``[type, value]`` pair around each value to unwrap in Python; that unwrapping
        and the larger reply were three quarters of the time of the topology read at 100,000 services. Doubles
        come as text, with the 15 significant digits the compact reply gives them too (so the same floats)."""
        self.round_trips += 1
        text = self._graph._build_params_header(params or {}) + query.text
        try:
            raw = self._db.connection.execute_command("GRAPH.RO_QUERY", self.graph_name, text)
            if isinstance(raw[0], redis.ResponseError) or isinstance(raw[-1], redis.ResponseError):
                QueryResult(self._graph, raw)  # raises the client's exception for it
        except redis.RedisError as e:
            raise StoreError(f"query {query.name} failed: {e}") from e
        return transpose(raw[1] if len(raw) > 1 else [], len(query.columns))

    def write_all(self, steps: Sequence[Step], *, on_step: Callable[[int], None] | None = None) -> Rows:
        """The steps run as ONE Cypher statement (see :func:`chain`), which FalkorDB applies atomically: a
        failing step undoes the earlier ones. (MULTI/EXEC is not used: FalkorDB 4.16 crashes replaying such a
        transaction from the append-only file, see findings.) A write larger than one statement may be (an
        import of a million services) is written into a copy of the graph and swapped in, atomically too
        (:mod:`graph_itsm.store.staged`)."""
        if not steps:
            return []
        self.round_trips += 1
        try:
            texts = statements(steps, self._graph._build_params_header, staged.STATEMENT_BYTES)
        except (ValueError, TypeError) as e:  # the client could not write a param value into the query
            raise StoreError(f"atomic write ({steps[0][0].name}, ...) failed: {e}") from e
        if len(texts) > 1:
            return staged.write_staged(self._db.connection, self.graph_name, texts, self._parse_write, on_step)
        try:
            raw = self._db.connection.execute_command("GRAPH.QUERY", self.graph_name, texts[0][0], "--compact")
            rows = self._parse_write(raw)
        except redis.RedisError as e:
            names = ", ".join(q.name for q, _ in steps)
            raise StoreError(f"atomic write ({names}) failed: {e}") from e
        if on_step:
            on_step(len(steps))
        return rows

    def _parse_write(self, raw: Any) -> Rows:
        return _rows(QueryResult(self._graph, raw))

    def read_only(self, text: str, params: dict[str, Any], *, timeout_ms: int, max_rows: int) -> ReadOnlyResult:
        """User-written Cypher (and the named analytics). On the embedded database it runs in the sandbox, a copy
        of the graph on a server of its own with a memory cap (see :mod:`graph_itsm.store.sandbox` for why);
        on an external FalkorDB, on that server under its own settings."""
        self.round_trips += 1
        try:
            if self._sandbox is not None:
                result = self._sandbox.run(text, params, timeout_ms=timeout_ms)
            else:
                result = self._graph.ro_query(text, params, timeout=timeout_ms)
        except redis.ResponseError as e:
            msg = str(e)
            if "read-only" in msg or "RO_QUERY" in msg:
                raise Forbidden("the query would write to the graph; only read-only Cypher may run here") from e
            if "timed out" in msg.lower() or "timeout" in msg.lower():
                raise TooComplex(f"the query ran over its time limit of {timeout_ms} ms") from e
            if "mem consumption" in msg or "memory" in msg.lower():
                raise TooComplex("the query ran over its memory limit (QUERY_MEM_CAPACITY)") from e
            raise BadInput(f"query: {msg}", field="query") from e
        except redis.ConnectionError as e:
            if self._sandbox is not None:  # the query took the sandbox's server down; the graph's is untouched
                raise TooComplex("the query ended the server it ran on (a new one answers the next query)") from e
            raise StoreError(f"FalkorDB failed: {e}") from e
        except redis.RedisError as e:
            raise StoreError(f"FalkorDB failed: {e}") from e
        except (ValueError, TypeError) as e:  # the client could not write a param value into the query
            raise BadInput(f"params: {e}", field="params") from e
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
        """An exact-match index on ``id`` per label with a unique constraint over it (FalkorDB needs both), and
        the further indexes. Only what is missing is created: every command, even a refused one, lands in the
        append-only file."""
        indexed = self._existing("CALL db.indexes() YIELD label, properties RETURN label, properties")
        constrained = self._existing(
            "CALL db.constraints() YIELD type, label, properties WHERE type = 'UNIQUE' RETURN label, properties"
        )
        wanted_indexes = [(label, "id") for label in LABELS] + list(INDEXES)
        for label, prop in wanted_indexes:
            if (label, prop) not in indexed:
                self._admin("GRAPH.QUERY", self.graph_name, f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
        for label in LABELS:
            if (label, "id") not in constrained:
                self._admin("GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE", label, "PROPERTIES", 1, "id")

        self._register_names()

    def _register_names(self) -> None:
        """Make every label, relationship type and property key that the query files name known to the graph.

        FalkorDB caches a query's plan with the names it resolved when it first ran; a pattern comprehension
        planned before a relationship type or property key existed keeps answering ``[]`` or ``null`` for it
        after the first such edge is written (measured on 4.16: ``[(c)-[d:DEPENDS_ON]->(s) | d.share]`` stayed
        empty on a fresh graph). A throw-away pair of nodes carrying every missing name, deleted in the same
        statement, registers them before any plan is made; it runs only when something is missing."""
        labels, types, keys = _names_in(library())
        known = lambda text: {row[0] for row in self._graph.query(text).result_set}  # noqa: E731
        labels -= known("CALL db.labels() YIELD label RETURN label")
        types -= known("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType")
        keys -= known("CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey")
        if not (labels or types or keys):
            return
        props = "{" + ", ".join(f"`{k}`: 0" for k in sorted(keys)) + "}"
        text = "CREATE (a " + props + "), (b)\n"
        text += "".join(f"CREATE (a)-[:`{t}` {props}]->(b)\n" for t in sorted(types))
        if labels:
            text += "SET a" + "".join(f":`{label}`" for label in sorted(labels)) + "\n"
        text += "WITH a, b DETACH DELETE a, b"
        self._admin("GRAPH.QUERY", self.graph_name, text)

    def _existing(self, text: str) -> set[tuple[str, str]]:
        try:
            rows = self._graph.query(text).result_set
        except redis.ResponseError:
            return set()  # an empty graph has no schema yet
        return {(label, prop) for label, props in rows for prop in (props or [])}

    def _admin(self, *command: Any) -> None:
        try:
            self._db.connection.execute_command(*command)
        except redis.ResponseError as e:
            if "already" not in str(e).lower():
                raise StoreError(f"cannot set up the schema ({' '.join(map(str, command[:3]))}): {e}") from e

    def compact(self) -> None:
        """Rewrite the embedded server's append-only file as a snapshot (in the background), so that a restart
        after a bulk import loads a snapshot instead of replaying the import."""
        if self.server is None:
            return
        try:
            self._db.connection.execute_command("BGREWRITEAOF")
        except redis.ResponseError as e:
            if "in progress" not in str(e).lower() and "scheduled" not in str(e).lower():
                raise StoreError(f"cannot compact the append-only file: {e}") from e

    def clear(self) -> None:
        q = library()
        self.write_all([(q["store/clear_graph"], {}), (q["store/reset_meta"], {})])

    def close(self) -> None:
        try:
            if self._sandbox is not None:
                self._sandbox.close()
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
