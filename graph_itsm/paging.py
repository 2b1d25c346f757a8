"""Offset paging of in-memory lists, the same everywhere (api-contract.md): ``first: null`` is the whole rest
of the list from ``offset``; negative numbers are BAD_INPUT naming the argument."""

from __future__ import annotations

from typing import Sequence, TypeVar

from graph_itsm.errors import BadInput

__all__ = ["window", "page"]

T = TypeVar("T")


def window(size: int, first: int | None, offset: int | None) -> slice:
    """The slice of a list of ``size`` items that a page asks for."""
    offset = offset or 0
    if offset < 0:
        raise BadInput(f"offset: must be 0 or more, got {offset}", field="offset")
    if first is not None and first < 0:
        raise BadInput(f"first: must be 0 or more, got {first}", field="first")
    return slice(offset, size if first is None else offset + first)


def page(rows: Sequence[T], first: int | None, offset: int | None) -> Sequence[T]:
    """``rows[offset:offset + first]``."""
    return rows[window(len(rows), first, offset)]
