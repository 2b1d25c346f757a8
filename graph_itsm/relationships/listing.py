"""Lists of complaints and surveys, paged the way ``services`` is: ordered by id, the cursor is the last id seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from graph_itsm.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, decode_cursor, encode_cursor, page_size
from graph_itsm.relationships.model import Complaint, ComplaintStatus, Survey
from graph_itsm.store import GraphStore, library

__all__ = [
    "ComplaintPage", "list_complaints", "SurveyRow", "SurveyPage", "list_surveys", "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE", "encode_cursor",
]



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


@dataclass(frozen=True)
class SurveyRow:
    id: str
    customer_id: str
    survey: Survey


@dataclass(frozen=True)
class SurveyPage:
    surveys: list[SurveyRow]
    has_next_page: bool
    total_count: int


def list_surveys(store: GraphStore, *, customer: str | None = None, from_: str | None = None,
                 to: str | None = None, first: int | None = None, after: str | None = None) -> SurveyPage:
    """A page of the satisfaction surveys of ``customer`` (any when null) from month ``from_`` to ``to``
    (inclusive, YYYY-MM), ordered by id (customer, then month); ``totalCount`` counts every match."""
    from graph_itsm.finance.service import check_period

    size = page_size(first, "surveys")
    for value, name in ((from_, "from"), (to, "to")):
        if value is not None:
            check_period(value, name)
    after_id = decode_cursor("survey", after) if after is not None else None
    rows = store.read_tuples(library()["relationships/list_surveys"], {"customer": customer, "from": from_, "to": to})
    found = [SurveyRow(sid, cid, Survey(period, int(score), comment)) for sid, cid, period, score, comment in rows]
    rest = [s for s in found if after_id is None or s.id > after_id]
    return SurveyPage(surveys=rest[:size], has_next_page=len(rest) > size, total_count=len(found))
