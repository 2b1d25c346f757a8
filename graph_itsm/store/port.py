"""The one small port the rest of the code uses to talk to the graph database.

Adapters (embedded or external FalkorDB, Neo4j) implement it; callers pass a :class:`Query` from the
library (or, for ad-hoc read-only Cypher, text) plus parameters and get plain Python values back:
a list of rows, each a ``dict`` keyed by column name.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import chain

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from graph_itsm.store.columns import transpose
from graph_itsm.store.queries import Query

__all__ = ["GraphStore", "Rows", "Step", "ReadOnlyResult", "LABELS", "INDEXES"]

Rows = list[dict[str, Any]]
Step = tuple[Query, dict[str, Any]]

# Every label with a unique ``id``; the schema set-up of each adapter makes a constraint for each.
LABELS = (
    "Service",
    "BusinessOutcome",
    "Customer",
    "CostItem",
    "Budget",
    "BusinessCase",
    "RelationshipManager",
    "SatisfactionSurvey",
    "Complaint",
    "StrategicObjective",
    "Meta",
    "AuditEntry",
    "ChargeStatement",
    "ApiToken",  # graph_itsm/access/tokens.py: id is the token's name
    "Period",  # graph_itsm/finance/periods.py: a month's closing record, id YYYY-MM
    "PeriodSnapshot",  # graph_itsm/finance/closing.py: a closed month's stored figures, id YYYY-MM
)

# Further (non-unique) property indexes, made by each adapter's schema set-up.
INDEXES = (("CostItem", "period"), ("Budget", "period"), ("ChargeStatement", "period"), ("Service", "stage"), ("ApiToken", "hash"))


@dataclass
class ReadOnlyResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False


@dataclass
class GraphStore(ABC):
    """A graph database reached through Cypher. ``round_trips`` counts requests sent (for tests)."""

    backend: str = field(init=False, default="")
    round_trips: int = field(init=False, default=0)
    # Held by an audited write from its checks to its commit: writers of one process take turns instead of
    # invalidating each other's checks (writers of other processes still meet the version check).
    write_lock: threading.RLock = field(init=False, repr=False, compare=False, default_factory=threading.RLock)
    # Told of each audited write this process commits, in order, under ``write_lock``: ``(change, version)``,
    # the planned change (``portfolio.writes.Change``) and the graph version it made. Caches of this process
    # carry what they hold to that version instead of reading it again (``finance.service.FinanceCache``).
    committed: list[Callable[[Any, int], None]] = field(init=False, repr=False, compare=False, default_factory=list)

    @abstractmethod
    def read(self, query: Query, params: dict[str, Any] | None = None) -> Rows:
        """Run a read query."""

    @abstractmethod
    def read_tuples(self, query: Query, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """Run a read query, rows as positional lists (bulk reads of projections skip the dicts)."""

    def read_columns(self, query: Query, params: dict[str, Any] | None = None) -> list[Sequence[Any]]:
        """Run a read query, its answer column by column (one sequence per name of ``query.columns``), for bulk
        reads that go into numpy arrays (the topology projection). Strings, integers and nulls are as in
        :meth:`read_tuples`; a number that is not an integer may come as its text (FalkorDB's plain reply), so a
        caller reads such a column with ``float`` or ``np.asarray(column, np.float64)``."""
        return transpose(self.read_tuples(query, params), len(query.columns))

    def read_columns_in_parts(self, query: Query, params: dict[str, Any], parts: int) -> list[Sequence[Any]]:
        """:meth:`read_columns` of ``query`` run as ``parts`` reads side by side, each with its ``$part`` (0 to
        ``parts - 1``) of ``$parts``, the columns joined part after part. At a million rows one read spends most
        of its time making and parsing the reply, row by row, on one core on each side; parts overlap that work
        (measured at 1,000,000 cost items on 2 cores: 4.1 s as one read, 2.4 s as three). The parts are separate
        reads: a caller that needs one version checks the graph's version after them."""
        if parts <= 1:
            return self.read_columns(query, {**params, "part": 0, "parts": 1})
        with ThreadPoolExecutor(max_workers=parts, thread_name_prefix="graph-itsm-read") as pool:
            results = list(pool.map(lambda k: self.read_columns(query, {**params, "part": k, "parts": parts}),
                                    range(parts)))
        return [list(chain.from_iterable(result[c] for result in results)) for c in range(len(query.columns))]

    @abstractmethod
    def write(self, query: Query, params: dict[str, Any] | None = None) -> Rows:
        """Run one write statement atomically."""

    @abstractmethod
    def write_all(self, steps: Sequence[Step], *, on_step: Callable[[int], None] | None = None) -> Rows:
        """Run several statements as one atomic unit, in order; the rows of the last one.

        ``on_step(k)`` is told each time the first ``k`` steps have run, where a backend runs them one by one
        (Neo4j); a backend that applies them as one statement (FalkorDB) tells it once, at the end.

        Earlier statements' ``RETURN`` clauses are not evaluated on every backend: gate later steps on what an
        earlier one did inside Cypher (a MATCH on what it created), not on its returned rows."""

    @abstractmethod
    def read_only(
        self, text: str, params: dict[str, Any], *, timeout_ms: int, max_rows: int
    ) -> ReadOnlyResult:
        """Run user-supplied Cypher with read-only access enforced by the database itself."""

    @abstractmethod
    def ping(self) -> bool:
        """True when the database answers."""

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create unique-id constraints and indexes (idempotent)."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship (tests and ``import --replace``), settings included, but keep
        the graph version counting up: a projection cached before the clear must not match what comes after."""

    @abstractmethod
    def close(self) -> None:
        """Release connections (and the embedded server if this process owns it)."""

    @property
    def description(self) -> str:
        """Which database this is, for people (``embedded FalkorDB at /path``, ``Neo4j at bolt://...``)."""
        return self.backend

    @property
    def just_created(self) -> bool:
        """True when opening this store created its database just now (a new embedded data directory)."""
        return False

    def compact(self) -> None:
        """Make the database's own storage compact after a bulk write (where the backend needs it)."""

    def scalar(self, query: Query, params: dict[str, Any] | None = None) -> Any:
        rows = self.read(query, params)
        if not rows:
            return None
        return next(iter(rows[0].values()))
