"""Plain enums and records of the service portfolio (spec/domain.md, "Nodes")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = [
    "ServiceKind",
    "ServiceStage",
    "Provider",
    "CustomerType",
    "ServiceRecord",
    "DependencyRecord",
]


class ServiceKind(Enum):
    CUSTOMER_FACING = "CUSTOMER_FACING"
    SUPPORTING = "SUPPORTING"


class ServiceStage(Enum):
    PIPELINE = "PIPELINE"
    CATALOGUE = "CATALOGUE"
    RETIRED = "RETIRED"


class Provider(Enum):
    INTERNAL = "INTERNAL"
    THIRD_PARTY = "THIRD_PARTY"


class CustomerType(Enum):
    INTERNAL = "INTERNAL"
    EXTERNAL = "EXTERNAL"


@dataclass(frozen=True)
class ServiceRecord:
    """A Service node's properties as stored (pricing flattened into ``pricing*`` properties)."""

    props: dict[str, Any]

    @property
    def id(self) -> str:
        return self.props["id"]


@dataclass(frozen=True)
class DependencyRecord:
    """One ``DEPENDS_ON`` edge seen from one end: ``service`` is the other end."""

    service: str
    share: float | None = None
    redundancy_group: str | None = None
    demand_factor: float | None = None
