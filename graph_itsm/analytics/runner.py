"""Run the named analytics queries of ``cypher/analytics/`` and ad-hoc read-only Cypher.

Both go through ``GraphStore.read_only``: the database itself refuses writes (FalkorDB ``GRAPH.RO_QUERY``,
Neo4j READ access mode), with a time limit and a row limit; a cut result says ``truncated``. The query text
is inspected only for the lists ``range()`` would build (``graph_itsm.analytics.bounds``).

An analytics run: look the query up (``NotFound``), check the caller's values against the declared params
(``BadInput`` naming the param), fill in defaults, compute the projection params from the current topology
(``graph_itsm.analytics.projections``), then run the Cypher within what is left of the time limit.
"""

from __future__ import annotations

import math
import re
import time
from functools import cache
from typing import Any, Callable, Mapping

from graph_itsm.analytics import projections
from graph_itsm.analytics.bounds import check_ranges
from graph_itsm.analytics.model import PREFIX, Analysis
from graph_itsm.errors import BadInput, NotFound
from graph_itsm.store import GraphStore, ReadOnlyResult, library
from graph_itsm.store.queries import QueryFileError
from graph_itsm.topology import Topology

__all__ = [
    "ANALYTICS_TIMEOUT_MS",
    "ANALYTICS_MAX_ROWS",
    "CYPHER_TIMEOUT_MS",
    "CYPHER_MAX_ROWS",
    "analyses",
    "get_analysis",
    "run_analysis",
    "run_cypher",
]

# Limits. Analytics include the projection work, so they get more time than an ad-hoc query.
ANALYTICS_TIMEOUT_MS = 30_000
ANALYTICS_MAX_ROWS = 10_000
CYPHER_TIMEOUT_MS = 10_000
CYPHER_MAX_ROWS = 10_000

_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@cache
def _catalogue() -> dict[str, Analysis]:
    found: dict[str, Analysis] = {}
    lib = library()
    for name in lib.names(PREFIX):
        analysis = Analysis.from_query(lib[name])
        for param, proj in analysis.projections.items():
            if proj not in projections.names():
                raise QueryFileError(
                    f"{name}: param {param} asks for projection {proj!r}; known: {', '.join(projections.names())}"
                )
        found[analysis.name] = analysis
    return found


def analyses() -> list[Analysis]:
    """Every analytics query, by name."""
    return [a for _, a in sorted(_catalogue().items())]


def get_analysis(name: str) -> Analysis:
    try:
        return _catalogue()[name]
    except KeyError:
        raise NotFound(
            f"no analytics query named {name!r}; the list: `graph-itsm analytics list` or the `analytics` field",
            field="name",
        ) from None


def run_analysis(
    store: GraphStore,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    topology: Callable[[], Topology] | None = None,
    from_text: bool = False,
) -> ReadOnlyResult:
    """Run analytics query ``name``. ``topology`` gives the current projection (the app's cache); without it
    the projection is read from the store when a param needs it. ``from_text``: values are command-line text."""
    analysis = get_analysis(name)
    if params is not None and not isinstance(params, Mapping):
        raise BadInput("params: expected an object of parameter values", field="params")
    values = analysis.bind(params, from_text=from_text)
    deadline = time.monotonic() + ANALYTICS_TIMEOUT_MS / 1000
    if analysis.projections:
        if topology is None:
            from graph_itsm.topology.cache import load_topology

            topo = load_topology(store)
        else:
            topo = topology()
        source = projections.Source(topo, store, deadline, ANALYTICS_TIMEOUT_MS)
        for param, proj in analysis.projections.items():
            values[param] = projections.compute(proj, source)
    left_ms = max(1, int((deadline - time.monotonic()) * 1000))
    result = store.read_only(analysis.query.text, values, timeout_ms=left_ms, max_rows=ANALYTICS_MAX_ROWS)
    return _jsonable(result)


def run_cypher(store: GraphStore, query: str, params: Mapping[str, Any] | None = None) -> ReadOnlyResult:
    """Run ad-hoc Cypher read-only: a write is ``Forbidden``, a slow query ``TooComplex``, a result longer
    than :data:`CYPHER_MAX_ROWS` rows is cut and flagged ``truncated``."""
    if not isinstance(query, str) or not query.strip():
        raise BadInput("query: give a Cypher query", field="query")
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise BadInput("params: expected an object of parameter values", field="params")
    for key in params:
        if not isinstance(key, str) or not _PARAM_NAME.match(key):
            raise BadInput(f"params: {key!r} is not a parameter name (letters, digits, _)", field="params")
    if "\x00" in query:
        raise BadInput("query: NUL characters are not allowed", field="query")
    check_ranges(query, params)
    result = store.read_only(query, dict(params), timeout_ms=CYPHER_TIMEOUT_MS, max_rows=CYPHER_MAX_ROWS)
    return _jsonable(result)


def _jsonable(result: ReadOnlyResult) -> ReadOnlyResult:
    """Rows as JSON values: anything else a driver hands back (a point, a temporal value, NaN) as text."""
    return ReadOnlyResult(result.columns, [[_json(v) for v in row] for row in result.rows], result.truncated)


def _json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return str(value)
