"""Plain data of business relationship management: the complaint procedure, deadlines, surveys and satisfaction.

Where the spec is silent:
- A complaint is *unacknowledged* while it is OPEN, or ESCALATED straight from OPEN (no ``acknowledged`` time
  yet). Only unacknowledged complaints can be overdue; once acknowledged, the deadline no longer applies.
  Complaints imported in a later state without an ``acknowledged`` time count as acknowledged.
- The deadline runs from ``opened``; a complaint is overdue strictly after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from datetime import datetime, timedelta
from typing import Any

from graph_itsm.portfolio.document import ComplaintStatus

__all__ = [
    "ComplaintStatus", "ServiceHealth", "TRANSITIONS", "DEADLINES", "Complaint", "Survey", "Satisfaction", "satisfaction_of",
    "parse_time", "format_time",
]

OPEN, ACKNOWLEDGED, ESCALATED, RESOLVED, CLOSED = (
    ComplaintStatus.OPEN, ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.ESCALATED, ComplaintStatus.RESOLVED,
    ComplaintStatus.CLOSED,
)

class ServiceHealth(StrEnum):
    """A service's health as its customers see it; for now UNAVAILABLE only when RETIRED (no monitoring feed)."""

    HEALTHY = "HEALTHY"
    UNAVAILABLE = "UNAVAILABLE"


# The formal procedure: OPEN -> ACKNOWLEDGED -> RESOLVED -> CLOSED; ESCALATED from OPEN or ACKNOWLEDGED (the
# escalation level goes up by one), and back to ACKNOWLEDGED once handled.
TRANSITIONS: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    OPEN: frozenset({ACKNOWLEDGED, ESCALATED}),
    ACKNOWLEDGED: frozenset({RESOLVED, ESCALATED}),
    ESCALATED: frozenset({ACKNOWLEDGED}),
    RESOLVED: frozenset({CLOSED}),
    CLOSED: frozenset(),
}

# How long a complaint of each severity may stay unacknowledged.
DEADLINES: dict[int, timedelta] = {
    1: timedelta(hours=4),
    2: timedelta(days=1),
    3: timedelta(days=3),
    4: timedelta(days=5),
}


def parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def format_time(value: datetime) -> str:
    """UTC, ISO 8601 with a ``Z``, as the document format writes timestamps."""
    return value.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Complaint:
    id: str
    customer_id: str
    service_id: str | None
    name: str | None
    severity: int
    opened: datetime
    status: ComplaintStatus
    escalation_level: int
    summary: str | None
    acknowledged: datetime | None

    @classmethod
    def from_row(cls, props: dict[str, Any], customer_id: str, service_id: str | None) -> "Complaint":
        return cls(
            id=props["id"], customer_id=customer_id, service_id=service_id, name=props.get("name"),
            severity=int(props["severity"]), opened=datetime.fromisoformat(props["opened"]),
            status=ComplaintStatus(props["status"]), escalation_level=int(props.get("escalationLevel") or 0),
            summary=props.get("summary"), acknowledged=parse_time(props.get("acknowledged")),
        )

    @property
    def deadline(self) -> datetime:
        """When it must be acknowledged by."""
        return self.opened + DEADLINES[self.severity]

    @property
    def unacknowledged(self) -> bool:
        return self.status == OPEN or (self.status == ESCALATED and self.acknowledged is None)

    @property
    def closed(self) -> bool:
        return self.status == CLOSED

    def overdue(self, now: datetime) -> bool:
        return self.unacknowledged and now > self.deadline


@dataclass(frozen=True)
class Survey:
    period: str
    score: int
    comment: str | None


@dataclass(frozen=True)
class Satisfaction:
    trend: list[Survey]  # oldest first

    @property
    def latest(self) -> Survey | None:
        return self.trend[-1] if self.trend else None

    @property
    def change(self) -> int | None:
        """The latest score minus the previous one; None with fewer than two surveys."""
        return self.trend[-1].score - self.trend[-2].score if len(self.trend) >= 2 else None


def satisfaction_of(rows: list[dict[str, Any]]) -> Satisfaction:
    """From survey rows (``period``, ``score``, ``comment``), in any order."""
    surveys = sorted((Survey(r["period"], int(r["score"]), r.get("comment")) for r in rows), key=lambda s: s.period)
    return Satisfaction(surveys)
