"""Lists of complaints, paged the way ``services`` is: ordered by id, the cursor is the last id seen."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from graph_itsm.errors import BadInput, TooComplex
from graph_itsm.relationships.model import Complaint, ComplaintStatus
from graph_itsm.store import GraphStore, library

__all__ = ["ComplaintPage", "list_complaints", "encode_cursor", "decode_cursor", "DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE"]

DEFAULT_PAGE_SIZE = 50  # as services (graph_itsm.portfolio.service)
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class ComplaintPage:
    complaints: list[Complaint]
    has_next_page: bool
    total_count: int


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


def list_complaints(
    store: GraphStore,
    *,
    now: datetime,
    customer: str | None = None,
    service: str | None = None,
    status: ComplaintStatus | str | None = None,
    overdue: bool | None = None,
    first: int | None = None,
    after: str | None = None,
) -> ComplaintPage:
    """A page of the complaints matching every filter given, ordered by id. ``overdue`` depends on ``now``, so
    it is applied here, after the database's filters; ``totalCount`` counts every match."""
    size = page_size(first, "complaints")
    after_id = decode_cursor("complaint", after) if after is not None else None
    status_value = None if status is None else ComplaintStatus(status).value
    rows = store.read(library()["relationships/list_complaints"],
                      {"customer": customer, "service": service, "status": status_value})
    found = [Complaint.from_row(r["complaint"], r["customer"], r["service"]) for r in rows]
    if overdue is not None:
        found = [c for c in found if c.overdue(now) == overdue]
    rest = [c for c in found if after_id is None or c.id > after_id]
    return ComplaintPage(complaints=rest[:size], has_next_page=len(rest) > size, total_count=len(found))
