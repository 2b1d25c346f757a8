"""The one bound on ad-hoc Cypher that the database cannot enforce itself: the size of ``range()`` lists.

Time and memory are the database's job: FalkorDB ends a query at its ``TIMEOUT`` (ad-hoc Cypher asks for 10 s;
``TIMEOUT_MAX`` bounds every query) and refuses one over ``QUERY_MEM_CAPACITY`` (both set when the embedded
server starts, graph_itsm.store.embedded); Neo4j has the transaction timeout and ``db.memory.transaction.max``.
But FalkorDB 4.16 builds a ``range()`` list with ONE allocation of the whole list, and counts it against the cap
only afterwards (measured: ``UNWIND range(1, 1000000000) AS x RETURN count(x)`` asks for 16 GB at once; under a
4 GB address-space limit Redis aborts, without one the kernel kills it). So the lists ``range()`` calls make are
bounded before the query is sent: each call's bounds must be integer literals or integer ``$params``, and all
calls together may make at most :data:`MAX_RANGE_ELEMENTS` elements (their product, since nested ranges multiply).
(Also measured: the cap counts strings but not lists: ``UNWIND range(1, 100000) AS x WITH collect(range(1, 1000))``
grew past 700 MB under a 256 MB cap and was ended by the time limit; the largest allowed here, ``range(1, 10000)``
with ``collect(range(1, 1000))``, peaked at 177 MB and answered in 1 s.)
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from graph_itsm.errors import BadInput, TooComplex

__all__ = ["MAX_RANGE_ELEMENTS", "check_ranges"]

MAX_RANGE_ELEMENTS = 10_000_000
_STRINGS_AND_COMMENTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_RANGE = re.compile(r"(?<![\w.$])range\s*\(", re.I)
_INT = re.compile(r"^[+-]?\d+$")


def _args(text: str, start: int) -> list[str]:
    depth, args, current = 0, [], []
    for ch in text[start:]:
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                args.append("".join(current).strip())
                return args
            depth -= 1
        elif ch == "," and depth == 0:
            args.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    raise BadInput("query: an unclosed range( call", field="query")


def _value(arg: str, params: Mapping[str, Any]) -> int:
    if _INT.match(arg):
        return int(arg)
    if arg.startswith("$") and arg[1:] in params:
        v = params[arg[1:]]
        if isinstance(v, int) and not isinstance(v, bool):
            return v
    raise TooComplex("query: range() bounds must be integer literals or integer $params here, so the size of the "
                     f"list it makes is known before it runs (got {arg!r})", field="query")


def check_ranges(query: str, params: Mapping[str, Any]) -> None:
    text = _STRINGS_AND_COMMENTS.sub(" ", query)
    total = 1
    for m in _RANGE.finditer(text):
        values = [_value(a, params) for a in _args(text, m.end())]
        if len(values) not in (2, 3):
            raise BadInput("query: range() takes a start, an end and an optional step", field="query")
        start, end, step = values[0], values[1], values[2] if len(values) == 3 else 1
        if step == 0:
            raise BadInput("query: range() step may not be 0", field="query")
        n = max(0, (end - start) // step + 1)
        total *= max(n, 1)
        if total > MAX_RANGE_ELEMENTS:
            raise TooComplex(f"query: range() would make {total:,} elements, over the limit of "
                             f"{MAX_RANGE_ELEMENTS:,}", field="query")
