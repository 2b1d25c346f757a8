"""Neo4j adapter through the official driver, with managed transactions (``execute_read``/``execute_write``).

Transaction functions are idempotent (they only run the statements they are given), since the driver may
retry them on transient failures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, TransientError

from graph_itsm.errors import BadInput, Forbidden, StoreError, TooComplex
from graph_itsm.store.port import INDEXES, LABELS, GraphStore, ReadOnlyResult, Rows, Step
from graph_itsm.store.queries import Query, library

__all__ = ["Neo4jStore"]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {k: _plain(v) for k, v in dict(value).items()}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [_plain(n) for n in value.nodes], "relationships": [_plain(r) for r in value.relationships]}
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value


@dataclass
class Neo4jStore(GraphStore):
    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str = ""
    database: str | None = None
    _driver: neo4j.Driver = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.backend = "neo4j"
        try:
            # Notifications off: the server's hints (an unknown label on an empty database, say) are not errors,
            # and the driver would log each one as a warning.
            self._driver = GraphDatabase.driver(
                self.uri, auth=(self.user, self.password), notifications_min_severity="OFF"
            )
            self._driver.verify_connectivity()
        except (Neo4jError, ServiceUnavailable, OSError, ValueError) as e:
            raise StoreError(f"cannot reach Neo4j at {self.uri}: {e}") from e

    @property
    def description(self) -> str:
        return f"Neo4j at {self.uri}" + (f" (database {self.database})" if self.database else "")

    def _session(self, read: bool = False) -> neo4j.Session:
        return self._driver.session(
            database=self.database,
            default_access_mode=neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS,
        )

    def read(self, query: Query, params: dict[str, Any] | None = None) -> Rows:
        self.round_trips += 1

        def work(tx: neo4j.ManagedTransaction) -> Rows:
            return [{k: _plain(v) for k, v in r.items()} for r in tx.run(query.text, params or {})]

        try:
            with self._session(read=True) as session:
                return session.execute_read(work)
        except Neo4jError as e:
            raise StoreError(f"query {query.name} failed: {e}") from e

    def read_tuples(self, query: Query, params: dict[str, Any] | None = None) -> list[list[Any]]:
        self.round_trips += 1

        def work(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
            return [list(r.values()) for r in tx.run(query.text, params or {})]

        try:
            with self._session(read=True) as session:
                return session.execute_read(work)
        except Neo4jError as e:
            raise StoreError(f"query {query.name} failed: {e}") from e

    def write(self, query: Query, params: dict[str, Any] | None = None) -> Rows:
        return self.write_all([(query, params or {})])

    def write_all(self, steps: Sequence[Step], *, on_step: Callable[[int], None] | None = None) -> Rows:
        self.round_trips += 1

        def work(tx: neo4j.ManagedTransaction) -> Rows:
            rows: Rows = []
            for n, (query, params) in enumerate(steps, start=1):
                rows = [{k: _plain(v) for k, v in r.items()} for r in tx.run(query.text, params or {})]
                if on_step:
                    on_step(n)
            return rows

        try:
            with self._session() as session:
                return session.execute_write(work)
        except Neo4jError as e:
            raise StoreError(f"atomic write failed: {e}") from e

    def read_only(self, text: str, params: dict[str, Any], *, timeout_ms: int, max_rows: int) -> ReadOnlyResult:
        """READ access mode makes the server refuse writes; the transaction timeout bounds the time."""
        self.round_trips += 1

        def work(tx: Any) -> ReadOnlyResult:
            result = tx.run(text, params)
            columns = list(result.keys())
            rows: list[list[Any]] = []
            for record in result:  # streamed: the row limit applies while reading
                if len(rows) == max_rows:
                    return ReadOnlyResult(columns, rows, truncated=True)
                rows.append([_plain(v) for v in record.values()])
            return ReadOnlyResult(columns, rows)

        try:
            # An explicit transaction, not a managed one: a query refused for its memory is a TransientError that
            # execute_read would retry for 30 s; here it is answered at once.
            with self._session(read=True) as session, session.begin_transaction(timeout=timeout_ms / 1000) as tx:
                return work(tx)
        except TransientError as e:
            if "Memory" in (e.code or ""):
                raise TooComplex("the query ran over its memory limit (db.memory.transaction.max)") from e
            raise StoreError(f"Neo4j failed: {e}") from e
        except ClientError as e:
            code = e.code or ""
            if "AccessMode" in code or "Forbidden" in code or "WriteOnReadOnlyAccess" in code:
                raise Forbidden("the query would write to the graph; only read-only Cypher may run here") from e
            if "Timeout" in code or "TransactionTimedOut" in code:
                raise TooComplex(f"the query ran over its time limit of {timeout_ms} ms") from e
            if "Memory" in code:
                raise TooComplex("the query ran over its memory limit (db.memory.transaction.max)") from e
            raise BadInput(f"query: {e.message}", field="query") from e
        except Neo4jError as e:
            raise StoreError(f"Neo4j failed: {e}") from e

    def ping(self) -> bool:
        try:
            self._driver.verify_connectivity()
            return True
        except (Neo4jError, ServiceUnavailable, OSError):
            return False

    def ensure_schema(self) -> None:
        with self._session() as session:
            for label in LABELS:
                name = f"{label.lower()}_id_unique"
                session.run(f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE").consume()
            for label, prop in INDEXES:
                name = f"{label.lower()}_{prop.lower()}"
                session.run(f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})").consume()

    def clear(self) -> None:
        q = library()
        self.write_all([(q["store/clear_graph"], {}), (q["store/reset_meta"], {})])

    def close(self) -> None:
        self._driver.close()
