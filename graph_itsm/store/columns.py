"""Columns of a bulk read (``GraphStore.read_columns``) into numpy arrays, without a Python step per value.

FalkorDB's plain reply gives strings, integers and nulls as they are and other numbers as their text; these
helpers read either form, so the projection and a month's cost items are built alike on both backends.
"""

from __future__ import annotations

from itertools import chain
from operator import itemgetter
from typing import Any, Sequence

import numpy as np

__all__ = ["transpose", "objects", "present", "numbers"]


def transpose(rows: Sequence[Sequence[Any]], width: int) -> list[Sequence[Any]]:
    """Rows as columns (``width`` of them): the rows joined into one list, then every ``width``-th value of it
    from each column's offset. ``zip(*rows)`` with 400,000 rows as arguments took four times as long as a pass
    per column with ``itemgetter``, and that 1.7 times as long as this (1.2 million rows of 9 values)."""
    flat = list(chain.from_iterable(rows))
    if len(flat) != width * len(rows):  # a row of another width: a programming error, named as before
        return [list(map(itemgetter(k), rows)) for k in range(width)]
    return [flat[k::width] for k in range(width)]


def objects(values: Sequence[Any]) -> np.ndarray:
    """An object array of ``values``, one element per value (also where values are lists)."""
    return np.fromiter(values, dtype=object, count=len(values))


def present(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """bool per value: neither null nor empty (what ``if value:`` means for a name, a group or an id)."""
    a = values if isinstance(values, np.ndarray) else objects(values)
    return (a != None) & (a != "")  # noqa: E711 (elementwise)


def numbers(values: Sequence[Any] | np.ndarray, absent: float) -> np.ndarray:
    """float64 per value (a number or its text), ``absent`` where null. Only the values present are parsed
    (most edges state no share nor demand factor)."""
    try:  # every value present (the usual column): one pass of float() in C, twice as fast as astype
        return np.fromiter(map(float, values), dtype=np.float64, count=len(values))
    except TypeError:  # a null among them
        pass
    a = values if isinstance(values, np.ndarray) else objects(values)
    out = np.full(a.size, absent, dtype=np.float64)
    stated = a != None  # noqa: E711 (elementwise)
    out[stated] = a[stated].astype(np.float64)
    return out
