"""Lists of complaints, paged the way ``services`` is: ordered by id, the cursor is the last id seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from graph_itsm.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, decode_cursor, encode_cursor, page_size
from graph_itsm.relationships.model import Complaint, ComplaintStatus
from graph_itsm.store import GraphStore, library

__all__ = ["ComplaintPage", "list_complaints", "DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "encode_cursor"]



@dataclass(frozen=True)
class ComplaintPage:
    complaints: list[Complaint]
    has_next_page: bool
    total_count: int


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
