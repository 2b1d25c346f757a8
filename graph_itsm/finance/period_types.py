"""Strawberry types of months and their closing (``periods``). Thin: built from ``periods.PeriodRecord``."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import strawberry

from graph_itsm.finance import periods
from graph_itsm.portfolio.types import PageInfo

__all__ = ["PeriodState", "Period", "PeriodEdge", "PeriodConnection"]

PeriodState = strawberry.enum(periods.PeriodState, description="OPEN: computed live from today's graph; CLOSED: "
                              "every report of the month answers from what was stored when it was closed.")


def _time(value: str | None) -> Optional[datetime]:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


@strawberry.type(description="A month (YYYY-MM) that has cost items, budgets, issued statements or a closing record.")
class Period:
    period: str
    state: PeriodState
    closed_at: Optional[datetime] = strawberry.field(description="When it was last closed (UTC); null if never.")
    closed_by: Optional[str] = strawberry.field(description="Who last closed it.")
    reopened_at: Optional[datetime] = strawberry.field(description="When it was last reopened (UTC); null if never.")
    reopened_by: Optional[str]
    reopen_reason: Optional[str] = strawberry.field(description="The reason given when it was last reopened.")

    @classmethod
    def of(cls, r: periods.PeriodRecord) -> "Period":
        return cls(period=r.period, state=r.state, closed_at=_time(r.closed_at), closed_by=r.closed_by,
                   reopened_at=_time(r.reopened_at), reopened_by=r.reopened_by, reopen_reason=r.reopen_reason)


@strawberry.type
class PeriodEdge:
    cursor: str
    node: Period


@strawberry.type(description="A page of months, newest first (Relay connection, like `services`).")
class PeriodConnection:
    edges: list[PeriodEdge]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[Period]:
        return [e.node for e in self.edges]
