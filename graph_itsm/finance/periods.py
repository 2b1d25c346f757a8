"""Months and their state (spec/domain.md, "Closing a month"): every month that has cost items, budgets, issued
statements or a closing record, newest first, paged like ``services`` (the cursor is the last month seen).

A month is ``OPEN`` (computed live from today's graph) until ``closePeriod`` stores its figures; its closing
record is ``(:Period {id: "YYYY-MM", state, closedAt, closedBy, reopenedAt, reopenedBy, reopenReason})``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from graph_itsm.errors import RuleViolation
from graph_itsm.paging import decode_cursor, encode_cursor, page_size
from graph_itsm.finance.service import check_period
from graph_itsm.store import GraphStore, library

__all__ = [
    "PeriodState", "PeriodRecord", "PeriodPage", "list_periods", "period_cursor", "closed_among", "refuse_closed",
    "PERIOD_CLOSED",
]

PERIOD_CLOSED = "period-closed"


class PeriodState(str, Enum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


@dataclass(frozen=True)
class PeriodRecord:
    period: str
    state: PeriodState = PeriodState.OPEN
    closed_at: str | None = None
    closed_by: str | None = None
    reopened_at: str | None = None
    reopened_by: str | None = None
    reopen_reason: str | None = None


@dataclass(frozen=True)
class PeriodPage:
    periods: list[PeriodRecord]
    has_next_page: bool
    total_count: int


def period_cursor(period: str) -> str:
    return encode_cursor("period", period)


def closing_records(store: GraphStore) -> dict[str, PeriodRecord]:
    """Every month's closing record, by month."""
    found = {}
    for period, state, closed_at, closed_by, reopened_at, reopened_by, reason in store.read_tuples(
        library()["finance/closing_records"]
    ):
        found[period] = PeriodRecord(period, PeriodState(state or "OPEN"), closed_at, closed_by, reopened_at,
                                     reopened_by, reason)
    return found


def list_periods(store: GraphStore, *, first: int | None = None, after: str | None = None) -> PeriodPage:
    """One page of months, newest first, after the month in the cursor ``after``."""
    size = page_size(first, "months")
    before = None if after is None else check_period(decode_cursor("period", after), "after")
    months = sorted({row[0] for row in store.read_tuples(library()["finance/list_periods"]) if row[0]}, reverse=True)
    records = closing_records(store)
    rest = [m for m in months if before is None or m < before]
    return PeriodPage(
        periods=[records.get(m, PeriodRecord(m)) for m in rest[:size]],
        has_next_page=len(rest) > size,
        total_count=len(months),
    )


def closed_among(store: GraphStore, months: list[str]) -> list[PeriodRecord]:
    """The closing records of those of ``months`` that are closed, by month."""
    rows = store.read_tuples(library()["finance/closed_periods_among"], {"periods": sorted(set(months))})
    return [PeriodRecord(p, PeriodState.CLOSED, at, by) for p, at, by in sorted(rows)]


def refuse_closed(store: GraphStore, months: list[str], what: str, *, field: str = "period") -> None:
    """``RuleViolation`` ``period-closed`` when one of ``months`` is closed: ``what`` (cost items, a budget) of
    a closed month does not change. Called in a write's plan after its facts are read, so a closing that lands
    later moves the graph version and the write is planned again (``portfolio.writes.commit``)."""
    months = [m for m in months if m]
    closed = closed_among(store, months) if months else []
    if closed:
        names = ", ".join(f"{r.period} (closed at {r.closed_at} by {r.closed_by})" for r in closed)
        raise RuleViolation(
            f"{PERIOD_CLOSED}: {what} of a closed month cannot change: {names}; record a correction in an open "
            "month instead (or ask an admin to reopen the month)",
            rule=PERIOD_CLOSED, field=field, periods=[r.period for r in closed],
        )
