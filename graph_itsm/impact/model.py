"""Plain values of impact analysis: the status enum and the rows the service layer hands out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["ImpactStatus", "ImpactedRow", "DependencyRow", "STATUS_BY_CODE"]


class ImpactStatus(Enum):
    DOWN = "DOWN"
    DEGRADED = "DEGRADED"


# By the engine's status codes (engine.NOT_IMPACTED, DEGRADED, DOWN).
STATUS_BY_CODE: tuple[ImpactStatus | None, ImpactStatus, ImpactStatus] = (
    None,
    ImpactStatus.DEGRADED,
    ImpactStatus.DOWN,
)


@dataclass(frozen=True)
class ImpactedRow:
    """One impacted service: ``path`` runs from a failed (or retired) service to ``id``, both included."""

    id: str
    status: ImpactStatus
    distance: int
    path: list[str]
    stage: str  # the service's own stage: PIPELINE (planned impact), CATALOGUE or RETIRED (still delivered)
    assumed_retired: bool  # named in whatIfRetired: removed in the what-if


@dataclass(frozen=True)
class DependencyRow:
    id: str
    distance: int
