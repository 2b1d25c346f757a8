"""Paging, the same everywhere. Offset-paged lists of the API (api-contract.md, like the impact report's):
``first`` defaults to ``LIST_PAGE_SIZE`` (also when given as null) and is at most ``LIST_MAX_PAGE_SIZE``; beyond,
or negative, it is BAD_INPUT naming the argument (:func:`page_args`, :func:`bounded`). Inside the code
:func:`window` and :func:`page` also take ``first=None`` for the whole rest of the list (the NDJSON stream and
the command line use it). Cursor connections (lists of records, like ``services``): ``first`` defaults to
``DEFAULT_PAGE_SIZE`` and is at most ``MAX_PAGE_SIZE`` (TOO_COMPLEX beyond), the cursor names the last record seen."""

from __future__ import annotations

import base64
from typing import Sequence, TypeVar

from graph_itsm.errors import BadInput, TooComplex

__all__ = ["window", "page", "page_args", "bounded", "PAGE_DOC", "LIST_PAGE_SIZE", "LIST_MAX_PAGE_SIZE", "page_size",
           "encode_cursor", "decode_cursor", "DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE"]

DEFAULT_PAGE_SIZE = 50  # as services (graph_itsm.portfolio.service)
MAX_PAGE_SIZE = 500
LIST_PAGE_SIZE = 100  # api-contract.md: the impact lists' `first` defaults to 100 ...
LIST_MAX_PAGE_SIZE = 1000  # ... and is at most 1000; every other offset-paged list of the API does the same
PAGE_DOC = (f"`first` (default {LIST_PAGE_SIZE}, also when null; at most {LIST_MAX_PAGE_SIZE}, BAD_INPUT beyond) "
            "and `offset` page through them")

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


def page_args(first: int | None, offset: int | None) -> tuple[int, int]:
    """A page an API client asks for, as ``(first, offset)``: the default page size for ``first`` null or not
    given, BAD_INPUT naming ``first`` or ``offset`` when out of range."""
    size = LIST_PAGE_SIZE if first is None else first
    if size < 0 or size > LIST_MAX_PAGE_SIZE:
        raise BadInput(f"first: must be between 0 and {LIST_MAX_PAGE_SIZE}, got {size}", field="first")
    offset = offset or 0
    if offset < 0:
        raise BadInput(f"offset: must be 0 or more, got {offset}", field="offset")
    return size, offset


def bounded(rows: Sequence[T], first: int | None, offset: int | None) -> Sequence[T]:
    """The page of ``rows`` an API client asks for (see :func:`page_args`)."""
    return page(rows, *page_args(first, offset))


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
