"""Paging, the same everywhere. Offset paging of in-memory lists (api-contract.md): ``first: null`` is the whole
rest of the list from ``offset``; negative numbers are BAD_INPUT naming the argument. Cursor connections (lists
of records, like ``services``): ``first`` defaults to ``DEFAULT_PAGE_SIZE`` and is at most ``MAX_PAGE_SIZE``
(TOO_COMPLEX beyond), the cursor names the last record seen."""

from __future__ import annotations

import base64
from typing import Sequence, TypeVar

from graph_itsm.errors import BadInput, TooComplex

__all__ = ["window", "page", "page_size", "encode_cursor", "decode_cursor", "DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE"]

DEFAULT_PAGE_SIZE = 50  # as services (graph_itsm.portfolio.service)
MAX_PAGE_SIZE = 500

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


def encode_cursor(kind: str, id_: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{id_}".encode()).decode()


def decode_cursor(kind: str, cursor: str) -> str:
    """The id in a cursor of ``kind``; ``BadInput`` naming ``after`` for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    if not text.startswith(f"{kind}:"):
        raise BadInput(f"after: {cursor!r} is not a cursor returned by `{kind}s`", field="after")
    return text[len(kind) + 1 :]


def page_size(first: int | None, what: str) -> int:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if size < 0:
        raise BadInput(f"first: must be between 0 and {MAX_PAGE_SIZE}, got {size}", field="first")
    if size > MAX_PAGE_SIZE:
        raise TooComplex(f"first: a page holds at most {MAX_PAGE_SIZE} {what}, got {size}", field="first")
    return size
